"""Bulk upload of publications and datasets from a CSV and files (CLI and API),
and the checks every resource upload goes through."""
from __future__ import annotations

import csv
import io

import ckanapi
import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import helpers

from conftest import create

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CATEGORIES = ["laws", "conventions", "budget", "missions", "circulars", "procedures", "procurement",
              "recruitment", "reports", "statistics", "other"]
# Rows (numbered from 1 after the header) that must be rejected, and a word of the reason.
BAD = {7: "category", 13: "publication_date", 21: "not sent", 34: "accepted documents", 45: "exists already"}


def publications_csv(folder) -> str:
    """50 publications: 45 good (documents uploaded from the folder or linked), 5 bad."""
    rows = []
    for n in range(1, 51):
        row = {"name": f"pub-{n:02d}", "title": f"Publication n° {n}", "title_ar": f"المنشور رقم {n}",
               "category": CATEGORIES[n % len(CATEGORIES)], "publication_date": f"20{10 + n % 15}-0{1 + n % 9}-15",
               "legal_reference": "", "document": f"pub-{n:02d}.pdf", "document_name": f"Document {n}"}
        if n % 3 == 0:
            row["document"] = f"https://www.example.ma/documents/{n}.pdf"
        else:
            (folder / row["document"]).write_bytes(PDF)
        rows.append(row)
    rows[7 - 1]["category"] = "lois"
    rows[13 - 1]["publication_date"] = ""
    rows[21 - 1]["document"] = "absent.pdf"
    rows[34 - 1]["document"] = "outil.exe"
    (folder / "outil.exe").write_bytes(b"MZ\x90\x00")
    rows[45 - 1]["name"] = "deja-publiee"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_cli_uploads_50_publications_with_progress_and_reports_rejected_rows(cli, people, tmp_path):
    create(people["officer"], "publication", "deja-publiee", people["orgs"]["asked"]["id"])
    files = tmp_path / "documents"
    files.mkdir()
    (tmp_path / "publications.csv").write_text(publications_csv(files), encoding="utf-8")

    result = cli.invoke(ckan_command, ["transparency", "bulk-upload", str(tmp_path / "publications.csv"),
                                       "--org", "mrafp", "--files", str(files), "--user", "officer"])
    assert result.exit_code == 0, result.output
    assert "Importing 50 rows" in result.output
    assert "45 created, 5 rejected" in result.output
    for row, word in BAD.items():
        line = next(line for line in result.output.splitlines() if line.startswith(f"  row {row} "))
        assert word in line, line

    found = helpers.call_action("package_search", fq="+dataset_type:publication +organization:mrafp", rows=100)
    assert found["count"] == 46  # 45 uploaded and the one that existed
    assert not {f"pub-{row:02d}" for row in BAD} & {p["name"] for p in found["results"]}
    uploaded = helpers.call_action("package_show", id="pub-01")
    assert uploaded["title_ar"] == "المنشور رقم 1" and uploaded["category"] == CATEGORIES[1]
    assert [(r["name"], r["url_type"], r["format"]) for r in uploaded["resources"]] == [("Document 1", "upload", "PDF")]
    linked = helpers.call_action("package_show", id="pub-03")
    assert linked["resources"][0]["url"] == "https://www.example.ma/documents/3.pdf"

    again = cli.invoke(ckan_command, ["transparency", "bulk-upload", str(tmp_path / "publications.csv"),
                                      "--org", "mrafp", "--files", str(files), "--user", "officer"])
    assert "0 created, 50 rejected" in again.output  # sending the file twice creates nothing twice


def test_api_upload_with_ckanapi_as_the_institutions_officer_only(served, people, tmp_path):
    population = b"region,population\nCasablanca-Settat,7688967\n"
    text = ("name,title,theme,language,spatial_region,frequency,document\n"
            "population-2024,Population 2024,SOCI,ar;fr,casablanca-settat,annual,population.csv\n"
            "sans-theme,Sans thème,,fr,,,\n"
            "mauvaise-region,Région inconnue,SOCI,fr,atlantide,,\n")
    officer = ckanapi.RemoteCKAN(served, apikey=people["officer"]["token"])
    report = officer.call_action("transparency_bulk_upload", {"type": "dataset", "owner_org": "mrafp"}, files={
        "csv": ("datasets.csv", io.BytesIO(text.encode())),
        "population": ("population.csv", io.BytesIO(population))})
    assert report["created"] == 1
    assert [(r["row"], r["name"]) for r in report["rejected"]] == [(2, "sans-theme"), (3, "mauvaise-region")]
    assert "theme" in report["rejected"][0]["reason"]
    # Over HTTP the message is in the portal's language (French): it names the value and those accepted.
    assert "atlantide" in report["rejected"][1]["reason"]
    assert "national, tanger-tetouan-al-hoceima, oriental" in report["rejected"][1]["reason"]
    pkg = helpers.call_action("package_show", id="population-2024")
    assert pkg["language"] == ["ar", "fr"] and pkg["frequency"] == "annual"
    assert [(r["format"], r["mimetype"], r["size"]) for r in pkg["resources"]] == [("CSV", "text/csv", len(population))]

    other = ckanapi.RemoteCKAN(served, apikey=people["other_officer"]["token"])
    with pytest.raises(ckanapi.NotAuthorized):
        other.call_action("transparency_bulk_upload", {"type": "dataset", "owner_org": "mrafp"},
                          files={"csv": ("datasets.csv", io.BytesIO(text.encode()))})
    with pytest.raises(ckanapi.ValidationError) as err:
        officer.call_action("transparency_bulk_upload", {"type": "dataset", "owner_org": "mrafp",
                                                         "rows": [{"title": "x", "couleur": "bleu"}]})
    assert "couleur" in str(err.value) and "document_name" in str(err.value)  # the columns accepted


def upload(content: bytes, filename: str) -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=filename)


@pytest.mark.ckan_config("ckan.max_resource_size", "1")
@pytest.mark.parametrize("content,filename,message", [
    (b"x" * (1024 * 1024 + 1), "gros.csv", "gros.csv is 1.0 MB; the largest file accepted is 1 MB"),
    (b"MZ\x90\x00", "outil.exe", "outil.exe: accepted documents are csv, docx"),
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "rapport.pdf",
     "rapport.pdf holds text/html: programs, scripts and web pages are not accepted"),
    (b"", "vide.csv", "vide.csv is empty"),
], ids=["too-big", "program", "web-page", "empty"])
def test_resource_uploads_are_checked_for_size_and_type(people, content, filename, message):
    pkg = create(people["officer"], "dataset", "budget", people["orgs"]["asked"]["id"])
    def as_officer():
        return {"user": people["officer"]["name"]}

    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("resource_create", as_officer(), package_id=pkg["id"], url=filename,
                            upload=upload(content, filename))
    assert message in err.value.error_dict["upload"][0]
    ok = helpers.call_action("resource_create", as_officer(), package_id=pkg["id"], url="ok.csv",
                             upload=upload(b"a,b\n1,2\n", "ok.csv"))
    with pytest.raises(tk.ValidationError):
        helpers.call_action("resource_update", as_officer(), id=ok["id"], url=filename, upload=upload(content, filename))
    assert [r["url"].rsplit("/", 1)[-1] for r in helpers.call_action("package_show", id=pkg["id"])["resources"]] \
        == ["ok.csv"]
    assert model.Session.query(model.Resource).filter_by(package_id=pkg["id"], state="active").count() == 1
