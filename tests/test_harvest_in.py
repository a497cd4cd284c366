"""Catalogues harvested in: a second CKAN, started here on its own port with its own
database and Solr core (tests/second_ckan.py), is harvested through ckanext-harvest's
gather, fetch and import stages, once as a CKAN catalogue and once as a DCAT endpoint
(its /catalog.ttl): first as scheduled (the periodic work queues the jobs due, the
consumers of scripts/up take them from Redis), then with ``ckan harvester run-test``."""
from __future__ import annotations

import json
from typing import Any

import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import factories, helpers
from ckanext.harvest import queue
from ckanext.transparency import harvest_mapping, harvesters

from second_ckan import second_ckan

# The second CKAN's institutions (name: title) and their datasets.
INSTITUTIONS = {"hcp": "Haut-Commissariat au Plan", "ministere-energie": "Ministère de l'Énergie",
                "observatoire": "Observatoire national de l'environnement"}
REMOTE = {
    "hcp": [("recensement-2024", "Recensement général de la population 2024"),
            ("chomage-regions", "معدل البطالة حسب الجهات")],
    "ministere-energie": [("production-electricite", "Production d'électricité par source")],
    "observatoire": [("qualite-air", "جودة الهواء في الدار البيضاء"),
                     ("bruit-urbain", "Cartes du bruit urbain")],
}


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    """The second CKAN with REMOTE's institutions and datasets (one resource each)."""
    with second_ckan(tk.config, tmp_path_factory.mktemp("second-ckan")) as api:
        for org, datasets in REMOTE.items():
            api.action.organization_create(name=org, title=INSTITUTIONS[org])
            for name, title in datasets:
                api.action.package_create(name=name, title=title, owner_org=org, license_id="cc-by",
                                          notes=f"{title}.", resources=[
                                              {"url": f"https://data.example.ma/{name}.csv", "format": "CSV"}])
        yield api


def consume(consumer: Any, callback: Any) -> None:
    """What a consumer of scripts/up does (``ckan harvester gather-consumer`` or
    ``fetch-consumer``), until its Redis queue is empty."""
    while True:
        method, header, body = consumer.basic_get(queue=None)
        if body is None:
            return
        callback(consumer, method, header, body)


def harvest_as_scheduled() -> None:
    """The periodic work queues the jobs that are due; the consumers gather, then fetch and
    import; the next periodic run closes the finished jobs."""
    harvesters.run_due()
    consume(queue.get_gather_consumer(), queue.gather_callback)
    consume(queue.get_fetch_consumer(), queue.fetch_callback)
    harvesters.run_due()


def harvest(cli, source: str) -> None:
    """One harvest job of ``source``, every stage in this process."""
    result = cli.invoke(ckan_command, ["harvester", "run-test", source])
    assert result.exit_code == 0, result.output


def titles_on(app, url: str) -> dict[str, str]:
    """The titles a reader sees on a search page, by record name."""
    page = BeautifulSoup(app.get(url).body, "html.parser")
    return {a["href"].rstrip("/").rsplit("/", 1)[1]: a.get_text(strip=True)
            for a in page.select(".dataset-heading a")}


def harvested(source_id: str) -> dict[str, dict[str, Any]]:
    found = helpers.call_action("package_search", fq=f'harvest_source_id:"{source_id}"', rows=100)
    return {pkg["name"]: pkg for pkg in found["results"]}


def test_two_catalogues_are_harvested_into_their_institutions_and_kept_in_step(
        remote, portal, cli, app):
    queue.purge_queues()
    admin = factories.Sysadmin()
    token = helpers.call_action("api_token_create", {"user": admin["name"]}, user=admin["name"],
                                name="t")["token"]
    factories.Organization(name="mrafp", title="MRAFP")
    mapped = factories.Organization(name="haut-commissariat-plan", title="HCP")
    same_title = factories.Organization(name="one", title="Observatoire National de l'Environnement")
    context = {"user": admin["name"]}
    ckan_source = helpers.call_action(
        "harvest_source_create", context, name="second-ckan", title="Second CKAN", url=remote.address,
        source_type="ckan", owner_org="mrafp", frequency="DAILY",
        config=json.dumps({"institutions": {"hcp": "haut-commissariat-plan"},
                           "organizations_filter_exclude": ["observatoire"]}))
    dcat_source = helpers.call_action(
        "harvest_source_create", context, name="second-dcat", title="Second DCAT", source_type="dcat_rdf",
        url=f"{remote.address}/catalog.ttl?fq=organization:observatoire", owner_org="mrafp", frequency="WEEKLY")

    harvest_as_scheduled()

    assert [job["status"] for job in helpers.call_action("harvest_job_list", context)] == ["Finished"] * 2
    from_ckan = harvested(ckan_source["id"])
    assert {name: pkg["organization"]["name"] for name, pkg in from_ckan.items()} == {
        "recensement-2024": mapped["name"], "chomage-regions": mapped["name"],  # mapped in the source's config
        "production-electricite": "mrafp"}  # no such institution here: the source's own
    from_dcat = harvested(dcat_source["id"])
    assert sorted(pkg["title"] for pkg in from_dcat.values()) == ["Cartes du bruit urbain", "جودة الهواء في الدار البيضاء"]
    # The DCAT publisher's name is the remote institution's title: the local one of that title.
    assert {pkg["organization"]["name"] for pkg in from_dcat.values()} == {same_title["name"]}
    for pkg in [*from_ckan.values(), *from_dcat.values()]:
        assert pkg["type"] == "dataset" and pkg["theme"] == "GOVE"
        assert pkg["resources"][0]["url"].startswith("https://data.example.ma/")
    for prefix in ("", "/ar"):
        shown = titles_on(app, f"{prefix}/dataset/")
        assert shown["chomage-regions"] == "معدل البطالة حسب الجهات"
        assert set(shown.values()) == {title for datasets in REMOTE.values() for _, title in datasets}

    # The second run: a changed title is updated, nothing is doubled; a removed record is
    # deleted by the DCAT harvester and kept by the CKAN harvester (ckanext-harvest#396).
    remote.action.package_patch(id="recensement-2024", title="Recensement général 2024 (résultats définitifs)")
    remote.action.package_patch(id="qualite-air", title="جودة الهواء في الدار البيضاء 2025")
    remote.action.package_delete(id="bruit-urbain")
    remote.action.package_delete(id="production-electricite")
    harvest(cli, "second-ckan")
    harvest(cli, "second-dcat")

    again = harvested(ckan_source["id"])
    assert set(again) == set(from_ckan)
    assert again["recensement-2024"]["title"] == "Recensement général 2024 (résultats définitifs)"
    assert [pkg["title"] for pkg in harvested(dcat_source["id"]).values()] == ["جودة الهواء في الدار البيضاء 2025"]
    assert titles_on(app, "/dataset/?q=recensement") == {"recensement-2024": "Recensement général 2024 (résultats définitifs)"}

    # The source's page lists what it brought, in Arabic too.
    source_page = BeautifulSoup(app.get("/ar/harvest/second-ckan").body, "html.parser")
    assert {a.get_text(strip=True) for a in source_page.select(".dataset-heading a")} == {
        "Recensement général 2024 (résultats définitifs)", "معدل البطالة حسب الجهات", "Production d'électricité par source"}

    # The report of the last job, in French and in Arabic: its counts.
    for prefix, added, updated, deleted in (("", "ajouté", "mis à jour", "supprimé"),
                                            ("/ar", "أضيف", "حُدّث", "حُذف")):
        page = BeautifulSoup(app.get(f"{prefix}/harvest/second-dcat/job/last",
                                     headers={"Authorization": token}).body, "html.parser")
        assert page.select_one(".transparency-site-title")  # the portal's theme
        assert page.html.get("dir") == ("rtl" if prefix else None)
        counts = {badge["data-diff"]: " ".join(badge.get_text().split()) for badge in page.select(".badge[data-diff]")}
        assert counts["updated"] == f"1 {updated}"
        assert counts["deleted"] == f"1 {deleted}"
        assert counts["added"] == f"0 {added}"


def test_only_sysadmins_and_the_institutions_editors_manage_its_sources(app, portal):
    factories.Organization(name="mrafp", title="MRAFP")
    factories.Organization(name="mef", title="MEF")
    citizen, officer, other = factories.User(name="citizen"), factories.User(name="officer"), factories.User(name="other")
    helpers.call_action("organization_member_create", id="mrafp", username="officer", role="editor")
    helpers.call_action("organization_member_create", id="mef", username="other", role="editor")
    tokens = {user["name"]: helpers.call_action("api_token_create", {"user": user["name"]}, user=user["name"],
                                                name="t")["token"] for user in (citizen, officer, other)}
    source = {"title": "Catalogue du HCP", "url": "https://data.hcp.example.ma/", "source_type": "ckan",
              "owner_org": "mrafp"}
    for name, status in (("citizen", 403), ("other", 403), ("officer", 200)):
        answer = app.post(tk.url_for("api.action", ver=3, logic_function="harvest_source_create"),
                          json=dict(source, name=f"catalogue-hcp-{name}"), headers={"Authorization": tokens[name]},
                          status=status)
        assert answer.json["success"] is (status == 200), name

    # The officer reaches the sources from the header and reads them, in French and in Arabic.
    for prefix, label in (("", "Sources moissonnées"), ("/ar", "مصادر الحصاد")):
        for name, shown in (("officer", True), ("citizen", False)):
            page = BeautifulSoup(app.get(f"{prefix}/dataset/", headers={"Authorization": tokens[name]}).body,
                                 "html.parser")
            link = page.select_one(".transparency-harvest-link")
            assert (link is not None) is shown, (prefix, name)
        assert link is None
        page = BeautifulSoup(app.get(f"{prefix}/dataset/", headers={"Authorization": tokens["officer"]}).body,
                             "html.parser")
        link = page.select_one(".transparency-harvest-link")
        assert link.get_text(strip=True) == label
        sources = BeautifulSoup(app.get(link["href"], headers={"Authorization": tokens["officer"]}).body,
                                "html.parser")
        assert sources.select_one(".breadcrumb .active").get_text(strip=True) == label
        assert [a.get_text(strip=True) for a in sources.select(".dataset-heading a")] == ["Catalogue du HCP"]


def test_a_records_institution_and_theme_follow_the_sources_settings():
    mapping = harvest_mapping.source_settings('{"institutions": {"hcp": "haut-commissariat-plan"}}')["institutions"]
    assert harvest_mapping.institution_candidates(["hcp", "Haut-Commissariat au Plan", None], mapping) == [
        "haut-commissariat-plan", "hcp", "Haut-Commissariat au Plan"]
    assert harvest_mapping.institution_candidates(["", " "], mapping) == []
    themes = {"ECON", "GOVE", "HEAL"}
    eu = "http://publications.europa.eu/resource/authority/data-theme/"
    assert harvest_mapping.theme([eu + "HEAL"], themes, "ECON") == "HEAL"
    assert harvest_mapping.theme([eu + "TECH", "sante"], themes, "ECON") == "ECON"
    assert harvest_mapping.theme([], themes, "XXXX") == harvest_mapping.DEFAULT_THEME == "GOVE"
    for config in ('["hcp"]', '{"institutions": ["hcp"]}', '{"institutions": {"hcp": 3}}', '{"theme": 3}'):
        with pytest.raises(ValueError):
            harvest_mapping.source_settings(config)


def test_a_source_whose_mapping_the_portal_cannot_read_is_refused(portal):
    factories.Organization(name="mrafp")
    with pytest.raises(tk.ValidationError) as refused:
        helpers.call_action("harvest_source_create", {"user": factories.Sysadmin()["name"]}, name="hcp",
                            url="https://data.hcp.example.ma/", source_type="ckan", owner_org="mrafp",
                            config='{"institutions": ["hcp"]}')
    assert "institutions" in str(refused.value.error_dict["config"])
