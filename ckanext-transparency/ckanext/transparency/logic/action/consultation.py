"""Actions on public consultations and their contributions."""
from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ... import consultations, mail, phases, privacy
from ...model import Contribution
from .. import schema as schemas
from ...portal import site_context
from .common import show, validate

__all__ = [
    "transparency_contribution_create",
    "transparency_contribution_list",
    "transparency_contribution_moderate",
    "transparency_contribution_answer",
    "transparency_consultation_report_publish",
    "transparency_consultation_summary",
    "transparency_contribution_export",
]


def _consultation(context: Context, package_id: str) -> dict[str, Any]:
    return show(context, package_id, "consultation", tk._("No consultation has this id"))


def transparency_contribution_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Contributes to a consultation while it is open, as the signed-in user.
    The contribution waits for moderation before it is public.

    :param id: the consultation's id or name
    :type id: string
    :param text: the contribution
    :type text: string
    :param section: the section or article of the draft it is about (optional)
    :type section: string
    :param show_name: whether the contributor's name may be shown (default false)
    :type show_name: bool
    :param upload: one attachment (optional; multipart upload)
    :type upload: file
    :returns: the contribution, as its contributor sees it
    :rtype: dictionary
    """
    tk.check_access("transparency_contribution_create", context, data_dict)
    data = validate(data_dict, schemas.contribution_create(), context)
    pkg = _consultation(context, data["id"])
    if consultations.phase(pkg) != phases.OPEN:
        raise tk.ValidationError({"id": [tk._(
            "This consultation takes contributions from {opens} to {closes} only").format(
            opens=pkg["opens_at"][:16].replace("T", " "), closes=pkg["closes_at"][:16].replace("T", " "))]})
    user = model.User.get(context["user"])
    who = privacy.Identity(full_name="" if data["show_name"] else user.fullname or "", email=user.email or "")
    item = Contribution(package_id=pkg["id"], user_id=user.id, text=privacy.mask(data["text"], who),
                        original_text=data["text"], section=privacy.mask(data.get("section") or "", who) or None,
                        show_name=data["show_name"], public_name=(user.fullname or user.name) if data["show_name"] else None)
    model.Session.add(item)
    model.Session.flush()
    if data.get("upload"):
        stem, dot, extension = data["upload"].filename.rpartition(".")
        if privacy.mask(stem, who) != stem:
            data["upload"].filename = f"attachment{dot}{extension}"
        consultations.save_attachment(item, data["upload"])
    model.repo.commit()
    return item.as_dict()


def _allowed(auth: str, context: Context, pkg: dict[str, Any]) -> bool:
    try:
        tk.check_access(auth, dict(context), {"owner_org": pkg["owner_org"]})
    except tk.NotAuthorized:
        return False
    return True


@tk.side_effect_free
def transparency_contribution_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The contributions to a consultation: the published ones for everyone, plus
    one's own (with their state), and all of them for the organizing institution's
    officers.

    :param id: the consultation's id or name
    :type id: string
    :param state: only this state (pending, published, rejected; officers)
    :type state: string
    :rtype: list of dictionaries
    """
    data = validate(data_dict, schemas.contribution_list(), context)
    pkg = _consultation(context, data["id"])
    query = model.Session.query(Contribution).filter(Contribution.package_id == pkg["id"])
    if not _allowed("transparency_contribution_moderate", context, pkg):
        user = model.User.get(context.get("user") or "")
        visible = Contribution.state == "published"
        if user is not None:
            visible = visible | (Contribution.user_id == user.id)
        query = query.filter(visible)
    if data.get("state"):
        query = query.filter(Contribution.state == data["state"])
    return [item.as_dict() for item in query.order_by(Contribution.id)]


def transparency_contribution_moderate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publishes or rejects a contribution (officers of the organizing institution).

    :param contribution_id: the contribution's id
    :type contribution_id: int
    :param decision: ``publish`` or ``reject``
    :type decision: string
    :param reason: why it is rejected: off-topic, abusive, duplicate, personal-data
    :type reason: string
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.contribution_moderate(), context)
    item = consultations.contribution(data["contribution_id"])
    pkg = tk.get_action("package_show")(site_context(), {"id": item.package_id})
    tk.check_access("transparency_contribution_moderate", context, {"owner_org": pkg["owner_org"]})
    if data["decision"] == "reject" and not data.get("reason"):
        raise tk.ValidationError({"reason": [tk._("Give the reason of the rejection")]})
    item.state = "published" if data["decision"] == "publish" else "rejected"
    item.reject_reason = data.get("reason") if item.state == "rejected" else None
    item.moderated = datetime.datetime.utcnow()
    model.repo.commit()
    return item.as_dict()


def transparency_contribution_answer(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Answers a published contribution (officers of the organizing institution).

    :param contribution_id: the contribution's id
    :type contribution_id: int
    :param kind: taken, partly, not-taken or out-of-scope
    :type kind: string
    :param text: the answer
    :type text: string
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.contribution_answer(), context)
    item = consultations.contribution(data["contribution_id"])
    pkg = tk.get_action("package_show")(site_context(), {"id": item.package_id})
    tk.check_access("transparency_contribution_answer", context, {"owner_org": pkg["owner_org"]})
    if item.state != "published":
        raise tk.ValidationError({"contribution_id": [tk._("Only a published contribution can be answered")]})
    item.answer_kind, item.answer_text = data["kind"], privacy.mask(data["text"])
    item.answered = datetime.datetime.utcnow()
    model.repo.commit()
    return item.as_dict()


def transparency_consultation_report_publish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publishes the final report, which closes the consultation, and tells its followers.

    :param id: the consultation's id or name
    :type id: string
    :param summary: the report's summary
    :type summary: string
    :param upload: the report document (multipart upload), or
    :type upload: file
    :param url: a link to it
    :type url: string
    :returns: the consultation
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.report_publish(), context)
    pkg = _consultation(context, data["id"])
    tk.check_access("transparency_consultation_report_publish", context, {"owner_org": pkg["owner_org"]})
    if consultations.phase(pkg) in (phases.ANNOUNCED, phases.OPEN):
        raise tk.ValidationError({"id": [tk._("The report is published once contributions are closed")]})
    if not (data.get("upload") or data.get("url")):
        raise tk.ValidationError({"upload": [tk._("Attach the report document or give its link")]})
    write = dict(site_context(), defer_commit=True)
    document = {"package_id": pkg["id"], "name": "Rapport final / التقرير النهائي"}
    if data.get("upload"):
        document.update(upload=data["upload"], url=data["upload"].filename)
    else:
        document["url"] = data["url"]
    tk.get_action("resource_create")(dict(write), document)
    updated = tk.get_action("package_patch")(dict(write), {"id": pkg["id"], "report_summary": data["summary"]})
    consultations.notify_followers(updated, "report")
    model.repo.commit()
    mail.send_soon()
    return tk.get_action("package_show")(dict(site_context(), use_cache=False), {"id": pkg["id"]})


@tk.side_effect_free
def transparency_consultation_summary(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Public counts of a consultation: its phase, contributions received and
    published, and published contributions per answer.

    :param id: the consultation's id or name
    :type id: string
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.package_id(), context)
    pkg = _consultation(context, data["id"])
    rows = (model.Session.query(Contribution.state, Contribution.answer_kind, sa.func.count())
            .filter(Contribution.package_id == pkg["id"])
            .group_by(Contribution.state, Contribution.answer_kind).all())
    answers = {kind: 0 for kind in consultations.ANSWER_KINDS}
    for state, kind, count in rows:
        if state == "published" and kind:
            answers[kind] += count
    return {"phase": consultations.phase(pkg), "received": sum(c for _, _, c in rows),
            "published": sum(c for s, _, c in rows if s == "published"), "answers": answers}


@tk.side_effect_free
def transparency_contribution_export(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every contribution with its contributor's contact details, for the organizing
    institution's officers (the page offers it as CSV).

    :param id: the consultation's id or name
    :type id: string
    :rtype: list of dictionaries
    """
    data = validate(data_dict, schemas.package_id(), context)
    pkg = _consultation(context, data["id"])
    tk.check_access("transparency_contribution_export", context, {"owner_org": pkg["owner_org"]})
    rows = (model.Session.query(Contribution, model.User.name, model.User.fullname, model.User.email)
            .join(model.User, model.User.id == Contribution.user_id)
            .filter(Contribution.package_id == pkg["id"]).order_by(Contribution.id))
    return [dict(item.as_dict(), original_text=item.original_text, user_name=name, contact_name=fullname,
                 contact_email=email)
            for item, name, fullname, email in rows]
