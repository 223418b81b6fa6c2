"""Error pages render without the database or the session; the API answers JSON errors, 500 included."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connections
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import translation

from shiliu.web import views


@contextmanager
def database_unreachable() -> Iterator[None]:
    """Every query fails as when the database server is down (connection refused)."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with mock.patch.object(type(connections["default"]), "ensure_connection", refuse):
        yield


@pytest.fixture
def logged_in(yangzhou: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(yangzhou, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.django_db
def test_a_logged_in_page_shows_the_500_page_when_the_database_is_unreachable(logged_in: Client) -> None:
    with database_unreachable():
        response = logged_in.get("/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "服务器错误" in page and "请稍后再试" in page


@pytest.mark.django_db
def test_the_api_answers_json_when_the_database_is_unreachable(logged_in: Client) -> None:
    token = "a" * 40
    bearer = Client(raise_request_exception=False)
    with database_unreachable():
        # The token is looked up inside the API (its exception handler), the session by middleware (handler500).
        by_token = bearer.get("/api/pairings", headers={"Authorization": f"Bearer {token}"})
        by_session = logged_in.get("/api/pairings")
    for response in (by_token, by_session):
        assert response.status_code == 500
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": "服务器错误：已记录在案，请稍后再试。"}


@pytest.mark.django_db
def test_error_pages_render_without_the_session_or_the_database(logged_in: Client) -> None:
    # A logged-in request as the middleware leaves it: its user and session load lazily, from the database.
    request = RequestFactory().get("/somewhere/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = logged_in.cookies[settings.SESSION_COOKIE_NAME].value
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    AuthenticationMiddleware(lambda r: HttpResponse()).process_request(request)
    with translation.override("zh-hans"), database_unreachable():
        pages = [
            (views.error_400(request, None), 400, "请求无效"),
            (
                views.error_403(request, PermissionDenied("只有双方可以取消此活动。")),
                403,
                "只有双方可以取消此活动。",
            ),
            (views.error_404(request, None), 404, "未找到"),
            (views.error_500(request), 500, "服务器错误"),
        ]
    for response, status, text in pages:
        assert response.status_code == status and text in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_json_for_an_unknown_path_and_a_bad_host(logged_in: Client) -> None:
    missing = logged_in.get("/api/no-such-endpoint")
    assert missing.status_code == 404 and missing.json() == {"detail": "未找到。"}
    bad_host = Client(raise_request_exception=False).get("/api/regions", HTTP_HOST="evil.example")
    assert bad_host.status_code == 400 and "detail" in bad_host.json()
    page = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and "请求无效" in page.content.decode()


@pytest.mark.django_db
def test_the_health_check_says_so_when_the_database_is_unreachable() -> None:
    client = Client(raise_request_exception=False)
    assert client.get("/healthz").content == b"ok"
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503 and b"database" in response.content
