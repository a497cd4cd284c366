"""Access-to-information requests: what the actions need beside the plain rules
of ``deadlines`` and ``workflow`` (configuration, who is who, e-mails)."""
from __future__ import annotations

import datetime
import re
from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy.orm import aliased

import ckan.plugins.toolkit as tk
from ckan import model

from . import choices, deadlines, mail, privacy, redaction, workflow
from .portal import is_officer, site_context, today
from .model import AtiEvent, AtiRequester, Notice


def calendar() -> deadlines.Calendar:
    path = tk.config.get("ckanext.transparency.ati.holidays_file")
    return deadlines.Calendar(deadlines.read_holidays_file(path)) if path else deadlines.Calendar()


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
    """Who ``user`` is to the request ``pkg``: requester, officer, cdai (sysadmins act for the CDAI)."""
    found: set[str] = set()
    if user is None:
        return found
    who = requester(pkg["id"])
    if who is not None and who.user_id == user.id:
        found.add(workflow.REQUESTER)
    if is_officer(user, pkg["owner_org"]):
        found.add(workflow.OFFICER)
    if user.sysadmin:
        found |= {workflow.OFFICER, workflow.CDAI}
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
    mail_requester_state(updated, step.event["note"])
    if step.transition.name == "transfer":
        mail_officers(updated, "Demande transférée / طلب محال", "Une demande vous a été transférée :")
    elif step.tell_officers:
        mail_officers(updated, "Action du demandeur / إجراء من صاحب الطلب",
                      "Le demandeur a agi sur sa demande ({}) :".format(step.transition.name))
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


# Bilingual e-mails (French, then Arabic): the requester reads at least one.
_STATE_MAIL = (
    "Votre demande {number} « {title} » : nouvel état « {state_fr} ».\n{note}\nSuivre la demande : {url}\n\n"
    "طلبكم {number} «{title}»: الوضعية الجديدة «{state_ar}».\n{note}\nتتبع الطلب: {url}\n"
)


def mail_requester_state(pkg: dict[str, Any], note: str | None) -> None:
    who = requester(pkg["id"])
    if who is None:
        return
    labels = _state_labels(pkg["ati_state"])
    mail.queue(who.email, f"[{pkg['tracking_number']}] {labels['fr']} / {labels['ar']}",
               _STATE_MAIL.format(number=pkg["tracking_number"], title=pkg["title"], state_fr=labels["fr"],
                                  state_ar=labels["ar"], note=note or "", url=request_url(pkg)))


def mail_acknowledgement(pkg: dict[str, Any], email: str) -> None:
    mail.queue(email, f"[{pkg['tracking_number']}] Accusé de réception / إشعار بالتوصل", (
        "Votre demande d'accès à l'information a été reçue le {received}.\n"
        "Numéro de suivi : {number}\nInstitution : {org}\nRéponse attendue au plus tard le {due}.\n"
        "Suivre la demande : {url}\n\n"
        "تم التوصل بطلبكم للحصول على المعلومات بتاريخ {received}.\n"
        "رقم التتبع: {number}\nالأجل الأقصى للرد: {due}\nتتبع الطلب: {url}\n"
    ).format(received=pkg["received_date"], number=pkg["tracking_number"], due=pkg["due_date"],
             org=pkg["organization"]["title"], url=request_url(pkg)))


def mail_officers(pkg: dict[str, Any], subject: str, intro: str) -> None:
    for email in officer_emails(pkg["owner_org"]):
        mail.queue(email, f"[{pkg['tracking_number']}] {subject}",
                   f"{intro}\n« {pkg['title']} »\nÉchéance : {pkg['due_date']}\n{request_url(pkg)}\n")


def _state_labels(state: str) -> dict[str, str]:
    return choices.label("ati-request", "ati_state", state) or {"fr": state, "ar": state}


def daily() -> dict[str, int]:
    """What time changes (``ckan transparency refresh``, run hourly by ``periodic``): refreshes
    the overdue flag in the search index of open requests whose deadline has passed
    or is near, and reminds officers, once, of requests due in a few working days."""
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
        kind = "due-soon-" + due_date
        if due_date == soon.isoformat() and model.Session.get(Notice, (package_id, kind)) is None:
            model.Session.add(Notice(package_id=package_id, kind=kind))
            pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
            mail_officers(pkg, "Échéance proche / أجل قريب",
                          "Cette demande doit recevoir une réponse au plus tard le {} :".format(due_date))
            reminded += 1
    model.repo.commit()
    return {"reindexed": len(rows), "reminded": reminded}
