from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from shiliu.jurisdiction.decorators import acting_user, roles_required
from shiliu.jurisdiction.roles import Role
from shiliu.lib.display import SENIOR_MODE_COOKIE

from . import selectors, services
from .forms import ApiTokenForm, AuditFilterForm, LoginForm, TokenForm
from .lockout import remember_device
from .models import ApiToken


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # Senior mode switched on at the login page stays on for the account.
        if self.request.COOKIES.get(SENIOR_MODE_COOKIE) == "1":
            services.user_set_senior_mode(user=form.get_user(), on=True)
        # This browser is now known to the account: failures elsewhere never delay it (see lockout.py).
        remember_device(self.request, response, form.get_user().get_username())
        return response


def _safe_next(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return "/"


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("The code is wrong or has expired."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)})


@login_required
@roles_required(Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF)
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator: show the secret as a QR code, confirm with one code."""
    import segno

    user = acting_user(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.totp_device_confirm(user=user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            messages.success(
                request, _("Two-step verification is on. You will be asked for a code at each login.")
            )
            return redirect("web:home")
        form.add_error("token", _("The code is wrong or has expired."))
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or services.totp_device_start(
            user=user
        )
    else:
        device = services.totp_device_start(user=user)
    qr = segno.make(device.config_url, micro=False).svg_data_uri(scale=4)
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr": qr, "secret": services.totp_key_for_typing(device)},
        status=400 if form.errors else 200,
    )


NEW_TOKEN_KEY = "shiliu.new_api_token"  # noqa: S105 - a session key, not a secret


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: when each ends, when it was last used; revoke one, or make a new one (shown
    once). The second-factor middleware has made sure the session passed the code, when one is turned on."""
    user = acting_user(request)
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        raw, _token = services.token_create(user=user, name=form.cleaned_data["name"])
        # Shown once, on the page the browser is sent to: reloading it never makes a second token.
        request.session[NEW_TOKEN_KEY] = raw
        return redirect("accounts:tokens")
    new_token = request.session.pop(NEW_TOKEN_KEY, None) if request.method == "GET" else None
    context = {
        "form": form,
        "tokens": selectors.api_tokens(user=user),
        "new_token": new_token,
        "lifetime_days": settings.SHILIU_API_TOKEN_DAYS,
        "idle_days": settings.SHILIU_API_TOKEN_IDLE_DAYS,
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    token = get_object_or_404(ApiToken, pk=pk, user=user)  # someone else's token: not found
    services.token_revoke(actor=user, token=token)
    messages.success(request, _("Token %(prefix)s… revoked: it no longer works.") % {"prefix": token.prefix})
    return redirect("accounts:tokens")


@login_required
@roles_required(Role.PLATFORM_ADMIN)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(**{k: v for k, v in filters.items() if v})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit.html", {"form": form, "page": page, "query": query.urlencode()})


def logout_page(request: HttpRequest) -> HttpResponse:
    """Logging out is a POST (a link cannot log anyone out); a GET — a bookmark, a typed address — gets a page with
    the button instead of a bare 405."""
    if request.method == "POST":
        return cast(HttpResponse, auth_views.LogoutView.as_view()(request))
    if not request.user.is_authenticated:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    return render(request, "accounts/logout.html")
