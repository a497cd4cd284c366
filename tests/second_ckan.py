"""A second CKAN for the harvesting tests (tests/test_harvest_in.py): stock CKAN with
ckanext-dcat (/catalog.ttl), from this virtualenv, on a free loopback port, with its
own database (``<the tests' database>_second``), its own Solr core (``<the tests'
core>_second``) and its own Redis database, none of the CKAN_* overrides of the tests."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import ckanapi

from serve import ROOT, free_port, lib, wait_until_up

INI = """[app:main]
use = egg:ckan
SECRET_KEY = second-ckan-of-the-harvesting-tests
ckan.site_url = {base}
ckan.site_id = second
sqlalchemy.url = {database}
solr_url = {solr}
ckan.redis.url = {redis}
ckan.storage_path = {folder}/storage
ckan.plugins = dcat
ckan.search.solr_commit = true
ckanext.dcat.rdf.profiles = euro_dcat_ap_2

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
"""


def _beside(url: str, suffix: str) -> tuple[str, str]:
    """``url`` (of a database or Solr core, or a Redis database) with its last path segment
    suffixed, and that segment."""
    parts = urlsplit(url)
    name = parts.path.rstrip("/").rsplit("/", 1)[-1] + suffix
    return parts._replace(path=parts.path.rstrip("/").rsplit("/", 1)[0] + "/" + name).geturl(), name


@contextlib.contextmanager
def second_ckan(config: dict, folder: Path) -> Iterator[ckanapi.RemoteCKAN]:
    """The second CKAN, empty, serving; yields its API as its sysadmin."""
    database, db_name = _beside(config["sqlalchemy.url"], "_second")
    solr, core = _beside(config["solr_url"], "_second")
    redis = urlsplit(config["ckan.redis.url"])._replace(path="/3").geturl()
    lib(f"ensure_database {db_name}", f"ensure_solr_core {core}")
    base = f"http://127.0.0.1:{free_port()}"
    ini = folder / "second.ini"
    ini.write_text(INI.format(base=base, database=database, solr=solr, redis=redis, folder=folder))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")} | {"CKAN_INI": str(ini)}
    ckan = [str(Path(sys.executable).with_name("ckan")), "-c", str(ini)]

    def run(*args: str) -> str:
        return subprocess.run(ckan + list(args), env=env, check=True, capture_output=True, text=True).stdout

    run("db", "clean", "--yes")
    run("db", "init")
    run("search-index", "clear")
    run("user", "add", "second-admin", "email=admin@second.example.ma", "password=Second-admin-2026")
    run("sysadmin", "add", "second-admin")
    token = run("user", "token", "add", "second-admin", "harvest-test").strip().splitlines()[-1].strip()
    with open(folder / "second.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--chdir", str(ROOT / "config"), "--bind", base.removeprefix("http://"),
             "--workers", "1", "--timeout", "120", "wsgi:application"], env=env, stdout=log, stderr=log)
        try:
            wait_until_up(f"{base}/api/3/action/status_show", server, log)
            yield ckanapi.RemoteCKAN(base, apikey=token, user_agent="harvest-test/1.0")
        finally:
            server.terminate()
            server.wait(30)
