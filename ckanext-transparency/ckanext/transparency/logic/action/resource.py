"""CKAN's resource actions, refusing an upload that ``uploads.check`` does not accept."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ... import uploads

__all__ = ["resource_create", "resource_update"]


def _check_upload(data_dict: DataDict) -> None:
    upload = data_dict.get("upload")
    if uploads.is_upload(upload) and upload.filename:
        try:
            uploads.check(upload)
        except tk.Invalid as error:
            raise tk.ValidationError({"upload": [error.error]})


@tk.chained_action
def resource_create(up: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``resource_create``; an uploaded file (``upload``) must have an accepted
    type (pdf, csv, xlsx, ods, docx, json, ...), content that is not a program, and a
    size within ``ckan.max_resource_size`` (MB), else a ValidationError says which."""
    tk.check_access("resource_create", context, data_dict)
    _check_upload(data_dict)
    return up(context, data_dict)


@tk.chained_action
def resource_update(up: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``resource_update``, with the same checks of an uploaded file as ``resource_create``."""
    tk.check_access("resource_update", context, data_dict)
    _check_upload(data_dict)
    return up(context, data_dict)
