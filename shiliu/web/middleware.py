from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
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
