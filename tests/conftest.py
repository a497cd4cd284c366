"""Fixtures shared by the tests; they run against the real services of test.ini."""
from __future__ import annotations

import email
import email.policy
import email.utils
import threading
from typing import Any, Iterator

import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import jobs
from ckan.tests import factories, helpers
from ckanext.xloader import db as xloader_db

# Plugins with their own migrations: CKAN's clean_db rebuilds only core tables.
MIGRATED_PLUGINS = ("activity", "pages", "harvest", "transparency")
_schema = {"ready": False}


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """An empty database with every plugin's tables. The first test of the run
    builds the schema (CKAN's reset, then each plugin's migrations); the others
    empty every table in one TRUNCATE, which is about twenty times faster."""
    if not _schema["ready"]:
        reset_db()
        for plugin in MIGRATED_PLUGINS:
            migrate_db_for(plugin)
        _schema["ready"] = True
        return
    model.Session.remove()
    with model.meta.engine.begin() as connection:
        tables = connection.execute(sa.text(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename NOT LIKE '%alembic_version'")).scalars().all()
        connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture
def portal(with_plugins, clean_db, clean_index):
    """A portal with every plugin of test.ini, an empty database and index."""


@pytest.fixture
def served(app) -> Iterator[str]:
    """The portal served over HTTP on a free loopback port, as API clients and harvesters see it."""
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app.app)  # CKAN's whole WSGI stack, middleware included
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def sysadmin(portal) -> dict[str, Any]:
    return factories.Sysadmin()


@pytest.fixture
def org(portal) -> dict[str, Any]:
    return factories.Organization(name="mrafp", title="Ministère de la Réforme de l'Administration")


# The smallest valid record of each type, beside a title and an owner organization.
MINIMAL: dict[str, dict[str, Any]] = {
    "dataset": {"theme": "GOVE"},
    "publication": {"category": "laws", "publication_date": "2018-03-12"},
    "action-plan": {"period_start": "2018-08-30", "period_end": "2020-08-30", "plan_status": "active"},
    "commitment": {"ogp_id": "MO0099", "commitment_status": "active"},
    "ati-request": {"delivery": "email", "tracking_number": "DAI-2026-999999", "ati_state": "received",
                    "received_date": "2026-11-02", "due_date": "2026-11-30"},
    "consultation": {"topic": "governance", "opens_at": "2026-01-01T09:00:00Z",
                     "closes_at": "2026-02-01T09:00:00Z"},
    "showcase": {"url": "https://example.org/reuse", "reuse_kind": "article"},
    "indicator": {"unit": "%", "periodicity": "yearly", "notes": "Part des demandes répondues à temps."},
}


def create(user: dict[str, Any], type_: str, name: str, owner_org: str, **fields: Any) -> dict[str, Any]:
    """Creates a record of ``type_`` through the action, as ``user``."""
    data = dict(MINIMAL[type_], type=type_, name=name, title=fields.pop("title", name), owner_org=owner_org)
    data.update(fields)
    return helpers.call_action("package_create", {"user": user["name"]}, **data)


class _Inbox:
    """Messages received by the SMTP server of the tests."""

    def __init__(self):
        self.messages: list[Any] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def to(self, address: str) -> list[Any]:
        return [m for m in self.messages if email.utils.parseaddr(str(m["To"]))[1] == address]

    def bodies(self, address: str) -> list[str]:
        return [m.get_body().get_content() for m in self.to(address)]


@pytest.fixture
def smtp(ckan_config):
    """A real SMTP server at smtp.server (127.0.0.1:8025 in test.ini); yields what it received."""
    from aiosmtpd.controller import Controller
    inbox = _Inbox()
    host, port = ckan_config["smtp.server"].split(":")
    controller = Controller(inbox, hostname=host, port=int(port))
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def people(portal) -> dict[str, dict[str, Any]]:
    """Everyone of the authorization tables, with an API token each."""
    from ckan.tests import factories as f
    asked = f.Organization(name="mrafp", title="MRAFP")
    other = f.Organization(name="mef", title="MEF")
    users = {
        "requester": f.User(name="requester", email="requester@example.ma"),
        "citizen": f.User(name="citizen", email="citizen@example.ma"),
        "officer": f.User(name="officer", email="officer@mrafp.example.ma"),
        "other_officer": f.User(name="other-officer", email="officer@mef.example.ma"),
        "sysadmin": f.Sysadmin(name="admin", email="admin@example.ma"),
    }
    helpers.call_action("organization_member_create", id=asked["id"], username="officer", role="editor")
    helpers.call_action("organization_member_create", id=other["id"], username="other-officer", role="editor")
    for user in users.values():
        user["token"] = helpers.call_action("api_token_create", {"user": user["name"]},
                                            user=user["name"], name="tests")["token"]
    users["anonymous"] = {"name": "", "token": None}
    users["orgs"] = {"asked": asked, "other": other}
    return users


@pytest.fixture
def loader(served, portal, cli, monkeypatch) -> None:
    """What scripts/up sets: the site user's token for ckanext-xloader (its command),
    and the site fetched on loopback."""
    from ckan.cli.cli import ckan as ckan_command
    made = cli.invoke(ckan_command, ["transparency", "loader-token"])
    assert made.exit_code == 0, made.output
    monkeypatch.setitem(tk.config, "ckanext.xloader.api_token", made.output.strip().splitlines()[-1])
    monkeypatch.setitem(tk.config, "ckanext.xloader.site_url", served)
    jobs.get_queue().empty()


def run_jobs() -> None:
    """The jobs worker of scripts/up, until the queue is empty. It forks a process per
    job: xloader's own database connections are not shared across the fork."""
    if xloader_db.ENGINE is not None:
        xloader_db.ENGINE.dispose()
    jobs.Worker().work(burst=True)


IDENTITY = {
    "full_name": "Zineb Outaleb-Qarmouchi", "id_number": "ZQ987654", "address": "17 derb Lbacha, Fès",
    "email": "zineb.qarmouchi@example.ma", "phone": "+212 6 61 23 45 67",
}


def submit(user: dict[str, Any], org: str = "mrafp", **fields: Any) -> dict[str, Any]:
    data = {"owner_org": org, "title": "Budget des écoles de Fès 2025", "notes": "Le détail par école.",
            "delivery": "email", **IDENTITY}
    data.update(fields)
    return helpers.call_action("transparency_ati_request_submit", {"user": user["name"]}, **data)


def transition(user: dict[str, Any], pkg: dict[str, Any], name: str, **fields: Any) -> dict[str, Any]:
    return helpers.call_action("transparency_ati_request_transition", {"user": user["name"]},
                               id=pkg["id"], transition=name, **fields)
