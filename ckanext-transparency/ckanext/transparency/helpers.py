"""Template helpers of the transparency portal."""
from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search import SearchError

from . import ati, choices, consultations, phases, portal, progress, search, workflow


def transparency_localized(pkg: dict[str, Any], field: str) -> str:
    """``pkg[field + '_ar']`` on Arabic pages when the record has it, else ``pkg[field]``."""
    if tk.h.lang() == "ar" and pkg.get(field + "_ar"):
        return pkg[field + "_ar"]
    return pkg.get(field) or ""


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


def transparency_choice_label(dataset_type: str, field_name: str, value: str) -> str:
    """The label, in the page's language, of ``value`` of a choice field of a schema."""
    return tk.h.scheming_choices_label(choices.of(dataset_type, field_name), value)


def transparency_type_label(dataset_type: str) -> str:
    """The plural name of a dataset type, in the page's language."""
    _ = tk._
    return {
        "dataset": _("Open data"), "publication": _("Publications"), "action-plan": _("Action plans"),
        "commitment": _("Commitments"), "ati-request": _("Requests for information"),
        "consultation": _("Consultations"), "showcase": _("Reuses"), "indicator": _("Indicators"),
    }.get(dataset_type, dataset_type)


def transparency_institution_options() -> list[dict[str, str]]:
    """Every institution (organization) as form options, by title: one query for
    names and titles (organization_list with all_fields also counts datasets)."""
    orgs = (model.Session.query(model.Group.name, model.Group.title)
            .filter(model.Group.is_organization.is_(True), model.Group.state == "active")
            .order_by(model.Group.title))
    return [{"value": name, "text": title or name} for name, title in orgs]


def transparency_choice_options(dataset_type: str, field_name: str) -> list[dict[str, str]]:
    """The values of a choice field of a schema as form options, labelled in the page's language."""
    return choices.options(dataset_type, field_name)


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
            "email": _("E-mail"), "phone": _("Phone (optional)")},
        "transparency_ati_request_transition": {
            "transition": _("What you can do"), "note": _("Public explanation"), "answer": _("Answer"),
            "ground": _("Ground (article 7)"), "target_org": _("Institution"),
            "redact": _("Passages to mask as well, one per line (optional)"), **document},
        "transparency_ati_request_redact": {"passage": _("Passage to mask"), "resource_id": _("Or a document to hide"),
                                            "reason": _("Reason (public)")},
        "transparency_contribution_create": {"text": _("Your contribution"), "upload": _("Attachment (optional)"),
                                             "section": _("Section or article of the draft (optional)")},
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
        "cdai_decide": _("Record the CDAI's decision"), "redact": _("Redacted"),
    }.get(name, name)


def transparency_actor_label(role: str) -> str:
    _ = tk._
    return {"requester": _("the requester"), "officer": _("the institution"), "cdai": _("the CDAI")}.get(role, role)


def transparency_consultation(pkg: dict[str, Any]) -> dict[str, Any]:
    """What the consultation page shows: phase, counts, the contributions the user
    may see, and what the user may do."""
    context = portal.user_context()
    summary = tk.get_action("transparency_consultation_summary")(dict(context), {"id": pkg["id"]})
    try:
        tk.check_access("transparency_contribution_moderate", dict(context), {"owner_org": pkg["owner_org"]})
        officer = True
    except tk.NotAuthorized:
        officer = False
    return {
        "summary": summary,
        "answers": [{"kind": kind, "count": count} for kind, count in summary["answers"].items()],
        "contributions": tk.get_action("transparency_contribution_list")(dict(context), {"id": pkg["id"]}),
        "officer": officer,
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
            "updates": tk.get_action("transparency_milestone_update_list")({}, {"id": pkg["id"]})}


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
    the ``lang`` and ``dir`` to mark it with."""
    versions = [("fr", pkg.get(field)), ("ar", pkg.get(field + "_ar"))]
    if tk.h.lang() == "ar":
        versions.reverse()
    lang, text = next(((lang, text) for lang, text in versions if text), (None, ""))
    return {"text": text, "lang": lang, "dir": "rtl" if lang == "ar" else "ltr"}
