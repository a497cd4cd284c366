"""Pages a person sees: home page, languages, statistics."""
from __future__ import annotations

import html

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from conftest import create


def test_home_page_presents_the_six_services_with_live_counts(app, sysadmin, org):
    create(sysadmin, "publication", "loi-31-13", org["id"])
    create(sysadmin, "publication", "budget-2025", org["id"], category="budget")
    page = app.get("/")
    text = html.unescape(page.body)
    for title in ("Accès à l'information", "Publication proactive", "Données ouvertes",
                  "Plan d'action OGP", "Consultations publiques", "Statistiques"):
        assert title in text
    assert '<p class="transparency-count" data-type="publication">2 fiches</p>' in page.body
    assert '<p class="transparency-count" data-type="commitment">0 fiche</p>' in page.body


@pytest.mark.usefixtures("portal")
@pytest.mark.parametrize("path", ["/", "/commitment/", "/statistics"])
def test_arabic_pages_are_right_to_left(app, path):
    arabic = app.get("/ar" + path)
    assert 'dir="rtl"' in arabic.body
    assert 'lang="ar"' in arabic.body
    assert "الإحصائيات" in arabic.body  # "Statistics" in the menu, from our Arabic catalogue
    french = app.get(path)
    assert 'dir="rtl"' not in french.body
    assert "Statistiques" in french.body


@pytest.mark.usefixtures("portal")
def test_language_switch_links_every_language_of_the_current_page(app):
    page = app.get("/commitment/")
    assert 'href="/ar/commitment/" lang="ar"' in page.body
    assert 'href="/en/commitment/" lang="en"' in page.body


def test_statistics_counts_records_by_type_and_institution(app, sysadmin, org):
    create(sysadmin, "publication", "p1", org["id"])
    create(sysadmin, "publication", "p2", org["id"])
    create(sysadmin, "dataset", "d1", org["id"])
    stats = helpers.call_action("transparency_statistics", {"user": ""})["catalog"]
    assert stats["total"] == 3
    assert [(i["name"], i["count"]) for i in stats["by_type"]] == [("publication", 2), ("dataset", 1)]
    assert stats["by_institution"] == [{"name": "mrafp", "label": org["title"], "count": 3}]
    page = app.get(tk.url_for("transparency.statistics"))
    assert "3 fiches publiques en tout." in page.body
    assert 'style="inline-size: 50.0%"' in page.body  # the bar of 1 dataset against 2 publications
