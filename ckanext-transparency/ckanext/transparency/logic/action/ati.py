"""Actions on access-to-information requests."""
from __future__ import annotations

import datetime
import hashlib
import hmac
from typing import Any

from flask import has_request_context

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import Context, DataDict

from ... import ati, choices, documents, mail, portal, privacy, redaction, workflow
from ...model import AtiDocument, AtiEvent, AtiRequester, Redaction, next_tracking_number, open_requests
from .. import schema as schemas
from ...portal import site_context
from .common import show, validate

__all__ = [
    "transparency_ati_request_submit",
    "transparency_ati_request_transition",
    "transparency_ati_request_history",
    "transparency_ati_requester_show",
    "transparency_ati_request_list_mine",
    "transparency_ati_inbox",
    "transparency_ati_request_audit",
    "transparency_ati_answer_preview",
    "transparency_ati_request_redact",
    "transparency_ati_document_list",
]


def transparency_ati_request_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Files a request for access to information, as the signed-in user.

    The public record (a package of type ``ati-request``) holds the subject, the
    institution, dates, state and deadline; the identity is kept apart, readable
    by the requester, the institution's officers and sysadmins only. An e-mail
    acknowledges receipt. The request, its identity, history and e-mails are
    saved together or not at all.

    :param owner_org: the institution asked (name or id)
    :type owner_org: string
    :param title: the subject
    :type title: string
    :param notes: the information requested
    :type notes: string
    :param document_type: the kind of document (optional)
    :type document_type: string
    :param period_covered: the period the information is about (optional)
    :type period_covered: string
    :param delivery: on-site, paper, electronic, email or post
    :type delivery: string
    :param urgent: whether life, safety or freedom is at stake (art. 17)
    :type urgent: bool
    :param urgent_reason: why, when urgent (kept private)
    :type urgent_reason: string
    :param full_name: the requester's name (kept private)
    :type full_name: string
    :param id_number: CIN or residence document number (kept private)
    :type id_number: string
    :param address: postal address (kept private)
    :type address: string
    :param email: e-mail address (kept private)
    :type email: string
    :param phone: phone number (optional, kept private)
    :type phone: string
    :param language: the language of the requester's e-mails (``fr``, ``ar``,
        ``en``; default: the page's, or the portal's default language)
    :type language: string
    :returns: the public record, with ``tracking_number``
    :rtype: dictionary
    """
    tk.check_access("transparency_ati_request_submit", context, data_dict)
    data = validate(data_dict, schemas.ati_request_submit(), context)
    user = model.User.get(context["user"])
    since = datetime.datetime.utcnow() - datetime.timedelta(days=1)
    recent = model.Session.query(AtiRequester).filter(AtiRequester.user_id == user.id,
                                                      AtiRequester.created > since).count()
    limit = tk.config.get("ckanext.transparency.ati.daily_limit")
    if recent >= limit:
        raise tk.ValidationError({"owner_org": [tk._(
            "You have filed {limit} requests in the last 24 hours, the most allowed; "
            "try again tomorrow").format(limit=limit)]})

    address = _address_hash(context)
    if address:
        from_address = model.Session.query(AtiRequester).filter(AtiRequester.address_hash == address,
                                                                AtiRequester.created > since).count()
        address_limit = tk.config.get("ckanext.transparency.ati.daily_limit_per_address")
        if from_address >= address_limit:
            raise tk.ValidationError({"owner_org": [tk._(
                "{limit} requests were filed from your network address in the last 24 hours, the most "
                "allowed; try again tomorrow").format(limit=address_limit)]})

    language = data.get("language") or (portal.language() if has_request_context()
                                        else tk.config.get("ckan.locale_default"))
    received = portal.today()
    number = ati.tracking_number(received.year, next_tracking_number(received.year))
    while model.Package.get(number.lower()) is not None:  # a name taken before names were reserved
        number = ati.tracking_number(received.year, next_tracking_number(received.year))
    pkg_context = dict(site_context(), defer_commit=True)
    who = privacy.Identity(full_name=data["full_name"], address=data["address"], id_number=data["id_number"],
                           email=data["email"], phone=data.get("phone", ""))
    pkg = tk.get_action("package_create")(pkg_context, {
        "type": "ati-request", "name": number.lower(), "tracking_number": number,
        "title": privacy.mask(data["title"], who), "notes": privacy.mask(data["notes"], who),
        "owner_org": data["owner_org"],
        "document_type": privacy.mask(data.get("document_type", ""), who),
        "period_covered": privacy.mask(data.get("period_covered", ""), who),
        "delivery": data["delivery"], "urgent": "yes" if data["urgent"] else "no",
        "ati_state": "received", "extended": "no", "received_date": received.isoformat(),
        "due_date": ati.due_date(received, urgent=data["urgent"], extended=False).isoformat(),
    })
    model.Session.add(AtiRequester(
        package_id=pkg["id"], user_id=user.id, full_name=data["full_name"], id_number=data["id_number"],
        address=data["address"], email=data["email"], phone=data.get("phone"),
        urgent_reason=data.get("urgent_reason"), address_hash=address, original_text=data["title"] + "\n\n" + data["notes"],
        language=language))
    model.Session.add(AtiEvent(package_id=pkg["id"], transition="submit", from_state=None,
                               to_state="received", actor_role=workflow.REQUESTER, user_id=user.id))
    ati.mail_acknowledgement(pkg, data["email"], language)
    ati.mail_officers(pkg, "new")
    model.repo.commit()
    mail.send_soon()
    return pkg


def _address_hash(context: Context) -> str | None:
    """A keyed hash of the client's address (no address is stored), when there is a request."""
    if not has_request_context():
        return None
    secret = str(tk.config.get("SECRET_KEY")).encode()
    return hmac.new(secret, (tk.request.remote_addr or "").encode(), hashlib.sha256).hexdigest()


def _request(context: Context, package_id: str) -> dict[str, Any]:
    """The public record of an ATI request that the user may see."""
    return show(context, package_id, "ati-request", tk._("No request for information has this id"))


def transparency_ati_request_transition(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Moves a request along its workflow (law 31-13) and records it in its history.

    Officers of the institution asked: ``start``, ``request_clarification``,
    ``extend`` (once, before the deadline, with a reason), ``answer``,
    ``answer_partly`` and ``refuse`` (with an article 7 ``ground``),
    ``not_held``, ``transfer`` (to ``target_org``), ``head_answer``. The
    requester: ``clarify``, ``withdraw``, ``complain_head``, ``complain_cdai``.
    Sysadmins, for the CDAI: ``cdai_decide``.

    :param id: the request's id or name
    :type id: string
    :param transition: the transition's name
    :type transition: string
    :param note: the public explanation (required by most transitions)
    :type note: string
    :param answer: the answer (``answer``, ``answer_partly``)
    :type answer: string
    :param ground: the article 7 ground (``refuse``, ``answer_partly``)
    :type ground: string
    :param target_org: the institution the request is transferred to
    :type target_org: string
    :param upload: a document given with the answer (officers; multipart upload)
    :type upload: file
    :param document_url: or a link to the document
    :type document_url: string
    :param document_name: the document's name
    :type document_name: string
    :param document_audience: ``public`` (default: published with the answer) or
        ``requester`` (kept from the public, for the requester and the officers)
    :type document_audience: string
    :param redact: passages to mask besides the requester's identity and anyone's
        contact details, one per line (see ``transparency_ati_answer_preview``)
    :type redact: string
    :returns: the updated public record
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.ati_request_transition(), context)
    pkg = _request(context, data["id"])
    tk.check_access("transparency_ati_request_transition", context, data)
    user = model.User.get(context["user"])
    if data.get("upload") and data.get("document_audience") != "requester" \
            and documents.names_requester(pkg["id"], data["upload"]):
        raise tk.ValidationError({"upload": [tk._(
            "{name} names the requester: give it to the requester only, or publish a copy without their "
            "name, address and numbers").format(name=data["upload"].filename)]})
    public = ati.masking(pkg["id"], data.get("redact", ""))
    given = {key: public(value) if key in ati.PUBLISHED_TEXTS else value for key, value in data.items()}
    try:
        step = workflow.apply(data["transition"], ati.facts(pkg), ati.roles(user, pkg), given, portal.today(),
                              ati.schedule())
    except workflow.Refused as refused:
        raise tk.ValidationError({refused.field: [_in_words(refused)]})
    typed = "\n\n".join(text for text in (data.get("note"), data.get("answer")) if text)
    updated = ati.carry_out(pkg, step, given, user.id, original=typed or None, public=public)
    model.repo.commit()
    mail.send_soon()
    return updated


def _in_words(refused: workflow.Refused) -> str:
    """The workflow's refusal in the reader's language, naming fields, transitions
    and states as the pages do."""
    words = {"missing": lambda v: tk.h.transparency_field_label("transparency_ati_request_transition", v),
             "name": tk.h.transparency_transition_label,
             "state": lambda v: tk.h.scheming_language_text(choices.label("ati-request", "ati_state", v) or v,
                                                            prefer_lang=portal.language())}
    params = {key: words[key](value) if key in words else value for key, value in refused.params.items()}
    return tk._(refused.template).format(**params)


@tk.side_effect_free
def transparency_ati_request_history(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The dated, public history of a request: each transition, who made it (a role,
    never a name), its note and ground; for the requester, the officers and
    sysadmins, also each entry's text as typed before masking (``original``).

    :param id: the request's id or name
    :type id: string
    :rtype: list of dictionaries
    """
    data = validate(data_dict, schemas.package_id(), context)
    pkg = _request(context, data["id"])
    tk.check_access("transparency_ati_request_history", context, {"id": pkg["id"]})
    events = (model.Session.query(AtiEvent).filter(AtiEvent.package_id == pkg["id"])
              .order_by(AtiEvent.id).all())
    if not authz.is_authorized_boolean("transparency_ati_requester_show", dict(context),
                                       {"id": pkg["id"], "owner_org": pkg["owner_org"]}):
        return [event.as_dict() for event in events]
    return [dict(event.as_dict(), original=event.original) for event in events]


@tk.side_effect_free
def transparency_ati_requester_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The identity of a request's requester: for the requester, the officers of the
    institution asked and sysadmins only.

    :param id: the request's id or name
    :type id: string
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.package_id(), context)
    pkg = _request(context, data["id"])
    tk.check_access("transparency_ati_requester_show", context, {"id": pkg["id"], "owner_org": pkg["owner_org"]})
    who = ati.requester(pkg["id"])
    if who is None:
        raise tk.ObjectNotFound(tk._("This request has no requester on record"))
    return who.as_dict()


@tk.side_effect_free
def transparency_ati_request_list_mine(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The signed-in user's own requests, newest first (from the database: right
    even while Solr is away).

    :rtype: list of dictionaries
    """
    tk.check_access("transparency_ati_request_list_mine", context, data_dict)
    user = model.User.get(context["user"])
    ids = [pid for (pid,) in model.Session.query(AtiRequester.package_id)
           .join(model.Package, model.Package.id == AtiRequester.package_id)
           .filter(AtiRequester.user_id == user.id, model.Package.state == "active")
           .order_by(AtiRequester.created.desc())]
    return [tk.get_action("package_show")({"user": context["user"]}, {"id": pid}) for pid in ids]


@tk.side_effect_free
def transparency_ati_inbox(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An institution's open requests for its officers: new, due soon, overdue and
    awaiting the requester's clarification (from the database: right even while
    Solr is away), at most 100 of each by due date.

    :param id: the institution (name or id)
    :type id: string
    :returns: ``{"new": [...], "due_soon": [...], "overdue": [...], "clarification": [...]}``
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.package_id(), context)
    org = model.Group.get(data["id"])
    if org is None or not org.is_organization:
        raise tk.ObjectNotFound(tk._("No institution is named {name}").format(name=data["id"]))
    tk.check_access("transparency_ati_inbox", context, {"id": org.id})
    today = portal.today()
    soon = ati.calendar().add_working_days(today, tk.config.get("ckanext.transparency.ati.due_soon_days"))
    sections: dict[str, list[str]] = {name: [] for name in workflow.INBOX_SECTIONS}
    for package_id, state, due in open_requests(org.id, workflow.OPEN):
        for name in workflow.inbox_sections(state, datetime.date.fromisoformat(due[:10]), today, soon):
            sections[name].append(package_id)
    show = tk.get_action("package_show")
    return {name: [show({"user": context["user"]}, {"id": pid}) for pid in ids[:100]]
            for name, ids in sections.items()}


@tk.side_effect_free
def transparency_ati_request_audit(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The audit trail of a request: its history with the account that made each
    change. Sysadmins only.

    :param id: the request's id or name
    :type id: string
    :rtype: list of dictionaries
    """
    data = validate(data_dict, schemas.package_id(), context)
    pkg = _request(context, data["id"])
    tk.check_access("transparency_ati_request_audit", context, {"id": pkg["id"]})
    rows = (model.Session.query(AtiEvent, model.User.name)
            .outerjoin(model.User, model.User.id == AtiEvent.user_id)
            .filter(AtiEvent.package_id == pkg["id"]).order_by(AtiEvent.id))
    return [dict(event.as_dict(), user=name) for event, name in rows]


@tk.side_effect_free
def transparency_ati_answer_preview(context: Context, data_dict: DataDict) -> dict[str, list[dict[str, Any]]]:
    """What an officer's answer will publish, before it is sent: each text cut into
    passages, those that will be masked marked (the requester's identity, any
    e-mail, id number or phone, and the passages the officer marks).

    :param id: the request's id or name
    :type id: string
    :param note: the public explanation
    :type note: string
    :param answer: the answer
    :type answer: string
    :param document_name: the document's name
    :type document_name: string
    :param redact: further passages to mask, one per line
    :type redact: string
    :returns: ``{"note": [{"text": ..., "masked": bool}, ...], "answer": [...], "document_name": [...]}``
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.ati_answer_preview(), context)
    pkg = _request(context, data["id"])
    tk.check_access("transparency_ati_answer_preview", context, {"id": pkg["id"], "owner_org": pkg["owner_org"]})
    who, marked = ati.identity(pkg["id"]), ati.passages(data.get("redact", ""))
    return {field: [{"text": text, "masked": masked} for text, masked in
                    privacy.segments(data.get(field, ""), who, marked)]
            for field in ati.PUBLISHED_TEXTS}


def transparency_ati_request_redact(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Redacts a published request, for the CDAI (sysadmins): masks a passage
    everywhere the request was published (its text, answer, documents' names, public
    history and activity stream, hence search, DCAT and feeds), or hides a document,
    which the requester and the officers can still read. The original is kept
    privately with who redacted it; the public history says that something was
    redacted and why, not what.

    :param id: the request's id or name
    :type id: string
    :param reason: why (public)
    :type reason: string
    :param passage: the passage to mask (or ``resource_id``)
    :type passage: string
    :param resource_id: the published document to hide
    :type resource_id: string
    :returns: the updated public record
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.ati_request_redact(), context)
    pkg = _request(context, data["id"])
    tk.check_access("transparency_ati_request_redact", context, {"id": pkg["id"]})
    if bool(data.get("passage")) == bool(data.get("resource_id")):
        raise tk.ValidationError({"passage": [tk._("Give either a passage to mask or a document to hide")]})
    user = model.User.get(context["user"])
    if data.get("passage"):
        if not redaction.redact_passage(pkg, lambda text: privacy.mask(text, extra=[data["passage"]])):
            raise tk.ValidationError({"passage": [tk._("This passage does not appear in what the request publishes")]})
        model.Session.add(Redaction(package_id=pkg["id"], kind="passage", original=data["passage"],
                                    reason=data["reason"], user_id=user.id))
    else:
        name = redaction.hide_resource(pkg, data["resource_id"], data["reason"], user.id)
        model.Session.add(Redaction(package_id=pkg["id"], kind="document", original=name,
                                    reason=data["reason"], user_id=user.id))
    model.Session.add(AtiEvent(package_id=pkg["id"], transition="redact", from_state=pkg["ati_state"],
                               to_state=pkg["ati_state"], actor_role=workflow.CDAI,
                               note=privacy.mask(data["reason"]), user_id=user.id))
    model.repo.commit()
    return tk.get_action("package_show")(dict(site_context(), use_cache=False), {"id": pkg["id"]})


@tk.side_effect_free
def transparency_ati_document_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The documents of a request kept from the public (sent to the requester only,
    or hidden after publication): for the requester, the officers and sysadmins.

    :param id: the request's id or name
    :type id: string
    :rtype: list of dictionaries
    """
    data = validate(data_dict, schemas.package_id(), context)
    pkg = _request(context, data["id"])
    tk.check_access("transparency_ati_requester_show", context, {"id": pkg["id"], "owner_org": pkg["owner_org"]})
    documents = (model.Session.query(AtiDocument).filter(AtiDocument.package_id == pkg["id"])
                 .order_by(AtiDocument.id))
    return [document.as_dict() for document in documents]
