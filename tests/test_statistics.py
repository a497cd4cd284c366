"""Statistics: figures hand-counted on small fixed sets of requests, commitments and
contributions, the filters, and the downloads against the page."""
from __future__ import annotations

import csv
import datetime
import html
import io

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.transparency import figures, portal
from conftest import create, submit, transition

ADMIN = {"user": "admin"}


def patch(pkg, **fields):
    return helpers.call_action("package_patch", ADMIN, id=pkg["id"], **fields)


@pytest.fixture
def requests(people, ckan_config, monkeypatch):
    """At MRAFP: a answered early (2 working days), b answered on its due date (5),
    c refused a day late then complained about to the head (20), g answered in part
    (7), i extended then answered within the extended deadline (30), d withdrawn,
    e overdue, h transferred from MEF; at MEF: f new.
    Received: a, b, c in 2025-12; g, d, i in 2026-02; e, h, f in 2026-03."""
    monkeypatch.setitem(ckan_config, "ckanext.transparency.ati.daily_limit", 100)
    today = portal.today()
    a, b, c, d, e, g, i, f = (submit(people["requester"], org=org) for org in ["mrafp"] * 7 + ["mef"])
    h = submit(people["requester"], org="mef")
    transition(people["other_officer"], h, "transfer", target_org="mrafp", note="Compétence du MRAFP.")
    transition(people["officer"], a, "answer", answer="Voici.")
    transition(people["officer"], b, "answer", answer="Voici.")
    patch(b, due_date=today.isoformat())
    transition(people["officer"], c, "refuse", note="Non.", ground="private-life")
    patch(c, due_date=(today - datetime.timedelta(days=1)).isoformat())
    transition(people["requester"], c, "complain_head", note="Le refus n'est pas motivé.")
    transition(people["officer"], g, "answer_partly", answer="Une partie.", ground="private-life")
    transition(people["requester"], d, "withdraw")
    patch(e, due_date=(today - datetime.timedelta(days=2)).isoformat())
    transition(people["officer"], i, "extend", note="Volume important.")
    transition(people["officer"], i, "answer", answer="Voici.")
    for pkg, days in [(a, 2), (b, 5), (c, 20), (g, 7), (i, 30)]:
        patch(pkg, answer_working_days=days)
    for pkgs, received in [((a, b, c), "2025-12-15"), ((g, d, i), "2026-02-02"), ((e, h, f), "2026-03-31")]:
        for pkg in pkgs:
            patch(pkg, received_date=received)
    return locals()


def test_request_figures_match_a_hand_count(requests):
    stats = helpers.call_action("transparency_statistics")
    r = stats["requests"]
    assert (r["received"], r["answered"], r["on_time"], r["overdue"]) == (9, 5, 4, 1)
    assert r["on_time_percent"] == 80  # a, b, g and i of a, b, c, g and i
    assert (r["median_working_days"], r["mean_working_days"]) == (7.0, 12.8)  # 2, 5, 7, 20, 30
    assert (r["withdrawn"], r["transferred"]) == (1, 1)
    # The complaint moved c's state, not its outcome.
    assert [(o["name"], o["count"]) for o in r["by_outcome"]] == [
        ("answered", 3), ("partly-answered", 1), ("refused", 1)]
    assert [(g["name"], g["count"]) for g in r["by_ground"]] == [("private-life", 2)]
    assert r["complaints"] == {"head": 1, "head_answered": 0, "cdai": 0, "cdai_decided": 0, "complied": 0}
    assert [(m["name"], m["count"]) for m in r["by_month"]] == [
        ("2025-12", 3), ("2026-01", 0), ("2026-02", 3), ("2026-03", 3)]
    assert [(i["name"], i["received"], i["answered"], i["on_time_percent"], i["overdue"])
            for i in r["by_institution"]] == [("mrafp", 8, 5, 80, 1), ("mef", 1, 0, None, 0)]


def test_request_figures_are_filtered_by_institution_and_period(requests):
    def requests_of(**filters):
        return helpers.call_action("transparency_statistics", **filters)["requests"]
    assert requests_of(institution="mef")["received"] == 1
    assert requests_of(start="2026-02-02", end="2026-02-02")["received"] == 3  # both ends are in the period
    assert requests_of(start="2026-01-01")["received"] == 6
    assert requests_of(end="2025-12-31")["answered"] == 3
    assert requests_of(institution="mrafp", start="2026-03-01")["received"] == 2
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("transparency_statistics", start="2026-03-01", end="2026-01-01")
    assert "end" in error.value.error_dict
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("transparency_statistics", start="31/01/2026")
    assert "YYYY-MM-DD" in error.value.error_dict["start"][0]


def test_the_answer_records_its_working_days(people):
    pkg = submit(people["requester"])
    assert transition(people["officer"], pkg, "answer", answer="Voici.")["answer_working_days"] == 0  # same day


def test_action_plan_and_consultation_figures(people):
    create(people["sysadmin"], "action-plan", "plan-2018", "mrafp")
    late = [{"title": "Portail", "end": "2019-06", "state": "in-progress"}]
    done = [{"title": "Portail", "end": "2019-06", "state": "completed"}]
    for name, org, areas, milestones, completion in [
            ("mo0001", "mrafp", ["open-data"], late, "limited"),
            ("mo0002", "mrafp", ["open-data", "e-government"], done, "complete"),
            ("mo0003", "mef", ["e-government"], late, "limited")]:
        create(people["sysadmin"], "commitment", name, org, ogp_id=name.upper(), action_plan="plan-2018",
               policy_areas=areas, milestones=milestones, irm_completion=completion)
    consultation = create(people["sysadmin"], "consultation", "projet", "mrafp",
                          opens_at="2020-01-01T00:00:00Z", closes_at="2099-01-01T00:00:00Z")
    items = [helpers.call_action("transparency_contribution_create", {"user": "citizen"}, id=consultation["id"],
                                 text=f"Proposition {n}") for n in range(4)]
    for item, decision in zip(items, ["publish", "publish", "reject"]):
        helpers.call_action("transparency_contribution_moderate", {"user": "officer"}, contribution_id=item["id"],
                            decision=decision, reason="off-topic")
    helpers.call_action("transparency_contribution_answer", {"user": "officer"}, contribution_id=items[0]["id"],
                        kind="taken", text="Merci.")

    stats = helpers.call_action("transparency_statistics")
    plan = stats["action_plan"]
    assert (plan["commitments"], plan["with_late_milestones"]) == (3, 2)
    assert [(i["name"], i["count"]) for i in plan["by_completion"]] == [("limited", 2), ("complete", 1)]
    assert [(i["name"], i["count"]) for i in plan["by_policy_area"]] == [("e-government", 2), ("open-data", 2)]
    assert [(i["name"], i["count"]) for i in plan["late_by_institution"]] == [("mef", 1), ("mrafp", 1)]
    assert stats["consultations"] == {"received": 4, "published": 2, "answered": 1, "rejected": 1,
                                     "led_to_commitments": 0}
    mef = helpers.call_action("transparency_statistics", institution="mef")
    assert mef["action_plan"]["commitments"] == 1 and mef["consultations"]["received"] == 0
    tomorrow = (portal.today() + datetime.timedelta(days=1)).isoformat()
    assert helpers.call_action("transparency_statistics", start=tomorrow)["consultations"]["received"] == 0


def test_the_page_shows_the_figures_and_the_downloads_hold_the_same(app, requests):
    page = html.unescape(app.get("/statistics").body)
    assert "Vie privée et données à caractère personnel" in page and 'aria-valuenow="80"' in page
    assert "Demandes reçues par mois" in page and "<th scope=\"row\">2026-01</th><td>0</td>" in page
    stats = app.get("/statistics.json").json  # labels in the page's language, the same numbers
    assert list(figures.rows(stats)) == list(figures.rows(helpers.call_action("transparency_statistics")))
    rows = list(csv.DictReader(io.StringIO(app.get("/statistics.csv").body.lstrip("\ufeff"))))
    values = {(r["section"], r["figure"], r["item"]): r["value"] for r in rows}
    assert values[("requests", "received", "")] == "9"
    assert values[("requests", "median_working_days", "")] == "7.0"
    assert values[("requests", "by_month", "2026-02")] == "3"
    assert values[("requests", "by_institution.on_time_percent", "mrafp")] == "80"
    for (section, figure, item), value in values.items():  # every plain figure of the file is on the page
        if section == "requests" and not item and "." not in figure and value not in ("", "None"):
            assert f"<dd>{value}" in page, figure
    arabic = html.unescape(app.get("/ar/statistics").body)
    assert 'dir="rtl"' in arabic and "الحياة الخاصة والمعطيات ذات الطابع الشخصي" in arabic
    filtered = app.get("/statistics.csv", query_string={"institution": "mef"}).body
    assert "requests,received,,1" in filtered


def test_the_page_explains_a_bad_period(app, requests):
    page = app.get("/statistics", query_string={"start": "2026-03-01", "end": "2026-01-01"}, status=400)
    assert 'aria-invalid="true"' in page.body and "La fin de la période précède" in html.unescape(page.body)
    app.get("/statistics.csv", query_string={"start": "hier"}, status=400)
    app.get("/statistics.xml", status=404)


def test_median_mean_and_months_as_plain_functions():
    assert figures.median([]) is None and figures.mean([]) is None
    assert figures.median([(3, 1)]) == 3
    assert figures.median([(1, 2), (9, 1)]) == 1  # 1, 1, 9
    assert figures.median([(1, 1), (4, 1), (9, 2)]) == 6.5  # 1, 4, 9, 9
    assert figures.mean([(1, 1), (4, 1), (9, 2)]) == 5.8
    assert [m["name"] for m in figures.months({"2025-11": 1, "2026-02": 2})] == [
        "2025-11", "2025-12", "2026-01", "2026-02"]
    assert figures.percent(2, 3) == 67 and figures.percent(1, 0) is None
