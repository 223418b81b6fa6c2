from django.urls import path

from . import views

app_name = "runtime"

urlpatterns = [
    path("<int:pk>/", views.export_job, name="export"),
    path("<int:pk>/download/", views.export_download, name="export_download"),
]
