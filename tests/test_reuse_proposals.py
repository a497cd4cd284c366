"""Reuses proposed by citizens: the form in French and Arabic, the proposal hidden
until an officer of the data used approves it, its author told by e-mail and kept
out of the package, its index entry and its activity."""
from __future__ import annotations

import io
import json
import re
import struct
import zlib

import pytest
import requests
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import helpers

from ckanext.transparency import mail
from ckanext.transparency.model import ReuseProposal
from conftest import create

TITLE = "Carte des écoles de Fès"
FORM = {"title": TITLE, "notes": "Une carte des écoles faite avec les données du ministère.",
        "url": "https://cartes.example.ma/ecoles", "reuse_kind": "visualisation", "datasets_used": "ecoles-fes"}


def _png() -> bytes:
    """A 1x1 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def _csrf(body: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', body).group(1)


def _as(person):
    return {"Authorization": person["token"]}


@pytest.fixture
def data(people):
    """A public dataset of the MRAFP (the officer's institution) and a private one of the MEF."""
    create(people["sysadmin"], "dataset", "ecoles-fes", "mrafp", title="Écoles de Fès")
    create(people["sysadmin"], "dataset", "notes-internes", "mef", title="Notes internes", private=True)
    return people


def _propose(app, person, lang="", **fields):
    form = app.get(lang + tk.url_for("reuse.propose"), headers=_as(person))
    return app.post(lang + tk.url_for("reuse.propose"), headers=_as(person), follow_redirects=False,
                    data=dict(FORM, _csrf_token=_csrf(form.body), **fields))


def _proposed(title: str = TITLE) -> model.Package:
    return model.Session.query(model.Package).filter_by(type="showcase", title=title).one()


def _public_titles(app) -> list[str]:
    found = app.get("/api/3/action/package_search", query_string={"fq": "dataset_type:showcase"}).json
    return [pkg["title"] for pkg in found["result"]["results"]]


def _dataset_reuses(app, lang="") -> list[str]:
    page = BeautifulSoup(app.get(lang + tk.url_for("dataset.read", id="ecoles-fes")).body, "html.parser")
    return [a.get_text(strip=True) for a in page.select(".transparency-reuses li a")]


def _moderate(app, person, name, decision, status=302, **fields):
    page = app.get(tk.url_for("reuse.moderation"), headers=_as(person))
    return app.post(tk.url_for("reuse.moderate_reuse", id=name), headers=_as(person), follow_redirects=False,
                    data={"decision": decision, "_csrf_token": _csrf(page.body), **fields}, status=status)


@pytest.mark.parametrize("lang,heading,button", [("", "Proposer une réutilisation", "Proposer la réutilisation"),
                                                 ("/ar", "اقتراح إعادة استخدام", "اقتراح إعادة الاستخدام")])
def test_the_form_reads_in_french_and_arabic(app, data, lang, heading, button):
    page = BeautifulSoup(app.get(lang + tk.url_for("reuse.propose"), headers=_as(data["citizen"])).body, "html.parser")
    assert page.select_one("html").get("dir", "ltr") == ("rtl" if lang else "ltr")
    assert page.select_one("h1").get_text(strip=True) == heading
    form = page.select_one("form.transparency-form")
    assert form.select_one("input[name=_csrf_token]")["value"]
    assert form.select_one("button[type=submit]").get_text(strip=True) == button
    assert [o["value"] for o in form.select("select[name=datasets_used] option")] == ["ecoles-fes"]  # public only
    assert form.select_one("input[name=image_upload]")["type"] == "file"


def test_signed_out_visitors_are_sent_to_sign_in(app, data):
    response = app.get(tk.url_for("reuse.propose"), follow_redirects=False)
    assert response.status_code == 302 and "/user/login" in response.headers["Location"]


@pytest.mark.parametrize("lang,subject,told", [
    ("", "Votre réutilisation est publiée / نُشرت إعادة الاستخدام",
     f"Votre réutilisation « {TITLE} » est approuvée"),
    ("/ar", "نُشرت إعادة الاستخدام / Votre réutilisation est publiée", f"تمت الموافقة على إعادة الاستخدام «{TITLE}»")])
def test_a_proposal_is_hidden_until_an_officer_approves_it_and_its_author_is_told(app, data, smtp, lang, subject,
                                                                                  told):
    citizen = data["citizen"]
    response = _propose(app, citizen, lang, image_upload=(io.BytesIO(_png()), "carte.png"))
    assert response.status_code == 302, response.body[:800]
    pkg = _proposed()
    assert pkg.private and pkg.owner_org == data["orgs"]["asked"]["id"]

    # Hidden: search, the API for others, its DCAT record, the dataset's page.
    assert _public_titles(app) == []
    app.get(f"/api/3/action/package_show?id={pkg.id}", headers=_as(data["requester"]), status=403)
    app.get(f"/showcase/{pkg.name}.ttl", status=404)
    assert _dataset_reuses(app) == []

    # The author is not in the package, its index entry or its activity.
    user = model.User.get(citizen["name"])
    shown = helpers.call_action("package_show", {"user": "admin"}, id=pkg.id)
    indexed = requests.get(tk.config["solr_url"].rstrip("/") + "/select", timeout=10,
                           params={"q": f'id:"{pkg.id}"', "wt": "json"}).json()["response"]["docs"]
    activity = helpers.call_action("package_activity_list", {"user": "admin"}, id=pkg.id, include_hidden_activity=True)
    assert len(indexed) == 1 and activity
    for where in (shown, indexed, activity):
        text = json.dumps(where, default=str)
        for trace in (user.id, user.name, user.email):
            assert trace not in text, (trace, text[:300])
    assert shown["image_url"].startswith(tk.config["ckan.site_url"] + "/uploads/showcase/")
    assert app.get(shown["image_url"].removeprefix(tk.config["ckan.site_url"])).data == _png()

    # The officer of the data used sees it in the queue; a citizen and another institution's officer cannot decide.
    queue = BeautifulSoup(app.get(tk.url_for("reuse.moderation"), headers=_as(data["officer"])).body, "html.parser")
    assert [h.get_text(strip=True) for h in queue.select(".transparency-reuse-proposal h2")] == [TITLE]
    assert [a.get_text(strip=True) for a in queue.select(".transparency-reuse-proposal a bdi")] == ["Écoles de Fès"]
    for outsider in ("requester", "other_officer"):
        _moderate(app, data[outsider], pkg.name, "approve", status=403)
        assert model.Session.get(ReuseProposal, pkg.id).state == "pending"
    _moderate(app, data["officer"], pkg.name, "approve")

    assert _public_titles(app) == [TITLE]
    assert _dataset_reuses(app, lang) == [TITLE]
    mail.send_pending()
    (message,) = smtp.to(user.email)
    assert message["Subject"] == subject
    first = message.get_body().get_content().split(mail.SEPARATOR.strip())[0]
    assert told in first and f"/showcase/{pkg.name}" in first


def test_a_rejected_proposal_never_appears_and_its_author_is_told_why(app, data, smtp):
    assert _propose(app, data["citizen"], "/ar").status_code == 302
    pkg = _proposed()
    with pytest.raises(tk.ValidationError, match="Say why the reuse is rejected"):  # a reason is told
        helpers.call_action("transparency_reuse_moderate", {"user": "officer"}, id=pkg.id, decision="reject")
    assert model.Session.get(ReuseProposal, pkg.id).state == "pending"
    _moderate(app, data["sysadmin"], pkg.name, "reject", reason="Le lien ne mène à aucune carte.")
    assert model.Session.get(ReuseProposal, pkg.id).state == "rejected"
    assert _public_titles(app) == [] and _dataset_reuses(app) == []
    app.get(tk.url_for("showcase.read", id=pkg.name), status=404)
    queue = BeautifulSoup(app.get(tk.url_for("reuse.moderation"), headers=_as(data["officer"])).body, "html.parser")
    assert queue.select(".transparency-reuse-proposal") == []
    mail.send_pending()
    (message,) = smtp.to(data["citizen"]["email"])
    assert message["Subject"] == "لم تُنشر إعادة الاستخدام / Votre réutilisation n'est pas publiée"
    arabic, french = message.get_body().get_content().split(mail.SEPARATOR.strip())
    assert "Le lien ne mène à aucune carte." in arabic and "Motif : Le lien ne mène à aucune carte." in french


@pytest.mark.parametrize("lang,not_image,no_dataset", [
    ("", "carte.png n'est pas une image", "Aucun jeu de données ne s'appelle notes-internes"),
    ("/ar", "carte.png ليس صورة", "لا توجد مجموعة بيانات باسم notes-internes")])
def test_a_bad_link_a_file_not_an_image_and_a_private_dataset_are_refused_next_to_their_fields(
        app, data, lang, not_image, no_dataset):
    response = _propose(app, data["citizen"], lang, url="pas un lien", datasets_used="notes-internes",
                        image_upload=(io.BytesIO(b"#!/bin/sh\necho bonjour\n"), "carte.png"))
    assert response.status_code == 200
    page = BeautifulSoup(response.body, "html.parser")
    errors = {}
    for name in ("url", "datasets_used", "image_upload"):
        group = page.find(attrs={"name": name}).find_parent(class_="form-group")
        assert "error" in group["class"], name
        errors[name] = group.select_one(".error-block").get_text(strip=True)
    assert errors["url"]
    assert not_image in errors["image_upload"]
    assert no_dataset in errors["datasets_used"]
    assert page.find("input", attrs={"name": "title"})["value"] == TITLE
    assert model.Session.query(ReuseProposal).count() == 0


@pytest.mark.ckan_config("ckanext.transparency.reuse.daily_limit", 1)
def test_a_person_proposes_a_limited_number_of_reuses_a_day(app, data):
    assert _propose(app, data["citizen"]).status_code == 302
    again = BeautifulSoup(_propose(app, data["citizen"], title="Une autre carte").body, "html.parser")
    assert "le maximum permis" in again.select_one(".alert-danger").get_text()
    assert model.Session.query(ReuseProposal).count() == 1
