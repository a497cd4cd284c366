"""The demo loader: idempotent, and it loads the action plan as the OGP published it."""
from __future__ import annotations

import pytest

from ckan.cli.cli import ckan as ckan_command
from ckan.tests import helpers


def _counts() -> dict[str, int]:
    result = helpers.call_action("package_search", rows=0, include_private=True,
                                 **{"facet.field": '["dataset_type"]'})
    return result["facets"]["dataset_type"]


@pytest.mark.usefixtures("portal")
def test_demo_loads_twice_to_the_same_content(cli):
    first = cli.invoke(ckan_command, ["transparency", "demo"])
    assert first.exit_code == 0, first.output
    counts = _counts()
    assert counts["commitment"] == 24
    assert counts["action-plan"] == 1
    assert counts["dataset"] >= 3 and counts["publication"] >= 3

    second = cli.invoke(ckan_command, ["transparency", "demo"])
    assert second.exit_code == 0, second.output
    assert _counts() == counts
    users = helpers.call_action("user_list")
    assert sorted(u["name"] for u in users if u["name"].startswith("demo-")) == [
        "demo-admin", "demo-citizen", "demo-officer"]

    mo0006 = helpers.call_action("package_show", id="mo0006")
    assert mo0006["long_title"] == "Setting up a transparency portal"
    assert len(mo0006["milestones"]) == 5
    assert mo0006["milestones"][0]["start"] == "2018-09"
    assert sorted(mo0006["policy_areas"]) == ["capacity-building", "e-government", "open-data",
                                              "public-participation"]
    assert mo0006["irm_completion"] == "pending"
    regions = helpers.call_action("package_show", id="regions-du-maroc")
    assert len(regions["resources"]) == 1 and regions["resources"][0]["url_type"] == "upload"
    assert helpers.call_action("ckanext_pages_show", page="loi-31-13")["title"] == "La loi 31-13 en bref"
