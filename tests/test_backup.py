"""Backup and restore round-trip the demo content, private tables included."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from ckan import model
from ckan.cli.cli import ckan as ckan_command
from ckan.common import config
from ckan.tests import helpers

PRIVATE_TABLES = ["transparency_ati_requester", "transparency_ati_event", "transparency_contribution",
                  "transparency_outbox", "transparency_notice", "transparency_ati_counter", "ckanext_pages"]


def _snapshot() -> dict:
    model.Session.remove()
    ids = sorted(pid for (pid,) in model.Session.query(model.Package.id))
    packages = {pid: helpers.call_action("package_show", id=pid) for pid in ids}
    tables = {}
    for table in PRIVATE_TABLES:
        rows = model.Session.execute(sa.text(f"SELECT * FROM {table}")).mappings().all()
        tables[table] = sorted((tuple(sorted((k, str(v)) for k, v in row.items())) for row in rows))
    found = helpers.call_action("package_search", rows=1000, include_private=True, fl="id")["results"]
    return {"packages": packages, "tables": tables, "indexed": sorted(r["id"] for r in found)}


@pytest.mark.usefixtures("portal")
def test_backup_then_restore_into_an_empty_stack_gives_back_every_record(cli, tmp_path, reset_db, reset_index):
    assert cli.invoke(ckan_command, ["transparency", "demo"]).exit_code == 0
    before = _snapshot()
    assert len(before["packages"]) > 30 and before["tables"]["transparency_ati_requester"]
    upload = next(r for p in before["packages"].values() for r in p["resources"] if r["url_type"] == "upload")

    result = cli.invoke(ckan_command, ["transparency", "backup", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output

    reset_db()  # an empty stack: no table, no index, no file
    reset_index()
    storage = config["ckan.storage_path"]
    for root, _, files in os.walk(storage):
        for name in files:
            os.remove(os.path.join(root, name))

    result = cli.invoke(ckan_command, ["transparency", "restore", "--yes", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    after = _snapshot()
    assert after["packages"] == before["packages"]
    assert after["tables"] == before["tables"]
    assert after["indexed"] == before["indexed"] == sorted(before["packages"])
    path = os.path.join(storage, "resources", upload["id"][:3], upload["id"][3:6], upload["id"][6:])
    assert os.path.getsize(path) > 0
