from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("export.xlsx", views.organization_export, name="export"),
    path("import/", views.unit_import_page, name="import"),
    path("import/template.xlsx", views.unit_import_template, name="import_template"),
    path("import/<int:pk>/", views.unit_import_job, name="import_job"),
    path("import/<int:pk>/good/", views.unit_import_good, name="import_good"),
    path("new/", views.organization_create, name="create"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/phone/", views.organization_reveal_phone, name="reveal_phone"),
]
