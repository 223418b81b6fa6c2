from django.urls import path

from . import views

app_name = "requests"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.request_new, name="new"),
    path("new/manifest.webmanifest", views.manifest, name="manifest"),
    path("new/sw.js", views.service_worker, name="service_worker"),
    path("track/", views.request_track, name="track"),
    path("t/<str:number>/", views.request_public, name="public"),
    path("metrics/", views.metrics_page, name="metrics"),
    path("metrics/export.xlsx", views.metrics_export, name="metrics_export"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("hotline/import/", views.hotline_import, name="hotline_import"),
    path("hotline/template.xlsx", views.hotline_template, name="hotline_template"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/sla/<int:pk>/", views.sla_edit, name="sla_edit"),
    path("rules/", views.rules_page, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo, name="photo"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
