"""Exports run in the background: progress, a time limit, a clear refusal, the owner's download only, expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage

from conftest import exported
from shiliu.lib import clock
from shiliu.runtime import exports
from shiliu.runtime.models import ExportJob


def _write_numbers(user, params, progress):
    total = int(params.get("n", "3"))
    if params.get("bad"):
        raise exports.ExportRefused("筛选条件无效")
    for done in range(1, total + 1):
        progress(done, total)
    return "numbers.txt", ",".join(str(i) for i in range(total)).encode()


@pytest.fixture(autouse=True)
def _exporter():
    exports.register_export("test.numbers", _write_numbers)


@pytest.mark.django_db
def test_an_export_runs_in_the_background_and_only_its_owner_downloads_it(client, login, yangzhou, xinyuan):
    job = exports.export_start(user=yangzhou, kind="test.numbers", params={"n": "5"})
    assert (job.status, job.done_rows, job.total_rows, job.percent) == ("done", 5, 5, 100)
    login(yangzhou)
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert 'data-testid="export-download"' in page and "numbers.txt" in page
    body = b"".join(client.get(f"/exports/{job.pk}/download/").streaming_content)
    assert body == b"0,1,2,3,4"
    login(xinyuan)  # someone else's export may hold what only its owner may see
    assert client.get(f"/exports/{job.pk}/").status_code == 404
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404


@pytest.mark.django_db
def test_a_refused_or_too_long_export_fails_with_its_message(settings, yangzhou, monkeypatch):
    refused = exports.export_start(user=yangzhou, kind="test.numbers", params={"bad": "1"})
    assert (refused.status, refused.message, bool(refused.file)) == ("failed", "筛选条件无效", False)
    settings.SHILIU_EXPORT_SECONDS = -1  # any progress is already past the limit
    slow = exports.export_start(user=yangzhou, kind="test.numbers", params={"n": "2"})
    assert slow.status == "failed" and "请缩小筛选范围" in slow.message


@pytest.mark.django_db
def test_old_export_files_are_deleted(yangzhou, settings):
    job = exports.export_start(user=yangzhou, kind="test.numbers", params={})
    name = job.file.name
    assert default_storage.exists(name)
    ExportJob.objects.filter(pk=job.pk).update(
        created_at=clock.now() - dt.timedelta(hours=settings.SHILIU_EXPORT_HOURS + 1)
    )
    fresh = exports.export_start(user=yangzhou, kind="test.numbers", params={})
    assert exports.exports_expire() == 1
    assert not default_storage.exists(name) and list(ExportJob.objects.all()) == [fresh]


@pytest.mark.django_db
def test_the_ledger_export_is_a_job_and_an_invalid_filter_is_refused_before_it_starts(
    client, login, yangzhou
):
    login(yangzhou)
    started = client.get("/exchanges/export.xlsx", {"status": "confirmed"})
    assert started.status_code == 302 and started["Location"].startswith("/exports/")
    assert "back=%2Fexchanges%2F%3Fstatus%3Dconfirmed" in started["Location"]
    assert exported(client, "/exchanges/export.xlsx").status_code == 200
    assert client.get("/exchanges/export.xlsx", {"status": "nonsense"}).status_code == 400
    assert ExportJob.objects.count() == 2
