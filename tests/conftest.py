"""Fixtures shared by the tests; they run against the real services of test.ini."""
from __future__ import annotations

from typing import Any

import pytest

from ckan.tests import factories, helpers

# Plugins with their own migrations: CKAN's clean_db rebuilds only core tables.
MIGRATED_PLUGINS = ("activity", "pages")


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    reset_db()
    for plugin in MIGRATED_PLUGINS:
        migrate_db_for(plugin)


@pytest.fixture
def portal(with_plugins, clean_db, clean_index):
    """A portal with every plugin of test.ini, an empty database and index."""


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
    "ati-request": {"delivery": "email"},
    "consultation": {"topic": "governance", "opens_at": "2026-01-01T09:00:00Z",
                     "closes_at": "2026-02-01T09:00:00Z"},
    "showcase": {"url": "https://example.org/reuse", "reuse_kind": "article"},
}


def create(user: dict[str, Any], type_: str, name: str, owner_org: str, **fields: Any) -> dict[str, Any]:
    """Creates a record of ``type_`` through the action, as ``user``."""
    data = dict(MINIMAL[type_], type=type_, name=name, title=fields.pop("title", name), owner_org=owner_org)
    data.update(fields)
    return helpers.call_action("package_create", {"user": user["name"]}, **data)
