"""Access-to-information requests through the actions and the API, as real users."""
from __future__ import annotations

import datetime

import babel.dates

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.transparency import ati, mail, portal
from conftest import IDENTITY, submit, transition


def test_submission_gets_a_tracking_number_a_deadline_and_a_history(people):
    pkg = submit(people["requester"])
    year = portal.today().year
    assert pkg["tracking_number"] == f"DAI-{year}-000001"
    assert pkg["name"] == f"dai-{year}-000001"
    assert pkg["ati_state"] == "received"
    assert pkg["received_date"] == portal.today().isoformat()
    assert pkg["due_date"] == ati.due_date(portal.today(), urgent=False, extended=False).isoformat()
    assert pkg["organization"]["name"] == "mrafp"
    second = submit(people["citizen"])
    assert second["tracking_number"] == f"DAI-{year}-000002"
    history = helpers.call_action("transparency_ati_request_history", id=pkg["id"])
    assert [(e["transition"], e["to_state"], e["actor_role"]) for e in history] == [
        ("submit", "received", "requester")]


def test_urgent_request_is_due_in_three_working_days(people):
    pkg = submit(people["requester"], urgent=True, urgent_reason="Une vie est en jeu")
    assert pkg["urgent"] == "yes"
    assert pkg["due_date"] == ati.calendar().add_working_days(portal.today(), 3).isoformat()


@pytest.mark.parametrize("field,value", [
    ("owner_org", "no-such-institution"),
    ("title", ""),
    ("title", "x" * 201),
    ("notes", "texte\x00nul"),
    ("delivery", "pigeon"),
    ("id_number", "12345"),
    ("email", "pas-une-adresse"),
    ("phone", "appelez-moi"),
    ("full_name", ""),
    ("address", ""),
])
def test_bad_input_is_refused_with_an_error_naming_the_field(people, field, value):
    with pytest.raises(tk.ValidationError) as err:
        submit(people["requester"], **{field: value})
    assert field in err.value.error_dict
    assert helpers.call_action("package_search", fq="type:ati-request")["count"] == 0  # nothing half-saved


def test_urgency_needs_a_reason(people):
    with pytest.raises(tk.ValidationError) as err:
        submit(people["requester"], urgent=True)
    assert "urgent_reason" in err.value.error_dict


@pytest.mark.ckan_config("ckanext.transparency.ati.daily_limit", "2")
def test_daily_limit_per_user(people):
    submit(people["requester"])
    submit(people["requester"])
    with pytest.raises(tk.ValidationError, match="24 hours"):
        submit(people["requester"])
    submit(people["citizen"])  # others are not affected


def test_full_path_clarification_answer_and_public_history(people, smtp):
    requester, officer = people["requester"], people["officer"]
    pkg = submit(requester)
    transition(officer, pkg, "start")
    transition(officer, pkg, "request_clarification", note="Quelle année scolaire ?")
    transition(requester, pkg, "clarify", note="L'année 2024-2025.")
    done = transition(officer, pkg, "answer", answer="Voici le budget par école.")
    assert done["ati_state"] == "answered"
    assert done["answered_date"] == portal.today().isoformat()
    assert done["answer"] == "Voici le budget par école."
    history = helpers.call_action("transparency_ati_request_history", id=pkg["id"])
    assert [e["to_state"] for e in history] == ["received", "in-progress", "clarification", "in-progress",
                                                 "answered"]
    assert history[2]["note"] == "Quelle année scolaire ?"

    sent, failed = mail.send_pending()
    assert failed == 0 and sent == len(smtp.messages)
    to_requester = smtp.to(IDENTITY["email"])
    assert to_requester[0]["Subject"] == f"[{pkg['tracking_number']}] Accusé de réception / إشعار بالتوصل"
    bodies = smtp.bodies(IDENTITY["email"])
    due = babel.dates.format_date(datetime.date.fromisoformat(pkg["due_date"]), "d MMMM y", locale="fr_MA")
    assert pkg["tracking_number"] in bodies[0] and due in bodies[0]
    assert len(to_requester) == 5  # acknowledgement + 4 state changes
    assert any("Quelle année scolaire ?" in b for b in bodies)
    assert len(smtp.to("officer@mrafp.example.ma")) == 2  # new request, the requester's clarification
    assert not smtp.to("officer@mef.example.ma")


def test_refusal_needs_an_article_7_ground_shown_publicly(people):
    pkg = submit(people["requester"])
    with pytest.raises(tk.ValidationError) as err:
        transition(people["officer"], pkg, "refuse", note="Non.")
    assert "ground" in err.value.error_dict
    with pytest.raises(tk.ValidationError) as err:
        transition(people["officer"], pkg, "refuse", note="Non.", ground="because")
    assert "ground" in err.value.error_dict
    refused = transition(people["officer"], pkg, "refuse", note="Données de santé.", ground="private-life")
    assert refused["ati_state"] == "refused" and refused["refusal_ground"] == "private-life"


def test_illegal_transitions_are_refused_with_the_reason(people):
    pkg = submit(people["requester"])
    with pytest.raises(tk.ValidationError,
                       match="state Received does not allow the transition Answer the clarification"):
        transition(people["requester"], pkg, "clarify", note="x")  # nothing was asked
    transition(people["requester"], pkg, "withdraw")
    with pytest.raises(tk.ValidationError, match="state Withdrawn does not allow"):
        transition(people["officer"], pkg, "answer", answer="x")
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("transparency_ati_request_transition", {"user": "citizen", "ignore_auth": False},
                            id=pkg["id"], transition="withdraw")


def test_extension_moves_the_deadline_once(people):
    pkg = submit(people["requester"])
    extended = transition(people["officer"], pkg, "extend", note="Documents archivés à Rabat.")
    assert extended["extended"] == "yes"
    assert extended["due_date"] == ati.due_date(portal.today(), urgent=False, extended=True).isoformat()
    with pytest.raises(tk.ValidationError, match="already been extended"):
        transition(people["officer"], pkg, "extend", note="Encore.")


def test_transfer_hands_the_request_to_the_other_institution(people):
    pkg = submit(people["requester"])
    moved = transition(people["officer"], pkg, "transfer", target_org="mef", note="Compétence du MEF.")
    assert moved["organization"]["name"] == "mef" and moved["ati_state"] == "received"
    with pytest.raises(tk.NotAuthorized):  # no longer theirs
        helpers.call_action("transparency_ati_request_transition", {"user": "officer", "ignore_auth": False},
                            id=pkg["id"], transition="start")
    transition(people["other_officer"], pkg, "start")


def test_overdue_requests_are_a_search_facet(people):
    late = submit(people["requester"])
    submit(people["requester"])
    helpers.call_action("package_patch", {"user": people["sysadmin"]["name"]}, id=late["id"],
                        due_date=(portal.today() - datetime.timedelta(days=3)).isoformat())
    result = helpers.call_action("package_search", fq="type:ati-request", **{"facet.field": '["overdue"]'})
    assert result["facets"]["overdue"] == {"yes": 1, "no": 1}
    found = helpers.call_action("package_search", fq="type:ati-request +overdue:yes")
    assert [r["id"] for r in found["results"]] == [late["id"]]
    inbox = helpers.call_action("transparency_ati_inbox", {"user": "officer"}, id="mrafp")
    assert [r["id"] for r in inbox["overdue"]] == [late["id"]]
    assert len(inbox["new"]) == 2


def test_generic_package_actions_cannot_bypass_the_workflow(app, people):
    pkg = submit(people["requester"])
    response = app.post("/api/3/action/package_patch", json={"id": pkg["id"], "ati_state": "answered"},
                        headers={"Authorization": people["officer"]["token"]}, status=403)
    assert "ne changent que par leur procédure" in response.json["error"]["message"]
    response = app.post("/api/3/action/package_create",
                        json={"type": "ati-request", "name": "fake", "title": "x", "owner_org": "mrafp",
                              "delivery": "email"},
                        headers={"Authorization": people["officer"]["token"]}, status=403)


# Who may call what, through the API with each person's token.
AUTH_TABLE = [
    # action, data builder, {person: allowed}
    ("transparency_ati_request_submit", "submit",
     {"anonymous": False, "requester": True, "citizen": True, "officer": True, "other_officer": True,
      "sysadmin": True}),
    ("transparency_ati_request_transition", "start",
     {"anonymous": False, "requester": False, "citizen": False, "officer": True, "other_officer": False,
      "sysadmin": True}),
    ("transparency_ati_request_transition", "withdraw",
     {"anonymous": False, "requester": True, "citizen": False, "officer": False, "other_officer": False,
      "sysadmin": False}),
    ("transparency_ati_request_history", "id",
     {"anonymous": True, "requester": True, "citizen": True, "officer": True, "other_officer": True,
      "sysadmin": True}),
    ("transparency_ati_requester_show", "id",
     {"anonymous": False, "requester": True, "citizen": False, "officer": True, "other_officer": False,
      "sysadmin": True}),
    ("transparency_ati_request_list_mine", "none",
     {"anonymous": False, "requester": True, "citizen": True, "officer": True, "other_officer": True,
      "sysadmin": True}),
    ("transparency_ati_inbox", "org",
     {"anonymous": False, "requester": False, "citizen": False, "officer": True, "other_officer": False,
      "sysadmin": True}),
]


@pytest.mark.ckan_config("ckanext.transparency.ati.daily_limit", "100")
@pytest.mark.parametrize("action,data,allowed", AUTH_TABLE, ids=[f"{a}-{d}" for a, d, _ in AUTH_TABLE])
def test_authorization_table(app, people, action, data, allowed):
    for person, may in allowed.items():
        pkg = submit(people["requester"])
        body = {
            "submit": {"owner_org": "mrafp", "title": "Sujet", "notes": "Texte", "delivery": "post", **IDENTITY},
            "start": {"id": pkg["id"], "transition": "start"},
            "withdraw": {"id": pkg["id"], "transition": "withdraw"},
            "id": {"id": pkg["id"]},
            "none": {},
            "org": {"id": "mrafp"},
        }[data]
        token = people[person]["token"]
        headers = {"Authorization": token} if token else {}
        response = app.post(f"/api/3/action/{action}", json=body, headers=headers)
        assert (response.status_code == 200) == may, (person, response.status_code, response.body[:300])
        if not may:
            assert response.status_code == 403, (person, response.status_code)


def test_requester_sees_only_their_own_requests(people):
    mine = submit(people["requester"])
    submit(people["citizen"])
    listed = helpers.call_action("transparency_ati_request_list_mine", {"user": "requester"})
    assert [p["id"] for p in listed] == [mine["id"]]
    identity = helpers.call_action("transparency_ati_requester_show", {"user": "requester"}, id=mine["id"])
    assert identity["id_number"] == "ZQ987654" and identity["email"] == IDENTITY["email"]


def test_daily_job_flags_overdue_requests_and_reminds_officers(cli, people, smtp, freezer):
    """Three requests filed on different days; time passes and leaves the index stale."""
    from ckan.cli.cli import ckan as ckan_command
    now = datetime.date(2026, 12, 21)
    filed_soon = next(day for day in (now - datetime.timedelta(days=n) for n in range(60))
                      if ati.due_date(day, urgent=False, extended=False) == ati.calendar().add_working_days(now, 3))
    filed = {}
    for name, day in (("late", filed_soon - datetime.timedelta(days=20)), ("soon", filed_soon), ("later", now)):
        freezer.move_to(f"{day.isoformat()} 10:00:00")
        filed[name] = submit(people["requester"])
    late, soon = filed["late"], filed["soon"]
    freezer.move_to(f"{now.isoformat()} 10:00:00")
    assert helpers.call_action("package_search", fq="type:ati-request +overdue:yes")["count"] == 0
    mail.send_pending()
    smtp.messages.clear()

    result = cli.invoke(ckan_command, ["transparency", "refresh"])
    assert result.exit_code == 0, result.output
    assert "2 open requests reindexed, 1 reminders to officers" in result.output
    found = helpers.call_action("package_search", fq="type:ati-request +overdue:yes")
    assert [r["id"] for r in found["results"]] == [late["id"]]
    reminders = smtp.to("officer@mrafp.example.ma")
    assert len(reminders) == 1 and soon["tracking_number"] in str(reminders[0]["Subject"])
    again = cli.invoke(ckan_command, ["transparency", "refresh"])  # an hour later: no second reminder
    assert "0 reminders to officers and 0 to requesters" in again.output
    assert len(smtp.to("officer@mrafp.example.ma")) == 1


def test_mail_waits_in_the_outbox_while_the_smtp_server_is_down(people):
    """No SMTP server listens on 127.0.0.1:8025 here: nothing is lost, the e-mail is retried."""
    submit(people["requester"])
    sent, failed = mail.send_pending()
    assert (sent, failed) == (0, 2)  # acknowledgement and the officer's notice
    from ckan import model
    from ckanext.transparency.model import Outbox
    rows = model.Session.query(Outbox).all()
    assert all(row.sent is None and row.attempts == 1 and row.last_error for row in rows)


def test_audit_trail_names_who_changed_the_state_for_sysadmins_only(app, people):
    pkg = submit(people["requester"])
    transition(people["officer"], pkg, "start")
    audit = app.post("/api/3/action/transparency_ati_request_audit", json={"id": pkg["id"]},
                     headers={"Authorization": people["sysadmin"]["token"]}).json["result"]
    assert [(e["transition"], e["user"]) for e in audit] == [("submit", "requester"), ("start", "officer")]
    app.post("/api/3/action/transparency_ati_request_audit", json={"id": pkg["id"]},
             headers={"Authorization": people["officer"]["token"]}, status=403)
    history = helpers.call_action("transparency_ati_request_history", id=pkg["id"])
    assert "user" not in history[0] and "user_id" not in history[0]


@pytest.mark.ckan_config("ckanext.transparency.ati.daily_limit_per_address", "2")
def test_per_address_limit_across_accounts(app, people):
    def post(person):
        return app.post("/api/3/action/transparency_ati_request_submit",
                        json={"owner_org": "mrafp", "title": "Sujet", "notes": "Texte", "delivery": "post",
                              **IDENTITY},
                        headers={"Authorization": people[person]["token"]})
    assert post("requester").status_code == 200
    assert post("citizen").status_code == 200
    refused = post("officer")  # a third account, the same address
    assert refused.status_code == 409
    assert "adresse réseau" in refused.json["error"]["owner_org"][0]
    from ckan import model
    from ckanext.transparency.model import AtiRequester
    hashes = {r.address_hash for r in model.Session.query(AtiRequester)}
    assert len(hashes) == 1 and "127.0.0.1" not in next(iter(hashes))
