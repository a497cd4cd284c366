"""Following a request, an institution or a search: a daily digest of what
changed (read from the real SMTP server), whose link stops it once, and which
never tells who filed a request."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

from ckan.tests import helpers

from ckanext.transparency import mail
from conftest import IDENTITY, create, submit, transition

CITIZEN = "citizen@example.ma"


def _refresh(cli) -> str:
    from ckan.cli.cli import ckan as ckan_command
    result = cli.invoke(ckan_command, ["transparency", "refresh"])
    assert result.exit_code == 0, result.output
    return result.output


def _digests(smtp) -> list[str]:
    mail.send_pending()
    return smtp.bodies(CITIZEN)


def _stop_page(app, url: str) -> BeautifulSoup:
    return BeautifulSoup(app.get(url).body, "html.parser")


def test_a_follower_gets_what_changed_once_a_day_and_the_link_stops_it_once(app, cli, people, smtp, freezer):
    citizen = {"user": "citizen"}
    freezer.move_to("2026-11-02 09:00:00")
    pkg = submit(people["requester"])
    helpers.call_action("follow_dataset", citizen, id=pkg["id"])
    helpers.call_action("follow_group", citizen, id="mrafp")
    helpers.call_action("transparency_saved_search_create", citizen, dataset_type="publication", q="budget")
    mail.send_pending()
    smtp.messages.clear()

    freezer.move_to("2026-11-02 11:00:00")
    transition(people["officer"], pkg, "start")
    transition(people["officer"], pkg, "answer",
               answer=f"Voici le budget par école, comme demandé par {IDENTITY['full_name']}.")
    create(people["officer"], "publication", "budget-ecoles-2026", "mrafp", title="Budget des écoles 2026")

    freezer.move_to("2026-11-03 09:30:00")
    assert "1 digests to followers queued" in _refresh(cli)
    assert "0 digests to followers queued" in _refresh(cli)  # one a day
    (digest,) = _digests(smtp)
    mine, other = digest.split(mail.SEPARATOR.strip())
    assert "Les demandes que vous suivez" in mine and "الطلبات التي تتابعونها" in other
    assert pkg["tracking_number"] in mine and "Voici le budget par école" in mine
    assert "Répondre entièrement (Satisfaite)" in mine and "الرد الكامل (تمت الإجابة)" in other
    assert "Budget des écoles 2026" in mine and "/publication/budget-ecoles-2026" in mine
    assert "Nouveaux résultats pour « budget » : 1" in mine
    for secret in (IDENTITY["full_name"], IDENTITY["email"], IDENTITY["id_number"], "requester"):
        assert secret not in digest
    stop = re.search(r"http://test\.transparency\.local(/follow/stop/\S+)", mine).group(1)

    page = _stop_page(app, "/ar" + stop)  # no sign-in; in Arabic
    assert page.select_one("h1").get_text(strip=True) == "إيقاف الملخص"
    token = page.select_one('input[name="_csrf_token"]')["value"]
    done = BeautifulSoup(app.post(stop, data={"_csrf_token": token}).body, "html.parser")
    assert "plus aucun" in done.select_one(".transparency-follow-stopped").get_text()
    again = app.post(stop, data={"_csrf_token": token}, status=410)
    assert "déjà été utilisé" in BeautifulSoup(again.body, "html.parser").select_one(".transparency-follow-error").get_text()
    app.post("/follow/stop/forged", data={"_csrf_token": token}, status=410)
    assert helpers.call_action("am_following_dataset", citizen, id=pkg["id"]) is False
    assert helpers.call_action("transparency_saved_search_list", citizen) == []

    create(people["officer"], "publication", "budget-ecoles-2027", "mrafp", title="Budget des écoles 2027")
    freezer.move_to("2026-11-05 09:30:00")
    assert "0 digests to followers queued" in _refresh(cli)


@pytest.mark.parametrize("lang,label", [("", "Suivre cette recherche"), ("/ar", "تتبع هذا البحث")])
def test_a_search_is_followed_from_its_page(app, people, lang, label):
    headers = {"Authorization": people["citizen"]["token"]}
    page = BeautifulSoup(app.get(lang + "/publication/?q=budget&category=budget", headers=headers).body,
                         "html.parser")
    form = page.select_one("form.transparency-follow-search")
    assert form.select_one("button").get_text(strip=True) == label
    fields = {i["name"]: i["value"] for i in form.select("input")}
    response = app.post(form["action"], data=fields, headers=headers, follow_redirects=False)
    assert response.status_code == 302 and "category=budget" in response.headers["Location"]
    (saved,) = helpers.call_action("transparency_saved_search_list", {"user": "citizen"})
    assert saved["q"] == "budget" and saved["filters"] == [["category", "budget"]]
    assert BeautifulSoup(app.get(lang + "/publication/").body, "html.parser").select_one(
        "form.transparency-follow-search") is None  # signed out: nothing to follow with


def test_a_followed_search_keeps_every_filter_and_a_tampered_form_is_refused_without_an_error(app, people):
    headers = {"Authorization": people["citizen"]["token"]}
    page = BeautifulSoup(app.get("/dataset/?q=budget", headers=headers).body, "html.parser")
    token = page.select_one("form.transparency-follow-search input[name=_csrf_token]")["value"]
    fields = [("_csrf_token", token), ("dataset_type", "dataset"), ("q", "budget"),
              ("res_format", "CSV"), ("res_format", "XLSX")]
    response = app.post("/follow/search", data=MultiDict(fields), headers=headers, follow_redirects=False)
    assert response.status_code == 302
    assert parse_qs(urlparse(response.headers["Location"]).query) == {"q": ["budget"], "res_format": ["CSV", "XLSX"]}
    tampered = app.post("/follow/search", data={"_csrf_token": token, "dataset_type": "nope", "q": "budget"},
                        headers=headers, follow_redirects=False)
    assert tampered.status_code == 302 and urlparse(tampered.headers["Location"]).path in ("/", "/fr/")
    (saved,) = helpers.call_action("transparency_saved_search_list", {"user": "citizen"})
    assert saved["filters"] == [["res_format", "CSV"], ["res_format", "XLSX"]]


@pytest.mark.parametrize("lang,label", [("", "Suivre"), ("/ar", "متابعة")])
def test_requests_and_institutions_are_followed_with_the_button_of_their_page(app, people, lang, label):
    pkg = submit(people["requester"])
    headers = {"Authorization": people["citizen"]["token"]}
    for url, follow in ((f"{lang}/ati-request/{pkg['name']}", f"/dataset/follow/{pkg['id']}"),
                        (f"{lang}/organization/mrafp", "/organization/follow/")):
        page = BeautifulSoup(app.get(url, headers=headers).body, "html.parser")
        button = page.select_one(f'a[hx-post*="{follow}"]')
        assert button is not None and button.get_text(strip=True) == label, url
        assert IDENTITY["full_name"] not in page.get_text()
