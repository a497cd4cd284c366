"""The life of an access-to-information request under law 31-13, as a state
machine. Plain Python: no CKAN import.

States: received -> in-progress -> (clarification <-> in-progress) -> answered /
partly-answered / refused / not-held; a transfer hands the request to another
institution, which receives it anew; the requester may withdraw an open request,
complain to the head of the institution, then to the CDAI. The CDAI decides
(``CDAI_DECISIONS``); a decision that the institution must carry out opens the
compliance step, with its own date, which the institution closes by complying.
"""
from __future__ import annotations

import dataclasses
import datetime

from .deadlines import Calendar, Schedule

OPEN = frozenset({"received", "in-progress", "clarification"})
OUTCOMES = ("answered", "partly-answered", "refused", "not-held")  # in the order the statistics show them
# Every state, in the order of a request's life; the schema's choices of ati_state are these (tests check it).
ALL_STATES = ("received", "in-progress", "clarification", *OUTCOMES, "withdrawn", "complaint-head",
              "head-answered", "complaint-cdai", "cdai-decided", "compliance", "complied")
# The CDAI's decisions (the schema's choices of cdai_decision are these); those that
# the institution must carry out open the compliance step, by a date the CDAI sets.
CDAI_DECISIONS = ("upheld", "partly-upheld", "disclosure-ordered", "rejected", "inadmissible")
TO_COMPLY = frozenset({"upheld", "partly-upheld", "disclosure-ordered"})

REQUESTER, OFFICER, CDAI = "requester", "officer", "cdai"

# Windows of the complaints (art. 18 and 19): working days, but calendar days for the CDAI.
COMPLAINT_HEAD_DAYS = 20
HEAD_ANSWER_DAYS = 15
COMPLAINT_CDAI_DAYS = 30
CDAI_DECISION_DAYS = 30  # the CDAI decides within 30 days of the complaint


@dataclasses.dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change
    actor: str
    requires: tuple[str, ...] = ()
    document: bool = False  # whether the institution may give a document with it


TRANSITIONS = {t.name: t for t in [
    Transition("start", frozenset({"received"}), "in-progress", OFFICER),
    Transition("request_clarification", frozenset({"received", "in-progress"}), "clarification", OFFICER, ("note",)),
    Transition("clarify", frozenset({"clarification"}), "in-progress", REQUESTER, ("note",)),
    Transition("extend", frozenset({"received", "in-progress"}), None, OFFICER, ("note",)),
    Transition("answer", OPEN, "answered", OFFICER, ("answer",), document=True),
    Transition("answer_partly", OPEN, "partly-answered", OFFICER, ("answer", "ground"), document=True),
    Transition("refuse", OPEN, "refused", OFFICER, ("ground", "note")),
    Transition("not_held", OPEN, "not-held", OFFICER, ("note",)),
    Transition("transfer", OPEN, "received", OFFICER, ("target_org", "note")),
    Transition("withdraw", OPEN, "withdrawn", REQUESTER),
    Transition("complain_head", OPEN | frozenset(OUTCOMES), "complaint-head", REQUESTER, ("note",)),
    Transition("head_answer", frozenset({"complaint-head"}), "head-answered", OFFICER, ("note",), document=True),
    Transition("complain_cdai", frozenset({"complaint-head", "head-answered"}), "complaint-cdai", REQUESTER, ("note",)),
    Transition("cdai_decide", frozenset({"complaint-cdai"}), "cdai-decided", CDAI, ("decision", "note")),
    Transition("comply", frozenset({"compliance"}), "complied", OFFICER, ("note",), document=True),
]}


@dataclasses.dataclass(frozen=True)
class RequestFacts:
    """What the rules need to know of a request."""
    state: str
    due: datetime.date
    urgent: bool = False
    extended: bool = False
    last_change: datetime.date | None = None  # when it entered its current state
    received: datetime.date | None = None
    institution: str = ""  # the id of the institution asked


def N_(message: str) -> str:
    """Marks a message for translation (extracted by scripts/i18n, translated by the caller)."""
    return message


class Refused(Exception):
    """A transition that the rules do not allow.

    ``template`` (English, translated by the caller) with ``params`` says why;
    ``field`` names the input at fault.
    """

    def __init__(self, template: str, field: str = "transition", **params: object):
        super().__init__(template.format(**params))
        self.template, self.field, self.params = template, field, params


def check(name: str, facts: RequestFacts, roles: set[str], given: dict[str, object],
          today: datetime.date, calendar: Calendar) -> Transition:
    """The transition ``name`` if ``roles`` may make it now with the fields ``given``.

    Raises :class:`Refused` with the reason otherwise. ``roles`` holds who is
    acting: ``requester``, ``officer`` and/or ``cdai``.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise Refused(N_("Unknown transition {name}; known: {known}"), name=name, known=", ".join(sorted(TRANSITIONS)))
    if transition.actor not in roles:
        raise Refused(N_("You may not make the transition {name} on this request"), name=name)
    if facts.state not in transition.sources:
        raise Refused(N_("A request in the state {state} does not allow the transition {name}"),
                      state=facts.state, name=name)
    for field in transition.requires:
        if not given.get(field):
            raise Refused(N_("Missing value: {missing} is required for the transition {name}"), field,
                          missing=field, name=name)
    _check_time(name, facts, today, calendar)
    if name == "cdai_decide":
        _check_decision(given, today)
    return transition


def _check_decision(given: dict[str, object], today: datetime.date) -> None:
    decision = given["decision"]
    if decision not in CDAI_DECISIONS:
        raise Refused(N_("Unknown decision {decision}; known: {known}"), "decision", decision=decision,
                      known=", ".join(CDAI_DECISIONS))
    comply_by = given.get("comply_by")
    if decision in TO_COMPLY:
        if not isinstance(comply_by, datetime.date):
            raise Refused(N_("Give the date by which the institution must comply"), "comply_by")
        if comply_by <= today:
            raise Refused(N_("The date to comply by must come after today"), "comply_by")
    elif comply_by:
        raise Refused(N_("This decision asks nothing of the institution: leave the date to comply by empty"),
                      "comply_by")


def _check_time(name: str, facts: RequestFacts, today: datetime.date, calendar: Calendar) -> None:
    if name == "extend":
        if facts.urgent:
            raise Refused(N_("An urgent request cannot be extended"))
        if facts.extended:
            raise Refused(N_("The deadline has already been extended once"))
        if today > facts.due:
            raise Refused(N_("The extension must be notified before the deadline"))
        return
    terms = next_terms(facts, today, calendar)
    if name == "complain_head":
        if facts.state in OPEN and today <= facts.due:
            raise Refused(N_("A complaint about an unanswered request can be made once the deadline has passed"))
        if calendar.working_days_between(terms["complain_head_from"], today) > COMPLAINT_HEAD_DAYS:
            raise Refused(N_("The complaint to the head of the institution must be made within {days} working days"),
                          days=COMPLAINT_HEAD_DAYS)
    elif name == "complain_cdai":
        if facts.state == "complaint-head" and today <= terms["head_answer"]:
            raise Refused(N_("The head of the institution still has time to answer the complaint"))
        if today > terms["complain_cdai"]:
            raise Refused(N_("The complaint to the CDAI must be made within {days} days"), days=COMPLAINT_CDAI_DAYS)


def next_terms(facts: RequestFacts, today: datetime.date, calendar: Calendar) -> dict[str, datetime.date]:
    """The dates that matter next for a request in its state, for the rules and
    for what the requester is told: ``answer`` (the institution's deadline, while
    open), ``complain_head`` (the last day of the complaint to the head, counted
    from ``complain_head_from``: the missed deadline or the answer), ``head_answer``
    (the head's deadline), ``complain_cdai`` (the last day of the complaint to the
    CDAI) and ``cdai_decision`` (the CDAI's deadline)."""
    since = facts.last_change or today
    terms: dict[str, datetime.date] = {}
    if facts.state in OPEN:
        terms.update(answer=facts.due, complain_head_from=facts.due)
    elif facts.state in OUTCOMES:
        terms.update(complain_head_from=since)
    if "complain_head_from" in terms:
        terms["complain_head"] = calendar.add_working_days(terms["complain_head_from"], COMPLAINT_HEAD_DAYS)
    if facts.state == "complaint-head":
        terms["head_answer"] = calendar.add_working_days(since, HEAD_ANSWER_DAYS)
        terms["complain_cdai"] = terms["head_answer"] + datetime.timedelta(days=COMPLAINT_CDAI_DAYS)
    elif facts.state == "head-answered":
        terms["complain_cdai"] = since + datetime.timedelta(days=COMPLAINT_CDAI_DAYS)
    elif facts.state == "complaint-cdai":
        terms["cdai_decision"] = since + datetime.timedelta(days=CDAI_DECISION_DAYS)
    return terms


@dataclasses.dataclass(frozen=True)
class Reminder:
    """A reminder due on a request: ``kind`` is ``overdue`` (to the requester),
    ``closing`` (a complaint window, ``term``, ends soon: to the requester) or
    ``head_overdue`` (to the requester and the officers); ``day`` is the date it
    is about. Each is sent once (``key``)."""
    kind: str
    term: str
    day: datetime.date

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.term}-{self.day.isoformat()}"

    @property
    def tell_officers(self) -> bool:
        return self.kind == "head_overdue"


def reminders(facts: RequestFacts, today: datetime.date, calendar: Calendar, closing_days: int) -> list[Reminder]:
    """The reminders due today on a request: overdue, a complaint window closing in
    ``closing_days`` days or less, the head's answer overdue."""
    terms = next_terms(facts, today, calendar)
    due: list[Reminder] = []
    if is_overdue(facts.state, facts.due, today):
        due.append(Reminder("overdue", "answer", facts.due))
    if facts.state == "complaint-head" and today > terms["head_answer"]:
        due.append(Reminder("head_overdue", "head_answer", terms["head_answer"]))
    for term in ("complain_head", "complain_cdai"):  # windows that open before they can close soon
        last = terms.get(term)
        if last and 0 <= (last - today).days <= closing_days:
            due.append(Reminder("closing", term, last))
    return due


def allowed(facts: RequestFacts, roles: set[str]) -> list[Transition]:
    """The transitions ``roles`` may try on a request in its state: what its page offers."""
    return [t for t in TRANSITIONS.values() if t.actor in roles and facts.state in t.sources]


@dataclasses.dataclass(frozen=True)
class Step:
    """What a transition does: the public record's changes, its history entry,
    whether the document given is attached, and who is told."""
    transition: Transition
    changes: dict[str, object]
    event: dict[str, object]
    attach_document: bool
    tell_officers: bool


ANSWERS = frozenset({"answer", "answer_partly", "refuse", "not_held"})


def apply(name: str, facts: RequestFacts, roles: set[str], given: dict[str, object], today: datetime.date,
          schedule: Schedule) -> Step:
    """What the transition ``name`` does to a request, with the input ``given``
    (its texts as they will be published), or :class:`Refused` with the reason."""
    transition = check(name, facts, roles, given, today, schedule.calendar)
    if name == "transfer" and given.get("target_org") == facts.institution:
        raise Refused(N_("The request is already with this institution"), "target_org")
    document = bool(given.get("upload") or given.get("document_url"))
    if document and not transition.document:
        raise Refused(N_("A document is given with an answer only"), "upload")
    changes: dict[str, object] = {"ati_state": transition.target or facts.state}
    if name == "extend":
        changes.update(extended="yes", due_date=schedule.due(facts.received or today, urgent=False,
                                                             extended=True).isoformat())
    if name in ANSWERS:
        changes.update(answered_date=today.isoformat(), outcome=transition.target,
                       answer_working_days=schedule.calendar.working_days_between(facts.received or today, today),
                       answer=given.get("answer") or given.get("note") or "", refusal_ground=given.get("ground") or "")
    if name in ("complain_head", "complain_cdai"):  # the deadline of who must answer, as next_terms counts it
        after = next_terms(dataclasses.replace(facts, state=transition.target, last_change=today), today,
                           schedule.calendar)
        field, term = ("head_answer_due", "head_answer") if name == "complain_head" else ("cdai_due", "cdai_decision")
        changes[field] = after[term].isoformat()
    if name == "cdai_decide":
        decision = given["decision"]
        changes.update(cdai_decision=decision, cdai_decision_date=today.isoformat(), cdai_reasoning=given["note"])
        if decision in TO_COMPLY:
            changes.update(ati_state="compliance", compliance_due=given["comply_by"].isoformat())
    if name == "comply":
        changes["complied_date"] = today.isoformat()
    if name == "transfer":
        changes.update(owner_org=given["target_org"], received_date=today.isoformat(), extended="no",
                       transferred="yes", due_date=schedule.due(today, urgent=facts.urgent, extended=False).isoformat())
    event = {"transition": name, "from_state": facts.state, "to_state": changes["ati_state"],
             "actor_role": transition.actor, "note": given.get("note") or None, "ground": given.get("ground")}
    return Step(transition, changes, event, attach_document=document,
                tell_officers=name in ("transfer", "cdai_decide") or transition.actor == REQUESTER)


def is_overdue(state: str, due: datetime.date, today: datetime.date) -> bool:
    """An open request whose deadline has passed."""
    return state in OPEN and today > due


# What each has to do, in the order their inbox shows it: an institution's officers, the CDAI.
INBOX_SECTIONS = {
    OFFICER: ("overdue", "due_soon", "new", "in_progress", "clarification", "complaints", "compliance"),
    CDAI: ("overdue", "to_decide", "compliance"),
}
INBOX_STATES = {OFFICER: OPEN | frozenset({"complaint-head", "compliance"}),
                CDAI: frozenset({"complaint-cdai", "compliance"})}
# The field holding the deadline of what is awaited in a state (else ``due_date``, the answer's).
DEADLINE_FIELD = {"complaint-head": "head_answer_due", "complaint-cdai": "cdai_due", "compliance": "compliance_due"}


def deadline(state: str, fields: dict[str, str | None]) -> datetime.date:
    """The day by which what a request awaits in ``state`` is due, from its record's ``fields``."""
    value = fields.get(DEADLINE_FIELD.get(state, "due_date")) or fields["due_date"]
    return datetime.date.fromisoformat(value[:10])


def inbox_sections(state: str, due: datetime.date, today: datetime.date, soon: datetime.date,
                   role: str = OFFICER) -> list[str]:
    """The sections of the inbox of ``role`` (officer or cdai) a request is listed in (none
    once nothing is awaited of them); ``due`` is the :func:`deadline` of its state."""
    late = state in INBOX_STATES[role] and today > due
    listed = {
        OFFICER: (
            ("overdue", late),
            ("due_soon", state in ("received", "in-progress") and not late and due <= soon),
            ("new", state == "received"),
            ("in_progress", state == "in-progress" and not late and due > soon),
            ("clarification", state == "clarification"),
            ("complaints", state == "complaint-head"),
            ("compliance", state == "compliance")),
        CDAI: (
            ("overdue", late),
            ("to_decide", state == "complaint-cdai"),
            ("compliance", state == "compliance")),
    }[role]
    return [name for name, yes in listed if yes]
