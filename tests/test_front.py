"""The front (nginx, config/nginx/portal.conf.template) before gunicorn, as
scripts/up serves the portal: security headers, compression, static files and
anonymous pages from its cache, rate and size limits."""
from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest
import requests
import yaml
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk

from conftest import create
from serve import ROOT, free_port, front, gunicorn, lib, wait_until_up

TEMPLATE = ROOT / "config" / "nginx" / "portal.conf.template"


@pytest.fixture
def site(pytestconfig, people, tmp_path):
    app = f"http://127.0.0.1:{free_port()}"
    base = f"http://127.0.0.1:{free_port()}"
    with open(tmp_path / "gunicorn.log", "w") as log, \
            gunicorn(os.path.abspath(pytestconfig.getoption("ckan_ini")), app, log) as server, \
            front("front-test", base, app):
        wait_until_up(f"{base}/api/3/action/status_show", server, log)
        yield base


def test_every_answer_carries_the_security_headers(site):
    for path in ["/", "/ar/ati-request/", "/user/login", "/no-such-page", "/api/3/action/package_search"]:
        headers = requests.get(site + path).headers
        csp = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
        assert csp["frame-ancestors"] == "'self'" and csp["default-src"] == "'self'", path
        assert "'unsafe-inline'" not in csp["script-src"]
        assert headers["X-Frame-Options"] == "SAMEORIGIN"  # resource views are the portal's own iframes
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert "Strict-Transport-Security" not in headers  # plain http on loopback: HSTS only over https


def test_pages_are_compressed_and_static_files_kept_a_year(site):
    page = requests.get(site + "/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    styles = [link["href"] for link in BeautifulSoup(page.text, "html.parser").select("link[rel=stylesheet]")]
    assert styles and all(href.startswith("/webassets/") for href in styles)
    first, again = requests.get(site + styles[0]), requests.get(site + styles[0])
    assert first.status_code == 200 and "max-age=31536000" in first.headers["Cache-Control"]
    assert "Set-Cookie" not in first.headers
    assert again.headers["X-Cache-Status"] == "HIT"


def test_anonymous_pages_come_from_the_micro_cache_and_a_change_shows_within_its_lifetime(site, people):
    assert requests.get(site + "/publication/").headers["X-Cache-Status"] in ("MISS", "EXPIRED")
    assert requests.get(site + "/publication/").headers["X-Cache-Status"] == "HIT"
    create(people["sysadmin"], "publication", "budget-2026", "mrafp", title="Budget citoyen 2026")
    # Until the change shows, every answer is the cached copy (HIT within the lifetime CKAN gave
    # it, STALE or UPDATING while the front fetches the new one in the background); the first answer from
    # the portal shows it. (The deadline only ends a broken run.)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        page = requests.get(site + "/publication/")
        titles = [h.text.strip() for h in BeautifulSoup(page.text, "html.parser").select(".dataset-heading a")]
        if "Budget citoyen 2026" in titles:
            break
        assert page.headers["X-Cache-Status"] in ("HIT", "STALE", "UPDATING"), "a page from the portal missed the change"
        assert {"public", "max-age=30"} <= set(page.headers["Cache-Control"].split(", "))
        time.sleep(1)
    else:
        pytest.fail("the change never showed")


def test_signed_in_people_always_reach_the_portal(site, people):
    for _ in range(2):
        response = requests.get(site + "/ati-request/mine", headers={"Authorization": people["requester"]["token"]})
        assert response.status_code == 200 and response.headers["X-Cache-Status"] == "BYPASS"
    response = requests.get(site + "/", headers={"Cookie": "ckan=whatever"})
    assert response.headers["X-Cache-Status"] == "BYPASS"


@pytest.mark.parametrize("path", ["/user/login", "/ar/user/register", "/ati-request/submit",
                                  "/api/3/action/transparency_ati_request_submit"])
def test_signing_in_registering_and_submitting_are_rate_limited_per_address_reading_is_not(site, path):
    statuses = [requests.post(site + path, data={"login": "x", "password": "y"}).status_code for _ in range(15)]
    assert 429 in statuses and statuses[0] != 429, statuses
    assert requests.get(site + "/ati-request/").status_code == 200


def test_uploads_larger_than_ckan_allows_are_refused_at_the_front(site, people):
    too_big = b"x" * ((tk.config.get("ckan.max_resource_size") + 2) * 1024 * 1024)
    response = requests.post(site + "/api/3/action/resource_create", files={"upload": ("big.csv", too_big)},
                             data={"package_id": "none"}, headers={"Authorization": people["sysadmin"]["token"]})
    assert response.status_code == 413


# The one file, the local front and the containers' front.
def test_the_size_limit_follows_ckan_max_resource_size():
    limit = re.search(r"client_max_body_size (\d+)m;", TEMPLATE.read_text()).group(1)
    assert int(limit) == tk.config.get("ckan.max_resource_size") + 1


def test_when_no_web_node_answers_the_front_says_so_in_arabic_and_french():
    base = f"http://127.0.0.1:{free_port()}"
    with front("front-no-node", base, f"http://127.0.0.1:{free_port()}"):  # nothing listens upstream
        response = requests.get(f"{base}/dataset/", timeout=10)
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = BeautifulSoup(response.content, "html.parser")
    sections = {section["lang"]: section for section in page.select("main section")}
    assert sections["ar"]["dir"] == "rtl" and sections["ar"].h1.get_text() == "غير متاح مؤقتا"
    assert sections["fr"]["dir"] == "ltr" and sections["fr"].h1.get_text() == "Temporairement indisponible"


def test_docker_and_the_local_stack_use_the_same_front_file_and_settings():
    compose = yaml.safe_load((ROOT / "docker" / "compose.yml").read_text())
    nginx = compose["services"]["nginx"]
    mounted = {volume.split(":")[0]: volume.split(":")[1] for volume in nginx["volumes"]}
    assert mounted["../config/nginx/portal.conf.template"] == "/etc/nginx/templates/default.conf.template"
    needed = set(re.findall(r"\$\{(PORTAL_[A-Z_]+)\}", TEMPLATE.read_text()))
    lib_sh = (ROOT / "scripts" / "lib.sh").read_text()
    assert needed == {name for name in nginx["environment"] if name.startswith("PORTAL_")}
    assert needed == set(re.findall(r"\$\{(PORTAL_[A-Z_]+)\}", re.search(r"envsubst '([^']+)'", lib_sh).group(1)))
    assert nginx["image"] == "nginx:" + re.search(r"^(\d+\.\d+)", _debian_nginx()).group(1)
    assert "ports" not in compose["services"]["ckan"]  # reached through the front only


def _debian_nginx() -> str:
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", "nginx-light"],
                          capture_output=True, text=True, check=True).stdout


def test_the_rendered_front_is_valid_for_nginx():
    lib("render_front front-check 127.0.0.1:1 127.0.0.1:2",
        'nginx -t -e "$STACK/front-check/error.log" -c "$STACK/front-check/nginx.conf"')
    assert Path(ROOT, ".stack", "front-check", "portal.conf").read_text().count("${") == 0
