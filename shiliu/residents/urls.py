from django.urls import include, path

from . import views

app_name = "residents"
urlpatterns = [
    path("", views.resident_list, name="home"),
    path("requests/", include("shiliu.residents.requests.urls")),
    path("export.xlsx", views.resident_export, name="export"),
    path("new/", views.resident_new, name="new"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("handovers/<int:pk>/", views.handover_decide, name="handover_decide"),
    path("<int:pk>/", views.resident_detail, name="detail"),
    path("<int:pk>/edit/", views.resident_edit, name="edit"),
    path("<int:pk>/reveal/", views.resident_reveal, name="reveal"),
    path("<int:pk>/consents/new/", views.consent_new, name="consent_new"),
    path("<int:pk>/consents/<int:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/consents/<int:consent_pk>/withdrawn/", views.consent_done, name="consent_done"),
    path("<int:pk>/handover/", views.handover_new, name="handover"),
    path("<int:pk>/handover/cancel/", views.handover_cancel, name="handover_cancel"),
]
