from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
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


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class NulCharacterMiddleware:
    """Refuse a NUL character in a query string, a form field or a JSON body with a clear 400.

    PostgreSQL cannot store or even compare text holding NUL, so ``?q=%00`` on any list, or a JSON string with
    ``\u0000``, ended in a 500 there (SQLite accepts it). Django's form fields already refuse it; filters read from
    the query string and the API's JSON bodies are not form fields. Uploaded files are not looked at.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            from django.shortcuts import render
            from django.utils.translation import gettext as _

            message = _("The request contains a NUL character, which is not allowed.")
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": message}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    from django.http.multipartparser import MultiPartParserError

    def nul_in(data: QueryDict) -> bool:
        return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())

    if nul_in(request.GET):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method == "POST" and content_type.startswith(_FORM_TYPES):
        try:
            return nul_in(request.POST)
        except MultiPartParserError:  # a broken body is for the view to refuse
            return False
    if "json" in content_type:
        return b"\\u0000" in request.body.lower()
    return False


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
