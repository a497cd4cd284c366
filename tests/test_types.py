"""Every dataset type of the portal: created, shown, found, and its pages render."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from conftest import MINIMAL, create

TYPES = sorted(MINIMAL)


@pytest.mark.parametrize("type_", TYPES)
def test_each_type_is_created_shown_and_found(type_, sysadmin, org):
    pkg = create(sysadmin, type_, "rec-" + type_.replace("-", ""), org["id"], title=f"Fiche {type_} ٢٠٢٦")
    shown = helpers.call_action("package_show", id=pkg["id"])
    assert shown["type"] == type_
    assert shown["title"] == f"Fiche {type_} ٢٠٢٦"
    found = helpers.call_action("package_search", fq=f"type:{type_}")
    assert [r["id"] for r in found["results"]] == [pkg["id"]]
    other = helpers.call_action("package_search", fq="-type:" + type_.replace("-", "\\-"))
    assert pkg["id"] not in [r["id"] for r in other["results"]]


@pytest.mark.parametrize("type_", TYPES)
def test_each_type_has_its_own_pages(type_, app, sysadmin, org):
    pkg = create(sysadmin, type_, "page-" + type_.replace("-", ""), org["id"], title="Titre distinctif Zanzibar")
    read = app.get(tk.url_for(f"{type_}.read", id=pkg["name"]))
    assert "Titre distinctif Zanzibar" in read.body
    search = app.get(tk.url_for(f"{type_}.search"))
    assert "Titre distinctif Zanzibar" in search.body
    assert tk.url_for(f"{type_}.search") == f"/{type_}/"


def test_required_fields_are_named_in_the_error(sysadmin, org):
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("package_create", {"user": sysadmin["name"]},
                            type="publication", name="sans-categorie", title="x", owner_org=org["id"])
    assert "category" in err.value.error_dict
    assert "publication_date" in err.value.error_dict


def test_ogp_id_is_checked_and_unique(sysadmin, org):
    create(sysadmin, "commitment", "mo0099", org["id"])
    with pytest.raises(tk.ValidationError) as err:
        create(sysadmin, "commitment", "mo0099-bis", org["id"])
    assert "MO0099" in str(err.value.error_dict["ogp_id"])
    with pytest.raises(tk.ValidationError) as err:
        create(sysadmin, "commitment", "bad", org["id"], ogp_id="mo6")
    assert "ogp_id" in err.value.error_dict


def test_commitment_links_to_an_existing_action_plan(sysadmin, org):
    create(sysadmin, "action-plan", "plan-2018", org["id"])
    ok = create(sysadmin, "commitment", "mo0099", org["id"], action_plan="plan-2018")
    assert ok["action_plan"] == "plan-2018"
    with pytest.raises(tk.ValidationError) as err:
        create(sysadmin, "commitment", "mo0098", org["id"], ogp_id="MO0098", action_plan="no-such-plan")
    assert "action_plan" in err.value.error_dict


def test_milestone_months_are_validated(sysadmin, org):
    with pytest.raises(tk.ValidationError) as err:
        create(sysadmin, "commitment", "mo0099", org["id"], milestones=[{"title": "x", "start": "2019-13"}])
    assert "milestones" in err.value.error_dict


def test_reuse_is_shown_on_the_datasets_it_uses(app, sysadmin, org):
    create(sysadmin, "dataset", "regions", org["id"], title="Régions")
    create(sysadmin, "showcase", "carte", org["id"], title="Carte des régions", datasets_used=["regions"])
    page = app.get(tk.url_for("dataset.read", id="regions"))
    assert "Carte des régions" in page.body
    with pytest.raises(tk.ValidationError) as err:
        create(sysadmin, "showcase", "autre", org["id"], datasets_used=["absent"])
    assert "datasets_used" in err.value.error_dict


def test_facets_count_each_value(app, sysadmin, org):
    create(sysadmin, "commitment", "ca", org["id"], ogp_id="MO0001", policy_areas=["open-data", "e-government"])
    create(sysadmin, "commitment", "cb", org["id"], ogp_id="MO0002", policy_areas=["open-data"])
    create(sysadmin, "commitment", "cc", org["id"], ogp_id="MO0003", policy_areas=["legislature"],
           commitment_status="inactive")
    result = helpers.call_action("package_search", fq="type:commitment",
                                 **{"facet.field": '["vocab_policy_areas", "commitment_status"]'})
    facets = result["facets"]
    assert facets["vocab_policy_areas"] == {"open-data": 2, "e-government": 1, "legislature": 1}
    assert facets["commitment_status"] == {"active": 2, "inactive": 1}
    page = app.get("/commitment/", query_string={"vocab_policy_areas": "open-data"})
    assert 'href="/commitment/ca"' in page.body and 'href="/commitment/cb"' in page.body
    assert 'href="/commitment/cc"' not in page.body
    assert "Domaines" in page.body  # the facet's French title


def test_facet_entries_show_the_label_of_the_value_in_the_page_language(app, sysadmin, org):
    create(sysadmin, "commitment", "ca", org["id"], ogp_id="MO0001", policy_areas=["open-data"])
    french = app.get("/commitment/")
    assert "Données ouvertes" in french.body
    arabic = app.get("/ar/commitment/")
    assert "البيانات المفتوحة" in arabic.body
