from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("read/", views.notifications_read, name="read"),
    path("<int:pk>/", views.notification_open_view, name="open"),
]
