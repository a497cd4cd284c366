"""Pages of the transparency portal that are not CKAN's own dataset pages.
Each view calls an action and renders a template: no rule lives here."""
from __future__ import annotations

import csv
import io
import json
import os
from typing import Any

from flask import Blueprint, make_response, send_file, send_from_directory
from werkzeug.datastructures import MultiDict

import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError
from ckanext.dcat import utils as dcat_utils
from ckanext.scheming.helpers import scheming_dataset_schemas

from . import consultations, figures, portal, redaction

transparency = Blueprint("transparency", __name__)
ati = Blueprint("ati", __name__, url_prefix="/ati-request")


@transparency.before_app_request
def _site_title_in_the_readers_language() -> None:
    """CKAN's templates name the portal ``g.site_title`` (header, footer, ``<title>``,
    ``og:`` tags, feeds): the name in the reader's language, for this request."""
    tk.g.site_title = tk.h.transparency_site_title()

SUBMIT_FIELDS = ("owner_org", "title", "notes", "document_type", "period_covered", "delivery", "urgent",
                 "urgent_reason", "full_name", "id_number", "address", "email", "phone", "received_date")
TRANSITION_FIELDS = ("transition", "note", "answer", "ground", "decision", "comply_by", "target_org", "document_name",
                     "document_url", "document_audience", "redact")


def _personal(response: Any) -> Any:
    """A response that holds personal data: no cache, shared or the browser's, keeps it."""
    tk.request.environ["__no_cache__"] = True  # CKAN's after-request then says "private"
    response.cache_control.no_store = True
    return response


def _require_login() -> None:
    if not tk.current_user.is_authenticated:
        tk.abort(403, tk._("Sign in to file or follow a request for information"))


@transparency.route("/statistics", defaults={"fmt": "html"})
@transparency.route("/statistics.<fmt>")
def statistics(fmt: str) -> Any:
    """The statistics page, and the same figures as CSV or JSON (same filters)."""
    if fmt not in ("html", "csv", "json"):
        tk.abort(404)
    filters = {key: tk.request.args[key] for key in ("institution", "start", "end") if tk.request.args.get(key)}
    try:
        stats = tk.get_action("transparency_statistics")(portal.user_context(), filters)
    except SearchError:
        return tk.render("transparency/search_unavailable.html"), 503
    except tk.ValidationError as error:
        if fmt != "html":
            tk.abort(400, "; ".join(f"{k}: {' '.join(v)}" for k, v in error.error_dict.items()))
        return tk.render("transparency/statistics.html", {"stats": None, "filters": filters,
                                                          "errors": error.error_dict}), 400
    if fmt == "json":
        return _json_file(stats, "statistics.json")
    if fmt == "csv":
        return _csv_file([dict(zip(("section", "figure", "item", "value"), row)) for row in figures.rows(stats)],
                         ["section", "figure", "item", "value"], "statistics.csv")
    return tk.render("transparency/statistics.html", {"stats": stats, "filters": filters, "errors": {}})


def _csv_file(rows: list[dict[str, Any]], columns: list[str], filename: str) -> Any:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: _inert(value) for key, value in row.items()} for row in rows)
    response = make_response("\ufeff" + out.getvalue())  # BOM: spreadsheets read the Arabic right
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _inert(value: Any) -> Any:
    """A cell that a spreadsheet shows as text and never runs as a formula (OWASP's advice)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "|", "%"):
        return "'" + value
    return value


def _json_file(data: Any, filename: str) -> Any:
    response = make_response(json.dumps(data, ensure_ascii=False, indent=1))
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@transparency.route("/follow/search", methods=["POST"])
def follow_search() -> Any:
    """Follows the search of the page the form was on (its words and filters)."""
    _require_login()
    form = tk.request.form
    data = {"dataset_type": form.get("dataset_type", ""), "q": form.get("q", ""),
            "filters": [[key, value] for key, value in form.items(multi=True)
                        if key not in ("dataset_type", "q") and not key.startswith("_")]}
    _post("transparency_saved_search_create", data,
          tk._("You follow this search: its new results will come in your daily digest."))
    if data["dataset_type"] not in scheming_dataset_schemas():
        return tk.redirect_to("home.index")  # the error is flashed; no search page to go back to
    filters = MultiDict(data["filters"])
    if data["q"]:
        filters["q"] = data["q"]
    return tk.redirect_to(f"{data['dataset_type']}.search", **filters.to_dict(flat=False))


@transparency.route("/follow/stop/<token>", methods=["GET", "POST"])
def follow_stop(token: str) -> Any:
    """The link of a digest: a page asks to confirm (mail readers open links by
    themselves), then the following stops, without signing in."""
    error, stopped = None, False
    if tk.request.method == "POST":
        try:
            stopped = tk.get_action("transparency_follow_stop")(portal.user_context(), {"token": token})["stopped"]
        except tk.ObjectNotFound as found:
            error = str(found)
        except tk.ValidationError as used:
            error = used.error_dict["token"][0]
    page = tk.render("transparency/follow_stop.html", {"token": token, "stopped": stopped, "error": error})
    return page, 410 if error else 200


@ati.route("/submit", methods=["GET", "POST"], defaults={"register": False}, endpoint="submit")
@ati.route("/register", methods=["GET", "POST"], defaults={"register": True}, endpoint="register")
def submit(register: bool) -> Any:
    """The request form: a citizen files a request; on ``/register``, an officer registers
    one the institution received on paper, at the counter or by post."""
    here = "ati.register" if register else "ati.submit"
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.url_for(here))
    institutions = tk.h.transparency_officer_institutions() if register else []
    if register and not institutions:
        tk.abort(403, tk._("Only the institution's officers register the requests it received off the portal"))
    data: dict[str, Any] = {"owner_org": tk.request.args.get("institution", ""), "delivery": "post" if register
                            else "email", "channel": "paper" if register else "online", "also_to": []}
    errors: dict[str, Any] = {}
    similar = None
    if tk.request.method == "POST":
        form = tk.request.form
        data = {key: form.get(key, "") for key in SUBMIT_FIELDS}
        data["urgent"] = form.get("urgent") == "on"
        data["also_to"] = [] if register else form.getlist("also_to")
        data["channel"] = form.get("channel", "") if register else "online"
        if form.get("check"):  # "check before sending": the suggestions, nothing filed
            similar = _similar(data["title"], data["notes"])
        else:
            try:
                pkg = tk.get_action("transparency_ati_request_submit")(portal.user_context(), data)
            except tk.ValidationError as error:
                errors = error.error_dict
            else:
                if pkg.get("batch"):
                    return tk.redirect_to("ati.batch", batch=pkg["batch"])
                return tk.redirect_to("ati.receipt", id=pkg["name"])
    return tk.render("transparency/ati/submit.html", {"data": data, "errors": errors, "register": register,
                                                      "institutions": institutions, "here": here, "similar": similar})


@ati.route("/batch/<batch>")
def batch(batch: str) -> str:
    """The requests of a batch, one per institution, with their states."""
    try:
        requests = tk.get_action("transparency_ati_batch_show")(portal.user_context(), {"batch": batch})
    except (tk.ValidationError, tk.ObjectNotFound):
        tk.abort(404, tk._("No batch of requests has this id"))
    return tk.render("transparency/ati/batch.html", {"requests": requests, "batch": batch})


def _similar(subject: str, text: str) -> list[dict[str, Any]] | None:
    """The suggestions for what was typed; None when it cannot be read (too long)
    or search is away: the form works without them; None for nothing typed."""
    if not (subject.strip() or text.strip()):
        return None
    try:
        return tk.get_action("transparency_ati_similar")(portal.user_context(), {"subject": subject, "text": text})
    except (tk.ValidationError, SearchError):
        return None


@ati.route("/similar", methods=["POST"])
def similar() -> Any:
    """The suggestions as a fragment of the form, fetched as the subject is typed (POSTed:
    what is typed may name people, and never goes into an address or an access log)."""
    return tk.render("transparency/ati/similar.html", {
        "similar": _similar(tk.request.form.get("subject", ""), tk.request.form.get("text", ""))})


@ati.route("/<id>/receipt")
def receipt(id: str) -> str:
    _require_login()
    try:
        pkg = tk.get_action("package_show")(portal.user_context(), {"id": id})
        requester = tk.get_action("transparency_ati_requester_show")(portal.user_context(), {"id": id})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("No request for information has this id"))
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the requester and the institution's officers may see this receipt"))
    # The suggestions are for a requester who filed through the portal, not for a receipt of paper.
    similar = _similar(pkg["title"], pkg.get("notes") or "") if requester.get("user_id") else None
    return _personal(make_response(tk.render("transparency/ati/receipt.html", {
        "pkg": pkg, "requester": requester, "similar": similar})))


@ati.route("/<id>/transition", methods=["POST"])
def transition(id: str) -> Any:
    _require_login()
    data = {key: tk.request.form.get(key, "") for key in TRANSITION_FIELDS}
    data = {key: value for key, value in data.items() if value}
    if tk.request.files.get("upload"):
        data["upload"] = tk.request.files["upload"]
    data["id"] = id
    _post("transparency_ati_request_transition", data, tk._("Done: the request's history shows this step."))
    return tk.redirect_to("ati-request.read", id=id)


@ati.route("/<id>/preview", methods=["POST"])
def preview(id: str) -> Any:
    """What an answer will publish, masked passages highlighted, before it is sent."""
    _require_login()
    data = {key: tk.request.form.get(key, "") for key in TRANSITION_FIELDS}
    try:
        pkg = tk.get_action("package_show")(portal.user_context(), {"id": id})
        shown = tk.get_action("transparency_ati_answer_preview")(portal.user_context(), dict(data, id=id))
    except tk.ObjectNotFound:
        tk.abort(404, tk._("No request for information has this id"))
    except tk.NotAuthorized as error:
        tk.abort(403, str(error))
    except tk.ValidationError as error:
        _flash_errors("transparency_ati_request_transition", error)
        return tk.redirect_to("ati-request.read", id=id)
    return _personal(make_response(tk.render("transparency/ati/preview.html",
                                             {"pkg": pkg, "data": data, "preview": shown})))


@ati.route("/<id>/redact", methods=["POST"])
def redact(id: str) -> Any:
    _require_login()
    data = {key: tk.request.form.get(key, "") for key in ("reason", "passage", "resource_id")}
    _post("transparency_ati_request_redact", dict({k: v for k, v in data.items() if v}, id=id),
          tk._("Redacted: the public record and its history no longer show it."))
    return tk.redirect_to("ati-request.read", id=id)


@ati.route("/<id>/document/<int:document_id>")
def document(id: str, document_id: int) -> Any:
    """A document kept from the public, for the requester and the officers."""
    _require_login()
    try:
        documents = tk.get_action("transparency_ati_document_list")(portal.user_context(), {"id": id})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("No request for information has this id"))
    except tk.NotAuthorized as error:
        tk.abort(403, str(error))
    found = next((d for d in documents if d["id"] == document_id), None)
    if found is None:
        tk.abort(404, tk._("This request has no such document"))
    if not found["has_file"]:
        return tk.redirect_to(found["url"])
    path = redaction.document_file(document_id)
    return _personal(send_file(path, as_attachment=True, download_name=os.path.basename(path).split("-", 1)[-1]))


@ati.route("/mine")
def mine() -> str:
    _require_login()
    requests = tk.get_action("transparency_ati_request_list_mine")(portal.user_context(), {})
    return tk.render("transparency/ati/mine.html", {"requests": requests})


@ati.route("/inbox")
def inbox() -> str:
    _require_login()
    institutions = tk.h.transparency_officer_institutions()
    if not institutions:
        tk.abort(403, tk._("Only information officers have an inbox"))
    chosen = tk.request.args.get("institution") or institutions[0]["name"]
    sort = tk.request.args.get("sort", "deadline")
    try:
        boxes = tk.get_action("transparency_ati_inbox")(portal.user_context(), {"id": chosen, "sort": sort})
    except (tk.ObjectNotFound, tk.NotAuthorized) as error:
        tk.abort(403, str(error))
    except tk.ValidationError:
        return tk.redirect_to("ati.inbox", institution=chosen)
    return tk.render("transparency/ati/inbox.html",
                     {"boxes": boxes, "institutions": institutions, "chosen": chosen, "sort": sort})


consultation = Blueprint("consultation_views", __name__, url_prefix="/consultation")


def _post(action: str, data: dict[str, Any], done: str) -> None:
    """Calls ``action``; flashes what happened (errors name their field)."""
    try:
        tk.get_action(action)(portal.user_context(), data)
    except tk.ObjectNotFound as error:
        tk.abort(404, str(error))
    except tk.NotAuthorized as error:
        tk.abort(403, str(error))
    except tk.ValidationError as error:
        _flash_errors(action, error)
    else:
        tk.h.flash_success(done)


def _flash_errors(action: str, error: tk.ValidationError) -> None:
    """Each error, after the label of the form field at fault."""
    for field, messages in error.error_dict.items():
        tk.h.flash_error("{}: {}".format(tk.h.transparency_field_label(action, field), " ".join(messages)))


@consultation.route("/<id>/contribute", methods=["POST"])
def contribute(id: str) -> Any:
    _require_login()
    form = tk.request.form
    data = {"id": id, "text": form.get("text", ""), "show_name": form.get("show_name") == "on",
            **{key: form[key] for key in ("section", "article", "quote", "proposal") if form.get(key)}}
    if tk.request.files.get("upload"):
        data["upload"] = tk.request.files["upload"]
    _post("transparency_contribution_create", data,
          tk._("Thank you: your contribution will be public once moderated."))
    return _back_to(id, f"article-{data['article']}" if data.get("article") else "contributions-title")


def _back_to(id: str, anchor: str) -> Any:
    return tk.redirect_to(tk.url_for("consultation.read", id=id, _anchor=anchor))


@consultation.route("/<id>/contribution/<int:contribution_id>/support", methods=["POST"])
def support(id: str, contribution_id: int) -> Any:
    _require_login()
    _post("transparency_contribution_support", {"contribution_id": contribution_id},
          tk._("Thank you: your support is counted."))
    return _back_to(id, f"contribution-{contribution_id}")


@consultation.route("/<id>/draft", methods=["POST"])
def draft(id: str) -> Any:
    _require_login()
    data = {"id": id, "lang": tk.request.form.get("lang", ""), "upload": tk.request.files.get("upload")}
    _post("transparency_consultation_draft_load", data, tk._("The draft is loaded: check its articles below."))
    return _back_to(id, "draft-title")


@consultation.route("/<id>/contribution/<int:contribution_id>/<step>", methods=["POST"])
def moderate(id: str, contribution_id: int, step: str) -> Any:
    _require_login()
    form = tk.request.form
    if step == "moderate":
        _post("transparency_contribution_moderate", {"contribution_id": contribution_id,
              "decision": form.get("decision", ""), "reason": form.get("reason", "")}, tk._("Moderated."))
    elif step == "answer":
        _post("transparency_contribution_answer", {"contribution_id": contribution_id,
              "kind": form.get("kind", ""), "text": form.get("text", "")}, tk._("Answer published."))
    elif step == "link":
        _post("transparency_contribution_link", {"contribution_id": contribution_id,
              "commitment": form.get("commitment", "")}, tk._("The commitment it led to is recorded."))
    else:
        tk.abort(404)
    return _back_to(id, f"contribution-{contribution_id}")


@consultation.route("/<id>/report", methods=["POST"])
def report(id: str) -> Any:
    _require_login()
    data = {"id": id, "summary": tk.request.form.get("summary", ""), "url": tk.request.form.get("url", "")}
    data = {key: value for key, value in data.items() if value}
    if tk.request.files.get("upload"):
        data["upload"] = tk.request.files["upload"]
    _post("transparency_consultation_report_publish", data, tk._("The report is published."))
    return tk.redirect_to("consultation.read", id=id)


@consultation.route("/<id>/contributions.csv")
def export(id: str) -> Any:
    _require_login()
    try:
        rows = tk.get_action("transparency_contribution_export")(portal.user_context(), {"id": id})
    except tk.ObjectNotFound as error:
        tk.abort(404, str(error))
    except tk.NotAuthorized as error:
        tk.abort(403, str(error))
    columns = ["id", "created", "state", "section", "text", "original_text", "name", "contact_name", "contact_email",
               "user_name", "reject_reason", "answer_kind", "answer_text", "attachment", "article", "quote",
               "proposal", "supports"]
    return _personal(_csv_file(rows, columns, f"contributions-{id}.csv"))


@consultation.route("/<id>/contribution/<int:contribution_id>/attachment")
def attachment(id: str, contribution_id: int) -> Any:
    visible = tk.get_action("transparency_contribution_list")(portal.user_context(), {"id": id})
    item = next((c for c in visible if c["id"] == contribution_id and c["attachment"]), None)
    if item is None:
        tk.abort(404, tk._("No attachment here"))
    return send_from_directory(consultations.attachment_dir(contribution_id), item["attachment"],
                               as_attachment=True)


commitment = Blueprint("commitment_views", __name__, url_prefix="/commitment")


@commitment.route("/<id>/update", methods=["POST"])
def update(id: str) -> Any:
    _require_login()
    form = tk.request.form
    data = {"id": id, "milestone": form.get("milestone", ""), "state": form.get("state", ""),
            "date": form.get("date", ""), "comment": form.get("comment", ""),
            "evidence_url": form.get("evidence_url", ""), "upload": tk.request.files.get("upload")}
    _post("transparency_milestone_update_record", {k: v for k, v in data.items() if v},
          tk._("Progress recorded: the commitment's figures are updated."))
    return tk.redirect_to("commitment.read", id=id)


plan = Blueprint("action_plan_views", __name__, url_prefix="/action-plan")


@plan.route("/<id>/export.<fmt>")
def plan_export(id: str, fmt: str) -> Any:
    try:
        rows = tk.get_action("transparency_action_plan_export")(portal.user_context(), {"id": id})
    except tk.ObjectNotFound as error:
        tk.abort(404, str(error))
    if fmt == "json":
        return _json_file(rows, f"{id}.json")
    if fmt == "csv":
        return _csv_file(rows, list(rows[0]) if rows else ["ogp_id"], f"{id}.csv")
    tk.abort(404)


publications = Blueprint("publication_views", __name__, url_prefix="/publications")


@publications.route("/coverage", defaults={"id": None})
@publications.route("/coverage/<id>")
def coverage(id: str | None) -> Any:
    """What institutions publish per art. 10 category: all of them, or one."""
    try:
        data = tk.get_action("transparency_publication_coverage")(portal.user_context(), {"id": id} if id else {})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("No institution has this name"))
    except SearchError:
        return tk.render("transparency/search_unavailable.html"), 503
    template = "transparency/publication/coverage.html" if id else "transparency/publication/coverage_list.html"
    return tk.render(template, {"coverage": data})


cdai = Blueprint("cdai", __name__, url_prefix="/cdai")


@cdai.route("/inbox")
def cdai_inbox() -> str:
    """The CDAI's workload: complaints to decide, decisions whose compliance is awaited."""
    _require_login()
    sort = tk.request.args.get("sort", "deadline")
    try:
        boxes = tk.get_action("transparency_cdai_inbox")(portal.user_context(), {"sort": sort})
    except tk.NotAuthorized as error:
        tk.abort(403, str(error))
    except tk.ValidationError:
        return tk.redirect_to("cdai.cdai_inbox")
    return tk.render("transparency/cdai/inbox.html", {"boxes": boxes, "sort": sort})


@cdai.route("/decisions")
def decisions() -> Any:
    """The public register of the CDAI's decisions, with its filters."""
    filters = {key: tk.request.args[key] for key in ("q", "institution", "decision", "year", "page")
               if tk.request.args.get(key)}
    try:
        found = tk.get_action("transparency_cdai_decision_list")(portal.user_context(), filters)
    except SearchError:
        return tk.render("transparency/search_unavailable.html"), 503
    except tk.ValidationError as error:
        return tk.render("transparency/cdai/decisions.html", {"found": None, "filters": filters,
                                                              "errors": error.error_dict}), 400
    return tk.render("transparency/cdai/decisions.html", {"found": found, "filters": filters, "errors": {}})


reuse = Blueprint("reuse", __name__, url_prefix="/reuse")
REUSE_FIELDS = ("title", "notes", "url", "reuse_kind")


@reuse.route("/propose", methods=["GET", "POST"])
def propose() -> Any:
    """A citizen proposes a reuse of the data; it is public once an officer approves it."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.url_for("reuse.propose"))
    data: dict[str, Any] = {"datasets_used": tk.request.args.getlist("dataset")}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {key: form.get(key, "") for key in REUSE_FIELDS}
        data["datasets_used"] = [name for name in form.getlist("datasets_used") if name]
        if tk.request.files.get("image_upload"):
            data["image_upload"] = tk.request.files["image_upload"]
        try:
            tk.get_action("transparency_reuse_propose")(portal.user_context(), dict(data))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Thank you: your reuse will be public once an officer of the institution "
                                    "has approved it. You will be told by e-mail."))
            return tk.redirect_to("reuse.propose")
    return tk.render("transparency/reuse/propose.html", {"data": data, "errors": errors})


@reuse.route("/moderation")
def moderation() -> Any:
    """The proposed reuses the officer (or sysadmin) may approve or reject."""
    _require_login()
    proposals = tk.get_action("transparency_reuse_proposal_list")(portal.user_context(), {})
    return _personal(make_response(tk.render("transparency/reuse/moderation.html", {"proposals": proposals})))


@reuse.route("/moderation/<id>", methods=["POST"])
def moderate_reuse(id: str) -> Any:
    _require_login()
    decision = tk.request.form.get("decision", "")
    _post("transparency_reuse_moderate", {"id": id, "decision": decision, "reason": tk.request.form.get("reason", "")},
          tk._("The reuse is public.") if decision == "approve" else tk._("The reuse is rejected; its author is told why."))
    return tk.redirect_to("reuse.moderation")


@transparency.record_once
def _dcat_at_each_types_address(state: Any) -> None:
    """``/publication/<name>.ttl`` (``.rdf``, ``.jsonld``, ``.n3``) and so on for every
    record type, as ckanext-dcat serves ``/dataset/<name>.ttl`` for open data."""
    for package_type in sorted(set(scheming_dataset_schemas() or {}) - {"dataset"}):
        state.app.add_url_rule(f"/{package_type}/<_id>.<_format>", f"transparency.dcat_{package_type}",
                               dcat_record, defaults={"package_type": package_type})


def dcat_record(package_type: str, _id: str, _format: str) -> Any:
    """One record in DCAT, at the address of its own type (any other type: 404)."""
    if _format not in dcat_utils.CONTENT_TYPES:
        tk.abort(404)
    try:
        pkg = tk.get_action("package_show")(portal.user_context(), {"id": _id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        tk.abort(404, tk._("Dataset not found"))
    if pkg["type"] != package_type:
        tk.abort(404, tk._("Dataset not found"))
    return dcat_utils.read_dataset_page(pkg["id"], _format)
