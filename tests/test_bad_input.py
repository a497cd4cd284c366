"""Odd input never makes a server error: every action of the bundle, called
through the API with random types, sizes and Unicode (Arabic, right-to-left
marks, NUL bytes, very long strings) and missing fields, answers with a
validation error naming a field, an authorization error or not-found."""
from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckan.tests import helpers

from conftest import create, submit

ACTIONS = {
    "transparency_ati_request_submit": ["owner_org", "title", "notes", "document_type", "period_covered",
                                        "delivery", "urgent", "urgent_reason", "full_name", "id_number",
                                        "address", "email", "phone", "also_to", "channel", "received_date"],
    "transparency_ati_request_transition": ["id", "transition", "note", "answer", "ground", "target_org",
                                            "document_url", "document_name", "decision", "comply_by"],
    "transparency_ati_request_history": ["id"],
    "transparency_ati_requester_show": ["id"],
    "transparency_ati_request_list_mine": [],
    "transparency_ati_inbox": ["id", "sort"],
    "transparency_cdai_inbox": ["sort"],
    "transparency_cdai_decision_list": ["q", "institution", "decision", "year", "page"],
    "transparency_ati_batch_show": ["batch"],
    "transparency_contribution_create": ["id", "text", "section", "show_name", "article", "quote", "proposal"],
    "transparency_contribution_list": ["id", "state", "sort"],
    "transparency_contribution_support": ["contribution_id"],
    "transparency_contribution_link": ["contribution_id", "commitment"],
    "transparency_consultation_draft_load": ["id", "lang", "upload"],
    "transparency_commitment_origins": ["id"],
    "transparency_contribution_moderate": ["contribution_id", "decision", "reason"],
    "transparency_contribution_answer": ["contribution_id", "kind", "text"],
    "transparency_consultation_report_publish": ["id", "summary", "url"],
    "transparency_consultation_summary": ["id"],
    "transparency_contribution_export": ["id"],
    "transparency_statistics": ["institution", "start", "end"],
    "transparency_indicator_series": ["id"],
}

ODD_TEXT = st.text(alphabet=st.sampled_from(
    list("abcXYZ019 -_.@/<>\"'&;") + ["\u200f", "\u202e", "\x00", "ع", "ل", "م", "é", "😀", "\n"]), max_size=60)
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**63, max_value=2**63), st.floats(allow_nan=False),
    ODD_TEXT, st.builds(lambda s: s * 5000, ODD_TEXT.filter(bool)),
    st.lists(ODD_TEXT, max_size=3), st.dictionaries(ODD_TEXT, ODD_TEXT, max_size=2),
    st.sampled_from(["mrafp", "email", "start", "answer", "refuse", "publish", "reject", "taken", "1", "paper",
                     "cdai_decide", "upheld", "2026-01-05", "-deadline",
                     "national-defence", "AB123456", "x@example.ma", "https://example.org/a.pdf"]),
)


@pytest.fixture
def targets(people):
    """Real ids, so that some random calls get past validation into the rules."""
    now = datetime.datetime.now(datetime.timezone.utc)
    pkg = submit(people["requester"])
    consultation = create(people["sysadmin"], "consultation", "ouverte", "mrafp",
                          opens_at=(now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                          closes_at=(now + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return [pkg["id"], pkg["name"], consultation["id"], consultation["name"]]


@pytest.mark.ckan_config("ckanext.transparency.ati.daily_limit", "1000")
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_no_server_error_whatever_the_input(app, people, targets, action):
    fields = ACTIONS[action]
    id_values = st.one_of(VALUES, st.sampled_from(targets))

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.fixed_dictionaries({}, optional={
        f: (id_values if f in ("id", "contribution_id") else VALUES) for f in fields}),
           person=st.sampled_from(["anonymous", "citizen", "officer", "sysadmin"]))
    def check(data, person):
        token = people[person]["token"]
        headers = {"Authorization": token} if token else {}
        response = app.post(f"/api/3/action/{action}", json=data, headers=headers)
        assert response.status_code in (200, 400, 403, 404, 409), (data, person, response.body[:500])
        if response.status_code == 409:
            error = response.json["error"]
            assert set(error) - {"__type", "message"}, error  # names at least one field

    check()


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_script_and_html_come_out_escaped_on_every_page(app, people, targets):
    pkg = submit(people["requester"], title="Sujet " + SCRIPT,
                 notes="[lien](javascript:alert(1)) " + SCRIPT)
    helpers.call_action("transparency_ati_request_transition", {"user": "officer"}, id=pkg["id"],
                        transition="request_clarification", note="Note " + SCRIPT)
    consultation = targets[2]
    item = helpers.call_action("transparency_contribution_create", {"user": "citizen"}, id=consultation,
                               text="Avis " + SCRIPT, section="Art. " + SCRIPT, show_name=True)
    helpers.call_action("transparency_contribution_moderate", {"user": "officer"},
                        contribution_id=item["id"], decision="publish")
    pages = [f"/ati-request/{pkg['name']}", "/ati-request/", f"/consultation/{consultation}",
             "/ar/ati-request/" + pkg["name"]]
    for path in pages:
        body = app.get(path, headers={"Authorization": people["officer"]["token"]}).body
        assert "<script>alert" not in body, path
        assert "onerror=alert" not in body.replace("onerror=alert(1)&gt;", ""), path
        assert 'href="javascript:' not in body, path
    page = app.get(f"/consultation/{consultation}").body
    assert "&lt;script&gt;" in page  # shown, as text
