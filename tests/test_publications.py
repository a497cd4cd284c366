"""Proactive publications (law 31-13, art. 10): what each institution has and has
not published per category, and search by category, institution and year."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from conftest import create


@pytest.fixture
def published(people) -> dict:
    officer, mrafp, mef = people["officer"], people["orgs"]["asked"]["id"], people["orgs"]["other"]["id"]
    create(officer, "publication", "loi-31-13", mrafp, category="laws", publication_date="2018-03-12",
           title="Loi 31-13")
    create(officer, "publication", "decret-2019", mrafp, category="laws", publication_date="2019-05-02")
    create(officer, "publication", "budget-2025", mrafp, category="budget", publication_date="2025-01-02",
           title="Budget 2025", title_ar="ميزانية 2025")
    create(officer, "publication", "rapport-interne", mrafp, category="reports", publication_date="2025-06-01",
           private=True)
    create(people["other_officer"], "publication", "marche-2024", mef, category="procurement",
           publication_date="2024-04-01")
    return people


def test_coverage_counts_public_publications_per_category_and_names_what_is_missing(published):
    coverage = helpers.call_action("transparency_publication_coverage", {"user": ""}, id="mrafp")
    counts = {row["category"]: row["count"] for row in coverage["categories"]}
    assert len(counts) == 11
    assert counts["laws"] == 2 and counts["budget"] == 1
    assert counts["reports"] == 0  # the private one does not count
    assert counts["procurement"] == 0  # another institution's
    assert coverage["total"] == 3 and coverage["covered"] == 2
    assert "reports" in coverage["missing"] and "laws" not in coverage["missing"]
    assert coverage["years"] == [{"year": "2025", "count": 1}, {"year": "2019", "count": 1},
                                 {"year": "2018", "count": 1}]
    assert coverage["latest"]["name"] == "budget-2025"

    every = helpers.call_action("transparency_publication_coverage", {"user": ""})
    assert every["categories"] == 11
    assert {(r["name"], r["count"], r["covered"]) for r in every["institutions"]} == {("mrafp", 3, 2), ("mef", 1, 1)}
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("transparency_publication_coverage", {"user": ""}, id="nowhere")


def test_the_institution_page_shows_its_coverage_with_bars_in_french_and_arabic(app, published):
    page = app.get("/publications/coverage/mrafp").body
    assert "MRAFP" in page and "transparency-bar" in page
    assert "Lois et règlements" in page and "Rapports et études" in page
    assert 'category=laws' in page
    latest = BeautifulSoup(page, "html.parser").select_one('a[href="/publication/budget-2025"]')
    assert latest.get_text(strip=True) == "Budget 2025"
    assert (latest.bdi["lang"], latest.bdi["dir"]) == ("fr", "ltr")
    arabic = app.get("/ar/publications/coverage/mrafp").body
    assert 'dir="rtl"' in arabic and "القوانين والأنظمة" in arabic
    latest = BeautifulSoup(arabic, "html.parser").select_one('a[href="/ar/publication/budget-2025"]')
    assert latest.get_text(strip=True) == "ميزانية 2025"
    assert (latest.bdi["lang"], latest.bdi["dir"]) == ("ar", "rtl")
    listing = app.get("/publications/coverage").body
    assert "2 / 11" in listing and "1 / 11" in listing
    assert app.get("/publications/coverage/nowhere").status_code == 404
    assert "/publications/coverage/mrafp" in app.get("/publication/loi-31-13").body


def test_search_and_facets_by_category_institution_and_year(app, published):
    found = helpers.call_action("package_search", fq="+dataset_type:publication +category:laws +publication_year:2019")
    assert [p["name"] for p in found["results"]] == ["decret-2019"]
    found = helpers.call_action("package_search", fq="+dataset_type:publication +organization:mef")
    assert [p["name"] for p in found["results"]] == ["marche-2024"]
    page = app.get("/publication/", query_string={"category": "laws"}).body
    assert "Loi 31-13" in page and "Budget 2025" not in page
    for facet in ("Lois et règlements", "Budgets et comptes", "2019", "MRAFP", "MEF"):
        assert facet in app.get("/publication/").body
