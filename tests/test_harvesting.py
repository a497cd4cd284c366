"""Harvesters pull the portal as they would over the network: a real HTTP server
on loopback, the CKAN API through ckanapi, the DCAT catalog parsed with rdflib.
Nothing private may appear and nothing public may be missed."""
from __future__ import annotations

import datetime
import io
import json
import urllib.parse
from typing import Any

import ckanapi
import pytest
import rdflib
import requests
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS
from werkzeug.datastructures import FileStorage

from ckan import model
from ckan.tests import helpers

from conftest import IDENTITY, create, submit

EU = "http://publications.europa.eu/resource/authority/"
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")


@pytest.fixture
def records(people) -> dict[str, Any]:
    """Public records of every type (with documents), private ones, and a request
    for information whose requester's identity must never leave the portal."""
    officer, org = people["officer"], people["orgs"]["asked"]["id"]
    made = {
        "dataset": create(officer, "dataset", "budget-communes", org, title="Budget des communes",
                          theme="ECON", frequency="annual", language=["ar", "fr"], spatial_region="fes-meknes",
                          temporal_start="2020-01-01", temporal_end="2024-12-31",
                          contact_name="Direction du budget", contact_email="budget@mrafp.example.ma",
                          tag_string="budget,communes", license_id="cc-by"),
        "national": create(officer, "dataset", "indicateurs-nationaux", org, theme="SOCI", spatial_region="national"),
        "publication": create(officer, "publication", "loi-31-13", org, title="Loi 31-13",
                              title_ar="القانون 31.13", category="laws", publication_date="2018-03-12",
                              period_start="2018-01-01", period_end="2018-12-31",
                              legal_reference="Bulletin officiel n° 6655"),
        "action-plan": create(officer, "action-plan", "plan-2018", org),
        "commitment": create(officer, "commitment", "mo0099", org, action_plan="plan-2018"),
        "consultation": create(officer, "consultation", "charte", org),
        "showcase": create(officer, "showcase", "carte", org, datasets_used=["budget-communes"]),
        "ati-request": submit(people["requester"]),
    }
    for key in ("dataset", "publication"):
        upload = FileStorage(io.BytesIO(b"commune,budget\nFes,1200\n"), filename="budget.csv",
                             content_type="text/csv")
        helpers.call_action("resource_create", {"user": officer["name"]}, package_id=made[key]["id"],
                            name="Tableau", url="budget.csv", upload=upload, format="CSV")
    private = {
        "dataset": create(officer, "dataset", "brouillon-prive", org, private=True),
        "publication": create(officer, "publication", "note-interne", org, private=True),
    }
    return {"public": made, "private": private}


def public_ids() -> set[str]:
    """Every public, active record, straight from the database."""
    query = model.Session.query(model.Package.id).filter_by(private=False, state="active")
    return {row.id for row in query}


def harvest(address: str, held: dict[str, str], since: str | None = None) -> list[dict[str, Any]]:
    """A harvester using only ckanapi: pages through package_search by modification
    date (the lower bound is inclusive) and keeps what it does not already hold at
    that date. Returns the records it fetched; ``held`` maps id to metadata_modified."""
    portal = ckanapi.RemoteCKAN(address, user_agent="test-harvester/1.0")
    fq = "metadata_modified:[{}Z TO *]".format(since[:23]) if since else "*:*"
    fetched, start = [], 0
    while True:
        page = portal.action.package_search(fq=fq, sort="metadata_modified asc, id asc", rows=3, start=start)
        for pkg in page["results"]:
            if held.get(pkg["id"]) != pkg["metadata_modified"]:
                held[pkg["id"]] = pkg["metadata_modified"]
                fetched.append(pkg)
        start += len(page["results"])
        if not page["results"] or start >= page["count"]:
            return fetched


def test_a_harvester_pulls_every_public_record_and_nothing_private(served, records):
    held: dict[str, str] = {}
    fetched = harvest(served, held)
    assert {p["id"] for p in fetched} == public_ids()
    assert {p["type"] for p in fetched} == set(records["public"]) - {"national"}
    assert not {p["id"] for p in records["private"].values()} & set(held)
    text = json.dumps(fetched, ensure_ascii=False)
    for value in IDENTITY.values():
        assert value not in text
    by_id = {p["id"]: p for p in fetched}
    for key in ("dataset", "publication"):
        resources = by_id[records["public"][key]["id"]]["resources"]
        assert [(r["name"], r["format"], r["size"], r["mimetype"]) for r in resources] == \
            [("Tableau", "CSV", 24, "text/csv")]


def test_a_second_run_fetches_only_what_changed(served, records, people):
    held: dict[str, str] = {}
    first = harvest(served, held)
    since = max(p["metadata_modified"] for p in first)
    assert harvest(served, held, since) == []

    officer = {"user": people["officer"]["name"]}
    helpers.call_action("package_patch", officer, id="loi-31-13", notes="Texte consolidé")
    added = create(people["officer"], "publication", "budget-2026", people["orgs"]["asked"]["id"])
    second = harvest(served, held, since)
    assert sorted(p["name"] for p in second) == ["budget-2026", "loi-31-13"]
    assert next(p for p in second if p["name"] == "loi-31-13")["notes"] == "Texte consolidé"
    assert added["id"] in held
    assert set(held) == public_ids()


def catalog(address: str, fmt: str = "ttl", **params: str) -> tuple[rdflib.Graph, int]:
    """The whole DCAT catalog, following its hydra:next pages; and how many pages."""
    graph, pages = rdflib.Graph(), 0
    url = "{}/catalog.{}?{}".format(address, fmt, urllib.parse.urlencode(params))
    parser = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}[fmt]
    while url:
        page = rdflib.Graph().parse(url, format=parser)
        graph += page
        pages += 1
        following = list(page.objects(None, HYDRA.nextPage))
        url = str(following[0]).replace("http://test.transparency.local", address) if following else None
    return graph, pages


def identifiers(graph: rdflib.Graph) -> set[str]:
    return {str(graph.value(d, DCTERMS.identifier)) for d in graph.subjects(RDF.type, DCAT.Dataset)}


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
def test_the_dcat_catalog_lists_the_same_public_open_data_and_publications(served, records):
    expected = {p["id"] for p in helpers.call_action(
        "package_search", fq="dataset_type:(dataset OR publication)", rows=100)["results"]}
    assert len(expected) == 3
    for fmt in ("ttl", "rdf", "jsonld"):
        graph, pages = catalog(served, fmt)
        assert identifiers(graph) == expected, fmt
        assert pages == 2
    text = graph.serialize(format="turtle")
    assert "brouillon-prive" not in text and "note-interne" not in text
    for value in IDENTITY.values():
        assert value not in text
    only = catalog(served, "ttl", fq="dataset_type:publication")[0]
    assert identifiers(only) == {records["public"]["publication"]["id"]}


def test_dcat_carries_the_fields_mapped_to_dcat_ap(served, records):
    graph, _ = catalog(served)
    dataset = next(graph.subjects(DCTERMS.identifier, rdflib.Literal(records["public"]["dataset"]["id"])))
    assert set(graph.objects(dataset, DCAT.theme)) == {rdflib.URIRef(EU + "data-theme/ECON")}
    assert graph.value(dataset, DCTERMS.accrualPeriodicity) == rdflib.URIRef(EU + "frequency/ANNUAL")
    assert set(graph.objects(dataset, DCTERMS.language)) == {
        rdflib.URIRef(EU + "language/ARA"), rdflib.URIRef(EU + "language/FRA")}
    assert {str(k) for k in graph.objects(dataset, DCAT.keyword)} == {"budget", "communes"}
    contact = graph.value(dataset, DCAT.contactPoint)
    assert str(graph.value(contact, VCARD.fn)) == "Direction du budget"
    assert str(graph.value(contact, VCARD.hasEmail)) == "mailto:budget@mrafp.example.ma"
    assert str(graph.value(graph.value(dataset, DCTERMS.publisher), rdflib.FOAF.name)) == "MRAFP"
    region = graph.value(dataset, DCTERMS.spatial)
    assert rdflib.Literal("فاس مكناس", lang="ar") in set(graph.objects(region, SKOS.prefLabel))
    period = graph.value(dataset, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2020-01-01"
    assert str(graph.value(period, DCAT.endDate)) == "2024-12-31"
    distribution = graph.value(dataset, DCAT.distribution)
    assert graph.value(distribution, DCTERMS["format"]) == rdflib.URIRef(EU + "file-type/CSV")
    assert graph.value(distribution, DCAT.mediaType) == rdflib.URIRef(
        "https://www.iana.org/assignments/media-types/text/csv")
    assert float(graph.value(distribution, DCAT.byteSize)) == 24  # xsd:decimal in DCAT-AP 2
    assert graph.value(distribution, DCTERMS.license) == rdflib.URIRef("http://www.opendefinition.org/licenses/cc-by")

    national = next(graph.subjects(DCTERMS.identifier, rdflib.Literal(records["public"]["national"]["id"])))
    assert graph.value(national, DCTERMS.spatial) == rdflib.URIRef(EU + "country/MAR")

    publication = next(graph.subjects(DCTERMS.identifier, rdflib.Literal(records["public"]["publication"]["id"])))
    assert rdflib.Literal("القانون 31.13", lang="ar") in set(graph.objects(publication, DCTERMS.title))
    assert str(graph.value(publication, DCTERMS.issued)).startswith("2018-03-12")
    assert str(graph.value(publication, DCTERMS.bibliographicCitation)) == "Bulletin officiel n° 6655"
    themes = set(graph.objects(publication, DCAT.theme))
    assert rdflib.URIRef(EU + "data-theme/GOVE") in themes
    category = next(t for t in themes if str(t).endswith("/publication/category/laws"))
    assert rdflib.Literal("القوانين والأنظمة", lang="ar") in set(graph.objects(category, SKOS.prefLabel))
    assert str(graph.value(graph.value(publication, DCTERMS.temporal), DCAT.startDate)) == "2018-01-01"


def test_one_record_in_rdf_and_private_ones_not_at_all(served, records):
    public = records["public"]["publication"]
    graph = rdflib.Graph().parse(f"{served}/dataset/{public['id']}.rdf", format="xml")
    assert identifiers(graph) == {public["id"]}
    for pkg in records["private"].values():
        assert requests.get(f"{served}/dataset/{pkg['id']}.rdf", timeout=30).status_code in (403, 404)


def test_the_catalog_answers_incremental_requests(served, records, people):
    """A harvester asks for what changed after the newest record it holds (its own
    clock plays no part)."""
    held = requests.get(f"{served}/api/3/action/package_search", timeout=30,
                        params={"sort": "metadata_modified desc", "rows": 1}).json()["result"]["results"][0]
    newest = datetime.datetime.fromisoformat(held["metadata_modified"])
    since = (newest + datetime.timedelta(milliseconds=1)).isoformat(timespec="milliseconds")
    helpers.call_action("package_patch", {"user": people["officer"]["name"]}, id="budget-communes", notes="2025")
    graph, _ = catalog(served, modified_since=since)
    names = {str(graph.value(d, DCAT.landingPage)).rsplit("/", 1)[1] for d in graph.subjects(RDF.type, DCAT.Dataset)}
    assert names == {"budget-communes"}
