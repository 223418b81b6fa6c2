from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.home, name="home"),
    path("entry/", views.entry, name="entry"),
    path("returns/", views.returns, name="returns"),
    path("returns/<int:pk>/<str:action>/", views.return_action, name="return_action"),
    path("values/", views.value_list, name="values"),
    path("values/<int:pk>/", views.value_detail, name="value"),
    path("derive/", views.derive, name="derive"),
    path("derive/<int:pk>/", views.derive_job, name="derive_job"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/new/", views.indicator_edit, name="indicator_new"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("explain/<slug:code>/<str:region>/<str:period>/", views.explain, name="explain"),
    path("systems/", views.system_list, name="systems"),
    path("systems/<int:pk>/", views.system_detail, name="system"),
    path("systems/<int:pk>/weights/<int:node>/", views.weights_edit, name="weights"),
    path("systems/<int:pk>/entropy/", views.weights_entropy, name="entropy"),
    path("runs/", views.run_list, name="runs"),
    path("runs/compare/", views.run_compare, name="compare"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/approve/", views.run_approve, name="run_approve"),
    path("runs/<int:pk>/reproduce/", views.run_reproduce, name="run_reproduce"),
    path("runs/<int:pk>/units/<int:index>/", views.run_unit, name="run_unit"),
    path("embedding/", views.embedding_page, name="embedding"),
    path("embedding/rule/", views.rule_edit, name="rule"),
    path("sites/", views.site_list, name="sites"),
    path("sites/<int:pk>/", views.site_detail, name="site"),
    path("public/", views.public_list, name="public"),
]
