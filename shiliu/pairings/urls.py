from django.urls import path

from . import views

app_name = "pairings"
urlpatterns = [
    path("", views.pairing_list, name="list"),
    path("new/", views.pairing_new, name="new"),
    path("unit-options/", views.unit_options, name="unit_options"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage.xlsx", views.coverage_export, name="coverage_export"),
    path("propose/", views.proposal, name="proposal"),
    path("items/", views.action_item_list, name="items"),
    path("items/<int:pk>/status/", views.action_item_status, name="item_status"),
    path("meetings/<int:meeting_pk>/items/new/", views.action_item_new, name="item_new"),
    path("<int:pk>/", views.pairing_detail, name="detail"),
    path("<int:pk>/respond/", views.pairing_respond, name="respond"),
    path("<int:pk>/status/", views.pairing_status, name="status"),
    path("<int:pk>/agreements/new/", views.agreement_new, name="agreement_new"),
    path(
        "<int:pk>/agreements/<int:agreement_pk>/document/",
        views.agreement_document,
        name="agreement_document",
    ),
    path("<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
]
