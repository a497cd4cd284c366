"""How the portal answers over HTTP: anonymous pages set no cookie and may be
cached for a short while; anything personal is private and never stored."""
from __future__ import annotations

import re

import pytest
import requests
from bs4 import BeautifulSoup

import sqlalchemy as sa

from ckan import model
from ckan.tests import factories

from conftest import IDENTITY, submit

ANONYMOUS_PAGES = ["/", "/ar/", "/dataset/", "/ati-request/", "/publication/", "/commitment/",
                   "/organization/", "/statistics", "/api/3/action/package_search"]


def _cache_control(response: requests.Response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",") if part.strip()}


def _sign_in(served: str, name: str, password: str) -> requests.Session:
    """A browser's session: the cookie is set by hand (CKAN's has an empty Domain=, which requests drops)."""
    browser = requests.Session()

    def keep_cookie(response: requests.Response) -> None:
        found = re.search(r"ckan=([^;]+)", response.headers.get("Set-Cookie", ""))
        if found:
            browser.headers["Cookie"] = f"ckan={found.group(1)}"

    login = browser.get(f"{served}/user/login")
    keep_cookie(login)
    token = BeautifulSoup(login.text, "html.parser").find("input", {"name": "_csrf_token"})["value"]
    done = browser.post(f"{served}/user/login", data={"login": name, "password": password, "_csrf_token": token},
                        allow_redirects=False)
    keep_cookie(done)
    assert done.status_code == 302, done.text
    return browser


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_an_anonymous_page_sets_no_cookie_and_is_public_for_a_short_while(served, people, path):
    response = requests.get(served + path)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert {"public", "max-age=30"} <= _cache_control(response)


def test_the_language_switch_is_plain_links_in_the_header_not_a_form(served, people):
    page = BeautifulSoup(requests.get(f"{served}/ar/").text, "html.parser")
    switch = page.select_one("nav.transparency-languages")
    assert [a["hreflang"] for a in switch.find_all("a")] == ["fr", "en"]
    assert page.select_one("form.lang-select") is None


def test_a_page_with_a_form_sets_its_cookie_and_is_not_stored(served, people):
    response = requests.get(f"{served}/user/login")
    assert "ckan=" in response.headers["Set-Cookie"]
    assert {"private", "no-store"} <= _cache_control(response)


def test_signed_in_pages_are_private_and_never_stored(served, people):
    factories.User(name="browser", fullname="Nadia Browser", password="Correct-horse-2026")
    browser = _sign_in(served, "browser", "Correct-horse-2026")
    for path in ["/", "/dataset/", "/ati-request/mine"]:
        response = browser.get(served + path)
        assert response.status_code == 200, path
        assert "Nadia Browser" in BeautifulSoup(response.text, "html.parser").select_one(".account").text
        assert {"private", "no-store"} <= _cache_control(response), path
        assert "public" not in _cache_control(response)


def test_personal_api_answers_are_private_and_never_stored(served, people):
    pkg = submit(people["requester"])
    response = requests.get(f"{served}/api/3/action/transparency_ati_requester_show", params={"id": pkg["id"]},
                            headers={"Authorization": people["officer"]["token"]})
    assert response.json()["result"]["full_name"] == "Zineb Outaleb-Qarmouchi"
    assert {"private", "no-store"} <= _cache_control(response)
    for person in ("requester", "officer"):
        response = requests.get(f"{served}/api/3/action/package_show", params={"id": pkg["id"]},
                                headers={"Authorization": people[person]["token"]})
        assert {"private", "no-store"} <= _cache_control(response)


@pytest.mark.parametrize(("path", "status"), [("/dataset/changes_multiple", 404),
                                              ("/api/2/util/user/autocomplete?q=a", 403)])
def test_core_pages_that_used_to_fail_say_what_is_wrong(served, people, path, status):
    response = requests.get(served + path)
    assert response.status_code == status
    if path.startswith("/api/"):
        assert response.json()["success"] is False
        assert response.json()["error"]["__type"] == "Authorization Error"
    else:
        page = BeautifulSoup(response.text, "html.parser")
        assert page.html["lang"] == "fr" and page.select_one(".site-footer")  # CKAN's own error page


@pytest.mark.ckan_config("ckanext.transparency.trusted_proxies", "1")
@pytest.mark.ckan_config("ckanext.transparency.ati.daily_limit_per_address", "1")
def test_behind_the_front_the_per_address_limit_keys_on_the_citizen_not_the_proxy(app, people):
    """The front appends the client's address to X-Forwarded-For; only that last entry is trusted."""
    def post(person, forwarded_for):
        return app.post("/api/3/action/transparency_ati_request_submit",
                        json={"owner_org": "mrafp", "title": "Sujet", "notes": "Texte", "delivery": "post",
                              **IDENTITY},
                        headers={"Authorization": people[person]["token"], "X-Forwarded-For": forwarded_for},
                        expect_errors=True)
    assert post("requester", "41.140.10.1").status_code == 200
    assert post("citizen", "41.140.10.2").status_code == 200  # another citizen behind the same front
    refused = post("officer", "10.9.9.9, 41.140.10.1")  # a forged first entry changes nothing
    assert refused.status_code == 409
    assert "adresse réseau" in refused.json["error"]["owner_org"][0]


def test_when_postgresql_goes_away_after_the_answer_is_made_the_answer_stands(app, people):
    """A failover can take the primary away between the answer and the end of the request: the
    session's last rollback then fails, which must not turn the page into a 500."""
    @app.flask_app.after_request  # registered last: runs first, before the portal's and CKAN's
    def lose_the_connection(response):
        pid = model.Session.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        with model.meta.engine.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return response

    response = app.get("/fr/publication/")
    assert response.status_code == 200
    assert BeautifulSoup(response.text, "html.parser").select_one("h1, h2") is not None
    assert app.get("/api/3/action/status_show").json["success"] is True  # the next request has a connection
