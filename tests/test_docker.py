"""docker/ runs the same portal as the local stack: same settings, plugins and versions."""
from __future__ import annotations

import os
import re
import subprocess

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
    assert images["solr"] == f"ckan/ckan-solr:{CKAN_MINOR}-solr9"
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
