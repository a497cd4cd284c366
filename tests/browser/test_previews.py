"""Previews as a visitor sees them in the browser, in French and Arabic: a CSV as a
table (loaded into the DataStore by the worker), a GeoJSON on a map (its features
drawn; no tiles, the browser reaches no host outside 127.0.0.1), a PDF publication
in the page. And the reuse a citizen proposes, approved by an officer, shown on the
dataset it uses."""
from __future__ import annotations

import contextlib
from typing import Iterator
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By

from ckanext.transparency.model import ReuseProposal
from ckan import model

from .conftest import Page, view_id

DESKTOP = [(lang, "desktop") for lang in ("fr", "ar")]


def _direction(page: Page) -> str:
    return page.driver.execute_script("return getComputedStyle(document.documentElement).direction")


@contextlib.contextmanager
def _in_view_frame(page: Page, resource: dict) -> Iterator[None]:
    """Opens the resource's page and, inside the block, reads its view's frame once loaded;
    the frame reads in the page's direction."""
    page.open(f"/dataset/{resource['package_id']}/resource/{resource['id']}")
    page.driver.switch_to.frame(page.find("iframe[data-module=data-viewer]"))
    try:
        page.wait(lambda driver: driver.execute_script("return document.readyState") == "complete")
        yield
        assert _direction(page) == ("rtl" if page.lang == "ar" else "ltr")
    finally:
        page.driver.switch_to.default_content()


@pytest.mark.parametrize("page", DESKTOP, ids=view_id, indirect=True)
def test_a_csv_resource_shows_as_a_table(page: Page, site):
    with _in_view_frame(page, site["resource"]):
        page.wait(lambda driver: len(driver.find_elements(By.CSS_SELECTOR, "table tbody tr td")) > 2)
        rows = [[td.text for td in tr.find_elements(By.CSS_SELECTOR, "td")]
                for tr in page.driver.find_elements(By.CSS_SELECTOR, "table tbody tr")]
        assert any("Tanger" in row for row in rows) and any("Rabat" in row for row in rows), rows
        headers = [th.text.strip() for th in page.driver.find_elements(By.CSS_SELECTOR, "table thead th")]
        assert {"code", "region", "chef_lieu"} <= set(headers), headers
    page.check("resource-table")


@pytest.mark.parametrize("page", DESKTOP, ids=view_id, indirect=True)
def test_a_geojson_resource_shows_its_features_on_a_map(page: Page, site):
    with _in_view_frame(page, site["geojson"]):
        page.wait(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".leaflet-container"))
        # The 12 chefs-lieux are points: Leaflet draws a marker for each, whatever the tiles.
        page.wait(lambda driver: len(driver.find_elements(
            By.CSS_SELECTOR, ".leaflet-marker-pane > *, .leaflet-overlay-pane path")) == 12)
    page.check("resource-map")


@pytest.mark.parametrize("page", DESKTOP, ids=view_id, indirect=True)
def test_a_pdf_publication_previews_in_the_page(page: Page, site):
    pdf = site["pdf"]
    page.open(f"/publication/organigramme-mrafp/resource/{pdf['id']}")
    viewer = page.find("object[type='application/pdf']")
    address = viewer.get_attribute("data")
    assert urlparse(address).path == urlparse(pdf["url"]).path, address
    assert viewer.size["height"] > 200 and viewer.size["width"] > 200, viewer.size
    # What the viewer is given: the PDF itself, served inline.
    loaded = page.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done([r.status, r.headers.get('content-type'),"
        " r.headers.get('content-disposition'), String.fromCharCode(...new Uint8Array(b.slice(0, 5)))])))"
        ".catch(e => done([0, String(e), null, '']));", address)
    assert loaded[0] == 200 and loaded[1] == "application/pdf" and loaded[3] == "%PDF-", loaded
    assert "attachment" not in (loaded[2] or "")
    page.check("resource-pdf")


def test_a_citizen_proposes_a_reuse_an_officer_approves_it_and_it_shows_on_the_dataset(page: Page):
    title = f"Carte des chefs-lieux ({page.view})"
    page.open("/user/login?came_from=" + page.prefix + "/reuse/propose")
    page.login(page.citizen, lands_on="/reuse/propose")
    page.check("reuse-propose")
    page.fill({"#field-title": title, "#field-notes": "Une carte des douze chefs-lieux de région.",
               "#field-url": "https://cartes.example.ma/chefs-lieux", "#field-reuse_kind": "visualisation",
               "#field-datasets_used": "regions-du-maroc"})
    page.submit("form.transparency-form button[type=submit]")
    assert page.text(".flash-messages .alert-success")
    model.Session.remove()  # the server made it: a fresh transaction sees it
    package = model.Session.query(model.Package).filter_by(type="showcase", title=title).one()
    assert model.Session.get(ReuseProposal, package.id).state == "pending"
    page.open("/dataset/regions-du-maroc")
    assert title not in page.text(".transparency-reuses")

    page.driver.delete_all_cookies()
    page.open("/user/login?came_from=" + page.prefix + "/reuse/moderation")
    page.login("agent", lands_on="/reuse/moderation")
    page.check("reuse-moderation")
    page.submit(f"#proposal-{package.name} button[value=approve]")
    assert page.text(".flash-messages .alert-success")

    # Signed in: the front's micro-cache may still hold the anonymous page of a moment ago.
    page.open("/dataset/regions-du-maroc")
    shown = [a.text for a in page.find_all(".transparency-reuses li a")]
    assert title in shown, shown
