"""Open data with the fields DCAT-AP expects (licence short list with a default
set by config, per-resource media type and size), and the guides in French and Arabic."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.transparency import demo
from conftest import create


def test_a_dataset_has_one_of_the_open_licences_and_the_default_without_a_choice(app, sysadmin, org):
    assert create(sysadmin, "dataset", "sans-licence", org["id"])["license_id"] == "cc-by"
    assert create(sysadmin, "dataset", "odbl", org["id"], license_id="odc-odbl")["license_id"] == "odc-odbl"
    with pytest.raises(tk.ValidationError) as err:
        create(sysadmin, "dataset", "fermee", org["id"], license_id="other-closed")
    assert "cc-by, cc-by-sa, cc-zero, odc-by, odc-odbl, odc-pddl" in err.value.error_dict["license_id"][0]
    form = app.get("/dataset/new", headers={"Authorization": helpers.call_action(
        "api_token_create", user=sysadmin["name"], name="t")["token"]}).body
    assert 'value="odc-odbl"' in form and 'value="other-closed"' not in form


@pytest.mark.ckan_config("ckanext.transparency.default_licence", "odc-odbl")
def test_the_default_licence_is_set_by_config(sysadmin, org):
    assert create(sysadmin, "dataset", "sans-licence", org["id"])["license_id"] == "odc-odbl"


def test_resources_carry_format_media_type_and_size(sysadmin, org):
    pkg = create(sysadmin, "dataset", "budget", org["id"], resources=[
        {"url": "https://www.example.ma/budget.csv", "name": "Budget", "format": "CSV",
         "mimetype": "text/csv", "size": "2048"}])
    resource = helpers.call_action("package_show", id=pkg["id"])["resources"][0]
    assert (resource["format"], resource["mimetype"], resource["size"]) == ("CSV", "text/csv", 2048)
    with pytest.raises(tk.ValidationError):
        create(sysadmin, "dataset", "taille", org["id"], resources=[{"url": "https://x.ma/a.csv", "size": "gros"}])


def test_guides_are_in_french_and_in_arabic_and_link_to_each_other(app, portal):
    site = helpers.call_action("get_site_user")
    demo._pages({"user": site["name"], "ignore_auth": True})
    for name in ("about", "loi-31-13", "guide-publication", "faq"):
        french = app.get(f"/pages/{name}").body
        assert f'href="/ar/pages/{name}-ar"' in french
        arabic = app.get(f"/ar/pages/{name}-ar").body
        assert 'dir="rtl"' in arabic and f'href="/fr/pages/{name}"' in arabic
    assert "bulk-upload" in app.get("/pages/guide-publication").body
    assert "دليل الناشر" in app.get("/ar/pages/guide-publication-ar").body


def test_the_dataset_search_lists_open_data_only_and_each_type_its_own(app, people):
    officer, org = people["officer"], people["orgs"]["asked"]["id"]
    create(officer, "dataset", "budget-communes", org, title="Budget des communes")
    create(officer, "publication", "loi-31-13", org, title="Loi 31-13")
    create(officer, "consultation", "charte", org, title="Charte")
    for url, names in (("/dataset/", {"budget-communes"}), ("/publication/", {"loi-31-13"}),
                       ("/consultation/", {"charte"}), ("/ar/dataset/", {"budget-communes"})):
        page = BeautifulSoup(app.get(url).body, "html.parser")
        links = {a["href"].rstrip("/").rsplit("/", 1)[1] for a in page.select(".dataset-heading a")}
        assert links == names, url
