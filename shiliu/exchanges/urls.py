from django.urls import path

from shiliu.exchanges.imports import views as import_views
from shiliu.exchanges.ledger import views
from shiliu.exchanges.menu import views as menu_views
from shiliu.exchanges.statistics import views as statistics_views
from shiliu.exchanges.tourism import views as tourism_views
from shiliu.exchanges.youth import views as youth_views

app_name = "exchanges"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("export.xlsx", views.activity_export, name="export"),
    path("import/", import_views.import_page, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_job, name="import_job"),
    path("import/<int:pk>/good/", import_views.import_good, name="import_good"),
    path("import/<int:pk>/cancel/", import_views.import_cancel, name="import_cancel"),
    path("import/<int:pk>/retry/", import_views.import_retry, name="import_retry"),
    path("new/", views.activity_new, name="new"),
    path("statistics/", statistics_views.statistics, name="stats"),
    path("statistics.xlsx", statistics_views.statistics_export, name="stats_export"),
    path("menu/", menu_views.menu_browse, name="menu"),
    path("menu/offers/new/", menu_views.offer_new, name="offer_new"),
    path("menu/offers/<int:pk>/", menu_views.offer_detail, name="offer"),
    path("menu/offers/<int:pk>/photo/", menu_views.offer_photo, name="offer_photo"),
    path("menu/packages/new/", menu_views.package_new, name="package_new"),
    path("menu/packages/<int:pk>/", menu_views.package_detail, name="package"),
    path("bookings/", menu_views.bookings, name="bookings"),
    path("bookings/<int:pk>/", menu_views.booking_action, name="booking_action"),
    path("penpals/", youth_views.penpal_list, name="penpals"),
    path("penpals/new/", youth_views.penpal_new, name="penpal_new"),
    path("penpals/<int:pk>/", youth_views.penpal_detail, name="penpal"),
    path("penpals/<int:pk>/action/", youth_views.penpal_action, name="penpal_action"),
    path("online/", youth_views.online_list, name="online"),
    path("online/new/", youth_views.online_new, name="online_new"),
    path("routes/", tourism_views.route_list, name="routes"),
    path("routes/new/", tourism_views.route_new, name="route_new"),
    path("routes/<int:pk>/", tourism_views.route_detail, name="route"),
    path("routes/<int:pk>/stops/<int:stop_pk>/photo/", tourism_views.stop_photo, name="stop_photo"),
    path("tours/", tourism_views.tour_list, name="tours"),
    path("tours/new/", tourism_views.tour_new, name="tour_new"),
    path("tours/<int:pk>/edit/", tourism_views.tour_edit, name="tour_edit"),
    path("tours/<int:pk>/delete/", tourism_views.tour_delete, name="tour_delete"),
    path("tours/flows/", tourism_views.flows, name="flows"),
    path("tours/flows.xlsx", tourism_views.flows_export, name="flows_export"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/report/", youth_views.online_report, name="online_report"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
    path("<int:pk>/evidence/<int:evidence_pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/action/", views.activity_action, name="action"),
]
