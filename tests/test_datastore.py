"""Tables people can query: every uploaded or linked CSV or spreadsheet is loaded
into the DataStore by the background worker (ckanext-xloader), answers
``datastore_search`` and shows as a table; a file that cannot be loaded shows its
error to its publisher. The worker is CKAN's own, fetching the file over HTTP."""
from __future__ import annotations

import io
from typing import Any

import requests
from bs4 import BeautifulSoup
from werkzeug.datastructures import FileStorage

from ckan.tests import helpers

from ckanext.transparency import load_errors

from conftest import create, run_jobs

ARABIC_CSV = "الجهة,عدد الطلبات,السنة\nفاس مكناس,120,2025\nالرباط سلا القنيطرة,340,2025\n".encode()


def upload(user: dict[str, Any], pkg: dict[str, Any], filename: str, content: bytes, fmt: str) -> dict[str, Any]:
    return helpers.call_action("resource_create", {"user": user["name"]}, package_id=pkg["id"], name=filename,
                               url=filename, upload=FileStorage(io.BytesIO(content), filename=filename),
                               format=fmt)


def test_an_uploaded_csv_with_arabic_headers_answers_datastore_search_and_shows_as_a_table(app, served, loader, people):
    officer = people["officer"]
    pkg = create(officer, "dataset", "demandes-par-region", people["orgs"]["asked"]["id"], title="Demandes")
    resource = upload(officer, pkg, "demandes.csv", ARABIC_CSV, "CSV")
    run_jobs()

    answer = requests.get(f"{served}/api/3/action/datastore_search", timeout=30,
                          params={"resource_id": resource["id"], "q": "فاس"}).json()["result"]
    assert [f["id"] for f in answer["fields"]] == ["_id", "الجهة", "عدد الطلبات", "السنة", "rank"]
    assert [(r["الجهة"], r["عدد الطلبات"]) for r in answer["records"]] == [("فاس مكناس", "120")]
    assert helpers.call_action("resource_show", id=resource["id"])["datastore_active"] is True
    sql = requests.get(f"{served}/api/3/action/datastore_search_sql", timeout=30,
                       params={"sql": f'SELECT * FROM "{resource["id"]}"'})
    assert sql.status_code == 400 and "Action name not known" in sql.text  # no SQL from visitors
    views = helpers.call_action("resource_view_list", id=resource["id"])
    assert "datatables_view" in {v["view_type"] for v in views}

    for lang, direction in (("fr", "ltr"), ("ar", "rtl")):
        page = BeautifulSoup(app.get(f"/{lang}/dataset/{pkg['name']}/resource/{resource['id']}").body, "html.parser")
        assert page.html.get("dir", "ltr") == direction
        frame = page.select_one("iframe[data-module=data-viewer]")
        assert frame is not None, lang
        table = BeautifulSoup(app.get(frame["src"]).body, "html.parser")
        headers = [th.get_text(strip=True) for th in table.select("table thead th")]
        assert "عدد الطلبات" in headers, (lang, headers)
        assert table.html.get("dir", "ltr") == direction


def test_a_csv_that_cannot_be_read_shows_its_error_to_its_publisher_only(app, served, loader, people):
    officer = people["officer"]
    pkg = create(officer, "dataset", "fichier-abime", people["orgs"]["asked"]["id"], title="Abîmé")
    resource = upload(officer, pkg, "abime.csv", b"a,b\n1,2\n\xff\xfe\x00\x01garbage\x00,,,,\n" * 3, "CSV")
    run_jobs()

    status = helpers.call_action("xloader_status", resource_id=resource["id"])
    assert status["status"] == "error"
    url = f"/dataset/{pkg['name']}/resource_data/{resource['id']}"
    for lang in ("fr", "ar"):
        page = BeautifulSoup(app.get(f"/{lang}{url}", headers={"Authorization": officer["token"]}).body,
                             "html.parser")
        assert page.select_one(".alert-error, .alert-danger") is not None, lang
    assert app.get(url, headers={"Authorization": people["citizen"]["token"]}, status=403)


# Files xloader cannot load, what the publisher reads in French and in Arabic.
UNLOADABLE = {
    "ragged": (b"a,b,c\n1,2,3\n4,5,6\n6,7,8,9\n",
               "La ligne 4 a plus de valeurs que les 3 colonnes de la ligne d'en-tête.",
               "يتضمن السطر 4 قيما أكثر من أعمدة سطر العناوين وعددها 3."),
    "encoding": (b"a,b\n1,2\n\xff\xfe\x00\x01garbage\x00,,,,\n" * 3,
                 "Le fichier n'est pas du texte en UTF-8 : ses caractères ne peuvent pas être lus.",
                 "الملف ليس نصا بترميز UTF-8: تتعذر قراءة حروفه."),
    "empty": (b"\n\n", "Le fichier ne contient aucune ligne.", "لا يتضمن الملف أي سطر."),
    "duplicate_columns": (b"region,region,total\nFes,Fes,3\n", "Deux colonnes de la ligne d'en-tête portent le même nom.",
                          "عمودان في سطر العناوين يحملان الاسم نفسه."),
}


def test_a_file_that_cannot_be_loaded_tells_its_publisher_what_is_wrong_in_french_and_arabic(
        app, served, loader, people):
    officer = people["officer"]
    pkg = create(officer, "dataset", "fichiers-abimes", people["orgs"]["asked"]["id"], title="Abîmés")
    resources = {kind: upload(officer, pkg, f"{kind}.csv", content, "CSV")
                 for kind, (content, _fr, _ar) in UNLOADABLE.items()}
    run_jobs()
    for kind, (_content, french, arabic) in UNLOADABLE.items():
        resource = resources[kind]
        assert helpers.call_action("xloader_status", resource_id=resource["id"])["status"] == "error", kind
        for lang, told in (("fr", french), ("ar", arabic)):
            for url in (f"/dataset/{pkg['name']}/resource/{resource['id']}",
                        f"/dataset/{pkg['name']}/resource_data/{resource['id']}"):
                page = BeautifulSoup(app.get(f"/{lang}{url}", headers={"Authorization": officer["token"]}).body,
                                     "html.parser")
                alert = page.select_one(".transparency-load-error")
                assert alert is not None and alert["data-kind"] == kind, (kind, lang, url)
                assert alert.select_one(".transparency-load-error-what").get_text(strip=True) == told
                assert alert.select_one(".transparency-load-error-todo").get_text(strip=True)
                assert alert.select_one("details pre").get_text(strip=True)  # xloader's message, folded
        # Citizens see the resource, never the error.
        page = BeautifulSoup(app.get(f"/dataset/{pkg['name']}/resource/{resource['id']}",
                                     headers={"Authorization": people["citizen"]["token"]}).body, "html.parser")
        assert page.select_one("h1").get_text(strip=True) == f"{kind}.csv"
        assert page.select_one(".transparency-load-error") is None


def test_xloaders_messages_map_to_kinds_and_facts():
    assert load_errors.explain("Row 12 has more values than the 5 column(s) in the header. The extra value is: 'x'.") \
        == load_errors.LoadError("ragged", {"row": 12, "columns": 5})
    assert load_errors.explain('invalid byte sequence for encoding "UTF8": 0xe9').kind == "encoding"
    assert load_errors.explain("[Errno 2] No such file or directory: '/tmp/output_1234.csv'").kind == "empty"
    assert load_errors.explain("Resource too large to download: 600000000 > max (500000000).").kind == "too_large"
    assert load_errors.explain("Invalid HTTP response: 404 Not Found").kind == "unreachable"
    assert load_errors.explain("Something new").kind == "unknown"
