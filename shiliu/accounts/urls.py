from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_page, name="logout"),
    path("otp/", views.otp_verify, name="otp_verify"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("tokens/", views.api_tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="token_revoke"),
]
