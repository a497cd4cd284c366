"""The ATI state machine: every transition allowed and refused (plain functions)."""
from __future__ import annotations

from datetime import date

import pytest

from ckanext.transparency.deadlines import Calendar, Schedule
from ckanext.transparency.workflow import (CDAI, OFFICER, REQUESTER, TRANSITIONS, Refused, RequestFacts, allowed,
                                           Reminder, apply, check, deadline, inbox_sections, is_overdue,
                                           next_terms, reminders)

CAL = Calendar(islamic_holidays=[])
TODAY = date(2026, 11, 27)
DUE = date(2026, 12, 14)
FULL = {"note": "n", "answer": "a", "ground": "national-defence", "target_org": "mef", "decision": "inadmissible"}

# (transition, from state, actor, resulting state)
ALLOWED = [
    ("start", "received", OFFICER, "in-progress"),
    ("request_clarification", "in-progress", OFFICER, "clarification"),
    ("clarify", "clarification", REQUESTER, "in-progress"),
    ("extend", "in-progress", OFFICER, None),
    ("answer", "in-progress", OFFICER, "answered"),
    ("answer_partly", "received", OFFICER, "partly-answered"),
    ("refuse", "clarification", OFFICER, "refused"),
    ("not_held", "in-progress", OFFICER, "not-held"),
    ("transfer", "received", OFFICER, "received"),
    ("withdraw", "clarification", REQUESTER, "withdrawn"),
    ("complain_head", "refused", REQUESTER, "complaint-head"),
    ("head_answer", "complaint-head", OFFICER, "head-answered"),
    ("complain_cdai", "head-answered", REQUESTER, "complaint-cdai"),
    ("cdai_decide", "complaint-cdai", CDAI, "cdai-decided"),
    ("comply", "compliance", OFFICER, "complied"),
]


def facts(state, **kw):
    return RequestFacts(state=state, due=kw.pop("due", DUE), last_change=kw.pop("last_change", TODAY), **kw)


def test_every_transition_is_covered():
    assert {t for t, *_ in ALLOWED} == set(TRANSITIONS)


@pytest.mark.parametrize("name,state,actor,target", ALLOWED)
def test_allowed(name, state, actor, target):
    assert check(name, facts(state), {actor}, FULL, TODAY, CAL).target == target


@pytest.mark.parametrize("name,state,actor,target", ALLOWED)
def test_refused_to_anyone_else(name, state, actor, target):
    for other in {OFFICER, REQUESTER, CDAI} - {actor}:
        with pytest.raises(Refused) as err:
            check(name, facts(state), {other}, FULL, TODAY, CAL)
        assert err.value.field == "transition"


@pytest.mark.parametrize("name,state,actor,target", ALLOWED)
def test_refused_from_a_final_state(name, state, actor, target):
    with pytest.raises(Refused) as err:
        check(name, facts("cdai-decided"), {actor}, FULL, TODAY, CAL)
    assert "cdai-decided" in str(err.value)


@pytest.mark.parametrize("name,state,actor,target", [a for a in ALLOWED if TRANSITIONS[a[0]].requires])
def test_each_required_field_is_named_when_missing(name, state, actor, target):
    for field in TRANSITIONS[name].requires:
        given = dict(FULL, **{field: ""})
        with pytest.raises(Refused) as err:
            check(name, facts(state), {actor}, given, TODAY, CAL)
        assert err.value.field == field


def test_extension_only_once_before_the_deadline_and_never_when_urgent():
    with pytest.raises(Refused, match="already been extended"):
        check("extend", facts("in-progress", extended=True), {OFFICER}, FULL, TODAY, CAL)
    with pytest.raises(Refused, match="before the deadline"):
        check("extend", facts("in-progress", due=date(2026, 11, 26)), {OFFICER}, FULL, TODAY, CAL)
    with pytest.raises(Refused, match="urgent"):
        check("extend", facts("in-progress", urgent=True), {OFFICER}, FULL, TODAY, CAL)


def test_complaint_about_silence_only_after_the_deadline_and_within_twenty_working_days():
    with pytest.raises(Refused, match="once the deadline has passed"):
        check("complain_head", facts("in-progress", due=TODAY), {REQUESTER}, FULL, TODAY, CAL)
    # Deadline Fri 30 Oct 2026: Nov 2-5 = 4 (6 Nov off), 9-13 = 9, 16, 17, 19, 20 = 13 (18 off),
    # 23-27 = 18 working days on 27 Nov: still inside. From 23 Oct it is 23: too late.
    assert check("complain_head", facts("in-progress", due=date(2026, 10, 30)), {REQUESTER}, FULL, TODAY, CAL)
    with pytest.raises(Refused, match="20 working days"):
        check("complain_head", facts("in-progress", due=date(2026, 10, 23)), {REQUESTER}, FULL, TODAY, CAL)


def test_complaint_to_the_cdai_waits_for_the_head_then_thirty_days():
    # Complaint to the head on 27 Nov: the head has 15 working days.
    with pytest.raises(Refused, match="still has time"):
        check("complain_cdai", facts("complaint-head"), {REQUESTER}, FULL, TODAY, CAL)
    # Complaint on 20 Oct: the head's 15 working days end on 11 Nov (6 Nov is a holiday).
    assert check("complain_cdai", facts("complaint-head", last_change=date(2026, 10, 20)), {REQUESTER}, FULL,
                 TODAY, CAL)
    with pytest.raises(Refused, match="30 days"):  # head's time ended 22 Oct: 36 days ago
        check("complain_cdai", facts("complaint-head", last_change=date(2026, 10, 1)), {REQUESTER}, FULL,
              TODAY, CAL)
    with pytest.raises(Refused, match="30 days"):
        check("complain_cdai", facts("head-answered", last_change=date(2026, 10, 27)), {REQUESTER}, FULL,
              TODAY, CAL)
    assert check("complain_cdai", facts("head-answered", last_change=date(2026, 10, 28)), {REQUESTER}, FULL,
                 TODAY, CAL)


def test_unknown_transition_names_the_known_ones():
    with pytest.raises(Refused, match="answer_partly"):
        check("approve", facts("received"), {OFFICER}, FULL, TODAY, CAL)


def test_overdue_is_an_open_request_past_its_due_date():
    assert is_overdue("in-progress", date(2026, 11, 26), TODAY)
    assert not is_overdue("in-progress", TODAY, TODAY)  # answering on the due date is on time
    assert not is_overdue("answered", date(2026, 11, 1), TODAY)


# workflow.apply: what a transition does, as data.

SCHEDULE = Schedule(CAL)


def test_an_answer_sets_the_outcome_the_answer_and_the_working_days():
    step = apply("answer", facts("in-progress", received=date(2026, 11, 2)), {OFFICER},
                 {"answer": "Voici.", "note": "n", "document_url": "https://example.org/d.pdf"}, TODAY, SCHEDULE)
    assert step.changes == {"ati_state": "answered", "answered_date": "2026-11-27", "outcome": "answered",
                            "answer_working_days": CAL.working_days_between(date(2026, 11, 2), TODAY),
                            "answer": "Voici.", "refusal_ground": ""}
    assert step.event == {"transition": "answer", "from_state": "in-progress", "to_state": "answered",
                          "actor_role": OFFICER, "note": "n", "ground": None}
    assert step.attach_document and not step.tell_officers


def test_a_refusal_s_answer_is_its_note_and_keeps_its_ground():
    step = apply("refuse", facts("received", received=TODAY), {OFFICER},
                 {"note": "Défense nationale.", "ground": "national-defence"}, TODAY, SCHEDULE)
    assert (step.changes["answer"], step.changes["refusal_ground"]) == ("Défense nationale.", "national-defence")


def test_an_extension_moves_the_deadline_from_receipt():
    step = apply("extend", facts("in-progress", received=date(2026, 11, 2)), {OFFICER}, {"note": "n"}, TODAY,
                 SCHEDULE)
    assert step.changes == {"ati_state": "in-progress", "extended": "yes",
                            "due_date": SCHEDULE.due(date(2026, 11, 2), urgent=False, extended=True).isoformat()}


def test_a_transfer_is_received_anew_by_the_other_institution_and_tells_its_officers():
    step = apply("transfer", facts("in-progress", institution="mrafp-id", urgent=True), {OFFICER},
                 {"note": "n", "target_org": "mef-id"}, TODAY, SCHEDULE)
    assert step.changes == {"ati_state": "received", "owner_org": "mef-id", "received_date": "2026-11-27",
                            "extended": "no", "transferred": "yes",
                            "due_date": SCHEDULE.due(TODAY, urgent=True, extended=False).isoformat()}
    assert step.tell_officers
    with pytest.raises(Refused) as refused:
        apply("transfer", facts("in-progress", institution="mrafp-id"), {OFFICER},
              {"note": "n", "target_org": "mrafp-id"}, TODAY, SCHEDULE)
    assert refused.value.field == "target_org"


@pytest.mark.parametrize("name,state,actor", [("start", "received", OFFICER), ("refuse", "received", OFFICER),
                                              ("clarify", "clarification", REQUESTER)])
def test_a_document_goes_with_an_answer_only(name, state, actor):
    with pytest.raises(Refused) as refused:
        apply(name, facts(state), {actor}, dict(FULL, document_url="https://example.org/d.pdf"), TODAY, SCHEDULE)
    assert refused.value.field == "upload"


def test_what_the_page_offers_is_what_the_rules_allow():
    offered = {t.name for t in allowed(facts("received"), {OFFICER})}
    assert offered == {"start", "request_clarification", "extend", "answer", "answer_partly", "refuse",
                       "not_held", "transfer"}
    assert {t.name for t in allowed(facts("answered"), {REQUESTER})} == {"complain_head"}
    assert {t.name for t in TRANSITIONS.values() if t.document} == {"answer", "answer_partly", "head_answer", "comply"}


INBOX_DAY, SOON = date(2026, 11, 16), date(2026, 11, 19)


@pytest.mark.parametrize(("state", "due", "sections"), [
    ("received", date(2026, 12, 14), ["new"]),
    ("received", date(2026, 11, 19), ["due_soon", "new"]),
    ("received", INBOX_DAY, ["due_soon", "new"]),  # due today: not yet overdue
    ("received", date(2026, 11, 13), ["overdue", "new"]),
    ("in-progress", date(2026, 11, 17), ["due_soon"]),
    ("in-progress", date(2026, 11, 20), ["in_progress"]),  # in progress, not yet due soon: still listed
    ("in-progress", date(2026, 11, 13), ["overdue"]),
    ("clarification", date(2026, 11, 17), ["clarification"]),
    ("clarification", date(2026, 11, 2), ["overdue", "clarification"]),
    ("complaint-head", date(2026, 11, 20), ["complaints"]),  # the head's answer is the institution's work
    ("complaint-head", date(2026, 11, 13), ["overdue", "complaints"]),
    ("compliance", date(2026, 12, 1), ["compliance"]),
    ("compliance", date(2026, 11, 13), ["overdue", "compliance"]),
    ("answered", date(2026, 11, 2), []),
    ("head-answered", date(2026, 11, 2), []),
    ("complaint-cdai", date(2026, 11, 2), []),  # the CDAI's, not the institution's
])
def test_inbox_sections(state, due, sections):
    assert inbox_sections(state, due, INBOX_DAY, SOON) == sections


@pytest.mark.parametrize(("state", "due", "sections"), [
    ("complaint-cdai", date(2026, 12, 1), ["to_decide"]),
    ("complaint-cdai", date(2026, 11, 13), ["overdue", "to_decide"]),
    ("compliance", date(2026, 12, 1), ["compliance"]),
    ("compliance", date(2026, 11, 13), ["overdue", "compliance"]),
    ("complaint-head", date(2026, 11, 13), []),
    ("received", date(2026, 11, 13), []),
    ("cdai-decided", date(2026, 11, 13), []),
])
def test_cdai_inbox_sections(state, due, sections):
    assert inbox_sections(state, due, INBOX_DAY, SOON, CDAI) == sections


def test_each_state_is_awaited_until_its_own_deadline():
    fields = {"due_date": "2026-11-10", "head_answer_due": "2026-12-01", "cdai_due": "2026-12-20",
              "compliance_due": "2027-01-15"}
    assert deadline("in-progress", fields) == date(2026, 11, 10)
    assert deadline("complaint-head", fields) == date(2026, 12, 1)
    assert deadline("complaint-cdai", fields) == date(2026, 12, 20)
    assert deadline("compliance", fields) == date(2027, 1, 15)
    assert deadline("complaint-head", {"due_date": "2026-11-10", "head_answer_due": None}) == date(2026, 11, 10)


def _apply(name, state, roles, given, today=TODAY):
    return apply(name, facts(state), roles, given, today, SCHEDULE)


def test_complaints_set_the_deadline_of_who_must_answer():
    head = _apply("complain_head", "refused", {REQUESTER}, {"note": "n"})
    assert head.changes["head_answer_due"] == CAL.add_working_days(TODAY, 15).isoformat()
    cdai = _apply("complain_cdai", "head-answered", {REQUESTER}, {"note": "n"})
    assert cdai.changes["cdai_due"] == "2026-12-27"


@pytest.mark.parametrize("decision", ["upheld", "partly-upheld", "disclosure-ordered"])
def test_a_cdai_decision_to_carry_out_opens_the_compliance_step(decision):
    step = _apply("cdai_decide", "complaint-cdai", {CDAI},
                  {"decision": decision, "note": "Motifs", "comply_by": date(2026, 12, 31)})
    assert step.changes == {"ati_state": "compliance", "cdai_decision": decision, "cdai_decision_date": "2026-11-27",
                            "cdai_reasoning": "Motifs", "compliance_due": "2026-12-31"}
    assert step.tell_officers
    done = _apply("comply", "compliance", {OFFICER}, {"note": "Documents communiqués"}, date(2026, 12, 20))
    assert done.changes == {"ati_state": "complied", "complied_date": "2026-12-20"}


@pytest.mark.parametrize("decision", ["rejected", "inadmissible"])
def test_a_cdai_decision_asking_nothing_closes_the_request(decision):
    step = _apply("cdai_decide", "complaint-cdai", {CDAI}, {"decision": decision, "note": "Motifs"})
    assert step.changes["ati_state"] == "cdai-decided" and "compliance_due" not in step.changes
    with pytest.raises(Refused) as err:
        _apply("cdai_decide", "complaint-cdai", {CDAI},
               {"decision": decision, "note": "Motifs", "comply_by": date(2026, 12, 31)})
    assert err.value.field == "comply_by"


@pytest.mark.parametrize(("given", "field"), [
    ({"decision": "upheld", "note": "n"}, "comply_by"),
    ({"decision": "disclosure-ordered", "note": "n", "comply_by": TODAY}, "comply_by"),
    ({"decision": "struck-out", "note": "n"}, "decision"),
    ({"decision": "upheld"}, "note"),
])
def test_a_cdai_decision_needs_its_reasoning_and_a_later_date_to_comply_by(given, field):
    with pytest.raises(Refused) as err:
        _apply("cdai_decide", "complaint-cdai", {CDAI}, given)
    assert err.value.field == field


# (state, last change, the terms that apply) with CAL (no Islamic holidays), DUE and TODAY above.
TERMS = [
    ("in-progress", date(2026, 11, 2), {"answer": DUE, "complain_head_from": DUE,
                                        "complain_head": CAL.add_working_days(DUE, 20)}),
    ("refused", date(2026, 11, 20), {"complain_head_from": date(2026, 11, 20),
                                     "complain_head": CAL.add_working_days(date(2026, 11, 20), 20)}),
    ("complaint-head", date(2026, 11, 20), {
        "head_answer": CAL.add_working_days(date(2026, 11, 20), 15),
        "complain_cdai": date.fromordinal(CAL.add_working_days(date(2026, 11, 20), 15).toordinal() + 30)}),
    ("head-answered", date(2026, 11, 20), {"complain_cdai": date(2026, 12, 20)}),
    ("complaint-cdai", date(2026, 11, 20), {"cdai_decision": date(2026, 12, 20)}),
    ("cdai-decided", date(2026, 11, 20), {}),
    ("withdrawn", date(2026, 11, 20), {}),
]


@pytest.mark.parametrize("state,since,expected", TERMS)
def test_next_terms_name_each_window_and_its_last_day(state, since, expected):
    assert next_terms(RequestFacts(state, DUE, last_change=since), TODAY, CAL) == expected


def test_reminders_fall_on_their_days_and_name_what_they_are_about():
    open_request = RequestFacts("in-progress", DUE, last_change=date(2026, 11, 2))
    assert reminders(open_request, DUE, CAL, 5) == []
    last = CAL.add_working_days(DUE, 20)
    assert reminders(open_request, date(2026, 12, 15), CAL, 5) == [Reminder("overdue", "answer", DUE)]
    assert Reminder("closing", "complain_head", last) in reminders(open_request, last, CAL, 5)
    assert reminders(RequestFacts("refused", DUE, last_change=TODAY), date(2026, 12, 1), CAL, 5) == []
    head = RequestFacts("complaint-head", DUE, last_change=TODAY)
    head_due = CAL.add_working_days(TODAY, 15)
    assert reminders(head, head_due, CAL, 5) == []
    assert reminders(head, head_due.fromordinal(head_due.toordinal() + 1), CAL, 5) == [
        Reminder("head_overdue", "head_answer", head_due)]
    assert Reminder("overdue", "answer", DUE).key == "overdue-answer-2026-12-14"
