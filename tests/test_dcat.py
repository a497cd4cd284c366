"""DCAT-AP that a validator accepts: every page of the catalog, parsed with rdflib,
record by record, with the properties DCAT-AP 2 makes mandatory or recommends, the
vocabularies' IRIs where it asks for them, and UTF-8 said in every RDF answer."""
from __future__ import annotations

import io
from typing import Any

import pytest
import rdflib
import requests
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS
from werkzeug.datastructures import FileStorage

from ckan.tests import helpers

from conftest import create

EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld", "n3": "n3"}


def _upload(user: dict[str, Any], pkg: dict[str, Any], filename: str, content: bytes, fmt: str) -> None:
    upload = FileStorage(io.BytesIO(content), filename=filename)
    helpers.call_action("resource_create", {"user": user["name"]}, package_id=pkg["id"],
                        name=filename, url=filename, upload=upload, format=fmt)


@pytest.fixture
def catalog_records(people) -> dict[str, dict[str, Any]]:
    """Open data and publications as publishers fill them: complete, or with the
    required fields only; files uploaded or linked, with or without a media type."""
    officer, org = people["officer"], people["orgs"]["asked"]["id"]
    made = {
        "full": create(officer, "dataset", "budget-communes", org, title="Budget des communes",
                       notes="Budgets votés.", theme="ECON", frequency="annual", language=["ar", "fr"],
                       spatial_region="fes-meknes", temporal_start="2020-01-01", temporal_end="2024-12-31",
                       contact_name="Direction du budget", contact_email="budget@mrafp.example.ma",
                       tag_string="budget,communes", license_id="odc-odbl"),
        "minimal": create(officer, "dataset", "indicateurs", org, title="Indicateurs", resources=[
            {"url": "https://data.example.ma/indicateurs.xlsx", "name": "Tableur", "format": "XLSX"}]),
        "law": create(officer, "publication", "loi-31-13", org, title="Loi 31-13", title_ar="القانون 31.13",
                      notes="Texte de la loi.", category="laws", publication_date="2018-03-12"),
        "note": create(officer, "publication", "note-budget", org, title="Note budgétaire", category="budget",
                       publication_date="2025-01-02", resources=[
                           {"url": "https://www.finances.example.ma/note.pdf", "name": "Note", "format": "pdf"}]),
    }
    _upload(officer, made["full"], "budget.csv", "commune,budget\nفاس,1200\n".encode(), "CSV")
    _upload(officer, made["law"], "loi.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "PDF")
    return made


def catalog_pages(address: str) -> list[rdflib.Graph]:
    """Every page of /catalog.ttl, following hydra:nextPage."""
    pages, url = [], f"{address}/catalog.ttl"
    while url:
        answer = requests.get(url, timeout=30)
        assert answer.headers["Content-Type"] == "text/turtle; charset=utf-8"
        page = rdflib.Graph().parse(data=answer.content, format="turtle")
        pages.append(page)
        following = list(page.objects(None, HYDRA.nextPage))
        url = str(following[0]).replace("http://test.transparency.local", address) if following else None
    return pages


def _iris(graph: rdflib.Graph, subject: Any, predicate: Any) -> list[str]:
    values = list(graph.objects(subject, predicate))
    assert values and all(isinstance(v, rdflib.URIRef) for v in values), (subject, predicate, values)
    return [str(v) for v in values]


def check_dataset(graph: rdflib.Graph, dataset: Any) -> None:
    """DCAT-AP 2's mandatory and recommended properties of a dcat:Dataset and its distributions."""
    titles = list(graph.objects(dataset, DCTERMS.title))
    assert titles and all(str(t).strip() for t in titles), dataset
    assert all(str(d).strip() for d in graph.objects(dataset, DCTERMS.description)), dataset
    assert list(graph.objects(dataset, DCTERMS.description)), dataset
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert publisher is not None and str(graph.value(publisher, FOAF.name)).strip(), dataset
    for theme in _iris(graph, dataset, DCAT.theme):
        assert "?" not in theme, theme  # a concept, not a search
        assert (rdflib.URIRef(theme), RDF.type, SKOS.Concept) in graph or theme.startswith(EU + "data-theme/")
    assert _iris(graph, dataset, DCTERMS.accessRights) == [EU + "access-right/PUBLIC"]
    assert _iris(graph, dataset, DCAT.landingPage)
    distributions = list(graph.objects(dataset, DCAT.distribution))
    assert distributions, dataset
    for distribution in distributions:
        assert _iris(graph, distribution, DCAT.accessURL)
        assert _iris(graph, distribution, DCTERMS.license)
        rights = graph.value(distribution, DCTERMS.rights)
        assert (rights, RDF.type, DCTERMS.RightsStatement) in graph
        assert {label.language for label in graph.objects(rights, rdflib.RDFS.label)} == {"fr", "ar"}
        assert all(f.startswith(EU + "file-type/") for f in _iris(graph, distribution, DCTERMS["format"]))
        assert all(m.startswith(IANA) for m in _iris(graph, distribution, DCAT.mediaType))


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "3")
def test_every_catalog_page_is_dcat_ap_record_by_record(served, catalog_records):
    pages = catalog_pages(served)
    assert len(pages) == 2
    seen = set()
    for page in pages:
        catalog = next(page.subjects(RDF.type, DCAT.Catalog))
        for predicate in (DCTERMS.title, DCTERMS.description):
            assert str(page.value(catalog, predicate)).strip()
        assert str(page.value(page.value(catalog, DCTERMS.publisher), FOAF.name)).strip()
        assert set(_iris(page, catalog, DCTERMS.language)) == {EU + "language/FRA", EU + "language/ARA", EU + "language/ENG"}
        for dataset in page.objects(catalog, DCAT.dataset):
            check_dataset(page, dataset)
            seen.add(str(page.value(dataset, DCTERMS.identifier)))
    assert seen == {pkg["id"] for pkg in catalog_records.values()}


def test_formats_media_types_licences_and_themes_are_the_vocabularies_iris(served, catalog_records):
    graph = rdflib.Graph()
    for page in catalog_pages(served):
        graph += page

    def record(key: str) -> Any:
        return next(graph.subjects(DCTERMS.identifier, rdflib.Literal(catalog_records[key]["id"])))

    def distribution(key: str) -> Any:
        return graph.value(record(key), DCAT.distribution)

    assert graph.value(distribution("full"), DCTERMS["format"]) == rdflib.URIRef(EU + "file-type/CSV")
    assert graph.value(distribution("full"), DCAT.mediaType) == rdflib.URIRef(IANA + "text/csv")
    assert graph.value(distribution("full"), DCTERMS.license) == rdflib.URIRef(
        "http://www.opendefinition.org/licenses/odc-odbl")
    # A linked file with no media type given: the one of its format.
    assert graph.value(distribution("minimal"), DCTERMS["format"]) == rdflib.URIRef(EU + "file-type/XLSX")
    assert graph.value(distribution("minimal"), DCAT.mediaType) == rdflib.URIRef(
        IANA + "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    # A publication has the portal's default licence unless its publisher chose another.
    assert catalog_records["law"]["license_id"] == "cc-by"
    assert graph.value(distribution("law"), DCTERMS.license) == rdflib.URIRef(
        "http://www.opendefinition.org/licenses/cc-by")
    assert graph.value(distribution("law"), DCAT.mediaType) == rdflib.URIRef(IANA + "application/pdf")
    category = next(t for t in graph.objects(record("law"), DCAT.theme) if not str(t).startswith(EU))
    assert str(category).endswith("/publication/category/laws")
    assert rdflib.Literal("القوانين والأنظمة", lang="ar") in set(graph.objects(category, SKOS.prefLabel))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_record_has_dcat_at_the_address_of_its_type(served, catalog_records, people, fmt):
    law = catalog_records["law"]
    answer = requests.get(f"{served}/publication/{law['name']}.{fmt}", timeout=30)
    assert answer.status_code == 200 and answer.headers["Content-Type"].endswith("; charset=utf-8")
    graph = rdflib.Graph().parse(data=answer.content, format=FORMATS[fmt])
    publication = next(graph.subjects(RDF.type, DCAT.Dataset))
    assert rdflib.Literal("القانون 31.13", lang="ar") in set(graph.objects(publication, DCTERMS.title))
    commitment = create(people["officer"], "commitment", "mo0099", people["orgs"]["asked"]["id"])
    assert requests.get(f"{served}/commitment/mo0099.{fmt}", timeout=30).status_code == 200
    assert requests.get(f"{served}/publication/{commitment['name']}.{fmt}", timeout=30).status_code == 404
    assert requests.get(f"{served}/publication/{law['name']}.exe", timeout=30).status_code == 404
