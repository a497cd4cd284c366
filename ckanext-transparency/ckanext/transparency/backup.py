"""Backup and restore of a whole portal: the database (every table, the bundle's
private ones included) and the uploaded files; the search index is rebuilt from
the database on restore."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
from typing import Iterator

import sqlalchemy as sa

import ckan
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search

DATABASE, FILES, MANIFEST = "database.dump", "files.tar.gz", "manifest.json"


def _database_url() -> str:
    return sa.engine.make_url(tk.config.get("sqlalchemy.url")).render_as_string(hide_password=False)


def backup(target: str) -> Iterator[str]:
    """Writes the backup into the folder ``target``, yielding each step's name when done."""
    os.makedirs(target, exist_ok=True)
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--dbname={_database_url()}",
                    f"--file={os.path.join(target, DATABASE)}"], check=True)
    yield "database"
    storage = tk.config.get("ckan.storage_path")
    with tarfile.open(os.path.join(target, FILES), "w:gz") as tar:
        if storage and os.path.isdir(storage):
            tar.add(storage, arcname="storage")
    yield "files"
    packages = model.Session.query(model.Package).filter(model.Package.state != "deleted").count()
    with open(os.path.join(target, MANIFEST), "w") as f:
        json.dump({"ckan": ckan.__version__, "packages": packages}, f)
    yield "manifest"


def restore(source: str) -> Iterator[str]:
    """Replaces the database and the uploaded files by the backup in ``source``, then
    rebuilds the search index. Stop the web workers first."""
    for name in (DATABASE, FILES, MANIFEST):
        if not os.path.exists(os.path.join(source, name)):
            raise FileNotFoundError(f"{os.path.join(source, name)} is missing: not a backup folder")
    model.Session.remove()
    model.meta.engine.dispose()
    subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                    f"--dbname={_database_url()}", os.path.join(source, DATABASE)], check=True)
    yield "database"
    storage = tk.config.get("ckan.storage_path")
    if storage:
        shutil.rmtree(storage, ignore_errors=True)
        os.makedirs(os.path.dirname(storage.rstrip("/")) or ".", exist_ok=True)
        with tarfile.open(os.path.join(source, FILES), "r:gz") as tar:
            members = [m for m in tar.getmembers() if m.name == "storage" or m.name.startswith("storage/")]
            for member in members:
                member.name = os.path.relpath(member.name, "storage")
            tar.extractall(storage, members=members, filter="data")
    yield "files"
    search.clear_all()
    search.rebuild(quiet=True)
    yield "search index"
