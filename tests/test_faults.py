"""Nothing is lost when a service fails: each test stops the real service and
starts it again (with the project's own scripts/lib.sh)."""
from __future__ import annotations

import datetime
import os
import signal
import socket
import subprocess
import time

import pytest

import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import helpers

from ckanext.transparency import indexing, mail
from conftest import create, submit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _lib(*commands: str) -> None:
    subprocess.run(["bash", "-c", f"source {ROOT}/scripts/lib.sh && " + " && ".join(commands)],
                   check=True, capture_output=True)


PORTS = {"solr": 8983, "redis": 6380}


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
        _lib("start_solr ckan ckan_test")


@pytest.fixture
def redis_stopped():
    _stop_pid("redis")
    try:
        yield
    finally:
        _lib("start_redis")


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

    _lib("start_solr ckan ckan_test")
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
    _lib("start_redis")
    sent, failed = mail.send_pending()
    assert (sent, failed) == (2, 0)
    assert smtp.to("zineb.qarmouchi@example.ma")


def test_after_a_postgresql_restart_the_portal_serves_again(app, people):
    submit(people["requester"])
    _lib('pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart')
    page = app.get("/ati-request/")
    assert page.status_code == 200
    assert helpers.call_action("package_search", fq="type:ati-request")["count"] == 1
    assert submit(people["citizen"])["tracking_number"]
