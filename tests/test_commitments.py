"""OGP commitments: computed progress, lateness, progress updates, who may do what, pages."""
from __future__ import annotations

import csv
import datetime
import html
import io

import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from conftest import create

MILESTONES = [
    {"title": "Séminaire de lancement", "start": "2018-09", "end": "2018-09", "state": "completed", "weight": 1},
    {"title": "Développement du portail", "start": "2018-11", "end": "2018-12", "state": "in-progress", "weight": 2},
    {"title": "Formations", "start": "2019-02", "end": "2099-03", "state": "not-started", "weight": 1},
]


@pytest.fixture
def plan(people):
    create(people["sysadmin"], "action-plan", "plan-2018", "mrafp", title="Plan 2018-2020")
    a = create(people["sysadmin"], "commitment", "mo0006", "mrafp", ogp_id="MO0006", action_plan="plan-2018",
               title="Portail de la transparence", title_ar="بوابة الشفافية",
               milestones=MILESTONES, policy_areas=["open-data"])
    b = create(people["sysadmin"], "commitment", "mo0011", "mef", ogp_id="MO0011", action_plan="plan-2018",
               milestones=[{"title": "Budget citoyen", "end": "2019-06", "state": "completed"}],
               policy_areas=["fiscal-transparency"])
    return a, b


def test_progress_and_late_milestones_are_fields_computed_from_milestones(plan):
    shown = helpers.call_action("package_show", id="mo0006")
    assert shown["progress"] == 50  # (1 + 0.5 × 2 + 0) / 4
    assert shown["late_milestones"] == 1  # the development ended in 2018-12, still in progress
    assert shown["milestone_count"] == 3


def test_search_sorts_by_progress_and_filters_lateness_and_policy_area(plan):
    ordered = helpers.call_action("package_search", fq="type:commitment", sort="progress desc")
    assert [r["name"] for r in ordered["results"]] == ["mo0011", "mo0006"]
    assert [r["progress"] for r in ordered["results"]] == [100, 50]
    late = helpers.call_action("package_search", fq="type:commitment +late:yes")
    assert [r["name"] for r in late["results"]] == ["mo0006"]
    area = helpers.call_action("package_search", fq="type:commitment +vocab_policy_areas:fiscal-transparency")
    assert [r["name"] for r in area["results"]] == ["mo0011"]
    half_or_more = helpers.call_action("package_search", fq="type:commitment +progress:[050 TO 100]")
    assert half_or_more["count"] == 2


def test_an_update_changes_the_milestone_and_the_figures_and_is_in_the_history(plan, people):
    updated = helpers.call_action("transparency_milestone_update_record", {"user": "officer", "ignore_auth": False},
                                  id="mo0006", milestone=1, state="completed", comment="Portail en ligne.",
                                  evidence_url="https://example.org/portail")
    assert updated["milestones"][1]["state"] == "completed"
    assert updated["progress"] == 75 and updated["late_milestones"] == 0
    assert helpers.call_action("package_search", fq="type:commitment +name:mo0006")["results"][0]["progress"] == 75
    history = helpers.call_action("transparency_milestone_update_list", id="mo0006")
    assert [(u["milestone_title"], u["state"], u["comment"]) for u in history] == [
        ("Développement du portail", "completed", "Portail en ligne.")]
    assert "user_id" not in history[0]


@pytest.mark.parametrize("field,value", [("milestone", 7), ("state", "done"), ("evidence_url", "not a url"),
                                         ("date", (datetime.date.today() + datetime.timedelta(days=3)).isoformat())])
def test_bad_updates_name_the_field(plan, people, field, value):
    data = {"id": "mo0006", "milestone": 0, "state": "completed", field: value}
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("transparency_milestone_update_record", {"user": "officer"}, **data)
    assert field in err.value.error_dict


AUTH = {  # person: (create commitment, record update, edit milestone)
    "anonymous": (False, False, False),
    "citizen": (False, False, False),
    "officer": (True, True, True),  # officer of the lead institution (mrafp)
    "other_officer": (False, False, False),
    "sysadmin": (True, True, True),
}


@pytest.mark.parametrize("person", sorted(AUTH))
def test_authorization_table(app, plan, people, person):
    token = people[person]["token"]
    headers = {"Authorization": token} if token else {}

    def call(action, **data):
        return app.post(f"/api/3/action/{action}", json=data, headers=headers).status_code == 200

    created = call("package_create", type="commitment", name="mo0099", title="Nouveau", ogp_id="MO0099",
                   owner_org="mrafp", commitment_status="active")
    updated = call("transparency_milestone_update_record", id="mo0006", milestone=0, state="completed")
    edited = call("package_patch", id="mo0006", milestones=[dict(MILESTONES[0], title="Séminaire (modifié)")])
    assert (created, updated, edited) == AUTH[person]


def test_pages_show_the_plan_the_timeline_and_the_form(app, plan, people):
    page = html.unescape(app.get(tk.url_for("action-plan.read", id="plan-2018")).body)
    assert "2 engagements" in page and "MO0006" in page and "MO0011" in page
    assert 'aria-valuenow="75"' in page  # overall: mean of 50 and 100
    for prefix, title, lang in (("", "Portail de la transparence", "fr"), ("/ar", "بوابة الشفافية", "ar")):
        plan_page = BeautifulSoup(app.get(prefix + tk.url_for("action-plan.read", id="plan-2018")).body, "html.parser")
        link = plan_page.select_one(f'.transparency-plan-table a[href="{prefix}/commitment/mo0006"]')
        assert link.get_text(strip=True) == title
        assert link.bdi["lang"] == lang
    commitment = html.unescape(app.get(tk.url_for("commitment.read", id="mo0006"),
                                       headers={"Authorization": people["officer"]["token"]}).body)
    assert "Séminaire de lancement" in commitment and "en retard" in commitment
    assert 'name="milestone"' in commitment and 'name="_csrf_token"' in commitment
    public = app.get(tk.url_for("commitment.read", id="mo0006")).body
    assert 'name="milestone"' not in public
    arabic = app.get("/ar" + tk.url_for("commitment.read", id="mo0006")).body
    assert 'dir="rtl"' in arabic and "transparency-timeline" in arabic


def test_import_keeps_good_rows_reports_bad_ones_and_export_gives_them_back(app, cli, people, tmp_path):
    from ckan.cli.cli import ckan as ckan_command
    from ckanext.transparency import demo
    create(people["sysadmin"], "action-plan", "plan-2018", "mrafp", title="Plan 2018-2020", cycle=2018)
    source = open(f"{demo.DATA}/ogp_morocco_2018_2020_commitments.csv", encoding="utf-8").read()
    bad = "MO12,Identifiant mal formé,Plan,2018,Open Data\nMO0099,Domaine inconnu,Plan,2018,Astrologie\n"
    (tmp_path / "plan.csv").write_text(source + bad, encoding="utf-8")
    result = cli.invoke(ckan_command, ["transparency", "import-plan", str(tmp_path / "plan.csv"),
                                       "--plan", "plan-2018", "--org", "mrafp"])
    assert "24 created, 0 updated, 0 unchanged, 0 milestones, 2 rejected" in result.output, result.output
    assert "row 25 (MO12): ogp_id" in result.output
    assert "row 26 (MO0099): Unknown policy area: Astrologie" in result.output
    again = cli.invoke(ckan_command, ["transparency", "import-plan", str(tmp_path / "plan.csv"),
                                      "--plan", "plan-2018", "--org", "mrafp"])
    assert "0 created, 0 updated, 24 unchanged, 0 milestones, 2 rejected" in again.output

    exported = app.get("/action-plan/plan-2018/export.json").json
    assert len(exported) == 24 and exported[5]["ogp_id"] == "MO0006"
    assert exported[5]["policy_area"] == "capacity-building"
    csv_text = app.get("/action-plan/plan-2018/export.csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("ogp_id,title,action_plan,cycle,policy_area")
    assert len(csv_text.splitlines()) == 25
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("transparency_action_plan_import", {"user": "citizen", "ignore_auth": False},
                            id="plan-2018", owner_org="mrafp", rows=[{"ogp_id": "MO0098", "title": "x"}])


def test_milestone_rows_replace_a_commitments_milestones_together_or_not_at_all(cli, people, tmp_path):
    from ckan.cli.cli import ckan as ckan_command
    create(people["sysadmin"], "action-plan", "plan-2018", "mrafp")
    columns = ["ogp_id", "title", "action_plan", "cycle", "policy_area", "milestone_title", "milestone_start",
               "milestone_end", "milestone_deliverable", "milestone_weight", "milestone_state"]
    rows = [["MO0006", "Portail de la transparence", "Plan", "2018", "Open Data"],
            ["MO0001", "Droit d'accès", "Plan", "2018", ""],
            ["MO0006", "", "", "", "", "Séminaire", "2018-09", "2018-09", "", "1", "completed"],
            ["MO0001", "", "", "", "", "Décret", "2018-09", "2019-03", "", "1", ""],
            ["MO0006", "", "", "", "", "Portail", "2018-11", "2099-06", "Le portail en ligne", "2", "in-progress"],
            ["MO0001", "", "", "", "", "Guide", "2018-09", "juin 2019", "", "1", ""],
            ["MO9999", "", "", "", "", "Orphelin", "2019-01", "2019-02", "", "1", ""]]
    with open(tmp_path / "plan.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        writer.writerows(rows)
    result = cli.invoke(ckan_command, ["transparency", "import-plan", str(tmp_path / "plan.csv"),
                                       "--plan", "plan-2018", "--org", "mrafp"])
    assert "2 created, 0 updated, 0 unchanged, 2 milestones, 3 rejected" in result.output, result.output
    assert "row 4 (MO0001): Not imported: another milestone row of MO0001 was rejected" in result.output
    assert "row 6 (MO0001): milestone_end: Write the month as YYYY-MM" in result.output
    assert "row 7 (MO9999): No commitment MO9999 in this action plan" in result.output
    mo0006 = helpers.call_action("package_show", id="mo0006")
    assert [(m["title"], m["state"], m["weight"]) for m in mo0006["milestones"]] == [
        ("Séminaire", "completed", 1), ("Portail", "in-progress", 2)]
    assert mo0006["progress"] == 67  # (100 x 1 + 50 x 2) / 3
    assert helpers.call_action("package_show", id="mo0001").get("milestones") in (None, [])


def test_evidence_uploaded_as_a_document_is_kept_with_the_commitment(app, plan, people):
    def send(content, filename, **fields):
        return app.post("/api/3/action/transparency_milestone_update_record",
                        data={"id": "mo0006", "milestone": 1, "state": "completed",
                              "upload": (io.BytesIO(content), filename), **fields},
                        headers={"Authorization": people["officer"]["token"]},
                        content_type="multipart/form-data")

    refused = send(b"MZ", "outil.exe")
    assert refused.status_code == 409 and "upload" in refused.json["error"]
    both = send(b"%PDF-1.4", "rapport.pdf", evidence_url="https://example.org/r")
    assert both.status_code == 409 and "pas les deux" in both.json["error"]["upload"][0]
    assert helpers.call_action("package_show", id="mo0006")["milestones"][1]["state"] == "in-progress"  # nothing kept
    done = send(b"%PDF-1.4 rapport", "rapport.pdf")
    assert done.status_code == 200
    [evidence] = done.json["result"]["resources"]
    assert evidence["name"].startswith("Preuve : Développement du portail")
    [update] = helpers.call_action("transparency_milestone_update_list", id="mo0006")
    assert update["evidence_url"] == evidence["url"] and evidence["url"].endswith("/rapport.pdf")
    path = evidence["url"].split("://", 1)[1].split("/", 1)[1]
    assert app.get("/" + path).data == b"%PDF-1.4 rapport"  # anyone may read the evidence


def test_texts_show_in_the_pages_language_and_fall_back_to_the_other(app, people):
    create(people["sysadmin"], "commitment", "mo0006", "mrafp", ogp_id="MO0006",
           notes="Créer le portail.", notes_ar="إحداث البوابة.",
           public_problem="L'information est dispersée.", public_problem_ar="المعلومات مشتتة.",
           additional_information="Voir le décret.")
    french = html.unescape(app.get("/commitment/mo0006").body)
    arabic = html.unescape(app.get("/ar/commitment/mo0006").body)
    assert 'lang="fr" dir="ltr"><p>Créer le portail.' in french and "<p>إحداث البوابة" not in french
    assert 'lang="ar" dir="rtl"><p>إحداث البوابة.' in arabic and "<p>Créer le portail" not in arabic
    assert "L'information est dispersée." in french and "المعلومات مشتتة." in arabic
    assert 'lang="fr" dir="ltr"><p>Voir le décret.' in arabic  # no Arabic version: the French one, marked


def test_plan_export_then_import_is_a_round_trip(app, cli, plan, people, tmp_path):
    from ckan.cli.cli import ckan as ckan_command
    helpers.call_action("package_patch", {"user": people["sysadmin"]["name"]}, id="mo0011",
                        commitment_status="inactive", start_date="2018-09-01")
    exported = app.get("/action-plan/plan-2018/export.csv").data.decode("utf-8-sig")
    (tmp_path / "plan.csv").write_text(exported, encoding="utf-8")
    header, *lines = list(csv.reader(io.StringIO(exported)))
    assert header == ["ogp_id", "title", "action_plan", "cycle", "policy_area", "lead_institution", "status",
                      "start_date", "end_date", "progress", "late_milestones", "milestone_title", "milestone_start",
                      "milestone_end", "milestone_deliverable", "milestone_weight", "milestone_state"]
    assert [(r[0], r[5], r[6], r[11]) for r in lines] == [
        ("MO0006", "mrafp", "active", ""), *[("MO0006", "", "", m["title"]) for m in MILESTONES],
        ("MO0011", "mef", "inactive", ""), ("MO0011", "", "", "Budget citoyen")]

    def import_plan():
        return cli.invoke(ckan_command, ["transparency", "import-plan", str(tmp_path / "plan.csv"),
                                         "--plan", "plan-2018", "--org", "mrafp"]).output

    before = {name: helpers.call_action("package_show", id=name) for name in ("mo0006", "mo0011")}
    assert "0 created, 0 updated, 2 unchanged, 0 milestones, 0 rejected" in import_plan()
    for name, shown in before.items():
        after = helpers.call_action("package_show", id=name)
        assert (after["metadata_modified"], after["commitment_status"]) == (shown["metadata_modified"],
                                                                           shown["commitment_status"])
    # One changed cell (a milestone's state of MO0006) changes exactly that.
    lines[2][16] = "completed"
    with open(tmp_path / "plan.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *lines])
    assert "0 created, 0 updated, 2 unchanged, 3 milestones, 0 rejected" in import_plan()
    after = helpers.call_action("package_show", id="mo0006")
    assert [m["state"] for m in after["milestones"]] == ["completed", "completed", "not-started"]
    assert [{k: v for k, v in m.items() if k != "state" and v != ""} for m in after["milestones"]] == [
        {k: v for k, v in m.items() if k != "state"} for m in before["mo0006"]["milestones"]]
    # The lead institution and the status are imported too.
    lines[0][5], lines[-2][6] = "mef", "active"
    with open(tmp_path / "plan.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *lines])
    assert "0 created, 2 updated, 0 unchanged, 0 milestones, 0 rejected" in import_plan()
    assert helpers.call_action("package_show", id="mo0006")["organization"]["name"] == "mef"
    assert helpers.call_action("package_show", id="mo0011")["commitment_status"] == "active"
