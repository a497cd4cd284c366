"""Indicators: the series read from the uploaded CSV is the one drawn on the page."""
from __future__ import annotations

import csv
import html
import io

from ckan.tests import helpers

from ckanext.transparency import indicators
from conftest import create

VALUES = "period,value,breakdown\n2023,58,\n2025,71.5,\n2024,63,\n2024,70,Urgentes\n2025,78,Urgentes\n"


def upload(app, token, pkg, content, filename="valeurs.csv", status=200):
    return app.post("/api/3/action/resource_create", headers={"Authorization": token},
                    data={"package_id": pkg["id"], "name": "Valeurs", "format": "CSV",
                          "upload": (io.BytesIO(content.encode("utf-8")), filename)},
                    content_type="multipart/form-data", status=status)


def test_the_chart_draws_the_csv(app, people):
    pkg = create(people["sysadmin"], "indicator", "delais", "mrafp", title="Réponses dans les délais")
    empty = helpers.call_action("transparency_indicator_series", id=pkg["name"])
    assert (empty["resource_id"], empty["points"], empty["latest"]) == (None, [], None)
    upload(app, people["officer"]["token"], pkg, VALUES)
    series = helpers.call_action("transparency_indicator_series", id=pkg["name"])
    rows = [r for r in csv.DictReader(io.StringIO(VALUES)) if not r["breakdown"]]
    assert series["points"] == sorted(({"period": r["period"], "value": float(r["value"])} for r in rows),
                                      key=lambda p: p["period"])
    assert series["breakdowns"] == [{"name": "Urgentes", "points": [{"period": "2024", "value": 70.0},
                                                                   {"period": "2025", "value": 78.0}]}]
    assert series["latest"] == {"period": "2025", "value": 71.5}
    assert (series["change"], series["change_percent"]) == (8.5, 13.5)
    assert series["unit"] == "%" and series["errors"] == []

    page = html.unescape(app.get("/indicator/delais").body)
    assert "Dernière valeur (2025)" in page and "71.5 <small>%</small>" in page and ">+8.5</bdi>" in page
    for point in series["points"]:  # the table under the chart holds every value of the file
        assert f'<th scope="row">{point["period"]}</th><td>{point["value"]:g}</td>' in page
    assert page.count('class="transparency-column"') == 5  # 3 headline points, 2 of the breakdown
    arabic = html.unescape(app.get("/ar/indicator/delais").body)
    assert 'dir="rtl"' in arabic and "آخر قيمة (2025)" in arabic


def test_rows_that_cannot_be_read_are_named_and_left_out(app, people):
    pkg = create(people["sysadmin"], "indicator", "delais", "mrafp")
    upload(app, people["officer"]["token"], pkg, "period,value\n2023,58\n2024,beaucoup\n,12\n2023,60\n2025,\"1 234,5\"\n")
    series = helpers.call_action("transparency_indicator_series", id=pkg["name"])
    assert series["points"] == [{"period": "2023", "value": 58.0}, {"period": "2025", "value": 1234.5}]
    assert [(e["line"], e["message"]) for e in series["errors"]] == [
        (3, "The value beaucoup is not a number"), (4, "The period is missing"), (5, "The period 2023 appears twice")]
    page = html.unescape(app.get("/indicator/delais").body)
    assert "Ligne 3 : La valeur beaucoup n'est pas un nombre" in page


def test_a_file_without_the_columns_says_which_are_needed(app, people):
    pkg = create(people["sysadmin"], "indicator", "delais", "mrafp")
    upload(app, people["officer"]["token"], pkg, "annee;taux\n2023;58\n")
    series = helpers.call_action("transparency_indicator_series", id=pkg["name"])
    assert series["points"] == [] and "period and value" in series["errors"][0]["message"]
    app.post("/api/3/action/transparency_indicator_series", json={"id": "nope"}, status=404)
    other = create(people["sysadmin"], "publication", "pub", "mrafp")
    app.post("/api/3/action/transparency_indicator_series", json={"id": other["id"]}, status=404)


def test_change_and_parse_as_plain_functions():
    assert indicators.change([]) == {"latest": None, "previous": None, "change": None, "change_percent": None}
    assert indicators.change([{"period": "2024", "value": 0.0}, {"period": "2025", "value": 5.0}])["change_percent"] is None
    assert indicators.change([{"period": "2024", "value": -4.0}, {"period": "2025", "value": -2.0}])["change_percent"] == 50.0
    parsed = indicators.parse("\ufeffPeriod , Value\n2024-Q2,3\n2024-Q1,1\n")
    assert [p["period"] for p in parsed["points"]] == ["2024-Q1", "2024-Q2"] and parsed["errors"] == []


def test_quarters_run_from_the_first_month_to_today():
    import datetime
    assert indicators.quarters("2024-12", datetime.date(2025, 4, 1)) == [
        ("2024-Q4", datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)),
        ("2025-Q1", datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)),
        ("2025-Q2", datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))]
    assert indicators.quarter(datetime.date(2025, 9, 30)) == "2025-Q3"


def test_the_demos_live_indicator_matches_the_statistics_page(app, cli, portal):
    from bs4 import BeautifulSoup
    from ckan.cli.cli import ckan as ckan_command
    result = cli.invoke(ckan_command, ["transparency", "demo"])
    assert result.exit_code == 0, result.output
    series = helpers.call_action("transparency_indicator_series", id="demandes-repondues-dans-les-delais-portail")
    assert series["live_source"] == "ati-on-time" and series["points"]
    for point in series["points"]:
        year, q = int(point["period"][:4]), int(point["period"][-1])
        start, end = f"{year}-{3 * q - 2:02d}-01", f"{year}-{3 * q:02d}-{[31, 30, 30, 31][q - 1]}"
        shown = app.get(f"/statistics.json?start={start}&end={end}").json["requests"]
        assert point["value"] == shown["on_time_percent"], point
    latest = series["points"][-1]
    for lang in ("fr", "ar"):
        page = BeautifulSoup(app.get(f"/{lang}/indicator/demandes-repondues-dans-les-delais-portail").body,
                             "html.parser")
        value = page.select_one(".transparency-figures dd").get_text(" ", strip=True)
        assert value.startswith(str(int(latest["value"]))) and value.endswith("%")
        assert page.select_one(".transparency-live-source a")["href"].endswith("/statistics")
