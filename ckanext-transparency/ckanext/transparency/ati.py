"""Access-to-information requests: what the actions need beside the plain rules
of ``deadlines`` and ``workflow`` (configuration, who is who, e-mails)."""
from __future__ import annotations

import datetime
import functools
import os
import re
from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy.orm import aliased

import ckan.plugins.toolkit as tk
from ckan import model

from . import deadlines, mail, privacy, redaction, workflow
from .portal import is_cdai, is_officer, site_context, today
from .model import AtiEvent, AtiRequester, Notice, open_requests, request_clock


def calendar() -> deadlines.Calendar:
    """The working days, from the configured holidays file: read once, and again when it changes
    (a request's page and every search result ask whether its deadline is an estimate)."""
    path = tk.config.get("ckanext.transparency.ati.holidays_file")
    return _calendar(path, os.stat(path).st_mtime_ns) if path else deadlines.Calendar()


@functools.lru_cache(maxsize=4)
def _calendar(path: str, _modified: int) -> deadlines.Calendar:
    return deadlines.Calendar(deadlines.read_holidays_file(path))


def holidays_coverage(months: int | None = None) -> dict[str, Any]:
    """Until when the Islamic holidays are dated (``until``), and whether that ends
    within ``months`` (``ckanext.transparency.ati.holidays_warning_months`` unless
    told) months (``runs_out``): an administrator then adds the next ones to the file."""
    if months is None:
        months = tk.config.get("ckanext.transparency.ati.holidays_warning_months")
    found = calendar()
    return {"until": found.covered_until, "months": months, "runs_out": found.runs_out(today(), months)}


def due_is_estimate(due: datetime.date) -> bool:
    """Whether a deadline lies beyond the dated Islamic holidays (it may move when they are announced)."""
    return calendar().is_estimate(due)


def schedule() -> deadlines.Schedule:
    return deadlines.Schedule(calendar(), answer_days=tk.config.get("ckanext.transparency.ati.answer_days"),
                              urgent_days=tk.config.get("ckanext.transparency.ati.urgent_days"),
                              extension_days=tk.config.get("ckanext.transparency.ati.extension_days"))


def due_date(received: datetime.date, *, urgent: bool, extended: bool) -> datetime.date:
    return schedule().due(received, urgent=urgent, extended=extended)


def tracking_number(year: int, number: int) -> str:
    return f"DAI-{year}-{number:06d}"


# Requests are named after their tracking number; no other record may take such a name.
RESERVED_NAME = re.compile(r"^dai-\d{4}-\d+$", re.IGNORECASE)


def requester(package_id: str) -> AtiRequester | None:
    return model.Session.get(AtiRequester, package_id)


def identity(package_id: str) -> privacy.Identity | None:
    """What the requester gave about themselves, to mask it wherever it is typed again."""
    who = requester(package_id)
    if who is None:
        return None
    return privacy.Identity(full_name=who.full_name, address=who.address, id_number=who.id_number,
                            email=who.email, phone=who.phone or "")


def roles(user: model.User | None, pkg: dict[str, Any]) -> set[str]:
    """Who ``user`` is to the request ``pkg``: requester, officer (its institution's, or a
    sysadmin), cdai (a member of the CDAI's organization: sysadmins are not, unless members)."""
    found: set[str] = set()
    if user is None:
        return found
    who = requester(pkg["id"])
    if who is not None and who.user_id == user.id:
        found.add(workflow.REQUESTER)
    if is_officer(user, pkg["owner_org"]):
        found.add(workflow.OFFICER)
    if is_cdai(user):
        found.add(workflow.CDAI)
    return found


def facts(pkg: dict[str, Any]) -> workflow.RequestFacts:
    last = (model.Session.query(AtiEvent.created).filter(AtiEvent.package_id == pkg["id"])
            .order_by(AtiEvent.id.desc()).limit(1).scalar())
    return workflow.RequestFacts(
        state=pkg["ati_state"], due=datetime.date.fromisoformat(pkg["due_date"][:10]),
        urgent=pkg.get("urgent") == "yes", extended=pkg.get("extended") == "yes",
        last_change=last.date() if last else None,
        received=datetime.date.fromisoformat(pkg["received_date"][:10]), institution=pkg["owner_org"])


# The texts of a transition that are published, and masked first.
PUBLISHED_TEXTS = ("note", "answer", "document_name")


def masking(package_id: str, marked: str = "") -> Callable[[str], str]:
    """What publishes a text of the request: the requester's identity, anyone's
    contact details and the passages ``marked`` (one per line) masked."""
    who, more = identity(package_id), passages(marked)
    return lambda text: privacy.mask(text, who, more)


def passages(marked: str) -> list[str]:
    """The passages an officer marked to be masked, one per line."""
    return [line for line in marked.splitlines() if line.strip()]


def carry_out(pkg: dict[str, Any], step: workflow.Step, given: dict[str, Any], user_id: str,
              original: str | None, public: Callable[[str], str]) -> dict[str, Any]:
    """Saves what ``step`` does (not committed): the record's changes, the document
    (its file name published through ``public``), the history entry with the text as
    typed, the e-mails. The updated record."""
    updated = tk.get_action("package_patch")(dict(site_context(), defer_commit=True), dict(step.changes, id=pkg["id"]))
    if step.attach_document:
        name = given.get("document_name") or tk._("Document")
        upload, url = given.get("upload"), given.get("document_url")
        if given.get("document_audience") == "requester":
            redaction.keep_document(pkg["id"], name, upload, url, tk._("Sent to the requester only"), user_id)
        else:
            redaction.publish_document(pkg["id"], name, upload, url, public)
            updated = tk.get_action("package_show")(dict(site_context(), use_cache=False), {"id": pkg["id"]})
    model.Session.add(AtiEvent(package_id=pkg["id"], user_id=user_id, original=original, **step.event))
    model.Session.flush()  # the e-mails count the windows from this change
    name = step.transition.name
    mail_requester_state(updated, name, note=step.event["note"] or "")
    if name in ("transfer", "cdai_decide"):
        mail_officers(updated, name, note=step.event["note"] or "")
    elif step.tell_officers:
        mail_officers(updated, "requester_acted", transition=name, note=step.event["note"] or "")
    return updated


def officer_emails(org_id: str) -> list[str]:
    """E-mail addresses of the institution's information officers (editors and admins)."""
    rows = (model.Session.query(model.User.email)
            .join(model.Member, model.Member.table_id == model.User.id)
            .filter(model.Member.group_id == org_id, model.Member.table_name == "user",
                    model.Member.state == "active", model.Member.capacity.in_(["editor", "admin"]),
                    model.User.state == "active", model.User.email.isnot(None)))
    return sorted({email for (email,) in rows if email})


def request_url(pkg: dict[str, Any]) -> str:
    return tk.url_for("ati-request.read", id=pkg["name"], _external=True)


def _letter(pkg: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """What every e-mail about a request reads: the public record, its link, and the
    dates that matter next (``workflow.next_terms``)."""
    return {"pkg": pkg, "url": request_url(pkg), "terms": workflow.next_terms(facts(pkg), today(), calendar()),
            "note": "", **extra}


def mail_requester_state(pkg: dict[str, Any], kind: str, **extra: Any) -> None:
    """Tells the requester what happened (``kind``: a transition, or a reminder),
    what it means and what they may do next by when, in their language first
    (``templates/transparency/emails/request/<kind>.txt``)."""
    who = requester(pkg["id"])
    if who is not None:
        _mail_requester(pkg, who.email, who.language, kind, extra)


def mail_acknowledgement(pkg: dict[str, Any], email: str, language: str) -> None:
    """The receipt of a request, to ``email`` in ``language`` first."""
    _mail_requester(pkg, email, language, "submit", {})


def _mail_requester(pkg: dict[str, Any], email: str, language: str, kind: str, extra: dict[str, Any]) -> None:
    mail.send([email], f"transparency/emails/request/{kind}.txt", language, f"[{pkg['tracking_number']}] ",
              **_letter(pkg, **extra))


def mail_officers(pkg: dict[str, Any], kind: str, **extra: Any) -> None:
    """Tells the institution's officers, in the portal's default language then the
    other (``templates/transparency/emails/officers/<kind>.txt``)."""
    mail.send(officer_emails(pkg["owner_org"]), f"transparency/emails/officers/{kind}.txt",
              tk.config.get("ckan.locale_default"), f"[{pkg['tracking_number']}] ", **_letter(pkg, **extra))


def daily() -> dict[str, int]:
    """What time changes (``ckan transparency refresh``, run hourly by ``periodic``): refreshes
    the overdue flag in the search index of open requests whose deadline has passed
    or is near, reminds officers, once, of requests due in a few working days and of
    CDAI decisions to comply with by then, and sends the reminders of
    ``workflow.reminders`` once each."""
    from ckan.lib.search import commit, rebuild

    soon = calendar().add_working_days(today(), tk.config.get("ckanext.transparency.ati.due_soon_days"))
    due, state = aliased(model.PackageExtra), aliased(model.PackageExtra)
    rows = (model.Session.query(model.Package.id, due.value)
            .join(due, sa.and_(due.package_id == model.Package.id, due.key == "due_date"))
            .join(state, sa.and_(state.package_id == model.Package.id, state.key == "ati_state"))
            .filter(model.Package.type == "ati-request", model.Package.state == "active",
                    state.value.in_(sorted(workflow.OPEN)), due.value <= soon.isoformat())).all()
    if rows:
        rebuild(package_ids=[package_id for package_id, _ in rows], quiet=True)
        commit()  # rebuild(package_ids=...) leaves the Solr commit to the caller
    reminded = 0
    for package_id, due_date in rows:  # only the requests due on that day get a reminder
        if due_date == soon.isoformat() and _once(package_id, "due-soon-" + due_date):
            mail_officers(_show(package_id), "due_soon")
            reminded += 1
    for package_id, _state, fields in open_requests(None, frozenset({"compliance"}), ("compliance_due",)):
        if fields["compliance_due"] == soon.isoformat() and _once(package_id, "compliance-due-" + fields["compliance_due"]):
            mail_officers(_show(package_id), "compliance_due")
            reminded += 1
    told = _remind_requesters()
    model.repo.commit()
    return {"reindexed": len(rows), "reminded": reminded, "told": told}


def _remind_requesters() -> int:
    """Sends the reminders due today (overdue, complaint window closing, head's
    answer overdue), each once; their number."""
    now, closing_days = today(), tk.config.get("ckanext.transparency.ati.closing_reminder_days")
    states = workflow.OPEN | frozenset(workflow.OUTCOMES) | {"complaint-head", "head-answered"}
    sent = 0
    for package_id, state, due, last_change in request_clock(states, now - datetime.timedelta(days=90)):
        clock = workflow.RequestFacts(state=state, due=datetime.date.fromisoformat(due[:10]), last_change=last_change)
        for reminder in workflow.reminders(clock, now, calendar(), closing_days):
            if not _once(package_id, reminder.key):
                continue
            pkg = _show(package_id)
            kind = f"closing_{reminder.term}" if reminder.kind == "closing" else reminder.kind
            mail_requester_state(pkg, kind, reminder=reminder)
            if reminder.tell_officers:
                mail_officers(pkg, "head_overdue", reminder=reminder)
            sent += 1
    return sent


def _once(package_id: str, kind: str) -> bool:
    """Records the notice ``kind`` of a request; False if it was already sent."""
    if model.Session.get(Notice, (package_id, kind)) is not None:
        return False
    model.Session.add(Notice(package_id=package_id, kind=kind))
    return True


def _show(package_id: str) -> dict[str, Any]:
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
