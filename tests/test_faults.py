"""Nothing is lost when a service fails: each test stops the real service and
starts it again (with the project's own scripts/lib.sh)."""
from __future__ import annotations

import datetime
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import helpers

from ckanext.transparency import indexing, mail
from conftest import create, submit
from serve import free_port, gunicorn, lib, wait_until_up

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


PORTS = {"solr": int(os.environ.get("PORTAL_SOLR_PORT", 8983)), "redis": int(os.environ.get("PORTAL_REDIS_PORT", 6380))}


def _stop_pid(name: str) -> None:
    """Stops the service and waits until its port refuses connections (the process may
    stay a zombie child of this one: scripts/test execs pytest)."""
    with open(os.path.join(ROOT, ".stack", f"{name}.pid")) as f:
        os.kill(int(f.read()), signal.SIGTERM)
    for _ in range(60):
        try:
            socket.create_connection(("127.0.0.1", PORTS[name]), timeout=1).close()
        except OSError:
            return
        time.sleep(0.5)
    raise AssertionError(f"{name} did not stop")


@pytest.fixture
def solr_stopped():
    _stop_pid("solr")
    assert not indexing.solr_answers()
    try:
        yield
    finally:
        lib("start_solr ckan ckan_test")


@pytest.fixture
def redis_stopped():
    _stop_pid("redis")
    try:
        yield
    finally:
        lib("start_redis")


def test_a_request_filed_while_solr_is_down_is_kept_and_indexed_when_it_is_back(app, cli, people, solr_stopped):
    pkg = submit(people["requester"])  # acknowledged: it has its tracking number
    assert pkg["tracking_number"].startswith("DAI-")
    assert helpers.call_action("package_show", id=pkg["id"])["ati_state"] == "received"
    assert indexing.queued() == [pkg["id"]]
    home = app.get("/")
    assert "temporairement indisponible" in home.body
    search = app.get("/ati-request/", expect_errors=True)
    assert search.status_code < 500
    stats = app.get(tk.url_for("transparency.statistics"), expect_errors=True)
    assert stats.status_code == 503 and "temporairement indisponible" in stats.body

    lib("start_solr ckan ckan_test")
    result = cli.invoke(ckan_command, ["transparency", "refresh"])
    assert "1 queued records indexed, 0 still waiting" in result.output, result.output
    found = helpers.call_action("package_search", fq="type:ati-request")
    assert [r["id"] for r in found["results"]] == [pkg["id"]]
    assert indexing.queued() == []


@pytest.fixture
def open_consultation(people):
    now = datetime.datetime.now(datetime.timezone.utc)
    return create(people["sysadmin"], "consultation", "ouverte", "mrafp",
                  opens_at=(now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  closes_at=(now + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))


def test_a_contribution_sent_while_solr_is_down_is_kept(people, open_consultation, solr_stopped):
    pkg = open_consultation
    item = helpers.call_action("transparency_contribution_create", {"user": "citizen"}, id=pkg["id"],
                               text="Envoyée pendant la panne")
    assert item["state"] == "pending"
    assert [c["text"] for c in helpers.call_action("transparency_contribution_list", id=pkg["id"])] == [
        "Envoyée pendant la panne"]


def test_with_redis_down_submissions_succeed_and_their_mail_goes_out_later(people, redis_stopped, smtp):
    pkg = submit(people["requester"])
    assert pkg["tracking_number"].startswith("DAI-")
    lib("start_redis")
    sent, failed = mail.send_pending()
    assert (sent, failed) == (2, 0)
    assert smtp.to("zineb.qarmouchi@example.ma")


def test_after_a_postgresql_restart_the_portal_serves_again(app, people):
    submit(people["requester"])
    lib('pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart')
    page = app.get("/ati-request/")
    assert page.status_code == 200
    assert helpers.call_action("package_search", fq="type:ati-request")["count"] == 1
    assert submit(people["citizen"])["tracking_number"]


@pytest.fixture
def served_by_gunicorn(pytestconfig, people, tmp_path):
    """The portal under gunicorn, as scripts/up serves it, over the tests' database and Solr core."""
    base = f"http://127.0.0.1:{free_port()}"
    with open(tmp_path / "gunicorn.log", "w") as log, \
            gunicorn(os.path.abspath(pytestconfig.getoption("ckan_ini")), base, log) as server:
        wait_until_up(f"{base}/api/3/action/status_show", server, log)
        yield base


def _unavailable(response: requests.Response, lang: str) -> None:
    """A 503 a person can read in their language, and a time to come back."""
    assert response.status_code == 503, (response.url, response.status_code)
    assert int(response.headers["Retry-After"]) > 0
    assert "no-store" in response.headers["Cache-Control"]
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html["lang"] == lang and page.html["dir"] == ("rtl" if lang == "ar" else "ltr")
    assert page.h1.text == {"fr": "Temporairement indisponible", "ar": "غير متاح مؤقتا"}[lang]


PAGES = ["/", "/ati-request/", "/publication/", "/statistics", "/organization/"]


def test_while_postgresql_restarts_the_served_portal_answers_503_then_200(served_by_gunicorn):
    base = served_by_gunicorn
    assert all(requests.get(base + path).status_code == 200 for path in PAGES)
    lib('pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop')
    try:
        for path in PAGES:
            _unavailable(requests.get(base + path), "fr")
            _unavailable(requests.get(base + "/ar" + path), "ar")
        api = requests.get(f"{base}/api/3/action/package_search")
        assert api.status_code == 503 and int(api.headers["Retry-After"]) > 0
        assert api.json()["success"] is False and api.json()["error"]["__type"] == "Service Unavailable"
    finally:
        lib('pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start')
    statuses = [requests.get(base + path).status_code for path in PAGES for _ in range(4)]
    assert set(statuses) <= {200, 503} and statuses[-len(PAGES):] == [200] * len(PAGES), statuses


def test_while_solr_is_down_the_served_portal_answers_no_server_error(served_by_gunicorn, solr_stopped):
    base = served_by_gunicorn
    for path in PAGES + ["/dataset/", "/commitment/", "/publications/coverage"]:
        for lang in ("fr", "ar"):
            response = requests.get(base + ("/ar" if lang == "ar" else "") + path)
            assert response.status_code in (200, 503), (path, response.status_code)
            if response.status_code == 503:
                assert int(response.headers["Retry-After"]) > 0
                assert BeautifulSoup(response.text, "html.parser").html["lang"] == lang
    api = requests.get(f"{base}/api/3/action/package_search")
    assert api.status_code in (409, 503) and api.json()["success"] is False


def _tracking_numbers(base: str, path: str, person: dict, section: str = "") -> list[str]:
    page = BeautifulSoup(requests.get(base + path, headers={"Authorization": person["token"]}).text, "html.parser")
    scope = page.select_one(f"section[aria-labelledby='{section}']") if section else page
    return [a.text for a in scope.select("table.transparency-requests td:first-child a")]


@pytest.fixture
def periodic(pytestconfig, tmp_path):
    """``ckan transparency periodic`` as scripts/up starts it (default interval: 30 s)."""
    ckan = os.path.join(os.path.dirname(sys.executable), "ckan")
    with open(tmp_path / "periodic.log", "w") as log:
        process = subprocess.Popen([ckan, "-c", pytestconfig.getoption("ckan_ini"), "transparency", "periodic"],
                                   stdout=log, stderr=log)
        try:
            yield
        finally:
            process.terminate()
            process.wait(30)


def test_a_request_filed_while_solr_is_down_is_followed_at_once_and_found_within_a_minute_of_its_return(
        served_by_gunicorn, people, solr_stopped, periodic):
    base = served_by_gunicorn
    pkg = submit(people["requester"])
    number = pkg["tracking_number"]
    assert _tracking_numbers(base, "/ati-request/mine", people["requester"]) == [number]
    assert _tracking_numbers(base, "/ati-request/inbox", people["officer"], "box-new") == [number]
    assert _tracking_numbers(base, "/ati-request/inbox", people["officer"], "box-due_soon") == []

    lib("start_solr ckan ckan_test")  # no cron, no command: the periodic work notices
    back = time.monotonic()
    search = f"{base}/api/3/action/package_search"
    while time.monotonic() - back < 60:
        found = requests.get(search, params={"fq": f"id:{pkg['id']}", "include_private": "true"},
                             headers={"Authorization": people["officer"]["token"]}).json()
        if found["success"] and found["result"]["count"] == 1:
            break
        time.sleep(2)
    else:
        raise AssertionError("the request was not indexed within a minute of Solr's return")
    assert indexing.queued() == []
