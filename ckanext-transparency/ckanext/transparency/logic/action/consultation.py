"""Actions on public consultations and their contributions."""
from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ... import consultations, documents, drafts, mail, phases, portal, privacy
from ...model import Contribution, Support, support_counts, supported_by
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
    "transparency_contribution_support",
    "transparency_consultation_draft_load",
    "transparency_contribution_link",
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
    :param section: the section of the draft it is about, in words (optional)
    :type section: string
    :param article: the number of the draft's article it is about (optional)
    :type article: string
    :param quote: a passage of that article it quotes (optional)
    :type quote: string
    :param proposal: the rewording it proposes for that article (optional)
    :type proposal: string
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
    _check_article(pkg, data)
    user = model.User.get(context["user"])
    who = privacy.Identity(full_name="" if data["show_name"] else user.fullname or "", email=user.email or "")
    item = Contribution(package_id=pkg["id"], user_id=user.id, text=privacy.mask(data["text"], who),
                        original_text=data["text"], section=privacy.mask(data.get("section") or "", who) or None,
                        show_name=data["show_name"], public_name=(user.fullname or user.name) if data["show_name"] else None,
                        article=data.get("article") or None, quote=data.get("quote") or None,
                        proposal=privacy.mask(data.get("proposal") or "", who) or None, lang=portal.language())
    model.Session.add(item)
    model.Session.flush()
    if data.get("upload"):
        stem, dot, extension = data["upload"].filename.rpartition(".")
        if privacy.mask(stem, who) != stem:
            data["upload"].filename = f"attachment{dot}{extension}"
        consultations.save_attachment(item, data["upload"])
    model.repo.commit()
    return item.as_dict()


def _check_article(pkg: dict[str, Any], data: dict[str, Any]) -> None:
    """The article named exists in the draft, and the quoted passage is in it."""
    if not data.get("article"):
        if data.get("quote") or data.get("proposal"):
            raise tk.ValidationError({"article": [tk._("Choose the article you quote or propose to reword")]})
        return
    versions = drafts.find(consultations.draft_texts(pkg), data["article"])
    if not versions:
        raise tk.ValidationError({"article": [tk._("The draft has no article {number}").format(
            number=data["article"])]})
    if data.get("quote") and not drafts.quotes(versions, data["quote"]):
        raise tk.ValidationError({"quote": [tk._(
            "This passage is not in article {number}: copy it from the article's text").format(
            number=data["article"])]})


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
    :param sort: ``supports`` (most supported first) or ``date`` (default: oldest first)
    :type sort: string
    :returns: the contributions, each with ``supports`` (its count) and ``supported``
        (whether the signed-in user supports it)
    :rtype: list of dictionaries
    """
    data = validate(data_dict, schemas.contribution_list(), context)
    pkg = _consultation(context, data["id"])
    query = model.Session.query(Contribution).filter(Contribution.package_id == pkg["id"])
    user = model.User.get(context.get("user") or "")
    if not _allowed("transparency_contribution_moderate", context, pkg):
        visible = Contribution.state == "published"
        if user is not None:
            visible = visible | (Contribution.user_id == user.id)
        query = query.filter(visible)
    if data.get("state"):
        query = query.filter(Contribution.state == data["state"])
    counts = support_counts(pkg["id"])
    mine = supported_by(user.id, pkg["id"]) if user is not None else set()
    items = [dict(item.as_dict(), supports=counts.get(item.id, 0), supported=item.id in mine)
             for item in query.order_by(Contribution.id)]
    if data.get("sort") == "supports":
        items.sort(key=lambda item: -item["supports"])
    return items


def transparency_contribution_support(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Supports a published contribution, as the signed-in user, once.

    :param contribution_id: the contribution's id
    :type contribution_id: int
    :returns: the contribution with its ``supports`` count
    :rtype: dictionary
    """
    tk.check_access("transparency_contribution_support", context, data_dict)
    data = validate(data_dict, schemas.contribution_id(), context)
    item = consultations.contribution(data["contribution_id"])
    if item.state != "published":
        raise tk.ObjectNotFound(tk._("No contribution has this id"))
    user = model.User.get(context["user"])
    if model.Session.get(Support, (item.id, user.id)) is not None:
        raise tk.ValidationError({"contribution_id": [tk._("You already support this contribution")]})
    model.Session.add(Support(contribution_id=item.id, user_id=user.id))
    model.repo.commit()
    return dict(item.as_dict(), supports=support_counts(item.package_id).get(item.id, 0), supported=True)


def transparency_consultation_draft_load(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Replaces the draft of one language with the text of a DOCX, ODT or TXT file
    (officers of the organizing institution); its articles follow its headings.

    :param id: the consultation's id or name
    :type id: string
    :param lang: ``fr`` or ``ar``
    :type lang: string
    :param upload: the draft (multipart upload)
    :type upload: file
    :returns: the consultation
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.draft_load(), context)
    pkg = _consultation(context, data["id"])
    tk.check_access("transparency_consultation_draft_load", context, {"owner_org": pkg["owner_org"]})
    kind = data["upload"].filename.rpartition(".")[2].lower()
    if kind not in ("docx", "odt", "txt"):
        raise tk.ValidationError({"upload": [tk._("Give the draft as a DOCX, ODT or TXT file")]})
    try:
        text = documents.text_of(data["upload"].stream.read(), kind,
                                 tk.config.get("ckanext.transparency.search.document_max_chars"))
    except documents.Unreadable as error:
        raise tk.ValidationError({"upload": [tk._("The file could not be read: {reason}").format(reason=error)]})
    field = consultations.DRAFT_FIELDS[data["lang"]]
    return tk.get_action("package_patch")(site_context(), {"id": pkg["id"], field: text})


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
    if item.state == "published":
        consultations.tell_contributor(item, "published", pkg)
    else:
        consultations.tell_contributor(item, "rejected", pkg,
                                       reason=consultations.REJECT_REASONS[item.reject_reason])
    model.repo.commit()
    mail.send_soon()
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
    consultations.tell_contributor(item, "answered", pkg, answer_text=item.answer_text,
                                   answer_kind=consultations.ANSWER_KINDS[item.answer_kind])
    model.repo.commit()
    mail.send_soon()
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
    if consultations.notify_followers(updated, "report"):
        consultations.tell_contributors(updated, "report")
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
    counts = support_counts(pkg["id"])
    return [dict(item.as_dict(), original_text=item.original_text, user_name=name, contact_name=fullname,
                 contact_email=email, supports=counts.get(item.id, 0))
            for item, name, fullname, email in rows]


def transparency_contribution_link(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Links an answered contribution to the commitment it led to, or unlinks it
    (officers of the organizing institution). The commitment's page lists it, and
    its contributor hears of the commitment's progress.

    :param contribution_id: the contribution's id
    :type contribution_id: int
    :param commitment: the commitment's id or name; empty to unlink
    :type commitment: string
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.contribution_link(), context)
    item = consultations.contribution(data["contribution_id"])
    pkg = tk.get_action("package_show")(site_context(), {"id": item.package_id})
    tk.check_access("transparency_contribution_link", context, {"owner_org": pkg["owner_org"]})
    if not item.answer_kind:
        raise tk.ValidationError({"contribution_id": [tk._("Answer the contribution before linking it to a commitment")]})
    commitment = None
    if data.get("commitment"):
        found = model.Package.get(data["commitment"])
        if found is None or found.type != "commitment" or found.state != "active":
            raise tk.ValidationError({"commitment": [tk._("No commitment has the address {name}").format(
                name=data["commitment"])]})
        commitment = found.id
    item.commitment_id = commitment
    model.repo.commit()
    return item.as_dict()
