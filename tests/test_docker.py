"""docker/ runs the same portal as the local stack: same settings, plugins and versions."""
from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
import yaml

import ckan
from ckan.config.environment import CONFIG_FROM_ENV_VARS

pytestmark = pytest.mark.host  # checks of the deployment files, beside the portal's own tests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _read(*path: str) -> str:
    with open(os.path.join(ROOT, *path), encoding="utf-8") as f:
        return f.read()


COMPOSE = yaml.safe_load(_read("docker", "compose.yml"))
DOCKERFILE = _read("docker", "Dockerfile")
LIB = _read("scripts", "lib.sh")
SOLR_DOCKERFILE = _read("docker", "solr", "Dockerfile")
CKAN_MINOR = ".".join(ckan.__version__.split(".")[:2])


def test_image_installs_the_same_requirements_and_settings():
    assert re.search(rf"^FROM ckan/ckan-base:{re.escape(CKAN_MINOR)}\b", DOCKERFILE, re.M)
    assert "pip install --no-cache-dir -r requirements.txt" in DOCKERFILE
    assert "COPY config/portal.ini /srv/app/portal.ini" in DOCKERFILE
    assert "requirements.txt" in LIB  # the local stack installs the same file


def test_compose_overrides_only_service_addresses_never_plugins_or_settings():
    allowed = set(CONFIG_FROM_ENV_VARS.values()) | {"CKAN_SECRET_KEY", "CKAN_MIGRATE"}
    for name in ("ckan", "worker", "periodic"):
        service = COMPOSE["services"][name]
        assert set(service["environment"]) <= allowed, name
        assert service["build"]["dockerfile"] == "docker/Dockerfile"


def test_services_have_the_versions_of_the_local_stack():
    images = {name: s.get("image", "") for name, s in COMPOSE["services"].items()}
    assert re.search(rf"^FROM ckan/ckan-solr:{re.escape(CKAN_MINOR)}-solr9$", SOLR_DOCKERFILE, re.M)
    assert "<solr.version>9." in _read("config", "solr", "pom.xml")
    pg = re.search(r"^PG_VERSION=(\d+)", LIB, re.M).group(1)
    assert images["db"] == f"postgres:{pg}"
    local_redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout
    major = re.search(r"v=(\d+)\.", local_redis).group(1)
    assert images["redis"] == f"redis:{major}"


def test_production_cookies_are_secure_and_http_only(tmp_path):
    """The containers' entrypoint, run on config/portal.ini, makes cookies HTTPS-only
    for an https site; they are never readable by scripts."""
    script = _read("docker", "entrypoint.sh").replace("/srv/app/portal.ini", os.path.join(ROOT, "config", "portal.ini"))
    (tmp_path / "entrypoint.sh").write_text(script)
    env = dict(os.environ, CKAN_SECRET_KEY="s3cret", CKAN_SITE_URL="https://transparence.gov.ma",
               CKAN_INI=str(tmp_path / "ckan.ini"), CKAN_MIGRATE="false")
    subprocess.run(["sh", str(tmp_path / "entrypoint.sh"), "true"], env=env, check=True)
    ini = (tmp_path / "ckan.ini").read_text()
    for line in ("SECRET_KEY = s3cret", "SESSION_COOKIE_SECURE = true", "REMEMBER_COOKIE_SECURE = true",
                 "SESSION_COOKIE_HTTPONLY = true", "REMEMBER_COOKIE_HTTPONLY = true",
                 "ckan.csrf_protection.ignore_extensions = false"):
        assert line in ini.splitlines(), line


def test_one_solr_configset_for_the_local_stack_the_tests_and_the_containers():
    """config/solr/conf is what scripts/up and scripts/test serve (lib.sh) and what the
    Solr image is built with; no other schema is copied from anywhere."""
    assert COMPOSE["services"]["solr"]["build"] == {"context": "..", "dockerfile": "docker/solr/Dockerfile"}
    assert "COPY config/solr/conf /opt/solr/server/solr/configsets/ckan/conf" in SOLR_DOCKERFILE
    assert 'cp -r "$ROOT/config/solr/conf" "$SOLR_HOME/configsets/ckan/conf"' in LIB
    assert "schema.xml" not in LIB  # nothing copies CKAN's stock schema any more
    assert sorted(os.listdir(os.path.join(ROOT, "config", "solr", "conf"))) == [
        "protwords.txt", "schema.xml", "solrconfig.xml", "synonyms-ar-fr.txt", "synonyms.txt"]


def _schema(path: str) -> ET.Element:
    return ET.parse(path).getroot()


def test_the_schema_is_ckans_own_plus_the_portals_fields():
    """CKAN's start-up check reads the schema's name; every type, field and copy of
    the installed CKAN's schema is in ours unchanged, so an upgrade of CKAN that
    changes its schema fails here until ours follows."""
    ours = _schema(os.path.join(ROOT, "config", "solr", "conf", "schema.xml"))
    stock = _schema(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))
    assert ours.get("name") == stock.get("name") and ours.get("version") == stock.get("version")

    def items(root: ET.Element) -> set[str]:
        return {ET.tostring(e, encoding="unicode").strip() for section in ("types", "fields") for e in root.find(section)} | {
            ET.tostring(e, encoding="unicode").strip() for e in root.findall("copyField")}

    # One change: _version_ is a long with docValues (SolrCloud's replicas look versions up in the index).
    version = '<field name="_version_" type="string" indexed="true" stored="true" />'
    assert version in items(stock)
    assert items(stock) - {version} <= items(ours)
    assert ours.find("fields/field[@name='_version_']").attrib == {
        "name": "_version_", "type": "plong", "indexed": "false", "stored": "false", "docValues": "true"}
    assert {e.get("name") for e in ours.find("types")} - {e.get("name") for e in stock.find("types")} == {"text_ar_fr", "text_ar", "text_fr"}


CLUSTER = yaml.safe_load(_read("docker", "compose.cluster.yml"))


def test_the_cluster_in_containers_has_the_topology_and_files_of_scripts_cluster():
    """docker/compose.cluster.yml and scripts/cluster: the same members, settings files and versions."""
    services = CLUSTER["services"]
    script = _read("scripts", "cluster")
    assert {"zk1", "zk2", "zk3", "solr1", "solr2", "solr-door", "pg1", "pg2", "nginx", "ckan", "worker", "periodic"} <= set(services)
    assert services["ckan"]["deploy"]["replicas"] == services["worker"]["deploy"]["replicas"] == 2
    for name in ("ckan", "worker", "periodic"):
        assert set(services[name]["environment"]) <= set(CONFIG_FROM_ENV_VARS.values()) | {"CKAN_SECRET_KEY", "CKAN_MIGRATE"}
        assert "target_session_attrs=read-write" in services[name]["environment"]["CKAN_SQLALCHEMY_URL"]
    assert "target_session_attrs=read-write" in script
    # One front file, one Solr door file, one Patroni file, one set of Patroni pins.
    assert services["nginx"]["volumes"] == COMPOSE["services"]["nginx"]["volumes"]
    assert services["solr-door"]["volumes"] == ["../config/nginx/solr-door.conf.template:/etc/nginx/templates/default.conf.template:ro"]
    assert "config/nginx/solr-door.conf.template" in script and "config/patroni.yml" in script
    patroni = _read("docker", "patroni", "Dockerfile")
    assert "COPY config/patroni.yml /etc/patroni.yml" in patroni and "requirements-cluster.txt" in patroni
    assert "requirements-cluster.txt" in script
    pg = re.search(r"^PG_VERSION=(\d+)", LIB, re.M).group(1)
    assert re.search(rf"^FROM postgres:{pg}$", patroni, re.M)
    # ZooKeeper: the release Solr's jars bundle, which scripts/cluster runs.
    jars = os.listdir(os.path.join(ROOT, ".solr", "lib"))
    bundled = next(re.fullmatch(r"zookeeper-(\d+\.\d+\.\d+)\.jar", j).group(1) for j in jars if re.fullmatch(r"zookeeper-[\d.]+\.jar", j))
    assert {services[f"zk{n}"]["image"] for n in (1, 2, 3)} == {f"zookeeper:{bundled}"}
    assert services["solr1"]["build"] == COMPOSE["services"]["solr"]["build"]
