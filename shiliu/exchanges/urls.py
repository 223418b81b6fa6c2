from django.urls import path

from . import import_views, menu_views, views

app_name = "exchanges"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("export.xlsx", views.activity_export, name="export"),
    path("import/", import_views.import_page, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_job, name="import_job"),
    path("import/<int:pk>/good/", import_views.import_good, name="import_good"),
    path("new/", views.activity_new, name="new"),
    path("statistics/", views.statistics, name="stats"),
    path("menu/", menu_views.menu_browse, name="menu"),
    path("menu/offers/new/", menu_views.offer_new, name="offer_new"),
    path("menu/offers/<int:pk>/", menu_views.offer_detail, name="offer"),
    path("menu/packages/new/", menu_views.package_new, name="package_new"),
    path("menu/packages/<int:pk>/", menu_views.package_detail, name="package"),
    path("bookings/", menu_views.bookings, name="bookings"),
    path("bookings/<int:pk>/", menu_views.booking_action, name="booking_action"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/action/", views.activity_action, name="action"),
]
