from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import check_for_language


class LanguageMiddleware:
    """Simplified Chinese unless the user chose another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-language browser
    would open Shiliu in English; the brief fixes Chinese as the default for everyone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = (
            chosen
            if chosen in dict(settings.LANGUAGES) and check_for_language(chosen)
            else settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class PrivateResponseMiddleware:
    """Outermost: what every response of the application carries, whatever produced it.

    - ``Cache-Control: no-store`` unless the view chose otherwise: pages, exports, files and the API may all hold
      personal data, and none of it may stay in a browser's or a proxy's cache.
    - The content security policy on the responses django-csp leaves without one: in DEBUG it skips 404 and 500,
      so the demo's not-found page (Django's technical page, listing every URL) went out with no policy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from csp.constants import HEADER
        from csp.utils import build_policy

        response = self.get_response(request)
        if "Cache-Control" not in response:
            patch_cache_control(response, no_store=True, private=True)
        if HEADER not in response and not getattr(response, "_csp_exempt", False):
            response[HEADER] = build_policy()
        return response


class UploadLimitMiddleware:
    """Refuse request bodies over SHILIU_MAX_UPLOAD_BYTES before Django reads them (413, with a clear message).

    Per-field limits (20 MB for agreement documents) are checked by the services; this guard stops a 200 MB upload
    from being spooled to disk first. The reverse proxy should set the same limit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.SHILIU_MAX_UPLOAD_BYTES
        if length > limit:
            from django.shortcuts import render
            from django.utils.translation import gettext as _

            message = _("The upload is %(size)d MB; the limit is %(limit)d MB.") % {
                "size": length // 2**20,
                "limit": limit // 2**20,
            }
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": message}, status=413)
            return render(request, "413.html", {"message": message}, status=413)
        return self.get_response(request)
