"""Public consultations: the contribution window, moderation, answers, the report,
who may do what, and contributors' privacy."""
from __future__ import annotations

import datetime
import html
import io
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.transparency import mail
from conftest import create

NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def _iso(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def consultation(people, name="projet-loi", opens=NOW - datetime.timedelta(days=1),
                 closes=NOW + datetime.timedelta(days=10)):
    return create(people["sysadmin"], "consultation", name, "mrafp", title="Projet de loi sur les archives",
                  opens_at=_iso(opens), closes_at=_iso(closes))


def contribute(user, pkg, **fields):
    data = {"id": pkg["id"], "text": "Prévoir un délai de conservation de 10 ans.", **fields}
    return helpers.call_action("transparency_contribution_create", {"user": user["name"]}, **data)


def moderate(user, item, decision, **fields):
    return helpers.call_action("transparency_contribution_moderate", {"user": user["name"]},
                               contribution_id=item["id"], decision=decision, **fields)


def listed(user, pkg):
    """What ``user`` sees (with the authorization checks call_action skips by default)."""
    return helpers.call_action("transparency_contribution_list", {"user": user["name"], "ignore_auth": False},
                               id=pkg["id"])


def test_contributions_wait_for_moderation_then_become_public(people):
    pkg = consultation(people)
    item = contribute(people["requester"], pkg, section="Article 3")
    assert item["state"] == "pending"
    assert listed(people["anonymous"], pkg) == []
    assert [c["state"] for c in listed(people["requester"], pkg)] == ["pending"]  # the contributor's own
    assert [c["id"] for c in listed(people["officer"], pkg)] == [item["id"]]
    moderate(people["officer"], item, "publish")
    public = listed(people["anonymous"], pkg)
    assert [c["section"] for c in public] == ["Article 3"] and public[0]["name"] is None


def test_the_window_is_enforced_to_the_second(people):
    closed = consultation(people, "fermee", closes=NOW - datetime.timedelta(seconds=1))
    with pytest.raises(tk.ValidationError) as err:
        contribute(people["requester"], closed)
    message = err.value.error_dict["id"][0]  # outside a web request: CKAN's source language
    assert message.startswith("This consultation takes contributions from") and message.endswith("only")
    later = consultation(people, "annoncee", opens=NOW + datetime.timedelta(hours=1),
                         closes=NOW + datetime.timedelta(days=3))
    with pytest.raises(tk.ValidationError):
        contribute(people["requester"], later)


def test_rejection_needs_a_reason_that_the_contributor_sees(people):
    pkg = consultation(people)
    item = contribute(people["requester"], pkg)
    with pytest.raises(tk.ValidationError) as err:
        moderate(people["officer"], item, "reject")
    assert "reason" in err.value.error_dict
    moderate(people["officer"], item, "reject", reason="off-topic")
    assert listed(people["anonymous"], pkg) == []
    assert listed(people["requester"], pkg)[0]["reject_reason"] == "off-topic"


def test_answers_are_counted_per_kind(people):
    pkg = consultation(people)
    items = [contribute(people["requester"], pkg, text=f"Proposition {n}") for n in range(3)]
    for item in items:
        moderate(people["officer"], item, "publish")
    pending = contribute(people["citizen"], pkg)
    with pytest.raises(tk.ValidationError):
        helpers.call_action("transparency_contribution_answer", {"user": "officer"},
                            contribution_id=pending["id"], kind="taken", text="x")
    for item, kind in zip(items, ["taken", "taken", "out-of-scope"]):
        helpers.call_action("transparency_contribution_answer", {"user": "officer"},
                            contribution_id=item["id"], kind=kind, text="Merci.")
    summary = helpers.call_action("transparency_consultation_summary", id=pkg["id"])
    assert summary == {"phase": "open", "received": 4, "published": 3,
                       "answers": {"taken": 2, "partly": 0, "not-taken": 0, "out-of-scope": 1}}


def test_report_closes_the_consultation_and_tells_its_followers(people, smtp):
    pkg = consultation(people)
    helpers.call_action("follow_dataset", {"user": "citizen"}, id=pkg["id"])
    with pytest.raises(tk.ValidationError, match="closed"):
        helpers.call_action("transparency_consultation_report_publish", {"user": "officer"}, id=pkg["id"],
                            summary="Trop tôt", url="https://example.org/rapport.pdf")
    helpers.call_action("package_patch", {"user": "admin"}, id=pkg["id"],
                        closes_at=_iso(NOW - datetime.timedelta(minutes=1)))
    closed = helpers.call_action("transparency_consultation_report_publish", {"user": "officer"}, id=pkg["id"],
                                 summary="12 propositions retenues.", url="https://example.org/rapport.pdf")
    assert closed["report_summary"] == "12 propositions retenues."
    assert closed["resources"][0]["url"] == "https://example.org/rapport.pdf"
    assert helpers.call_action("transparency_consultation_summary", id=pkg["id"])["phase"] == "closed"
    mail.send_pending()
    assert [m["Subject"] for m in smtp.to("citizen@example.ma")] == ["Rapport publié / نشر التقرير"]
    (body,) = smtp.bodies("citizen@example.ma")
    french, arabic = body.split(mail.SEPARATOR.strip())
    assert f"Le rapport de la consultation « {closed['title']} » est publié." in french
    assert "تم نشر تقرير الاستشارة" in arabic and f"/consultation/{closed['name']}" in arabic


def test_consultations_are_filtered_by_phase(people):
    consultation(people, "ouverte")
    consultation(people, "annoncee", opens=NOW + datetime.timedelta(days=2), closes=NOW + datetime.timedelta(days=9))
    consultation(people, "analyse", opens=NOW - datetime.timedelta(days=9), closes=NOW - datetime.timedelta(days=2))
    result = helpers.call_action("package_search", fq="type:consultation", **{"facet.field": '["phase"]'})
    assert result["facets"]["phase"] == {"open": 1, "announced": 1, "under-review": 1}
    found = helpers.call_action("package_search", fq="type:consultation +phase:open")
    assert [r["name"] for r in found["results"]] == ["ouverte"]


@pytest.mark.parametrize("field,value", [
    ("text", ""),
    ("text", "x" * 10001),
    ("text", "nul\x00"),
    ("section", "s" * 201),
])
def test_bad_input_names_the_field(people, field, value):
    pkg = consultation(people)
    with pytest.raises(tk.ValidationError) as err:
        contribute(people["requester"], pkg, **{field: value})
    assert field in err.value.error_dict


@pytest.mark.ckan_config("ckanext.transparency.contribution.max_attachment_mb", "1")
def test_attachments_are_checked_for_type_and_size(app, people):
    pkg = consultation(people)
    headers = {"Authorization": people["requester"]["token"]}

    def send(content, filename):
        return app.post("/api/3/action/transparency_contribution_create",
                        data={"id": pkg["id"], "text": "Voir pièce jointe", "upload": (io.BytesIO(content), filename)},
                        headers=headers, content_type="multipart/form-data")

    assert send(b"MZ", "outil.exe").status_code == 409
    too_big = send(b"x" * (1024 * 1024 + 1), "annexe.pdf")
    assert too_big.status_code == 409 and "upload" in too_big.json["error"]
    ok = send(b"%PDF-1.4 annexe", "annexe.pdf")
    assert ok.status_code == 200
    item = ok.json["result"]
    url = tk.url_for("consultation_views.attachment", id=pkg["name"], contribution_id=item["id"])
    app.get(url, status=404)  # pending: not public yet
    assert app.get(url, headers=headers).data == b"%PDF-1.4 annexe"  # its author sees it


AUTH = {
    # person: (contribute, see pending, moderate, answer, publish report, export)
    "anonymous": (False, False, False, False, False, False),
    "citizen": (True, False, False, False, False, False),
    "requester": (True, True, False, False, False, False),  # here: the contributor
    "officer": (True, True, True, True, True, True),
    "other_officer": (True, False, False, False, False, False),
    "sysadmin": (True, True, True, True, True, True),
}


@pytest.mark.parametrize("person", sorted(AUTH))
def test_authorization_table(app, people, person):
    pkg = consultation(people)
    mine = contribute(people["requester"], pkg)
    published = contribute(people["requester"], pkg, text="Publiée")
    moderate(people["officer"], published, "publish")
    token = people[person]["token"]
    headers = {"Authorization": token} if token else {}

    def call(action, **data):
        return app.post(f"/api/3/action/{action}", json=data, headers=headers)

    contributed = call("transparency_contribution_create", id=pkg["id"], text="Mon avis").status_code == 200
    sees_pending = mine["id"] in [c["id"] for c in call("transparency_contribution_list", id=pkg["id"]).json["result"]]
    moderated = call("transparency_contribution_moderate", contribution_id=mine["id"],
                     decision="publish").status_code == 200
    answered = call("transparency_contribution_answer", contribution_id=published["id"], kind="taken",
                    text="Merci").status_code == 200
    helpers.call_action("package_patch", {"user": "admin"}, id=pkg["id"],
                        closes_at=_iso(NOW - datetime.timedelta(minutes=1)))
    reported = call("transparency_consultation_report_publish", id=pkg["id"], summary="Synthèse",
                    url="https://example.org/r.pdf").status_code == 200
    exported = call("transparency_contribution_export", id=pkg["id"]).status_code == 200
    assert (contributed, sees_pending, moderated, answered, reported, exported) == AUTH[person]


def test_contact_details_never_reach_a_public_output(app, people):
    contributor = factories.User(name="contributrice", fullname="Rkia Bensaddik-Oulmes",
                                 email="rkia.oulmes@example.ma")
    pkg = consultation(people)
    hidden = contribute(contributor, pkg, text="Texte sans nom")
    named = contribute(contributor, pkg, text="Texte signé", show_name=True)
    for item in (hidden, named):
        moderate(people["officer"], item, "publish")
    outputs = {
        "package_show": helpers.call_action("package_show", id=pkg["id"]),
        "package_search": helpers.call_action("package_search", fq="type:consultation"),
        "activity": helpers.call_action("package_activity_list", id=pkg["id"]),
        "contributions": listed(people["anonymous"], pkg),
        "page": app.get(tk.url_for("consultation.read", id=pkg["name"])).body,
        "dcat": app.get(f"/dataset/{pkg['name']}.ttl").body,
    }
    text = json.dumps(outputs, default=str, ensure_ascii=False)
    assert "Texte sans nom" in text and "Texte signé" in text  # the outputs were really read
    assert "rkia.oulmes" not in text and contributor["id"] not in text and "contributrice" not in text
    assert text.count("Rkia Bensaddik-Oulmes") >= 1  # shown with the contribution where agreed...
    assert [c["name"] for c in outputs["contributions"]] == [None, "Rkia Bensaddik-Oulmes"]  # ...only there
    export = helpers.call_action("transparency_contribution_export", {"user": "officer"}, id=pkg["id"])
    assert {row["contact_email"] for row in export} == {"rkia.oulmes@example.ma"}


def test_the_page_takes_a_contribution_and_the_officer_exports_csv(app, people):
    pkg = consultation(people)
    headers = {"Authorization": people["requester"]["token"]}
    page = app.get("/ar" + tk.url_for("consultation.read", id=pkg["name"]), headers=headers)
    assert 'dir="rtl"' in page.body and 'name="_csrf_token"' in page.body
    assert '/consultation/projet-loi/contribute"' in page.body
    app.post(tk.url_for("consultation_views.contribute", id=pkg["name"]),
             data={"text": "Contribution envoyée du formulaire", "show_name": "on"}, headers=headers)
    officer = {"Authorization": people["officer"]["token"]}
    officer_page = html.unescape(app.get(tk.url_for("consultation.read", id=pkg["name"]), headers=officer).body)
    assert "Contribution envoyée du formulaire" in officer_page and 'value="publish"' in officer_page
    csv_text = app.get(tk.url_for("consultation_views.export", id=pkg["name"]), headers=officer).data.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("id,created,state,section,text")
    assert "requester@example.ma" in csv_text
    app.get(tk.url_for("consultation_views.export", id=pkg["name"]), headers=headers, status=403)
