"""Messages of CKAN's own templates (and of ckanext-pages') that their French or
Arabic catalogue leaves empty, or words wrongly for this portal.

They are listed here so that ``scripts/i18n`` extracts them into the bundle's
catalogues: CKAN merges the catalogues of ITranslation plugins after its own,
so the bundle's translation is the one shown. ``tests/test_languages.py``
checks that each is translated in French and Arabic.
"""
from __future__ import annotations

from .workflow import N_


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with plural forms for extraction (one of babel's keywords)."""
    return singular, plural


MESSAGES = (
    ngettext("{num} Member", "{num} Members"),
    N_("0 Members"),
    N_("Skip to main content"),
    N_("Toggle navigation"),
    N_("Submit"),
    N_("Breadcrumb"),
    N_("Account"),
    N_("Profile settings"),
    N_("Follow"),
    N_("Unfollow"),
    N_("API Tokens"),
    N_("Username"),
    N_("Last Active"),
    N_("Key"),
    N_("Promote"),
    N_("Promote user to Sysadmin"),
    N_("Revoke Sysadmin permission"),
    N_("Current Sysadmins"),
    N_("Pages"),
    N_("Blog"),
    N_("Search Datasets..."),
    N_("Show more"),
    N_("State"),
    N_("Dataset description"),
    N_("Close"),
    N_("Showcase"),
    N_("Showcases"),
    N_("active"),
    N_("Public"),
    N_("Manage"),
    N_("Revisions"),
    N_("You can use <a href=\"#markdown\" title=\"Markdown quick reference\" data-bs-toggle=\"popover\" "
       "data-bs-content=\"%(markdown_tooltip)s\" data-bs-html=\"true\">Markdown formatting</a> here"),
    N_("Users"),
    N_("View profile"),
)
