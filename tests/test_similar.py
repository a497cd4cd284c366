""""Has this been asked or published already?": while a request is typed, the
answered requests, publications and datasets closest to it, in French and Arabic,
through the portal's own search (a subject typed in another form finds them)."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from conftest import IDENTITY, create, submit, transition

FORM = {"owner_org": "mrafp", "notes": "Je voudrais la liste.", "delivery": "email", **IDENTITY}


@pytest.fixture
def records(people):
    """Two answered requests (Arabic and French), an open one and a refused one on
    the same subjects, a publication and a private dataset."""
    officer = people["officer"]
    arabic = submit(people["requester"], title="الصفقات العمومية لجماعة فاس", notes="لائحة الصفقات.")
    transition(officer, arabic, "answer", answer="اللائحة مرفقة.")
    french = submit(people["requester"], title="Marchés publics de l'hôpital régional", notes="La liste.")
    transition(officer, french, "answer_partly", answer="Une partie.", ground="private-life")
    submit(people["citizen"], title="الصفقات العمومية لجماعة مكناس", notes="لم يجب عنه بعد.")
    refused = submit(people["citizen"], title="Marchés publics de la défense", notes="Refusé.")
    transition(officer, refused, "refuse", ground="national-defence", note="Défense nationale.")
    org = people["orgs"]["asked"]["id"]
    create(officer, "publication", "rapport-marches", org, title="Rapport sur les marchés publics",
           title_ar="تقرير حول الصفقات العمومية")
    create(officer, "dataset", "marches-prives", org, title="Marchés publics attribués", private=True)
    return {"arabic": arabic, "french": french}


def _similar(**data):
    return helpers.call_action("transparency_ati_similar", {"user": ""}, **data)


@pytest.mark.parametrize("typed", ["صفقة عمومية", "الصفقات العموميه", "والصفقات العمومية بفاس"])
def test_an_arabic_subject_typed_in_another_form_finds_the_answered_request(records, typed):
    found = [r["name"] for r in _similar(subject=typed)]
    assert records["arabic"]["name"] in found
    assert found[0] in (records["arabic"]["name"], "rapport-marches")


def test_a_french_subject_without_accents_finds_the_answer_in_part(records):
    found = {r["name"]: r for r in _similar(subject="marches publics hopital")}
    assert list(found)[0] == records["french"]["name"]
    assert found[records["french"]["name"]]["state"] == "partly-answered"
    assert found["rapport-marches"]["state"] is None


def test_unanswered_refused_and_private_records_are_never_suggested(records):
    found = _similar(subject="marchés publics") + _similar(subject="الصفقات العمومية")
    assert {r["type"] for r in found} == {"ati-request", "publication"}
    assert {r["state"] for r in found if r["type"] == "ati-request"} == {"answered", "partly-answered"}
    assert "marches-prives" not in {r["name"] for r in found}
    assert IDENTITY["full_name"] not in str(found) and IDENTITY["email"] not in str(found)


@pytest.mark.parametrize("data, field", [({"subject": "x" * 201}, "subject"), ({"text": "x" * 5001}, "text"),
                                          ({"subject": "a\x00b"}, "subject")])
def test_the_api_refuses_what_it_cannot_read(app, records, data, field):
    answer = app.post("/api/3/action/transparency_ati_similar", json=data, status=409).json
    assert list(answer["error"]) == [field, "__type"] or field in answer["error"]


def test_the_api_answers_anyone(app, records):
    answer = app.post("/api/3/action/transparency_ati_similar", json={"subject": "صفقة"}).json
    assert records["arabic"]["name"] in [r["name"] for r in answer["result"]]
    assert _similar(subject="  ", text="") == []


def _csrf(body: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', body).group(1)


@pytest.mark.parametrize("lang, heading, state, kind", [
    ("", "Cela a-t-il déjà été demandé ou publié ?", "Satisfaite", "Publication"),
    ("/ar", "هل سبق أن طُلب هذا أو نُشر؟", "تمت الإجابة", "منشور")])
def test_check_before_sending_shows_them_without_javascript_and_keeps_the_form(app, people, records, lang,
                                                                               heading, state, kind):
    me = {"Authorization": people["requester"]["token"]}
    form = app.get(lang + tk.url_for("ati.submit"), headers=me)
    typed = dict(FORM, title="صفقة عمومية بفاس", notes="لائحة الصفقات العمومية", urgent="on", urgent_reason="x",
                 check="1",
                 _csrf_token=_csrf(form.body))
    page = BeautifulSoup(app.post(lang + tk.url_for("ati.submit"), data=typed, headers=me).body, "html.parser")
    box = page.select_one(".transparency-similar")
    assert box.find("h2").get_text(strip=True) == heading
    items = {li.find("a").get_text(strip=True): li for li in box.select(".transparency-similar-item")}
    answered = items["الصفقات العمومية لجماعة فاس"]
    assert answered.select_one(".transparency-similar-state").get_text(strip=True) == state
    assert answered.find("a")["href"].endswith("/ati-request/" + records["arabic"]["name"])
    assert kind in [li.select_one(".badge").get_text(strip=True) for li in items.values()]
    # nothing was filed, and everything typed is still there
    assert page.find("input", attrs={"name": "title"})["value"] == "صفقة عمومية بفاس"
    assert page.find("input", attrs={"name": "full_name"})["value"] == IDENTITY["full_name"]
    assert page.find("input", attrs={"name": "urgent"}).has_attr("checked")
    assert not page.select(".alert-danger")
    assert helpers.call_action("package_search", fq="+dataset_type:ati-request", rows=0)["count"] == 4


@pytest.mark.parametrize("lang, nothing", [("", "Rien de ce qui a été répondu ou publié"), ("/ar", "لا شيء")])
def test_the_fragment_fetched_while_typing(app, people, records, lang, nothing):
    """POSTed with the form's CSRF token: what is typed never goes into an address (access logs)."""
    form = app.get(lang + tk.url_for("ati.submit"), headers={"Authorization": people["requester"]["token"]})
    token = BeautifulSoup(form.body, "html.parser").find("input", attrs={"name": "_csrf_token"})["value"]

    def fragment(**typed):
        answer = app.post(lang + tk.url_for("ati.similar"), data=dict(typed, _csrf_token=token),
                          headers={"Authorization": people["requester"]["token"]})
        return BeautifulSoup(answer.body, "html.parser")

    first = fragment(subject="Marches publics hopital").select_one(".transparency-similar-item a")
    assert first.get_text(strip=True) == "Marchés publics de l'hôpital régional"
    none = fragment(subject="zzzqx")
    assert none.select_one(".transparency-similar").get_text(strip=True).startswith(nothing)
    assert fragment().select_one(".transparency-similar").get_text(strip=True) == ""
    app.get(lang + tk.url_for("ati.similar", subject="budget"), status=404)  # no GET: read as a request id


def test_the_receipt_repeats_them(app, people, records):
    me = {"Authorization": people["requester"]["token"]}
    form = app.get(tk.url_for("ati.submit"), headers=me)
    response = app.post(tk.url_for("ati.submit"), data=dict(FORM, title="Les marchés publics des hôpitaux",
                                                           _csrf_token=_csrf(form.body)),
                        headers=me, follow_redirects=False)
    receipt = BeautifulSoup(app.get(response.headers["Location"], headers=me).body, "html.parser")
    titles = [a.get_text(strip=True) for a in receipt.select(".transparency-similar-item a")]
    assert "Marchés publics de l'hôpital régional" in titles
