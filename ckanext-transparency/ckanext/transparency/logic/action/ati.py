"""Actions on access-to-information requests."""
from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import uuid
from typing import Any

from flask import has_request_context

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import Context, DataDict

from ... import ati, choices, documents, mail, portal, privacy, redaction, workflow
from ...model import (AtiDocument, AtiEvent, AtiRequester, Redaction, batch_requests, filings_since,
                      next_tracking_number, open_requests)
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
    "transparency_cdai_inbox",
    "transparency_cdai_decision_list",
    "transparency_ati_batch_show",
    "transparency_ati_request_audit",
    "transparency_ati_answer_preview",
    "transparency_ati_request_redact",
    "transparency_ati_document_list",
]


def transparency_ati_request_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Files a request for access to information, as the signed-in user; or registers,
    for an institution's officer, a request that the institution received on paper, at
    its counter or by post (``channel``), with its real date of receipt.

    The public record (a package of type ``ati-request``) holds the subject, the
    institution, the channel, dates, state and deadline; the identity is kept apart,
    readable by the requester, the institution's officers and sysadmins only. An
    e-mail acknowledges receipt (when an address is given). The request, its
    identity, history and e-mails are saved together or not at all.

    A request may be sent to several institutions at once (``also_to``): each gets
    its own record, tracking number, deadline and answer, all sharing a ``batch``
    (see ``transparency_ati_batch_show``). A batch is one filing for the daily limits.

    :param owner_org: the institution asked (name or id)
    :type owner_org: string
    :param also_to: other institutions to send the same request to (names or ids; at
        most ``ckanext.transparency.ati.batch_max`` institutions in all; online only)
    :type also_to: list of strings
    :param channel: ``online`` (the default: filed by the signed-in user), or, for the
        institution's officers, ``paper``, ``counter`` or ``post``
    :type channel: string
    :param received_date: the day the institution received it, YYYY-MM-DD (channels
        other than ``online``): not in the future, nor before the institution joined
        the portal; the deadline runs from it
    :type received_date: string
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
    :param email: e-mail address (kept private; optional for a registered request)
    :type email: string
    :param phone: phone number (optional, kept private)
    :type phone: string
    :param language: the language of the requester's e-mails (``fr``, ``ar``,
        ``en``; default: the page's, or the portal's default language)
    :type language: string
    :returns: the public record, with ``tracking_number`` (and ``batch``, if sent to several)
    :rtype: dictionary
    """
    tk.check_access("transparency_ati_request_submit", context, data_dict)
    data = validate(data_dict, schemas.ati_request_submit(), context)
    user = model.User.get(context["user"])
    institutions = list(dict.fromkeys([data["owner_org"], *data.get("also_to", [])]))
    registered = data["channel"] != "online"
    if registered:
        received = _date_of_receipt(data)
        if len(institutions) > 1:
            raise tk.ValidationError({"also_to": [tk._(
                "A request received off the portal is registered by each institution that received it")]})
    else:
        if data.get("received_date"):
            raise tk.ValidationError({"received_date": [tk._(
                "A request filed on the portal is received the day it is filed")]})
        received = portal.today()
        _check_limits(context, user, len(institutions))
    batch = uuid.uuid4().hex[:12] if len(institutions) > 1 else None
    filed = [_file(data, org_id, received, user, registered, batch, _address_hash(context))
             for org_id in institutions]
    model.repo.commit()
    mail.send_soon()
    return filed[0]


def _date_of_receipt(data: dict[str, Any]) -> datetime.date:
    """The real date of receipt of a registered request, if it can be true."""
    received = data.get("received_date")
    if received is None:
        raise tk.ValidationError({"received_date": [tk._("Give the date the institution received the request")]})
    if received > portal.today():
        raise tk.ValidationError({"received_date": [tk._("The date of receipt cannot be in the future")]})
    joined = model.Group.get(data["owner_org"]).created.date()
    if received < joined:
        raise tk.ValidationError({"received_date": [tk._(
            "The institution has been on the portal since {date}: the date of receipt cannot be earlier").format(
                date=tk.h.render_datetime(joined))]})
    return received


def _check_limits(context: Context, user: model.User, institutions: int) -> None:
    """The daily limits, per user and per network address, count filings: a batch sent to
    several institutions is one filing, of at most ``batch_max`` institutions."""
    batch_max = tk.config.get("ckanext.transparency.ati.batch_max")
    if institutions > batch_max:
        raise tk.ValidationError({"also_to": [tk._(
            "A request may be sent to {limit} institutions at most at once").format(limit=batch_max)]})
    since = datetime.datetime.utcnow() - datetime.timedelta(days=1)
    limit = tk.config.get("ckanext.transparency.ati.daily_limit")
    if filings_since(since, AtiRequester.user_id == user.id) >= limit:
        raise tk.ValidationError({"owner_org": [tk._(
            "You have filed {limit} requests in the last 24 hours, the most allowed; "
            "try again tomorrow").format(limit=limit)]})
    address = _address_hash(context)
    if address:
        address_limit = tk.config.get("ckanext.transparency.ati.daily_limit_per_address")
        if filings_since(since, AtiRequester.address_hash == address) >= address_limit:
            raise tk.ValidationError({"owner_org": [tk._(
                "{limit} requests were filed from your network address in the last 24 hours, the most "
                "allowed; try again tomorrow").format(limit=address_limit)]})


def _file(data: dict[str, Any], org_id: str, received: datetime.date, user: model.User, registered: bool,
          batch: str | None, address: str | None) -> dict[str, Any]:
    """Saves one request (not committed): its record, its requester's identity, its
    history's first entry, its e-mails."""
    language = data.get("language") or (portal.language() if has_request_context()
                                        else tk.config.get("ckan.locale_default"))
    number = ati.tracking_number(received.year, next_tracking_number(received.year))
    while model.Package.get(number.lower()) is not None:  # a name taken before names were reserved
        number = ati.tracking_number(received.year, next_tracking_number(received.year))
    pkg_context = dict(site_context(), defer_commit=True)
    who = privacy.Identity(full_name=data["full_name"], address=data["address"], id_number=data["id_number"],
                           email=data.get("email", ""), phone=data.get("phone", ""))
    record = {
        "type": "ati-request", "name": number.lower(), "tracking_number": number,
        "title": privacy.mask(data["title"], who), "notes": privacy.mask(data["notes"], who),
        "owner_org": org_id, "channel": data["channel"],
        "document_type": privacy.mask(data.get("document_type", ""), who),
        "period_covered": privacy.mask(data.get("period_covered", ""), who),
        "delivery": data["delivery"], "urgent": "yes" if data["urgent"] else "no",
        "ati_state": "received", "extended": "no", "received_date": received.isoformat(),
        "due_date": ati.due_date(received, urgent=data["urgent"], extended=False).isoformat(),
    }
    if batch:
        record["batch"] = batch
    pkg = tk.get_action("package_create")(pkg_context, record)
    model.Session.add(AtiRequester(
        package_id=pkg["id"], user_id=None if registered else user.id, full_name=data["full_name"],
        id_number=data["id_number"], address=data["address"], email=data.get("email", ""), phone=data.get("phone"),
        urgent_reason=data.get("urgent_reason"), address_hash=None if registered else address,
        original_text=data["title"] + "\n\n" + data["notes"], language=language))
    model.Session.add(AtiEvent(package_id=pkg["id"], transition="register" if registered else "submit",
                               from_state=None, to_state="received",
                               actor_role=workflow.OFFICER if registered else workflow.REQUESTER, user_id=user.id))
    if data.get("email"):
        ati.mail_acknowledgement(pkg, data["email"], language)
    ati.mail_officers(pkg, "new")
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
    ``not_held``, ``transfer`` (to ``target_org``), ``head_answer``, ``comply`` (with
    the CDAI's decision). The requester: ``clarify``, ``withdraw``, ``complain_head``,
    ``complain_cdai``. The CDAI (members of its organization): ``cdai_decide``, with a
    ``decision`` and its reasoning (``note``); a decision the institution must carry
    out (upheld, partly upheld, disclosure ordered) opens the compliance step until
    ``comply_by``.

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
    :param decision: the CDAI's decision (``cdai_decide``): upheld, partly-upheld,
        disclosure-ordered, rejected or inadmissible
    :type decision: string
    :param comply_by: the day the institution must comply by, YYYY-MM-DD (``cdai_decide``
        with upheld, partly-upheld or disclosure-ordered)
    :type comply_by: string
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
    """An institution's whole workload for its officers, grouped by what to do next:
    overdue, due soon, new (to acknowledge and answer), in progress (not yet due
    soon), awaiting the requester's clarification, complaints to the head to answer,
    CDAI decisions to comply with. From the database: right even while Solr is away.
    At most 100 of each, by deadline (the answer's, the complaint's or the
    compliance's, as the state awaits); each record has its ``deadline``.

    :param id: the institution (name or id)
    :type id: string
    :param sort: ``deadline`` (soonest first, the default) or ``-deadline``
    :type sort: string
    :returns: ``{"overdue": [...], "due_soon": [...], "new": [...], "in_progress": [...],
        "clarification": [...], "complaints": [...], "compliance": [...]}``
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.ati_inbox(), context)
    org = model.Group.get(data["id"])
    if org is None or not org.is_organization:
        raise tk.ObjectNotFound(tk._("No institution is named {name}").format(name=data["id"]))
    tk.check_access("transparency_ati_inbox", context, {"id": org.id})
    return _inbox(context, org.id, workflow.OFFICER, data["sort"])


@tk.side_effect_free
def transparency_cdai_inbox(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The CDAI's workload, every institution: complaints to decide (within 30 days)
    and decisions whose compliance is awaited, and those overdue; from the database,
    by deadline, at most 100 of each, each record with its ``deadline``. Members of
    the CDAI's organization (``ckanext.transparency.cdai_organization``) only.

    :param sort: ``deadline`` (soonest first, the default) or ``-deadline``
    :type sort: string
    :returns: ``{"overdue": [...], "to_decide": [...], "compliance": [...]}``
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.inbox_sort(), context)
    tk.check_access("transparency_cdai_inbox", context, data)
    return _inbox(context, None, workflow.CDAI, data["sort"])


@tk.side_effect_free
def transparency_ati_batch_show(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The requests of a batch (one request sent to several institutions at once),
    each with its own tracking number, state, deadline and answer: their public
    records, from the database.

    :param batch: the batch's id (``batch`` of any of its requests)
    :type batch: string
    :rtype: list of dictionaries
    """
    data = validate(data_dict, schemas.ati_batch_show(), context)
    tk.check_access("transparency_ati_batch_show", context, data)
    ids = batch_requests(data["batch"])
    if not ids:
        raise tk.ObjectNotFound(tk._("No batch of requests has this id"))
    return [tk.get_action("package_show")({"user": context.get("user")}, {"id": pid}) for pid in ids]


@tk.side_effect_free
def transparency_cdai_decision_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The public register of the CDAI's decisions, newest first: each request decided,
    with its institution, the decision, its date and reasoning, and whether and when the
    institution complied. Only what the requests publish (no personal data). Built on
    the portal's search.

    :param q: words of the subject or the reasoning (optional)
    :type q: string
    :param institution: an institution's name or id (optional)
    :type institution: string
    :param decision: upheld, partly-upheld, disclosure-ordered, rejected or inadmissible (optional)
    :type decision: string
    :param year: the year of the decision (optional)
    :type year: int
    :param page: the page of 20 decisions (default 1)
    :type page: int
    :returns: ``count``, ``results`` (the requests' public records) and ``facets``
        (``organization``, ``cdai_decision``, ``cdai_decision_year``: name, label, count)
    :rtype: dictionary
    """
    tk.check_access("transparency_cdai_decision_list", context, data_dict)
    data = validate(data_dict, schemas.cdai_decision_list(), context)
    fq = ["+dataset_type:ati-request", "+cdai_decision:[* TO *]"]
    if data.get("institution"):
        fq.append(f"+owner_org:{data['institution']}")
    if data.get("decision"):
        fq.append(f"+cdai_decision:{data['decision']}")
    if data.get("year"):
        fq.append(f"+cdai_decision_year:{data['year']}")
    fields = ["organization", "cdai_decision", "cdai_decision_year"]
    result = tk.get_action("package_search")({"user": context.get("user")}, {
        "q": " ".join(re.findall(r"\w+", data.get("q", ""))),  # words: no query syntax to trip on
        "fq": " ".join(fq), "sort": "cdai_decision_date desc, name desc",
        "rows": 20, "start": 20 * (data["page"] - 1), "facet.field": fields, "facet.limit": -1,
        "facet.mincount": 1})
    return {"count": result["count"], "results": result["results"],
            "facets": {field: [{"name": i["name"], "label": i["display_name"], "count": i["count"]}
                               for i in result["search_facets"].get(field, {}).get("items", [])]
                       for field in fields}}


def _inbox(context: Context, org_id: str | None, role: str, sort: str) -> dict[str, list[dict[str, Any]]]:
    today = portal.today()
    soon = ati.calendar().add_working_days(today, tk.config.get("ckanext.transparency.ati.due_soon_days"))
    fields = ("due_date", *workflow.DEADLINE_FIELD.values())
    sections: dict[str, list[tuple[datetime.date, str]]] = {name: [] for name in workflow.INBOX_SECTIONS[role]}
    for package_id, state, values in open_requests(org_id, workflow.INBOX_STATES[role], fields):
        due = workflow.deadline(state, values)
        for name in workflow.inbox_sections(state, due, today, soon, role):
            sections[name].append((due, package_id))
    show = tk.get_action("package_show")
    return {name: [dict(show({"user": context["user"]}, {"id": pid}), deadline=due.isoformat())
                   for due, pid in sorted(items, reverse=sort.startswith("-"))[:100]]
            for name, items in sections.items()}


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
