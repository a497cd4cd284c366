"""The request pages as people use them: the form, the receipt, the officer's
actions, "my requests" and the inbox, in French and Arabic, CSRF-protected."""
from __future__ import annotations

import html
import io
import re

import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from conftest import IDENTITY, submit

FORM = {"owner_org": "mrafp", "title": "Marchés publics de 2025", "notes": "La liste des marchés attribués.",
        "delivery": "electronic", **IDENTITY}


def _csrf(body: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', body).group(1)


def _as(person):
    return {"Authorization": person["token"]}


def test_anonymous_visitors_are_sent_to_log_in(app, people):
    response = app.get(tk.url_for("ati.submit"), follow_redirects=False)
    assert response.status_code == 302 and "/user/login" in response.headers["Location"]


def test_citizen_files_a_request_through_the_form_and_gets_a_receipt(app, people, smtp):
    form = app.get(tk.url_for("ati.submit"), headers=_as(people["requester"]))
    assert 'name="_csrf_token"' in form.body
    for label in ("Institution sollicitée", "Objet", "Numéro de CIN ou de titre de séjour"):
        assert label in html.unescape(form.body), label
    response = app.post(tk.url_for("ati.submit"), data=dict(FORM, _csrf_token=_csrf(form.body)),
                        headers=_as(people["requester"]), follow_redirects=False)
    assert response.status_code == 302, response.body[:500]
    receipt = app.get(response.headers["Location"], headers=_as(people["requester"]))
    assert re.search(r'data-tracking-number="DAI-\d{4}-000001"', receipt.body)
    assert IDENTITY["full_name"] in receipt.body
    # Nobody else sees the receipt.
    app.get(response.headers["Location"], headers=_as(people["citizen"]), status=403)


@pytest.mark.parametrize("lang,cin,email", [("", "Numéro de CIN ou de titre de séjour", "Courriel"),
                                             ("/ar", "رقم البطاقة الوطنية أو بطاقة الإقامة", "البريد الإلكتروني")])
def test_form_errors_name_the_fields_and_keep_what_was_typed(app, people, lang, cin, email):
    form = app.get(lang + tk.url_for("ati.submit"), headers=_as(people["requester"]))
    response = app.post(lang + tk.url_for("ati.submit"),
                        data=dict(FORM, id_number="???", email="x", _csrf_token=_csrf(form.body)),
                        headers=_as(people["requester"]))
    assert response.status_code == 200
    page = BeautifulSoup(response.body, "html.parser")
    summary = [li.get_text() for li in page.select('.alert-danger li')]
    assert sorted(line.split(":")[0] for line in summary) == sorted([cin, email])
    for name in ("id_number", "email"):  # the error stands next to its field
        group = page.find("input", attrs={"name": name}).find_parent(class_="form-group")
        assert "error" in group["class"] and group.select_one(".error-block").get_text().strip()
    assert page.find("input", attrs={"name": "title"})["value"] == "Marchés publics de 2025"


def test_forms_refuse_a_post_without_their_csrf_token(app, people):
    """A browser session (cookie, not an API token) must send the form's token."""
    factories.User(name="browser", password="Correct-horse-2026")
    browser = app.test_client()  # one client: it keeps the session cookie
    login = browser.get(tk.url_for("user.login"))
    browser.post(tk.url_for("user.login"), data={"login": "browser", "password": "Correct-horse-2026",
                                                 "_csrf_token": _csrf(login.text)})
    form = browser.get(tk.url_for("ati.submit"))
    assert "Déposer la demande" in html.unescape(form.text)  # signed in through the cookie
    assert browser.post(tk.url_for("ati.submit"), data=FORM).status_code == 400
    pkg = submit(people["requester"])
    assert browser.post(tk.url_for("ati.transition", id=pkg["name"]),
                        data={"transition": "withdraw"}).status_code == 400
    response = browser.post(tk.url_for("ati.submit"), data=dict(FORM, _csrf_token=_csrf(form.text)))
    assert response.status_code == 200 and "DAI-" in response.text  # the receipt, after the redirect


def test_arabic_form_is_right_to_left(app, people):
    page = app.get("/ar" + tk.url_for("ati.submit"), headers=_as(people["requester"]))
    assert 'dir="rtl"' in page.body
    assert "تقديم طلب الحصول على المعلومات" in page.body


def test_officer_answers_from_the_request_page_and_the_public_sees_the_history(app, people):
    pkg = submit(people["requester"])
    url = tk.url_for("ati-request.read", id=pkg["name"])
    officer_page = app.get(url, headers=_as(people["officer"]))
    assert IDENTITY["id_number"] in officer_page.body  # the officer sees who asked
    assert 'value="answer"' in officer_page.body and 'value="refuse"' in officer_page.body
    response = app.post(tk.url_for("ati.transition", id=pkg["name"]),
                        data={"transition": "answer", "answer": "Voir le document joint.",
                              "_csrf_token": _csrf(officer_page.body)},
                        headers=_as(people["officer"]), follow_redirects=False)
    assert response.status_code == 302
    public = BeautifulSoup(app.get(url).body, "html.parser")
    assert public.select_one(".transparency-state").get_text(strip=True) == "Satisfaite"
    rows = {th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True)
            for th in public.select(".additional-info th") if th.find_next_sibling("td")}
    assert rows["Réponse"] == "Voir le document joint."
    last = public.select(".transparency-ati-history li")[-1].get_text(" ", strip=True)
    assert "Répondre entièrement" in last and "l'institution" in last
    assert IDENTITY["id_number"] not in str(public) and public.find(attrs={"name": "transition"}) is None


@pytest.mark.parametrize("lang,ground,state", [("", "Motif (article 7)", "Reçue"),
                                                ("/ar", "السبب (المادة 7)", "متوصل به")])
def test_refused_transition_from_the_page_says_why(app, people, lang, ground, state):
    pkg = submit(people["requester"])
    client = app.test_client()  # one client: the flash survives the redirect
    page = client.get(lang + tk.url_for("ati-request.read", id=pkg["name"]), headers=_as(people["officer"]))
    after = client.post(lang + tk.url_for("ati.transition", id=pkg["name"]), follow_redirects=True,
                        data={"transition": "refuse", "note": "Non.", "_csrf_token": _csrf(page.text)},
                        headers=_as(people["officer"]))
    soup = BeautifulSoup(after.text, "html.parser")
    errors = [alert.get_text(" ", strip=True) for alert in soup.select(".flash-messages .alert-error, "
                                                                        ".flash-messages .alert-danger")]
    assert len(errors) == 1 and errors[0].startswith(ground + ":"), errors
    assert soup.select_one(".transparency-state").get_text(strip=True) == state  # nothing changed


def test_my_requests_and_the_inbox(app, people):
    pkg = submit(people["requester"])
    mine = app.get(tk.url_for("ati.mine"), headers=_as(people["requester"]))
    assert pkg["tracking_number"] in mine.body
    assert pkg["tracking_number"] not in app.get(tk.url_for("ati.mine"), headers=_as(people["citizen"])).body
    inbox = app.get(tk.url_for("ati.inbox"), headers=_as(people["officer"]))
    assert pkg["tracking_number"] in inbox.body
    app.get(tk.url_for("ati.inbox"), headers=_as(people["citizen"]), status=403)


def test_officer_answers_with_a_document_that_anyone_can_download(app, people):
    pkg = submit(people["requester"])
    response = app.post("/api/3/action/transparency_ati_request_transition",
                        data={"id": pkg["id"], "transition": "answer", "answer": "Ci-joint.",
                              "document_name": "Budget par école",
                              "upload": (io.BytesIO(b"ecole,budget\nIbn Khaldoun,120000\n"), "budget.csv")},
                        headers=_as(people["officer"]), content_type="multipart/form-data")
    resource = response.json["result"]["resources"][0]
    assert resource["name"] == "Budget par école" and resource["url_type"] == "upload"
    download = app.get(resource["url"].replace("http://test.transparency.local", ""))
    assert b"Ibn Khaldoun,120000" in download.data


@pytest.mark.parametrize("filename", ["../../etc/passwd.csv", "programme.exe", ".htaccess"])
def test_unsafe_or_unknown_documents_are_refused(app, people, filename):
    pkg = submit(people["requester"])
    response = app.post("/api/3/action/transparency_ati_request_transition",
                        data={"id": pkg["id"], "transition": "answer", "answer": "x",
                              "upload": (io.BytesIO(b"data"), filename)},
                        headers=_as(people["officer"]), content_type="multipart/form-data", status=409)
    assert "upload" in response.json["error"]
    assert helpers.call_action("package_show", id=pkg["id"])["ati_state"] == "received"  # nothing changed
