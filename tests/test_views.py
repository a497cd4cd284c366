"""Views by default: a map for GeoJSON, the PDF in the page, in French and Arabic;
made for new resources and, by ``ckan views create`` (scripts/up), for existing ones."""
from __future__ import annotations

import io
import os
from typing import Any

from bs4 import BeautifulSoup
from werkzeug.datastructures import FileStorage

from ckan.cli.cli import ckan as ckan_command
from ckan.tests import helpers

import ckanext.transparency
from conftest import create

DEMO = os.path.join(os.path.dirname(ckanext.transparency.__file__), "data", "demo")


def _upload(user: dict[str, Any], pkg: dict[str, Any], filename: str, fmt: str) -> dict[str, Any]:
    with open(os.path.join(DEMO, filename), "rb") as f:
        content = f.read()
    return helpers.call_action("resource_create", {"user": user["name"]}, package_id=pkg["id"], name=filename,
                               url=filename, upload=FileStorage(io.BytesIO(content), filename=filename),
                               format=fmt)


def _page(app: Any, lang: str, pkg: dict[str, Any], resource: dict[str, Any]) -> BeautifulSoup:
    body = app.get(f"/{lang}/{pkg['type']}/{pkg['name']}/resource/{resource['id']}").body
    return BeautifulSoup(body, "html.parser")


def test_a_geojson_shows_on_a_map_in_french_and_arabic(app, people):
    officer = people["officer"]
    pkg = create(officer, "dataset", "chefs-lieux", people["orgs"]["asked"]["id"])
    resource = _upload(officer, pkg, "chefs_lieux_regions.geojson", "GeoJSON")
    views = helpers.call_action("resource_view_list", id=resource["id"])
    assert [v["view_type"] for v in views] == ["geojson_view"]
    for lang, direction in (("fr", "ltr"), ("ar", "rtl")):
        frame = _page(app, lang, pkg, resource).select_one("iframe[data-module=data-viewer]")
        assert frame is not None, lang
        viewer = BeautifulSoup(app.get(frame["src"]).body, "html.parser")
        assert viewer.html.get("dir", "ltr") == direction
        preview = viewer.select_one("#data-preview[data-module=geojsonpreview]")
        assert preview is not None and "tile.openstreetmap.org" in preview["data-module-map_config"]


def test_a_pdf_publication_previews_in_the_page(app, people):
    officer = people["officer"]
    pkg = create(officer, "publication", "loi-31-13", people["orgs"]["asked"]["id"])
    resource = _upload(officer, pkg, "loi_31_13_extrait.pdf", "PDF")
    assert [v["view_type"] for v in helpers.call_action("resource_view_list", id=resource["id"])] == ["pdf_view"]
    for lang in ("fr", "ar"):
        shown = _page(app, lang, pkg, resource).select_one("object[type='application/pdf']")
        assert shown is not None and shown["data"] == resource["url"], lang
        download = app.get(resource["url"].split("test.transparency.local", 1)[1])
        assert download.data.startswith(b"%PDF") and "attachment" not in download.headers.get("Content-Disposition", "")


def test_views_are_made_for_resources_that_have_none(app, people, cli):
    officer = people["officer"]
    pkg = create(officer, "publication", "ancienne", people["orgs"]["asked"]["id"])
    resource = _upload(officer, pkg, "loi_31_13_extrait.pdf", "PDF")
    for view in helpers.call_action("resource_view_list", id=resource["id"]):
        helpers.call_action("resource_view_delete", id=view["id"])
    result = cli.invoke(ckan_command, ["views", "create", "-y"])
    assert result.exit_code == 0, result.output
    assert [v["view_type"] for v in helpers.call_action("resource_view_list", id=resource["id"])] == ["pdf_view"]
