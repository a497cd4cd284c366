"""The text inside uploaded documents finds their record, with a snippet.

tests/data/rapport-dechets-ar.pdf was made once with fpdf2 2.8.3 and uharfbuzz
0.57.0 (Arabic shaped right-to-left, DejaVu Sans, as a word processor writes
it), tests/data/rapport-eau-fr.docx with python-docx 1.2.0; neither is needed
to run the tests.
"""
from __future__ import annotations

import io
import logging
import os
import zipfile

import pytest
import lxml.html
from werkzeug.datastructures import FileStorage

from ckan.cli.cli import ckan as ckan_command
from ckan import model
from ckan.lib import jobs
from ckan.tests import factories, helpers

from conftest import create, submit, transition
from ckanext.transparency import documents
from ckanext.transparency.model import DocumentText

DATA = os.path.join(os.path.dirname(__file__), "data")
ARABIC_PHRASE = "الفرز الانتقائي للنفايات"
FRENCH_PHRASE = "bornes-fontaines solaires"


def _file(name: str) -> FileStorage:
    with open(os.path.join(DATA, name), "rb") as f:
        return FileStorage(stream=io.BytesIO(f.read()), filename=name)


def _upload(user: dict, package_id: str, upload: FileStorage, name: str) -> dict:
    return helpers.call_action("resource_create", {"user": user["name"]}, package_id=package_id,
                               url=upload.filename, upload=upload, name=name)


def _run_jobs() -> list:
    """Runs the queued jobs as the worker does (`ckan jobs worker --burst`)."""
    done = [job.func_name for job in jobs.get_queue().jobs]
    jobs.Worker().work(burst=True)
    return done


@pytest.fixture
def officer(portal, with_test_worker):
    helpers.call_action("job_clear")
    user = factories.User(name="officer")
    org = factories.Organization(name="mee", title="Ministère de l'Équipement et de l'Eau",
                                 description="وزارة التجهيز والماء", users=[{"name": "officer", "capacity": "editor"}])
    user["org"] = org["id"]
    return user


def _search(q: str) -> dict:
    return helpers.call_action("package_search", {"user": ""}, q=q)


def test_a_phrase_inside_an_arabic_pdf_and_a_french_docx_finds_its_record_with_a_snippet(app, officer):
    ar = create(officer, "publication", "rapport-dechets", officer["org"], category="reports",
                publication_date="2025-03-01", title="Rapport de la commission de l'environnement",
                title_ar="تقرير لجنة البيئة")
    fr = create(officer, "dataset", "eau-rurale", officer["org"], title="Approvisionnement en eau")
    _upload(officer, ar["id"], _file("rapport-dechets-ar.pdf"), "التقرير")
    _upload(officer, fr["id"], _file("rapport-eau-fr.docx"), "Rapport")
    assert _search(ARABIC_PHRASE)["count"] == 0  # not before the worker has read the files
    assert _run_jobs().count("ckanext.transparency.documents.extract") == 2

    for q, name in ((ARABIC_PHRASE, "rapport-dechets"), (FRENCH_PHRASE, "eau-rurale")):
        assert [r["name"] for r in _search(q)["results"]] == [name], q
        api = app.get("/api/3/action/package_search", query_string={"q": q}).json["result"]
        assert [r["name"] for r in api["results"]] == [name]
        assert "search_snippet" not in api["results"][0]  # the API answers as CKAN documents it

    for prefix, page_lang in (("", "fr"), ("/ar", "ar")):
        report = "Rapport de la commission" if page_lang == "fr" else "تقرير لجنة البيئة"  # its title in the page's language
        for q, path, title, lang, marked in (
                (ARABIC_PHRASE, "/publication/", report, "ar", "الانتقائي"),
                (FRENCH_PHRASE, "/dataset/", "Approvisionnement en eau", "fr", "solaires"),
                ("approvisionnement", "/dataset/", "Approvisionnement en eau", "fr", "Approvisionnement"),
                ("لجنة البيئة", "/publication/", report, "ar", "البيئة")):
            page = lxml.html.fromstring(app.get(prefix + path, query_string={"q": q}).body)
            assert page.get("lang") == page_lang
            items = page.xpath("//li[contains(@class, 'dataset-item')]")
            assert len(items) == 1 and title in items[0].xpath("string(.//h2)")
            [snippet] = items[0].xpath(".//p[@class='transparency-search-snippet']")
            assert snippet.get("lang") == lang and snippet.get("dir") == ("rtl" if lang == "ar" else "ltr")
            assert marked in [m.text_content() for m in snippet.xpath(".//mark")], lxml.html.tostring(snippet)


def test_a_replaced_file_is_read_again_and_an_unchanged_one_is_not(officer):
    pkg = create(officer, "publication", "note", officer["org"], category="reports", publication_date="2025-03-01")
    resource = _upload(officer, pkg["id"], _file("rapport-eau-fr.docx"), "Note")
    _run_jobs()
    assert _search(FRENCH_PHRASE)["count"] == 1
    assert documents.extract(resource["id"]) == "unchanged"

    helpers.call_action("resource_update", {"user": "officer"}, id=resource["id"], name="Note",
                        url="rapport-dechets-ar.pdf", upload=_file("rapport-dechets-ar.pdf"))
    _run_jobs()
    assert _search(FRENCH_PHRASE)["count"] == 0
    assert [r["name"] for r in _search(ARABIC_PHRASE)["results"]] == ["note"]

    helpers.call_action("resource_delete", {"user": "officer"}, id=resource["id"])
    assert documents.extract(resource["id"]) == "gone"
    assert _search(ARABIC_PHRASE)["count"] == 0


def test_a_file_that_cannot_be_read_leaves_the_record_searchable_and_says_why(officer, caplog, monkeypatch):
    monkeypatch.setattr(documents.log, "disabled", False)  # CKAN's logging setup disables loggers made before it
    pkg = create(officer, "publication", "scan", officer["org"], category="reports", publication_date="2025-03-01",
                 title="Procès-verbal de la séance", title_ar="محضر الجلسة")
    resource = _upload(officer, pkg["id"], FileStorage(stream=io.BytesIO(b"%PDF-1.4 damaged " * 20), filename="pv.pdf"),
                       "PV")
    with caplog.at_level(logging.WARNING, logger="ckanext.transparency.documents"):
        _run_jobs()
    assert f"Text of resource {resource['id']} (pv.pdf) not indexed: PDF could not be read" in caplog.text
    assert model.Session.get(DocumentText, resource["id"]).error.startswith("PDF could not be read: ")
    assert [r["name"] for r in _search("محضر الجلسة")["results"]] == ["scan"]
    assert [r["name"] for r in _search("proces verbal")["results"]] == ["scan"]


def test_refresh_reads_the_uploads_no_job_has_read(officer, cli):
    pkg = create(officer, "dataset", "eau", officer["org"], title="Eau")
    _upload(officer, pkg["id"], _file("rapport-eau-fr.docx"), "Rapport")
    helpers.call_action("job_clear")  # as if Redis had lost the job
    assert _search(FRENCH_PHRASE)["count"] == 0
    result = cli.invoke(ckan_command, ["transparency", "refresh"])
    assert "1 documents read for search, 0 unreadable" in result.output, result.output
    assert _search(FRENCH_PHRASE)["count"] == 1


@pytest.mark.parametrize("kind, data, expected", [
    ("txt", "Rapport d'activité 2025".encode("utf-8"), "Rapport d'activité 2025"),
    ("csv", "المدينة,السكان\nفاس,1112072\n".encode("cp1256"), "المدينة,السكان\nفاس,1112072"),
])
def test_plain_text_in_utf8_or_windows_arabic(kind, data, expected):
    assert documents.text_of(data, kind, 1000) == expected


def test_an_odt_is_read_and_text_is_bounded():
    content = ('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
               '<text:h>Budget citoyen</text:h><text:p>Les recettes de la commune<text:span> en 2025</text:span>'
               '</text:p></office:text></office:body></office:document-content>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    assert documents.text_of(buffer.getvalue(), "odt", 1000) == "Budget citoyen\nLes recettes de la commune en 2025"
    assert documents.text_of(buffer.getvalue(), "odt", 6) == "Budget"
    with pytest.raises(documents.Unreadable, match="no text found"):
        documents.text_of(b"   ", "txt", 1000)


def test_the_text_of_a_requests_document_is_masked_before_it_is_indexed(people, with_test_worker):
    """A document naming the requester can no longer be published (test_trust.py); one
    published before that rule still never brings the name into the index."""
    helpers.call_action("job_clear")
    pkg = submit(people["requester"])
    document = FileStorage(io.BytesIO("Réponse à Zineb Outaleb-Qarmouchi : la ventilation des crédits scolaires "
                                      "par établissement est jointe.".encode("utf-8")), filename="reponse.txt")
    transition(people["officer"], pkg, "answer", answer="Voici le détail.")
    helpers.call_action("resource_create", {"user": people["sysadmin"]["name"]}, package_id=pkg["id"], name="Réponse",
                        url="reponse.txt", upload=document)
    _run_jobs()
    assert [r["id"] for r in _search("ventilation crédits scolaires")["results"]] == [pkg["id"]]
    assert _search("Qarmouchi")["count"] == 0
    stored = model.Session.query(DocumentText).filter_by(package_id=pkg["id"]).one().text
    assert "ventilation des crédits scolaires" in stored and "Qarmouchi" not in stored and "Zineb" not in stored
