from django.urls import path

from . import views

app_name = "exchanges"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("export.xlsx", views.activity_export, name="export"),
    path("new/", views.activity_new, name="new"),
    path("statistics/", views.statistics, name="stats"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/action/", views.activity_action, name="action"),
]
