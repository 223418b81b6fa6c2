from django.urls import path

from . import views
from .onboarding import views as onboarding

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_page, name="logout"),
    path("otp/", views.otp_verify, name="otp_verify"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("tokens/", views.api_tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="token_revoke"),
    path("invitation/<str:key>/", onboarding.invitation_accept, name="invitation_accept"),
    path("invitations/", onboarding.invitation_list, name="invitations"),
    path("invitations/<int:pk>/resend/", onboarding.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", onboarding.invitation_revoke, name="invitation_revoke"),
    path("invitations/coordinators/", onboarding.coordinators_invite, name="coordinators_invite"),
    path(
        "invitations/coordinators/template.xlsx",
        onboarding.coordinators_template,
        name="coordinators_template",
    ),
    path("invitations/colleague/", onboarding.colleague_invite, name="colleague_invite"),
    path("commissions/new/", onboarding.commission_new, name="commission_new"),
    path("people/", onboarding.account_list, name="people"),
    path("people/<int:pk>/", onboarding.account_detail, name="person"),
]
