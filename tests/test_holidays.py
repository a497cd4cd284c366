"""The Islamic holidays file runs out: the administrator is told months before
(CLI and sysadmin pages), and deadlines beyond its last date say they are estimates."""
from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_command

from ckanext.transparency import deadlines
from conftest import submit

D = datetime.date
KEY = "ckanext.transparency.ati.holidays_file"


def test_a_calendar_knows_until_when_it_is_dated():
    calendar = deadlines.Calendar([D(2027, 3, 20), D(2027, 5, 27)])
    assert calendar.covered_until == D(2027, 5, 27)
    assert not calendar.is_estimate(D(2027, 5, 27)) and calendar.is_estimate(D(2027, 5, 28))
    assert calendar.runs_out(D(2026, 12, 1), 6) and not calendar.runs_out(D(2026, 11, 27), 6)
    assert not calendar.runs_out(D(2026, 12, 1), 5)
    assert deadlines.Calendar([]).runs_out(D(2026, 1, 1), 6) and deadlines.Calendar([]).is_estimate(D(2026, 1, 1))
    assert deadlines.add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert deadlines.add_months(D(2027, 12, 15), 1) == D(2028, 1, 15)


@pytest.fixture
def short_file(tmp_path, ckan_config, monkeypatch):
    """A holidays file whose last date is 2027-05-27."""
    path = tmp_path / "holidays.csv"
    path.write_text("# test\ndate,holiday,status\n2027-03-20,Aid Al Fitr,estimated\n"
                    "2027-05-27,Aid Al Adha,estimated\n", encoding="utf-8")
    monkeypatch.setitem(ckan_config, KEY, str(path))
    return path


def test_the_check_fails_within_six_months_of_the_end(cli, portal, short_file, freezer):
    freezer.move_to("2026-12-01 10:00:00")
    result = cli.invoke(ckan_command, ["transparency", "holidays", "check"])
    assert result.exit_code == 1 and "2027-05-27" in result.output, result.output
    shorter = cli.invoke(ckan_command, ["transparency", "holidays", "check", "--months", "5"])
    assert shorter.exit_code == 0 and "covers until 2027-05-27" in shorter.output
    freezer.move_to("2026-11-20 10:00:00")
    assert cli.invoke(ckan_command, ["transparency", "holidays", "check"]).exit_code == 0


def test_the_shipped_file_passes_the_check_today(cli, portal):
    result = cli.invoke(ckan_command, ["transparency", "holidays", "check"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("lang, words", [("", "se termine le 27 mai 2027"), ("/ar", "27 ماي 2027")])
def test_sysadmin_pages_warn(app, people, short_file, freezer, lang, words):
    freezer.move_to("2026-12-01 10:00:00")
    admin = {"Authorization": people["sysadmin"]["token"]}
    page = BeautifulSoup(app.get(lang + tk.url_for("admin.index"), headers=admin).body, "html.parser")
    assert words in page.select_one(".transparency-holidays-warning").get_text(" ", strip=True)
    freezer.move_to("2026-11-20 10:00:00")
    page = BeautifulSoup(app.get(lang + tk.url_for("admin.index"), headers=admin).body, "html.parser")
    assert page.select_one(".transparency-holidays-warning") is None


@pytest.mark.parametrize("lang, note", [("", "estimation"), ("/ar", "تقديري")])
def test_a_deadline_beyond_the_file_is_an_estimate(app, people, short_file, freezer, lang, note):
    freezer.move_to("2027-05-10 10:00:00")  # 20 working days later is in June
    pkg = submit(people["requester"])
    shown = app.get(f"/api/3/action/package_show?id={pkg['name']}").json["result"]
    assert shown["due_date"] > "2027-05-27" and shown["due_date_estimate"] is True
    page = BeautifulSoup(app.get(lang + tk.url_for("ati-request.read", id=pkg["name"])).body, "html.parser")
    assert note in page.select_one(".transparency-ati-status .transparency-estimate").get_text(strip=True)


def test_a_deadline_within_the_file_is_not(app, people, freezer):
    freezer.move_to("2026-11-30 10:00:00")
    pkg = submit(people["requester"])
    assert app.get(f"/api/3/action/package_show?id={pkg['name']}").json["result"]["due_date_estimate"] is False
    page = BeautifulSoup(app.get(tk.url_for("ati-request.read", id=pkg["name"])).body, "html.parser")
    assert page.select_one(".transparency-estimate") is None
