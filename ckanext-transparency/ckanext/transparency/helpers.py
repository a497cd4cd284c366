"""Template helpers of the transparency portal."""
from __future__ import annotations

import datetime
import re
import zoneinfo
from typing import Any

import babel.dates
import flask
import ckan.plugins.toolkit as tk
from flask import has_request_context
from ckan import model
from sqlalchemy.orm import aliased
from ckan.lib.search import SearchError

from . import ati, choices, consultations, drafts, institutions, load_errors, phases, portal, progress, search, workflow

ARABIC_LETTER = re.compile("[\u0600-\u06FF]")


def transparency_services() -> list[dict[str, Any]]:
    """The six services of the portal, with a live count of public records each
    (statistics, the sixth, has its own page and no count).

    One search request, faceted by type, gives every count.
    """
    try:
        result = tk.get_action("package_search")(
            {}, {"rows": 0, "facet.field": ["dataset_type"], "facet.limit": -1, "include_private": False})
        items = result["search_facets"].get("dataset_type", {}).get("items", [])
        counts: dict[str, int] | None = {item["name"]: item["count"] for item in items}
    except SearchError:  # Solr unreachable: the page still serves, without counts
        counts = None

    def count(dataset_type: str) -> int | None:
        return None if counts is None else counts.get(dataset_type, 0)

    _ = tk._
    return [
        {"type": "ati-request", "icon": "envelope-open-text", "count": count("ati-request"),
         "title": _("Access to information"),
         "text": _("Ask an institution for information and follow your request until it is answered.")},
        {"type": "publication", "icon": "file-lines", "count": count("publication"),
         "title": _("Proactive publication"),
         "text": _("What institutions publish without being asked (law 31-13, article 10).")},
        {"type": "dataset", "icon": "table", "count": count("dataset"),
         "title": _("Open data"),
         "text": _("Find and download the data of public institutions.")},
        {"type": "commitment", "icon": "list-check", "count": count("commitment"),
         "title": _("OGP action plan"),
         "text": _("Follow the commitments of the national action plan, their milestones and progress.")},
        {"type": "consultation", "icon": "comments", "count": count("consultation"),
         "title": _("Public consultations"),
         "text": _("Take part in drafting public policies.")},
        {"type": None, "icon": "chart-column", "count": None,
         "title": _("Statistics"),
         "text": _("Figures on the portal and on the institutions that publish through it.")},
    ]


def transparency_reuses(dataset_name: str) -> list[dict[str, Any]]:
    """The public reuses (``showcase`` records) that use the dataset ``dataset_name``."""
    result = tk.get_action("package_search")(
        {}, {"fq": 'dataset_type:showcase AND vocab_datasets_used:"{}"'.format(dataset_name), "rows": 50}
    )
    return result["results"]


def transparency_dataset_options() -> list[dict[str, str]]:
    """The public datasets (``dataset`` records) as form options, by title."""
    result = tk.get_action("package_search")({}, {"fq": "dataset_type:dataset", "fl": "name,title",
                                                  "sort": "title_string asc", "rows": 1000})
    return [{"value": pkg["name"], "text": pkg["title"] or pkg["name"]} for pkg in result["results"]]


def transparency_max_image_size() -> int:
    """The largest image accepted, in MB (``ckan.max_image_size``)."""
    return tk.config.get("ckan.max_image_size")


def transparency_load_error(resource_id: str) -> dict[str, Any] | None:
    """Why the resource's file could not be loaded into the DataStore, in the page's
    language, with what to do and xloader's technical message; None if it was loaded,
    was never sent, or the reader may not edit the resource (citizens never see it)."""
    try:
        status = tk.get_action("xloader_status")(portal.user_context(), {"resource_id": resource_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    if status.get("status") != "error":
        return None
    error = status.get("error") or ""
    detail = error.get("message") or "" if isinstance(error, dict) else str(error)
    found = load_errors.explain(detail)
    _ = tk._
    texts = {
        "ragged": (_("Row {row} has more values than the {columns} columns of the header row."),
                   _("A value of that row probably holds a comma or a double quote: put it between double quotes, "
                     "or add the missing column to the header row, then upload the file again.")),
        "encoding": (_("The file is not text in UTF-8: its characters cannot be read."),
                     _("Open it in your spreadsheet and save it as “CSV UTF-8”, then upload it again.")),
        "empty": (_("The file holds no rows."), _("Check that you chose the right file, with its data, and upload it again.")),
        "duplicate_columns": (_("Two columns of the header row have the same name."),
                              _("Give each column its own name in the first row, then upload the file again.")),
        "too_large": (_("The file is larger than the portal loads into a table."),
                      _("Split it into smaller files, or publish it as a download only.")),
        "unreachable": (_("The portal could not fetch the file at its link."),
                        _("Check that the link opens the file for everyone, without signing in.")),
        "format": (_("The file could not be read as a table."),
                   _("Check that it is a CSV, XLSX or ODS file with a header row and one value per cell.")),
        "unknown": (_("The file could not be loaded into a table."),
                    _("Send the technical detail below to the portal's team.")),
    }
    what, todo = texts[found.kind]
    return {"kind": found.kind, "what": what.format(**found.facts), "todo": todo, "detail": detail}


def transparency_choice_label(dataset_type: str, field_name: str, value: str) -> str:
    """The label, in the page's language, of ``value`` of a choice field of a schema."""
    return tk.h.scheming_choices_label(choices.of(dataset_type, field_name), value)


def _type_names() -> dict[str, tuple[str, str]]:
    """The singular and plural name of each dataset type, in the page's language."""
    _ = tk._
    return {
        "dataset": (_("Open dataset"), _("Open data")), "publication": (_("Publication"), _("Publications")),
        "action-plan": (_("Action plan"), _("Action plans")), "commitment": (_("Commitment"), _("Commitments")),
        "ati-request": (_("Request for information"), _("Requests for information")),
        "consultation": (_("Consultation"), _("Consultations")), "showcase": (_("Reuse"), _("Reuses")),
        "indicator": (_("Indicator"), _("Indicators")),
    }


def transparency_type_label(dataset_type: str, plural: bool = True) -> str:
    """The name of a dataset type (plural unless told), in the page's language."""
    return _type_names().get(dataset_type, (dataset_type, dataset_type))[1 if plural else 0]


@tk.chained_helper
def humanize_entity_type(next_helper: Any, entity_type: str, object_type: str, purpose: str) -> str | None:
    """CKAN's labels built from a type's machine name ("Action-plans", "Search
    Ati-requests...") replaced by the type's names in the page's language."""
    names = _type_names().get(object_type)
    if entity_type != "package" or names is None:
        return next_helper(entity_type, object_type, purpose)
    singular, plural = names
    if purpose in ("breadcrumb", "content tab", "facet label", "main nav", "page title"):
        return plural
    _ = tk._
    texts = {
        "search placeholder": _("Search: {types}"), "search_placeholder": _("Search: {types}"),
        "no description": _("There is no description for this record."),
        "no any objects": _("There are no records of this kind yet."),
        "add link": _("New record: {type}"), "create label": _("New record: {type}"),
        "create title": _("New record: {type}"), "form label": _("Form: {type}"),
        "edit label": _("Edit the record"), "update label": _("Update the record"),
        "save label": _("Save the record"), "view label": _("View the record"),
        "my label": _("My records: {types}"), "description placeholder": _("A few words on this record..."),
        "delete confirmation": _("Are you sure you want to delete this record?"),
    }
    return texts[purpose].format(type=singular, types=plural) if purpose in texts else singular


def transparency_found(dataset_type: str, count: int) -> str:
    """How many records of ``dataset_type`` a search found, with the plural forms of
    the page's language (Arabic has six)."""
    found = {
        "dataset": tk.ungettext("{number} open dataset found", "{number} open datasets found", count),
        "publication": tk.ungettext("{number} publication found", "{number} publications found", count),
        "action-plan": tk.ungettext("{number} action plan found", "{number} action plans found", count),
        "commitment": tk.ungettext("{number} commitment found", "{number} commitments found", count),
        "ati-request": tk.ungettext("{number} request for information found",
                                    "{number} requests for information found", count),
        "consultation": tk.ungettext("{number} consultation found", "{number} consultations found", count),
        "showcase": tk.ungettext("{number} reuse found", "{number} reuses found", count),
        "indicator": tk.ungettext("{number} indicator found", "{number} indicators found", count),
    }
    text = found.get(dataset_type) or tk.ungettext("{number} record found", "{number} records found", count)
    return text.format(number=count)


def transparency_institution_options() -> list[dict[str, str]]:
    """Every institution (organization) as form options, named in the page's language
    (``title_ar`` of the organization schema on Arabic pages), with the language of
    the name: one query for names and titles (organization_list with all_fields also
    counts datasets)."""
    options = []
    for name, (title, title_ar, acronym) in _institutions().items():
        shown = transparency_localized({"title": title or name, "title_ar": title_ar}, "title")
        # what the request form's picker searches: both names and the acronym
        search = " ".join(text for text in (title, title_ar, acronym) if text)
        options.append({"value": name, "text": shown["text"], "lang": shown["lang"], "acronym": acronym or "",
                        "search": search})
    return sorted(options, key=lambda option: option["text"])


def _institutions() -> dict[str, tuple[str, str | None, str | None]]:
    """Every institution's French and Arabic names and acronym by its name: one
    query, kept for the rest of the web request (facets, lists and statistics name many)."""
    if has_request_context() and "transparency_institutions" in flask.g:
        return flask.g.transparency_institutions
    arabic, acronym = aliased(model.GroupExtra), aliased(model.GroupExtra)
    orgs = (model.Session.query(model.Group.name, model.Group.title, arabic.value, acronym.value)
            .outerjoin(arabic, (arabic.group_id == model.Group.id) & (arabic.key == "title_ar")
                       & (arabic.state == "active"))
            .outerjoin(acronym, (acronym.group_id == model.Group.id) & (acronym.key == "acronym")
                       & (acronym.state == "active"))
            .filter(model.Group.is_organization.is_(True), model.Group.state == "active"))
    found = {name: (title, title_ar, short) for name, title, title_ar, short in orgs}
    if has_request_context():
        flask.g.transparency_institutions = found
    return found


def transparency_choice_options(dataset_type: str, field_name: str) -> list[dict[str, str]]:
    """The values of a choice field of a schema as form options, labelled in the page's language."""
    return choices.options(dataset_type, field_name)


def transparency_today() -> str:
    """Today in Morocco, YYYY-MM-DD (the latest date of receipt a form accepts)."""
    return portal.today().isoformat()


def transparency_batch_max() -> int:
    """Institutions one request may be sent to at once."""
    return tk.config.get("ckanext.transparency.ati.batch_max")


def transparency_institution_record(name: str) -> dict[str, Any] | None:
    """An institution's public record (``transparency_institution_show``) for its page."""
    try:
        return tk.get_action("transparency_institution_show")(portal.user_context(), {"id": name})
    except tk.ObjectNotFound:
        return None


def transparency_institution_kind_label(value: str) -> str:
    """The kind of body of an institution (organization schema), in the page's language."""
    return tk.h.scheming_choices_label(institutions.kind_choices(), value)


def transparency_holidays_warning() -> dict[str, Any] | None:
    """For a sysadmin, when the Islamic holidays file runs out soon: ``{"until", "months"}``."""
    user = portal.current_user()
    if user is None or not user.sysadmin:
        return None
    coverage = ati.holidays_coverage()
    return coverage if coverage["runs_out"] else None


def transparency_officer_institutions() -> list[dict[str, Any]]:
    """The institutions whose requests the signed-in user handles (editor or admin)."""
    if not tk.current_user.is_authenticated:
        return []
    return tk.get_action("organization_list_for_user")(
        {"user": tk.current_user.name}, {"permission": "update_dataset"})


def transparency_ati_status(pkg: dict[str, Any]) -> dict[str, Any]:
    """The deadline of a request as a person reads it: due date, working days left, overdue."""
    today = portal.today()
    due = datetime.date.fromisoformat(pkg["due_date"][:10])
    return {"due": due, "open": pkg["ati_state"] in workflow.OPEN,
            "overdue": workflow.is_overdue(pkg["ati_state"], due, today),
            "days_left": ati.calendar().working_days_between(today, due)}


def transparency_ati_history(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    return tk.get_action("transparency_ati_request_history")(
        portal.user_context(), {"id": pkg["id"]})


def transparency_ati_transitions(pkg: dict[str, Any]) -> list[workflow.Transition]:
    """The transitions the signed-in user may try on the request in its current state."""
    return workflow.allowed(ati.facts(pkg), ati.roles(portal.current_user(), pkg))


def transparency_ati_requester(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """Who asked, for the requester and the institution's officers; None for anyone else."""
    if not tk.current_user.is_authenticated:
        return None
    try:
        return tk.get_action("transparency_ati_requester_show")({"user": tk.current_user.name}, {"id": pkg["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def transparency_field_label(action: str, field: str) -> str:
    """The label of the form field that sends ``field`` to ``action``, in the page's
    language: errors name the field as the form does, never by its key."""
    _ = tk._
    document = {"upload": _("Document (optional)"), "document_name": _("Document's name"),
                "document_url": _("Document (optional)")}
    labels = {
        "transparency_ati_request_submit": {
            "owner_org": _("Institution asked"), "title": _("Subject"), "notes": _("Information requested"),
            "document_type": _("Kind of document (optional)"), "period_covered": _("Period covered (optional)"),
            "delivery": _("How you want to receive it"),
            "urgent": _("Urgent: life, safety or freedom is at stake (art. 17)"),
            "urgent_reason": _("Why it is urgent (kept private)"), "full_name": _("Full name"),
            "id_number": _("CIN or residence document number"), "address": _("Postal address"),
            "email": _("E-mail"), "phone": _("Phone (optional)"),
            "also_to": _("Send the same request to other institutions as well (optional)"),
            "channel": _("Received through"), "received_date": _("Date of receipt")},
        "transparency_cdai_decision_list": {"q": _("Words"), "institution": _("Institution"),
                                            "decision": _("Decision"), "year": _("Year"), "page": _("Page")},
        "transparency_ati_request_transition": {
            "transition": _("What you can do"), "note": _("Public explanation"), "answer": _("Answer"),
            "ground": _("Ground (article 7)"), "target_org": _("Institution"),
            "decision": _("Decision"), "comply_by": _("To comply with by (YYYY-MM-DD)"),
            "redact": _("Passages to mask as well, one per line (optional)"), **document},
        "transparency_ati_request_redact": {"passage": _("Passage to mask"), "resource_id": _("Or a document to hide"),
                                            "reason": _("Reason (public)")},
        "transparency_contribution_create": {"text": _("Your contribution"), "upload": _("Attachment (optional)"),
                                             "section": _("Section or article of the draft (optional)"),
                                             "article": _("Article"), "quote": _("Passage you quote (optional)"),
                                             "proposal": _("Rewording you propose (optional)")},
        "transparency_consultation_draft_load": {"upload": _("Draft (DOCX, ODT or TXT)"), "lang": _("Language")},
        "transparency_contribution_support": {"contribution_id": _("Support")},
        "transparency_reuse_propose": {"title": _("Title"), "notes": _("What it does with the data"),
                                       "url": _("Link to the reuse"), "reuse_kind": _("Kind"),
                                       "datasets_used": _("Datasets used"), "image_upload": _("Image (optional)")},
        "transparency_reuse_moderate": {"decision": _("Decision"),
                                        "reason": _("Reason of the rejection (sent to its author)")},
        "transparency_contribution_link": {"contribution_id": _("Contribution"),
                                           "commitment": _("Commitment it led to (its address)")},
        "transparency_contribution_moderate": {"reason": _("Reason of the rejection")},
        "transparency_contribution_answer": {"kind": _("Answer"), "text": _("Public explanation")},
        "transparency_consultation_report_publish": {"summary": _("Summary"), "upload": _("Report document")},
        "transparency_milestone_update_record": {
            "milestone": _("Milestone"), "state": _("New state"), "date": _("Date"), "comment": _("What was done"),
            "evidence_url": _("Link to the evidence (optional)"),
            "upload": _("Or the evidence as a document (optional)")},
    }
    return labels.get(action, {}).get(field) or field


def transparency_ati_schedule() -> Any:
    """The terms in force for answers (configurable), for the pages that tell them."""
    return ati.schedule()


def transparency_transition_accepts_document(name: str) -> bool:
    transition = workflow.TRANSITIONS.get(name)
    return transition is not None and transition.document


def transparency_ati_documents(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """The request's documents kept from the public, for those who may read them; [] for others."""
    if not tk.current_user.is_authenticated:
        return []
    try:
        return tk.get_action("transparency_ati_document_list")(portal.user_context(), {"id": pkg["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return []


def transparency_transition_label(name: str) -> str:
    """What a transition does, in the page's language."""
    _ = tk._
    return {
        "submit": _("Request filed"), "start": _("Start handling"), "request_clarification": _("Ask for clarification"),
        "clarify": _("Answer the clarification"), "extend": _("Extend the deadline (once)"),
        "answer": _("Answer in full"), "answer_partly": _("Answer in part"), "refuse": _("Refuse (article 7)"),
        "not_held": _("Information not held"), "transfer": _("Transfer to another institution"),
        "withdraw": _("Withdraw the request"), "complain_head": _("Complain to the head of the institution"),
        "head_answer": _("Answer the complaint"), "complain_cdai": _("Complain to the CDAI"),
        "register": _("Request registered by the institution"),
        "cdai_decide": _("Record the CDAI's decision"), "comply": _("Record compliance with the decision"),
        "redact": _("Redacted"),
    }.get(name, name)


def transparency_actor_label(role: str) -> str:
    _ = tk._
    return {"requester": _("the requester"), "officer": _("the institution"), "cdai": _("the CDAI")}.get(role, role)


def transparency_consultation(pkg: dict[str, Any]) -> dict[str, Any]:
    """What the consultation page shows: phase, counts, the draft's articles with the
    contributions on each, the contributions the user may see (sorted as asked:
    ``?sort=supports``), and what the user may do."""
    context = portal.user_context()
    summary = tk.get_action("transparency_consultation_summary")(dict(context), {"id": pkg["id"]})
    try:
        tk.check_access("transparency_contribution_moderate", dict(context), {"owner_org": pkg["owner_org"]})
        officer = True
    except tk.NotAuthorized:
        officer = False
    sort = "supports" if tk.request.args.get("sort") == "supports" else "date"
    contributions = tk.get_action("transparency_contribution_list")(dict(context), {"id": pkg["id"], "sort": sort})
    articles = drafts.merge(consultations.draft_texts(pkg))
    for article in articles:
        article["contributions"] = [c for c in contributions if article["number"] and c["article"] == article["number"]]
    return {
        "summary": summary,
        "answers": [{"kind": kind, "count": count} for kind, count in summary["answers"].items()],
        "articles": articles,
        "contributions": [c for c in contributions if not c["article"]],
        "sort": sort,
        "officer": officer,
        "signed_in": tk.current_user.is_authenticated,
        "may_contribute": summary["phase"] == phases.OPEN and tk.current_user.is_authenticated,
        "may_report": officer and summary["phase"] == phases.UNDER_REVIEW,
    }


def transparency_consultation_label(kind: str, value: str) -> str:
    """The label of a rejection reason (``reason``), an answer (``answer``) or a phase (``phase``)."""
    table = {"reason": consultations.REJECT_REASONS, "answer": consultations.ANSWER_KINDS,
             "phase": search.DERIVED_CHOICES["phase"]}[kind]
    label = table.get(value)
    return tk.h.scheming_language_text(label) if label else value


def transparency_consultation_options(kind: str) -> list[dict[str, str]]:
    table = {"reason": consultations.REJECT_REASONS, "answer": consultations.ANSWER_KINDS}[kind]
    return [{"value": value, "text": tk.h.scheming_language_text(label)} for value, label in table.items()]


def transparency_consultation_answer_label(kind: str) -> str:
    return transparency_consultation_label("answer", kind)


def transparency_commitment(pkg: dict[str, Any]) -> dict[str, Any]:
    """What the commitment page shows: progress, milestones with lateness, updates, the form."""
    today = portal.today()
    milestones = [dict(m, index=i, late=progress.is_late(m, today)) for i, m in enumerate(pkg.get("milestones") or [])]
    try:
        tk.check_access("transparency_milestone_update_record",
                        portal.user_context(),
                        {"owner_org": pkg["owner_org"]})
        may_update = True
    except tk.NotAuthorized:
        may_update = False
    return {"milestones": milestones, "may_update": may_update,
            "updates": tk.get_action("transparency_milestone_update_list")({}, {"id": pkg["id"]}),
            "origins": tk.get_action("transparency_commitment_origins")({}, {"id": pkg["id"]})}


def transparency_action_plan(pkg: dict[str, Any]) -> dict[str, Any]:
    """The plan's commitments with their progress (one search), its overall progress and what is late."""
    found = tk.get_action("package_search")({}, {
        "fq": '+dataset_type:commitment +action_plan:"{}"'.format(pkg["name"]), "rows": 1000, "sort": "name asc"})
    commitments = found["results"]
    return {"commitments": commitments,
            "progress": progress.plan_progress(c.get("progress") for c in commitments),
            "late": [c for c in commitments if c.get("late_milestones")]}


def transparency_milestone_state_options() -> list[dict[str, str]]:
    return choices.options("commitment", "milestones", "state")


def transparency_milestone_state_label(value: str | None) -> str:
    labels = {o["value"]: o["text"] for o in transparency_milestone_state_options()}
    return labels.get(value or "not-started", value or "")


def transparency_indicator(pkg: dict[str, Any]) -> dict[str, Any]:
    """The series of an indicator (transparency_indicator_series), for its page."""
    return tk.get_action("transparency_indicator_series")(portal.user_context(), {"id": pkg["id"]})


def transparency_points(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An indicator's points as the rows of a column chart."""
    return [{"name": p["period"], "label": p["period"], "count": p["value"]} for p in points]


def transparency_number(value: float) -> str:
    """A value as people write it: no trailing .0, at most two decimals."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def transparency_category_label(value: str) -> str:
    """The label, in the page's language, of an art. 10 category of publications."""
    return transparency_choice_label("publication", "category", value)


def transparency_licence_choices(field: dict[str, Any]) -> list[dict[str, str]]:
    """The open licences a dataset may have (``ckanext.transparency.licences``), the default first."""
    titles = {lic.id: lic.title for lic in model.Package.get_license_register().values()}
    default = tk.config.get("ckanext.transparency.default_licence")
    ids = sorted(tk.config.get("ckanext.transparency.licences"), key=lambda i: i != default)
    return [{"value": i, "label": titles.get(i, i)} for i in ids]


def transparency_localized(pkg: dict[str, Any], field: str) -> dict[str, str | None]:
    """The text of ``field`` in the page's language (``field`` holds the French
    version, ``field_ar`` the Arabic one), or else in the other language, with
    the ``lang`` and ``dir`` to mark it with (read from its script: a requester
    may write the French field in Arabic)."""
    versions = [pkg.get(field), pkg.get(field + "_ar")]
    if tk.h.lang() == "ar":
        versions.reverse()
    text = next((text for text in versions if text), "")
    if not text:
        return {"text": "", "lang": None, "dir": "ltr"}
    lang = "ar" if ARABIC_LETTER.search(text) else "fr"
    return {"text": text, "lang": lang, "dir": "rtl" if lang == "ar" else "ltr"}


@tk.chained_helper
def dataset_display_name(next_helper: Any, package: Any) -> str:
    """A record's title in the page's language (breadcrumbs, ``<title>``, ``og:title``)."""
    if isinstance(package, dict) and (package.get("title") or package.get("title_ar")):
        return transparency_localized(package, "title")["text"]
    return next_helper(package)


@tk.chained_helper
def get_translated(next_helper: Any, data_dict: dict[str, Any], field: str) -> Any:
    """CKAN's templates ask this for an institution's title and a record's notes:
    the version in the page's language (organization schema ``title_ar``, ``notes_ar``)."""
    if field == "title" and data_dict.get("type") == "organization":
        return transparency_org_title(data_dict)["text"]
    if field + "_ar" in data_dict:
        return transparency_localized(data_dict, field)["text"]
    return next_helper(data_dict, field)


# Dates as Morocco writes them, per language: CLDR's ar_MA month names (يناير ... ماي
# ... يوليوز غشت شتنبر ... نونبر دجنبر) with Western digits, and French months.
DATE_LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en"}


@tk.chained_helper
def render_datetime(next_helper: Any, datetime_: Any, date_format: str | None = None,
                    with_hours: bool = False, with_seconds: bool = False) -> str:
    """Every date CKAN and the portal show, in the reader's language: "29 نونبر 2026",
    "29 novembre 2026" (an explicit ``date_format`` keeps CKAN's behaviour)."""
    if date_format:
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    if isinstance(datetime_, str):
        datetime_ = tk.h.date_str_to_datetime(datetime_) if datetime_ else None
    if not datetime_:
        return ""
    locale = DATE_LOCALES.get(tk.h.lang(), tk.h.lang())
    if not isinstance(datetime_, datetime.datetime):
        return babel.dates.format_date(datetime_, "d MMMM y", locale=locale)
    if not (with_hours or with_seconds):
        return babel.dates.format_date(datetime_.date(), "d MMMM y", locale=locale)
    zone = zoneinfo.ZoneInfo(tk.config.get("ckan.display_timezone") or "UTC")
    local = (datetime_ if datetime_.tzinfo else datetime_.replace(tzinfo=datetime.timezone.utc)).astimezone(zone)
    return babel.dates.format_datetime(local, "d MMMM y, HH:mm:ss" if with_seconds else "d MMMM y, HH:mm",
                                       locale=locale)


def transparency_site_title() -> str:
    """The portal's name in the page's language."""
    return tk._("National Transparency Portal")


def transparency_org_title(org: dict[str, Any] | None) -> dict[str, str | None]:
    """An institution's name in the page's language (``title``: French, ``title_ar``:
    Arabic, from its organization schema), or else in the other, with its lang and dir."""
    if not org:
        return {"text": "", "lang": None, "dir": "ltr"}
    if "title_ar" not in org and org.get("name"):
        org = dict(org, title_ar=_institutions().get(org["name"], (None, None, None))[1])
    return transparency_localized(org, "title")


# The guides (ckanext-pages): each in French (``<name>``) and Arabic (``<name>-ar``).
GUIDES = ("loi-31-13", "faq", "guide-publication")


def transparency_guides() -> list[dict[str, str]]:
    """The guides, titled in the page's language, linked to their version in that
    language (the French one on English pages, which have none of their own)."""
    _ = tk._
    titles = {"loi-31-13": _("Law 31-13 in brief"), "faq": _("Frequently asked questions"),
              "guide-publication": _("Publisher's guide")}
    if tk.h.lang() == "ar":
        return [{"title": titles[g], "url": tk.url_for("pages.show", page=g + "-ar")} for g in GUIDES]
    return [{"title": titles[g], "url": tk.url_for("pages.show", page=g, locale="fr")} for g in GUIDES]


def transparency_page_language(page_name: str) -> dict[str, str]:
    """The language of a guide page (``<name>-ar`` is the Arabic version), with its
    direction, and the address and language name of its other version."""
    if page_name.endswith("-ar"):
        return {"lang": "ar", "dir": "rtl", "other_lang": "fr", "other_name": "Français",
                "other_url": tk.url_for("pages.show", page=page_name[:-3], locale="fr")}
    return {"lang": "fr", "dir": "ltr", "other_lang": "ar", "other_name": "العربية",
            "other_url": tk.url_for("pages.show", page=page_name + "-ar", locale="ar")}
