from django.urls import path

from . import display, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("display-mode/", display.display_mode, name="display_mode"),
    path("preferences/", display.preferences, name="preferences"),
    path("session/keep-alive/", display.keep_alive, name="keep_alive"),
]
