"""The officers' whole workload, requests received on paper, at the counter or by
post, the CDAI's decisions and their compliance, and batches: through the actions,
the API and the pages, in French and Arabic."""
from __future__ import annotations

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from ckanext.transparency import ati, mail, portal
from ckanext.transparency.model import Outbox
from conftest import IDENTITY, submit, transition

ADMIN = {"user": "admin"}


def _as(person):
    return {"Authorization": person["token"]}


def _csrf(body: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', body).group(1)


def _patch(pkg, **fields):
    return helpers.call_action("package_patch", ADMIN, id=pkg["id"], **fields)


def _numbers(soup, section_id):
    """The tracking numbers listed in a section of an inbox page."""
    section = soup.find(id=section_id).find_parent("section")
    return [a.get_text(strip=True) for a in section.select("td a")]


@pytest.fixture
def cdai(people):
    """The CDAI's organization and one of its members, with an API token."""
    org = factories.Organization(name="cdai", title="CDAI")
    member = factories.User(name="cdai-member", email="membre@cdai.example.ma")
    helpers.call_action("organization_member_create", id=org["id"], username="cdai-member", role="editor")
    member["token"] = helpers.call_action("api_token_create", {"user": "cdai-member"},
                                          user="cdai-member", name="tests")["token"]
    return member


def _before_the_cdai(people):
    """A refused request whose complaint went to the head, then to the CDAI."""
    pkg = submit(people["requester"])
    transition(people["officer"], pkg, "refuse", note="Non.", ground="private-life")
    transition(people["requester"], pkg, "complain_head", note="Le refus n'est pas motivé.")
    transition(people["officer"], pkg, "head_answer", note="Le refus est maintenu.")
    return transition(people["requester"], pkg, "complain_cdai", note="Je conteste.")


# The officers' whole workload.

@pytest.mark.ckan_config("ckanext.transparency.ati.daily_limit", "100")
def test_the_inbox_lists_every_item_by_what_to_do_next_and_by_deadline(app, people, cdai):
    today = portal.today()
    new = submit(people["requester"])
    working = transition(people["officer"], submit(people["requester"]), "start")
    soon = transition(people["officer"], submit(people["requester"]), "start")
    _patch(soon, due_date=today.isoformat())
    late = transition(people["officer"], submit(people["requester"]), "start")
    _patch(late, due_date=(today - datetime.timedelta(days=3)).isoformat())
    complaint = submit(people["requester"])
    transition(people["officer"], complaint, "refuse", note="Non.", ground="private-life")
    complaint = transition(people["requester"], complaint, "complain_head", note="Pourquoi ?")
    assert complaint["head_answer_due"] == ati.calendar().add_working_days(today, 15).isoformat()

    inbox = helpers.call_action("transparency_ati_inbox", {"user": "officer"}, id="mrafp")
    ids = {name: [r["id"] for r in items] for name, items in inbox.items()}
    assert ids == {"overdue": [late["id"]], "due_soon": [soon["id"]], "new": [new["id"]],
                   "in_progress": [working["id"]], "clarification": [], "complaints": [complaint["id"]],
                   "compliance": []}
    assert inbox["complaints"][0]["deadline"] == complaint["head_answer_due"]  # the head's, not the answer's

    _patch(new, due_date=(today + datetime.timedelta(days=60)).isoformat())
    transition(people["officer"], new, "start")
    ordered = helpers.call_action("transparency_ati_inbox", {"user": "officer"}, id="mrafp", sort="deadline")
    reverse = helpers.call_action("transparency_ati_inbox", {"user": "officer"}, id="mrafp", sort="-deadline")
    assert [r["id"] for r in ordered["in_progress"]] == [working["id"], new["id"]]
    assert [r["id"] for r in reverse["in_progress"]] == [new["id"], working["id"]]

    for lang, heading in [("", "Réclamations au chef de l'institution à traiter"),
                          ("/ar", "شكايات لدى رئيس المؤسسة في انتظار الرد")]:
        page = BeautifulSoup(app.get(lang + tk.url_for("ati.inbox"), headers=_as(people["officer"])).body,
                             "html.parser")
        assert page.find(id="box-complaints").contents[0].strip() == heading
        assert _numbers(page, "box-complaints") == [complaint["tracking_number"]]
        assert _numbers(page, "box-in_progress") == [working["tracking_number"], new["tracking_number"]]
    latest = BeautifulSoup(app.get(tk.url_for("ati.inbox", sort="-deadline"), headers=_as(people["officer"])).body,
                           "html.parser")
    assert _numbers(latest, "box-in_progress") == [new["tracking_number"], working["tracking_number"]]
    assert latest.find("option", value="-deadline").has_attr("selected")


# Every channel.

@pytest.mark.parametrize("lang,channel_label,date_label", [
    ("", "Formulaire papier", "Date de réception"), ("/ar", "مطبوع ورقي", "تاريخ التوصل")])
def test_an_officer_registers_a_paper_request_with_its_real_date_of_receipt(app, people, smtp, lang,
                                                                           channel_label, date_label):
    model.Session.query(model.Group).filter(model.Group.name == "mrafp").update(
        {"created": datetime.datetime(2020, 1, 6)})
    model.repo.commit()
    received = datetime.date(2026, 11, 2)
    url = lang + tk.url_for("ati.register")
    form = app.get(url, headers=_as(people["officer"]))
    page = BeautifulSoup(form.body, "html.parser")
    assert page.find("label", attrs={"for": "field-received_date"}).get_text(" ", strip=True).endswith(date_label)
    assert channel_label in [o.get_text(strip=True) for o in page.select("#field-channel option")]
    assert "online" not in [o["value"] for o in page.select("#field-channel option")]
    sent = app.post(url, headers=_as(people["officer"]), follow_redirects=False, data=dict(
        IDENTITY, email="", owner_org="mrafp", channel="paper", received_date=received.isoformat(),
        title="Registre des marchés 2024", notes="Copie du registre.", delivery="post",
        _csrf_token=_csrf(form.body)))
    assert sent.status_code == 302, sent.body[:800]
    receipt = BeautifulSoup(app.get(sent.headers["Location"], headers=_as(people["officer"])).body, "html.parser")
    number = receipt.select_one("[data-tracking-number]")["data-tracking-number"]
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
             for dt in receipt.select(".transparency-receipt dt")}
    assert channel_label in facts.values() and IDENTITY["full_name"] in " ".join(facts.values())
    assert receipt.select_one(".transparency-receipt-sheet") is not None  # what is printed

    pkg = helpers.call_action("package_show", id=number.lower())
    assert (pkg["channel"], pkg["received_date"]) == ("paper", received.isoformat())
    assert pkg["due_date"] == ati.due_date(received, urgent=False, extended=False).isoformat()
    assert IDENTITY["full_name"] not in json.dumps(pkg) and IDENTITY["id_number"] not in json.dumps(pkg)
    who = helpers.call_action("transparency_ati_requester_show", {"user": "officer"}, id=pkg["id"])
    assert (who["user_id"], who["full_name"], who["email"]) == (None, IDENTITY["full_name"], "")
    history = helpers.call_action("transparency_ati_request_history", id=pkg["id"])
    assert [(e["transition"], e["actor_role"]) for e in history] == [("register", "officer")]
    stats = helpers.call_action("transparency_statistics")["requests"]
    assert [(c["name"], c["count"]) for c in stats["by_channel"]] == [("paper", 1)]
    # It is handled like any other: the officer answers it.
    assert transition(people["officer"], pkg, "start")["ati_state"] == "in-progress"


@pytest.mark.parametrize("lang,future,early", [
    ("", "ne peut pas être dans le futur", "est sur le portail depuis le"),
    ("/ar", "لا يمكن أن يكون تاريخ التوصل في المستقبل", "توجد المؤسسة على البوابة منذ")])
def test_the_date_of_receipt_is_never_in_the_future_nor_before_the_institution_joined(app, people, lang,
                                                                                     future, early):
    url = lang + tk.url_for("ati.register")
    for received, message in [(portal.today() + datetime.timedelta(days=1), future),
                              (portal.today() - datetime.timedelta(days=400), early)]:
        form = app.get(url, headers=_as(people["officer"]))
        page = BeautifulSoup(app.post(url, headers=_as(people["officer"]), data=dict(
            IDENTITY, owner_org="mrafp", channel="counter", received_date=received.isoformat(), title="Sujet",
            notes="Texte", delivery="on-site", _csrf_token=_csrf(form.body))).body, "html.parser")
        group = page.find("input", attrs={"name": "received_date"}).find_parent(class_="form-group")
        assert message in group.select_one(".error-block").get_text(), group
    assert helpers.call_action("package_search", fq="+dataset_type:ati-request")["count"] == 0


def test_only_the_institution_s_officers_register_requests(app, people):
    data = dict(IDENTITY, owner_org="mrafp", channel="post", received_date=portal.today().isoformat(),
                title="Sujet", notes="Texte", delivery="post")
    for person in ("citizen", "other_officer"):
        app.post("/api/3/action/transparency_ati_request_submit", json=data, headers=_as(people[person]), status=403)
    app.get(tk.url_for("ati.register"), headers=_as(people["citizen"]), status=403)
    response = app.post("/api/3/action/transparency_ati_request_submit", json=data, headers=_as(people["officer"]))
    assert response.json["result"]["channel"] == "post"
    with pytest.raises(tk.ValidationError, match="received_date"):  # online requests are received the day filed
        submit(people["requester"], received_date="2026-01-05")


# The CDAI.

def test_only_the_cdai_decides_and_sees_its_inbox(app, people, cdai):
    pkg = _before_the_cdai(people)
    for person in ("sysadmin", "officer", "requester"):  # sysadmins keep their rights, but do not decide
        response = app.post("/api/3/action/transparency_ati_request_transition", headers=_as(people[person]),
                            json={"id": pkg["id"], "transition": "cdai_decide", "decision": "rejected",
                                  "note": "Non fondée."}, status=403)
        assert response.json["success"] is False
    for person in ("sysadmin", "officer"):
        app.get(tk.url_for("cdai.cdai_inbox"), headers=_as(people[person]), status=403)
    inbox = helpers.call_action("transparency_cdai_inbox", {"user": "cdai-member"})
    assert [r["id"] for r in inbox["to_decide"]] == [pkg["id"]]
    assert inbox["to_decide"][0]["deadline"] == (portal.today() + datetime.timedelta(days=30)).isoformat()


@pytest.mark.parametrize("lang,decision_label,state_label", [
    ("", "Communication ordonnée", "Décision de la CDAI exécutée"),
    ("/ar", "الأمر بتسليم المعلومات", "تم تنفيذ قرار اللجنة")])
def test_the_cdai_orders_disclosure_and_the_institution_complies(app, people, cdai, smtp, ckan_config,
                                                                 monkeypatch, lang, decision_label, state_label):
    pkg = _before_the_cdai(people)
    comply_by = ati.calendar().add_working_days(portal.today(), ckan_config["ckanext.transparency.ati.due_soon_days"])
    url = lang + tk.url_for("ati-request.read", id=pkg["name"])
    page = app.get(url, headers=_as(cdai))
    assert BeautifulSoup(page.body, "html.parser").find("select", attrs={"name": "decision"}) is not None
    missing = app.post(lang + tk.url_for("ati.transition", id=pkg["name"]), headers=_as(cdai), data={
        "transition": "cdai_decide", "decision": "upheld", "note": "Fondée.", "_csrf_token": _csrf(page.body)},
        follow_redirects=True)
    assert helpers.call_action("package_show", id=pkg["id"])["ati_state"] == "complaint-cdai"  # no date: refused
    assert BeautifulSoup(missing.body, "html.parser").select(".flash-messages .alert")
    page = app.get(url, headers=_as(cdai))
    app.post(lang + tk.url_for("ati.transition", id=pkg["name"]), headers=_as(cdai), data={
        "transition": "cdai_decide", "decision": "disclosure-ordered", "comply_by": comply_by.isoformat(),
        "note": "Les rapports sont communicables.", "_csrf_token": _csrf(page.body)})
    decided = helpers.call_action("package_show", id=pkg["id"])
    assert (decided["ati_state"], decided["cdai_decision"], decided["compliance_due"]) == (
        "compliance", "disclosure-ordered", comply_by.isoformat())

    officer_inbox = helpers.call_action("transparency_ati_inbox", {"user": "officer"}, id="mrafp")
    assert [r["id"] for r in officer_inbox["compliance"]] == [pkg["id"]]
    assert ati.daily()["reminded"] == 1 and ati.daily()["reminded"] == 0  # once
    with mail.in_language("fr"):
        day = tk.h.render_datetime(comply_by)
    reminder = model.Session.query(Outbox).filter(Outbox.recipient == "officer@mrafp.example.ma",
                                                  Outbox.body.contains(day)).all()
    assert len(reminder) == 2  # the decision, then the reminder, each with the date

    transition(people["officer"], pkg, "comply", note="Rapports communiqués, noms des agents masqués.",
               document_url="https://example.org/rapports.pdf")
    public = BeautifulSoup(app.get(url).body, "html.parser")
    assert public.select_one(".transparency-state").get_text(strip=True) == state_label
    assert public.select_one(".transparency-cdai-decision").get_text(" ", strip=True).startswith(decision_label)

    register = BeautifulSoup(app.get(lang + tk.url_for("cdai.decisions")).body, "html.parser")
    rows = register.select(".transparency-cdai-decisions tbody tr")
    assert len(rows) == 1 and rows[0].select_one("a")["href"].endswith("/ati-request/" + pkg["name"])
    assert rows[0].select_one(".transparency-cdai-decision").get_text(strip=True) == decision_label
    assert IDENTITY["full_name"] not in str(register) and IDENTITY["email"] not in str(register)
    year = portal.today().year
    for filters, count in [({"decision": "disclosure-ordered"}, 1), ({"decision": "rejected"}, 0),
                           ({"institution": "mef"}, 0), ({"institution": "mrafp", "year": year}, 1),
                           ({"year": year - 1}, 0), ({"q": "communicables"}, 1)]:
        found = app.get("/api/3/action/transparency_cdai_decision_list", params=filters).json["result"]
        assert found["count"] == count, filters
    filtered = BeautifulSoup(app.get(lang + tk.url_for("cdai.decisions", decision="rejected")).body, "html.parser")
    assert filtered.select(".transparency-cdai-decisions tbody tr") == []


# Batches.

@pytest.mark.ckan_config("ckanext.transparency.ati.daily_limit", "2")
@pytest.mark.ckan_config("ckanext.transparency.ati.batch_max", "2")
@pytest.mark.parametrize("lang,heading", [("", "Demande adressée à plusieurs institutions"),
                                          ("/ar", "طلب موجه إلى عدة مؤسسات")])
def test_a_batch_goes_to_each_institution_and_counts_as_one_filing(app, people, lang, heading):
    form = app.get(lang + tk.url_for("ati.submit"), headers=_as(people["requester"]))
    sent = app.post(lang + tk.url_for("ati.submit"), headers=_as(people["requester"]), follow_redirects=False,
                    data=dict(IDENTITY, owner_org="mrafp", also_to="mef", title="Budget 2025", notes="Le détail.",
                              delivery="email", _csrf_token=_csrf(form.body)))
    assert sent.status_code == 302 and "/ati-request/batch/" in sent.headers["Location"]
    batch = sent.headers["Location"].rsplit("/", 1)[-1]
    requests = helpers.call_action("transparency_ati_batch_show", batch=batch)
    assert sorted(r["organization"]["name"] for r in requests) == ["mef", "mrafp"]
    assert len({r["tracking_number"] for r in requests}) == 2 and {r["batch"] for r in requests} == {batch}
    page = BeautifulSoup(app.get(sent.headers["Location"]).body, "html.parser")  # public
    assert page.find("h1").get_text(strip=True) == heading
    assert sorted(a.get_text(strip=True) for a in page.select("td a")) == sorted(
        r["tracking_number"] for r in requests)
    read = BeautifulSoup(app.get(lang + tk.url_for("ati-request.read", id=requests[0]["name"])).body, "html.parser")
    assert read.select_one(".transparency-ati-status a")["href"].endswith(f"/ati-request/batch/{batch}")
    transition(people["other_officer"], next(r for r in requests if r["organization"]["name"] == "mef"), "start")
    states = {r["organization"]["name"]: r["ati_state"]
              for r in helpers.call_action("transparency_ati_batch_show", batch=batch)}
    assert states == {"mrafp": "received", "mef": "in-progress"}  # each answers on its own

    factories.Organization(name="hcp")
    with pytest.raises(tk.ValidationError, match="also_to"):  # three institutions: more than batch_max
        submit(people["requester"], also_to=["mef", "hcp"])
    submit(people["requester"])  # the second filing of the day: the batch was one
    with pytest.raises(tk.ValidationError, match="24"):
        submit(people["requester"])
