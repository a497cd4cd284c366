"""Institutions at national scale: the hierarchy (region -> province -> commune,
ministry -> directorate) imported from a CSV with progress and per-row errors,
the request form's institution picker, the institution's page."""
from __future__ import annotations

import csv
import io
import os

import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import helpers

import ckanext.transparency
from conftest import submit, transition

SHIPPED = os.path.join(os.path.dirname(ckanext.transparency.__file__), "data", "institutions_morocco.csv")
COMMUNES = 1500


def _national_file(tmp_path, bad_rows: list[list[str]]) -> tuple[str, int]:
    """The shipped regions and provinces, 1,500 generated communes under them, then
    ``bad_rows``: the file's path and the line of the first bad row."""
    shipped = list(csv.reader(open(SHIPPED, encoding="utf-8")))
    provinces = [row[0] for row in shipped[1:] if row[4] == "province"]
    rows = shipped + [[f"commune-test-{n:04d}", f"Commune test {n}", f"جماعة تجريبية {n}", "", "commune",
                       provinces[n % len(provinces)], ""] for n in range(COMMUNES)]
    first_bad = len(rows) + 1
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows + bad_rows)
    path = tmp_path / "institutions.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path), first_bad


BAD = [["commune-perdue", "Commune perdue", "جماعة ضائعة", "", "commune", "province-inconnue", ""],
       ["commune-sans-arabe", "Commune sans nom arabe", "", "", "commune", "province-ifrane", ""],
       ["commune-test-0007", "Commune en double", "جماعة مكررة", "", "commune", "province-ifrane", ""],
       ["commune-mauvaise", "Commune mal décrite", "جماعة", "", "village", "province-ifrane", "pas-une-adresse"]]


def test_the_national_file_imports_with_progress_and_per_row_errors(cli, portal, tmp_path):
    path, first_bad = _national_file(tmp_path, BAD)
    result = cli.invoke(ckan_command, ["transparency", "institutions", "import", path])
    assert result.exit_code == 1, result.output
    shipped = sum(1 for _ in open(SHIPPED, encoding="utf-8")) - 1
    assert f"Importing {shipped + COMMUNES + len(BAD)} institutions" in result.output
    assert f"{shipped + COMMUNES} created, 0 updated, 0 unchanged, 4 rejected" in result.output
    lines = [line.strip() for line in result.output.splitlines() if line.strip().startswith("line ")]
    assert lines[0].startswith(f"line {first_bad} (commune-perdue): Le parent province-inconnue")
    assert lines[1] == f"line {first_bad + 1} (commune-sans-arabe): Le nom arabe manque"
    assert lines[2].startswith(f"line {first_bad + 2} (commune-test-0007): Le code commune-test-0007 est déjà "
                               f"utilisé à la ligne {shipped + 2 + 7}")
    assert lines[3].count(";") == 1 and "village" in lines[3] and "pas-une-adresse" in lines[3]
    # nothing of a bad row, and the hierarchy is CKAN's own
    for name in ("commune-perdue", "commune-sans-arabe", "commune-mauvaise"):
        assert model.Group.get(name) is None
    assert model.Group.get("commune-test-0007").title == "Commune test 7"
    ifrane = model.Group.get("province-ifrane")
    assert [g.name for g in ifrane.get_parent_groups(type="organization")] == ["region-fes-meknes"]
    children = {g.name for g in ifrane.get_children_groups(type="organization")}
    assert "commune-ifrane" in children and len(children) > COMMUNES // 75
    top = model.Group.get("region-fes-meknes")
    assert [g.name for g in model.Group.get("commune-ifrane").get_parent_group_hierarchy(type="organization")] == \
        ["region-fes-meknes", "province-ifrane"] and top.get_parent_groups(type="organization") == []
    shown = helpers.call_action("organization_show", id="commune-test-0001")
    assert shown["title_ar"] == "جماعة تجريبية 1" and shown["kind"] == "commune"

    again = cli.invoke(ckan_command, ["transparency", "institutions", "import", path])
    assert f"0 created, 0 updated, {shipped + COMMUNES} unchanged, 4 rejected" in again.output, again.output


def test_a_changed_row_updates_its_institution_and_parent(portal, sysadmin):
    header = "code,title_fr,title_ar,acronym,kind,parent,contact_email\n"
    first = header + ("ministere-x,Ministère X,وزارة س,MX,ministry,,\n"
                      "ministere-y,Ministère Y,وزارة ص,MY,ministry,,\n"
                      "direction-z,Direction Z,مديرية ز,DZ,directorate,ministere-x,dz@ministere-x.gov.ma\n")
    done = helpers.call_action("transparency_institutions_import", {"user": sysadmin["name"]}, csv=first)
    assert (done["created"], done["rejected"]) == (3, [])
    moved = first.replace("direction-z,Direction Z,مديرية ز,DZ,directorate,ministere-x",
                          "direction-z,Direction Z,مديرية ز,DZ,directorate,ministere-y")
    done = helpers.call_action("transparency_institutions_import", {"user": sysadmin["name"]}, csv=moved)
    assert (done["created"], done["updated"], done["unchanged"]) == (0, 1, 2)
    z = model.Group.get("direction-z")
    assert [g.name for g in z.get_parent_groups(type="organization")] == ["ministere-y"]
    assert model.Group.get("ministere-x").get_children_groups(type="organization") == []


@pytest.mark.parametrize("lang, message", [("", "Le nom arabe manque"), ("/ar", "الاسم بالعربية غير موجود")])
def test_the_api_is_for_sysadmins_and_speaks_the_readers_language(app, people, lang, message):
    body = {"csv": "code,title_fr,title_ar,kind,parent\nx-1,X,,ministry,\n"}
    app.post(lang + "/api/3/action/transparency_institutions_import", json=body,
             headers={"Authorization": people["officer"]["token"]}, status=403)
    answer = app.post(lang + "/api/3/action/transparency_institutions_import", json=body,
                      headers={"Authorization": people["sysadmin"]["token"]}).json["result"]
    assert answer["rejected"] == [{"line": 2, "code": "x-1", "errors": [message]}]
    missing = app.post(lang + "/api/3/action/transparency_institutions_import", json={"csv": "code,title_fr\n"},
                       headers={"Authorization": people["sysadmin"]["token"]}, status=409).json
    assert "title_ar" in missing["error"]["csv"][0]


HIERARCHY = ("code,title_fr,title_ar,acronym,kind,parent,contact_email\n"
             "region-fes-meknes,Région de Fès-Meknès,جهة فاس مكناس,,region,,\n"
             "province-ifrane,Province d'Ifrane,إقليم إفران,,province,region-fes-meknes,\n"
             "commune-ifrane,Commune d'Ifrane,جماعة إفران,CIF,commune,province-ifrane,information@ifrane.ma\n")


@pytest.fixture
def hierarchy(people):
    helpers.call_action("transparency_institutions_import", {"user": people["sysadmin"]["name"]}, csv=HIERARCHY)
    helpers.call_action("organization_member_create", id="commune-ifrane", username="officer", role="editor")
    answered = submit(people["requester"], org="commune-ifrane", title="Budget de la commune")
    transition(people["officer"], answered, "answer", answer="Le budget est joint.")
    submit(people["citizen"], org="commune-ifrane", title="Marchés de la commune")


@pytest.mark.parametrize("lang, parents, kind, on_time, received", [
    ("", "Région de Fès-Meknès / Province d'Ifrane", "Commune", "1 réponses sur 1 (100 %)", "Demandes reçues"),
    ("/ar", "جهة فاس مكناس / إقليم إفران", "جماعة", "1 من أصل 1 رد (100 %)", "الطلبات المتوصل بها")])
def test_the_institution_page_shows_its_record(app, hierarchy, lang, parents, kind, on_time, received):
    page = BeautifulSoup(app.get(lang + tk.url_for("organization.read", id="commune-ifrane")).body, "html.parser")
    record = page.select_one(".transparency-institution-record")
    shown = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in record.select("dt")}
    assert record.select_one(".transparency-institution-parents").get_text(" ", strip=True) == parents
    assert record.select_one(".transparency-institution-kind").get_text(strip=True) == kind
    assert shown[received].get_text(strip=True) == "2"
    assert record.select_one(".transparency-institution-on-time").get_text(" ", strip=True) == on_time
    assert record.select_one(".transparency-institution-contact a")["href"] == "mailto:information@ifrane.ma"
    province = BeautifulSoup(app.get(lang + tk.url_for("organization.read", id="province-ifrane")).body, "html.parser")
    children = province.select(".transparency-institution-children a")
    assert [a["href"].rsplit("/", 1)[-1] for a in children] == ["commune-ifrane"]
    assert province.select_one(".transparency-institution-contact") is None
    api = app.get("/api/3/action/transparency_institution_show?id=commune-ifrane").json["result"]
    assert api["requests"]["received"] == 2 and [p["name"] for p in api["parents"]] == [
        "region-fes-meknes", "province-ifrane"]


@pytest.mark.parametrize("lang, text", [("", "Commune d'Ifrane (CIF)"), ("/ar", "جماعة إفران (CIF)")])
def test_the_request_forms_picker_searches_both_names_and_the_acronym(app, people, hierarchy, lang, text):
    form = BeautifulSoup(app.get(lang + tk.url_for("ati.submit", institution="commune-ifrane"),
                                 headers={"Authorization": people["requester"]["token"]}).body, "html.parser")
    picker = form.find("select", attrs={"name": "owner_org"})
    assert picker["data-module"] == "transparency-institution-picker"
    option = picker.find("option", attrs={"value": "commune-ifrane"})
    assert option.get_text(strip=True) == text and option.has_attr("selected")  # a plain list without JavaScript
    assert option["data-search"] == "Commune d'Ifrane جماعة إفران CIF"
