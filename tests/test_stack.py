"""The portal runs on the real stack: plugins, services, migrations, packaging."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest
import requests

import ckan.plugins as p
from ckan import model
from ckan.common import config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.usefixtures("with_plugins")
def test_every_plugin_of_the_ini_loads():
    plugins = config["ckan.plugins"]
    assert set(plugins) >= {"activity", "scheming_datasets", "pages", "dcat", "transparency"}
    for name in plugins:
        assert p.plugin_loaded(name), name


@pytest.mark.host
def test_solr_is_the_real_solr_9_with_ckan_schema():
    url = config["solr_url"]
    schema = requests.get(url + "/schema/name", params={"wt": "json"}, timeout=10).json()
    assert schema["name"].startswith("ckan-2.11")
    info = requests.get(url.rsplit("/", 1)[0] + "/admin/info/system", params={"wt": "json"}, timeout=10).json()
    assert info["lucene"]["solr-spec-version"] == "9.10.1"


@pytest.mark.usefixtures("portal")
def test_clean_db_restores_the_tables_of_plugins_with_migrations():
    tables = set(model.Session.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").scalars())
    assert {"package", "activity", "activity_detail", "ckanext_pages"} <= tables


@pytest.mark.host
def test_schemas_are_installed_inside_the_package(tmp_path):
    """A regular (non-editable) install carries the top-level schemas/ as
    ckanext/transparency/schemas, where scheming looks for them."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), ROOT], check=True)
    wheel, = tmp_path.glob("ckanext_transparency-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in os.listdir(os.path.join(ROOT, "schemas")):
        if schema.endswith(".yaml"):
            assert "ckanext/transparency/schemas/" + schema in names
    assert "ckanext/transparency/i18n/ar/LC_MESSAGES/ckanext-transparency.mo" in names
    assert "ckanext/transparency/templates/home/index.html" in names
