"""Authorization of the transparency portal's actions."""
from __future__ import annotations

from ckan.types import AuthResult, Context, DataDict

__all__ = ["transparency_catalog_statistics"]


def transparency_catalog_statistics(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone, signed in or not: the figures are public."""
    return {"success": True}


transparency_catalog_statistics.auth_allow_anonymous_access = True  # type: ignore[attr-defined]
