from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("table/", views.table, name="table"),
    path("summaries/", views.summaries, name="summaries"),
    path("summaries/<int:pk>/", views.summary_run, name="summary"),
    path("summaries/<int:pk>/file.<str:kind>", views.summary_file, name="summary_file"),
    path("summaries/<int:pk>/<str:action>/", views.summary_action, name="summary_action"),
    path("sentences/", views.sentence_list, name="sentences"),
]
