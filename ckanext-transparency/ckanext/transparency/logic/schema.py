"""Input schemas of the bundle's actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import Schema, Validator

from .. import bulk, choices, consultations, mail


@tk.validator_args
def ati_request_submit(not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
                       strip_value: Validator, transparency_boolean: Validator, default: Validator,
                       transparency_max_length: Validator, transparency_organization: Validator,
                       transparency_ati_choice: Validator, transparency_id_number: Validator,
                       transparency_email: Validator, transparency_phone: Validator,
                       transparency_required_if_urgent: Validator, transparency_no_null: Validator,
                       transparency_organizations: Validator, transparency_required_online: Validator,
                       transparency_date: Validator, ignore_empty: Validator, one_of: Validator) -> Schema:
    text = [unicode_safe, strip_value, transparency_no_null]
    return {
        "owner_org": [not_empty, unicode_safe, transparency_organization],
        "also_to": [ignore_missing, transparency_organizations],
        "channel": [default("online"), unicode_safe, transparency_ati_choice("channel")],
        "received_date": [ignore_empty, transparency_date],
        "title": [not_empty, *text, transparency_max_length(200)],
        "notes": [not_empty, *text, transparency_max_length(5000)],
        "document_type": [ignore_missing, *text, transparency_max_length(200)],
        "period_covered": [ignore_missing, *text, transparency_max_length(200)],
        "delivery": [not_empty, unicode_safe, transparency_ati_choice("delivery")],
        "urgent": [default(False), transparency_boolean],
        "urgent_reason": [transparency_required_if_urgent, ignore_missing, *text, transparency_max_length(2000)],
        "full_name": [not_empty, *text, transparency_max_length(200)],
        "id_number": [not_empty, *text, transparency_id_number],
        "address": [not_empty, *text, transparency_max_length(500)],
        "email": [transparency_required_online, ignore_empty, *text, transparency_email],
        "phone": [ignore_missing, *text, transparency_phone],
        "language": [ignore_missing, unicode_safe, one_of(tk.config.get("ckan.locales_offered") or mail.LANGUAGES)],
    }


@tk.validator_args
def ati_similar(ignore_missing: Validator, unicode_safe: Validator, strip_value: Validator,
                transparency_max_length: Validator, transparency_no_null: Validator) -> Schema:
    text = [ignore_missing, unicode_safe, strip_value, transparency_no_null]
    return {"subject": [*text, transparency_max_length(200)], "text": [*text, transparency_max_length(5000)]}


@tk.validator_args
def institutions_import(not_empty: Validator, unicode_safe: Validator, transparency_no_null: Validator,
                        transparency_max_length: Validator) -> Schema:
    return {"csv": [not_empty, unicode_safe, transparency_no_null, transparency_max_length(5_000_000)]}


@tk.validator_args
def ati_request_transition(not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
                           strip_value: Validator, transparency_max_length: Validator,
                           transparency_no_null: Validator, transparency_organization: Validator,
                           transparency_ati_choice: Validator, url_validator: Validator,
                           transparency_document: Validator, one_of: Validator,
                           transparency_date: Validator) -> Schema:
    text = [ignore_missing, unicode_safe, strip_value, transparency_no_null]
    return {
        "id": [not_empty, unicode_safe, transparency_no_null],
        "transition": [not_empty, unicode_safe],
        "note": [*text, transparency_max_length(5000)],
        "answer": [*text, transparency_max_length(20000)],
        "ground": [ignore_missing, unicode_safe, transparency_ati_choice("refusal_ground")],
        "decision": [ignore_missing, unicode_safe, transparency_ati_choice("cdai_decision")],
        "comply_by": [ignore_missing, transparency_date],
        "target_org": [ignore_missing, unicode_safe, transparency_organization],
        "document_name": [*text, transparency_max_length(200)],
        "document_url": [ignore_missing, unicode_safe, url_validator],
        "upload": [ignore_missing, transparency_document],
        "document_audience": [ignore_missing, unicode_safe, one_of(["public", "requester"])],
        "redact": [*text, transparency_max_length(5000)],
    }


@tk.validator_args
def ati_batch_show(not_empty: Validator, unicode_safe: Validator, transparency_no_null: Validator,
                   transparency_max_length: Validator) -> Schema:
    return {"batch": [not_empty, unicode_safe, transparency_no_null, transparency_max_length(40)]}


@tk.validator_args
def inbox_sort(default: Validator, unicode_safe: Validator, one_of: Validator) -> Schema:
    return {"sort": [default("deadline"), unicode_safe, one_of(["deadline", "-deadline"])]}


def ati_inbox() -> Schema:
    return dict(package_id(), **inbox_sort())


@tk.validator_args
def cdai_decision_list(ignore_missing: Validator, unicode_safe: Validator, strip_value: Validator,
                       default: Validator, transparency_organization: Validator,
                       transparency_ati_choice: Validator, transparency_max_length: Validator,
                       transparency_no_null: Validator, transparency_between: Validator) -> Schema:
    return {
        "q": [ignore_missing, unicode_safe, strip_value, transparency_no_null, transparency_max_length(200)],
        "institution": [ignore_missing, unicode_safe, transparency_organization],
        "decision": [ignore_missing, unicode_safe, transparency_ati_choice("cdai_decision")],
        "year": [ignore_missing, transparency_between(2000, 2100)],
        "page": [default(1), transparency_between(1, 500)],
    }


@tk.validator_args
def ati_answer_preview(not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
                       transparency_max_length: Validator, transparency_no_null: Validator) -> Schema:
    text = [ignore_missing, unicode_safe, transparency_no_null]
    return {
        "id": [not_empty, unicode_safe, transparency_no_null],
        "note": [*text, transparency_max_length(5000)],
        "answer": [*text, transparency_max_length(20000)],
        "document_name": [*text, transparency_max_length(200)],
        "redact": [*text, transparency_max_length(5000)],
    }


@tk.validator_args
def ati_request_redact(not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
                       strip_value: Validator, transparency_max_length: Validator,
                       transparency_no_null: Validator) -> Schema:
    return {
        "id": [not_empty, unicode_safe, transparency_no_null],
        "reason": [not_empty, unicode_safe, strip_value, transparency_no_null, transparency_max_length(2000)],
        "passage": [ignore_missing, unicode_safe, strip_value, transparency_no_null, transparency_max_length(2000)],
        "resource_id": [ignore_missing, unicode_safe, transparency_no_null],
    }


@tk.validator_args
def package_id(not_empty: Validator, unicode_safe: Validator, transparency_no_null: Validator) -> Schema:
    return {"id": [not_empty, unicode_safe, transparency_no_null]}


@tk.validator_args
def contribution_create(not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
                        strip_value: Validator, transparency_boolean: Validator, default: Validator,
                        transparency_max_length: Validator, transparency_no_null: Validator,
                        transparency_document: Validator) -> Schema:
    text = [unicode_safe, strip_value, transparency_no_null]
    return {
        "id": [not_empty, unicode_safe, transparency_no_null],
        "text": [not_empty, *text, transparency_max_length(tk.config.get("ckanext.transparency.contribution.max_length"))],
        "section": [ignore_missing, *text, transparency_max_length(200)],
        "article": [ignore_missing, *text, transparency_max_length(20)],
        "quote": [ignore_missing, *text, transparency_max_length(2000)],
        "proposal": [ignore_missing, *text,
                     transparency_max_length(tk.config.get("ckanext.transparency.contribution.max_length"))],
        "show_name": [default(False), transparency_boolean],
        "upload": [ignore_missing, transparency_document],
    }


@tk.validator_args
def contribution_list(not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
                      one_of: Validator, transparency_no_null: Validator) -> Schema:
    return {"id": [not_empty, unicode_safe, transparency_no_null],
            "state": [ignore_missing, unicode_safe, one_of(["pending", "published", "rejected"])],
            "sort": [ignore_missing, unicode_safe, one_of(["date", "supports"])]}


@tk.validator_args
def contribution_id(not_empty: Validator, int_validator: Validator) -> Schema:
    return {"contribution_id": [not_empty, int_validator]}


@tk.validator_args
def contribution_link(not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
                      int_validator: Validator, transparency_no_null: Validator) -> Schema:
    return {"contribution_id": [not_empty, int_validator],
            "commitment": [ignore_missing, unicode_safe, transparency_no_null]}


@tk.validator_args
def draft_load(not_empty: Validator, unicode_safe: Validator, one_of: Validator,
               transparency_no_null: Validator, transparency_document: Validator) -> Schema:
    return {"id": [not_empty, unicode_safe, transparency_no_null],
            "lang": [not_empty, unicode_safe, one_of(["fr", "ar"])],
            "upload": [not_empty, transparency_document]}


@tk.validator_args
def contribution_moderate(not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
                          one_of: Validator, int_validator: Validator) -> Schema:
    return {"contribution_id": [not_empty, int_validator],
            "decision": [not_empty, unicode_safe, one_of(["publish", "reject"])],
            "reason": [ignore_missing, unicode_safe, one_of(list(consultations.REJECT_REASONS))]}


@tk.validator_args
def contribution_answer(not_empty: Validator, unicode_safe: Validator, strip_value: Validator,
                        one_of: Validator, int_validator: Validator, transparency_max_length: Validator,
                        transparency_no_null: Validator) -> Schema:
    return {"contribution_id": [not_empty, int_validator],
            "kind": [not_empty, unicode_safe, one_of(list(consultations.ANSWER_KINDS))],
            "text": [not_empty, unicode_safe, strip_value, transparency_no_null, transparency_max_length(5000)]}


@tk.validator_args
def report_publish(not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
                   strip_value: Validator, url_validator: Validator, transparency_max_length: Validator,
                   transparency_no_null: Validator, transparency_document: Validator) -> Schema:
    return {"id": [not_empty, unicode_safe, transparency_no_null],
            "summary": [not_empty, unicode_safe, strip_value, transparency_no_null, transparency_max_length(20000)],
            "upload": [ignore_missing, transparency_document],
            "url": [ignore_missing, unicode_safe, url_validator]}


@tk.validator_args
def milestone_update(not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
                     strip_value: Validator, one_of: Validator, int_validator: Validator, isodate: Validator,
                     url_validator: Validator, transparency_max_length: Validator,
                     transparency_no_null: Validator, transparency_document: Validator) -> Schema:
    return {"id": [not_empty, unicode_safe, transparency_no_null],
            "milestone": [not_empty, int_validator],
            "state": [not_empty, unicode_safe, one_of(choices.values("commitment", "milestones", "state"))],
            "date": [ignore_missing, isodate],
            "comment": [ignore_missing, unicode_safe, strip_value, transparency_no_null,
                        transparency_max_length(5000)],
            "evidence_url": [ignore_missing, unicode_safe, url_validator],
            "upload": [ignore_missing, transparency_document]}


@tk.validator_args
def plan_import(not_empty: Validator, unicode_safe: Validator, transparency_no_null: Validator,
                transparency_organization: Validator) -> Schema:
    return {"id": [not_empty, unicode_safe, transparency_no_null],
            "owner_org": [not_empty, unicode_safe, transparency_organization],
            "rows": []}


@tk.validator_args
def bulk_upload(not_empty: Validator, unicode_safe: Validator, one_of: Validator,
                transparency_organization: Validator) -> Schema:
    return {"type": [not_empty, unicode_safe, one_of(list(bulk.TYPES))],
            "owner_org": [not_empty, unicode_safe, transparency_organization],
            "csv": [], "rows": [], "documents": []}


@tk.validator_args
def publication_coverage(ignore_missing: Validator, unicode_safe: Validator,
                         transparency_no_null: Validator) -> Schema:
    return {"id": [ignore_missing, unicode_safe, transparency_no_null]}


@tk.validator_args
def statistics(ignore_missing: Validator, unicode_safe: Validator, transparency_organization: Validator,
               transparency_date: Validator) -> Schema:
    return {"institution": [ignore_missing, unicode_safe, transparency_organization],
            "start": [ignore_missing, transparency_date],
            "end": [ignore_missing, transparency_date]}


@tk.validator_args
def saved_search(ignore_missing: Validator, not_empty: Validator, unicode_safe: Validator, strip_value: Validator,
                 transparency_max_length: Validator, one_of: Validator,
                 transparency_search_filters: Validator) -> Schema:
    return {
        "dataset_type": [not_empty, unicode_safe, one_of(tk.h.scheming_dataset_schemas().keys())],
        "q": [ignore_missing, unicode_safe, strip_value, transparency_max_length(500)],
        "filters": [ignore_missing, transparency_search_filters],
    }


@tk.validator_args
def reuse_propose(not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
                  strip_value: Validator, one_of: Validator, url_validator: Validator, transparency_max_length: Validator,
                  transparency_no_null: Validator, transparency_datasets_exist: Validator,
                  transparency_image: Validator) -> Schema:
    text = [unicode_safe, strip_value, transparency_no_null]
    return {
        "title": [not_empty, *text, transparency_max_length(200)],
        "notes": [not_empty, *text, transparency_max_length(5000)],
        "url": [not_empty, *text, url_validator],
        "reuse_kind": [not_empty, unicode_safe, one_of(choices.values("showcase", "reuse_kind"))],
        "datasets_used": [not_empty, transparency_datasets_exist],
        "image_upload": [ignore_missing, transparency_image],
    }


@tk.validator_args
def reuse_moderate(not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
                   strip_value: Validator, one_of: Validator, transparency_max_length: Validator,
                   transparency_no_null: Validator) -> Schema:
    return {
        "id": [not_empty, unicode_safe, transparency_no_null],
        "decision": [not_empty, one_of(["approve", "reject"])],
        "reason": [ignore_missing, unicode_safe, strip_value, transparency_no_null, transparency_max_length(2000)],
    }
