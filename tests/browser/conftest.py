"""The portal as a person meets it: its front (nginx) and gunicorn on free loopback ports, serving the
test database and Solr core of this process (the CKAN_* overrides reach it too),
driven by Debian's headless Chromium through its chromedriver.

The records are created once for the package through actions; each test makes
its own request, contribution or update, so that the tests do not depend on
one another's order.
"""
from __future__ import annotations

import base64
import datetime
import io
import re
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait
from werkzeug.datastructures import FileStorage

import ckan.plugins
from ckan.lib import search
from ckan.common import config
from ckan.tests import factories, helpers

from conftest import IDENTITY, MIGRATED_PLUGINS, create, run_jobs
from serve import free_port, front, gunicorn, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DEMO = ROOT / "ckanext-transparency" / "ckanext" / "transparency" / "data" / "demo"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"

# Every journey runs in both languages at both widths.
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
LANGUAGES = {"fr": "", "ar": "/ar"}  # French is the default locale: no prefix
VIEWS = [(lang, width) for lang in LANGUAGES for width in WIDTHS]
PASSWORD = "Mot-de-passe-2026"
ADMIN = {"name": "admin"}  # the sysadmin who creates the records
NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
REGIONS_CSV = "code,region,chef_lieu\n01,Tanger-Tétouan-Al Hoceïma,Tanger\n04,Rabat-Salé-Kénitra,Rabat\n"


def _iso(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def view_id(view: tuple[str, str]) -> str:
    return "-".join(view)


def _records() -> dict[str, Any]:
    """Institutions, people and one record of each main page, through the actions."""
    factories.Sysadmin(name=ADMIN["name"])
    # A citizen per language and width: each files a few requests, under the daily limit.
    # (The answered request that suggestions find is another citizen's: the journeys' own filings
    # stay under the limit.)
    for name, fullname in [("agent", "Karim Idrissi"), ("commission", "Nadia Alaoui"),
                           ("citoyen-precedent", "Youssef Amrani")] + [
            (citizen_of(view), "Salma Bennani") for view in VIEWS]:
        helpers.call_action("user_create", name=name, fullname=fullname, password=PASSWORD,
                            email=f"{name}@example.ma")
    orgs = {name: helpers.call_action("organization_create", {"user": "admin"}, name=name, title=title)
            for name, title in (("mrafp", "Ministère de la Réforme de l'Administration"),
                                ("mef", "Ministère de l'Économie et des Finances"))}
    helpers.call_action("organization_member_create", id=orgs["mrafp"]["id"], username="agent", role="editor")
    cdai = helpers.call_action("organization_create", {"user": "admin"}, name="cdai", title="CDAI")
    helpers.call_action("organization_member_create", id=cdai["id"], username="commission", role="editor")

    regions = create(ADMIN, "dataset", "regions-du-maroc", "mrafp", title="Régions du Maroc", theme="GOVE",
                      notes="Données ouvertes : les douze régions et leurs chefs-lieux.")
    resource = helpers.call_action("resource_create", {"user": "admin"}, package_id=regions["id"], name="Régions (CSV)",
                                   format="CSV", url="regions.csv",
                                   upload=FileStorage(io.BytesIO(REGIONS_CSV.encode()), "regions.csv"))
    create(ADMIN, "dataset", "budget-citoyen-2025", "mef", title="Budget citoyen 2025", theme="ECON",
            notes="Données ouvertes : le budget de l'État expliqué aux citoyens.")
    chefs_lieux = helpers.call_action("resource_create", {"user": "admin"}, package_id=regions["id"],
                                      name="Chefs-lieux (GeoJSON)", format="GeoJSON", url="chefs_lieux.geojson",
                                      upload=FileStorage(io.BytesIO((DEMO / "chefs_lieux_regions.geojson").read_bytes()),
                                                         "chefs_lieux.geojson"))
    organigramme = create(ADMIN, "publication", "organigramme-mrafp", "mrafp", title="Organigramme du ministère",
                          title_ar="الهيكل التنظيمي للوزارة", category="missions")
    pdf = helpers.call_action("resource_create", {"user": "admin"}, package_id=organigramme["id"],
                              name="Organigramme (PDF)", format="PDF", url="organigramme.pdf",
                              upload=FileStorage(io.BytesIO((DEMO / "loi_31_13_extrait.pdf").read_bytes()),
                                                 "organigramme.pdf"))
    create(ADMIN, "action-plan", "plan-2018-2020", "mrafp", title="Plan d'action national 2018-2020",
            title_ar="خطة العمل الوطنية 2018-2020")
    create(ADMIN, "commitment", "mo0006", "mrafp", title="Portail national de la transparence",
            title_ar="البوابة الوطنية للشفافية", ogp_id="MO0006", action_plan="plan-2018-2020",
            milestones=[{"title": "Lancement", "start": "2018-09", "end": "2018-09", "state": "completed"},
                        {"title": "Mise en ligne", "start": "2018-11", "end": "2099-12", "state": "in-progress"}])
    create(ADMIN, "consultation", "projet-loi-archives", "mrafp", title="Projet de loi sur les archives",
            title_ar="مشروع قانون الأرشيف", topic="governance",
            opens_at=_iso(NOW - datetime.timedelta(days=1)), closes_at=_iso(NOW + datetime.timedelta(days=30)))
    indicator = create(ADMIN, "indicator", "reponses-dans-les-delais", "mrafp", title="Réponses dans les délais",
                       title_ar="الردود داخل الأجل", unit="%", periodicity="yearly", notes="Part des réponses à temps.")
    helpers.call_action("resource_create", {"user": "admin"}, package_id=indicator["id"], name="Valeurs", format="CSV",
                        url="valeurs.csv", upload=FileStorage(io.BytesIO(b"period,value\n2024,63\n2025,71\n"),
                                                              "valeurs.csv"))
    answered = submit_request("Nombre d'agents d'information", "citoyen-precedent")
    helpers.call_action("transparency_ati_request_transition", {"user": "agent"}, id=answered["id"],
                        transition="answer", answer="La liste est publiée dans les publications du ministère.")
    return {"resource": resource, "answered": answered, "regions_csv": REGIONS_CSV, "geojson": chefs_lieux,
            "pdf": pdf}


def citizen_of(view: tuple[str, str]) -> str:
    return "citoyenne-" + view_id(view)


def submit_request(title: str, user: str) -> dict[str, Any]:
    """A request of ``user`` to the MRAFP, filed through the action."""
    return helpers.call_action("transparency_ati_request_submit", {"user": user}, owner_org="mrafp",
                               title=title, notes="Le détail par direction.", delivery="email", **IDENTITY)


@pytest.fixture(scope="package")
def site(pytestconfig, reset_db, migrate_db_for, reset_index, reset_queues) -> Iterator[dict[str, Any]]:
    """The portal served by gunicorn behind its front over a fresh database and index holding ``_records()``."""
    ckan.plugins.load_all()
    reset_db()
    for plugin in MIGRATED_PLUGINS:
        migrate_db_for(plugin)
    reset_index()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    app, base = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    site_url = config["ckan.site_url"]
    config["ckan.site_url"] = base  # links made by this process (resources' URLs) lead to the server
    log = open(ROOT / "build" / "browser-server.log", "w")
    ini = str(Path(pytestconfig.getoption("ckan_ini")).resolve())
    try:
        # Through the front, as people reach the portal; its rate limits are lifted for the journeys.
        with gunicorn(ini, app, log, site_url=base) as server, front("front-browser", base, app, "6000r/m", "6000r/m"):
            # As scripts/up: xloader submits the CSVs it is given a token for, and the jobs
            # worker loads them, fetching them from the server.
            config["ckanext.xloader.api_token"] = helpers.call_action(
                "api_token_create", user=helpers.call_action("get_site_user")["name"], name="xloader")["token"]
            records = _records()  # while the server starts
            wait_until_up(f"{base}/api/3/action/status_show", server, log)
            # This process writes resources' addresses at the tests' site_url: xloader fetches them
            # from the server instead, as the loader fixture has it.
            config.update({"ckan.site_url": site_url, "ckanext.xloader.site_url": base})
            run_jobs()
            config["ckan.site_url"] = base
            search.rebuild()  # the jobs indexed the resources' addresses at the tests' site_url
            yield dict(records, base=base)
    finally:
        log.close()
        config["ckan.site_url"] = site_url
        for key in ("ckanext.xloader.api_token", "ckanext.xloader.site_url"):
            config.pop(key, None)
        reset_queues()  # the server's e-mail jobs, never run, would reach later tests' workers
        ckan.plugins.unload_non_system_plugins()


@pytest.fixture(scope="package")
def chromium() -> Iterator[webdriver.Chrome]:
    """One headless Chromium for the package; each test gets it with fresh cookies."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800", "--lang=fr", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                # Loopback only: gravatars and anything else outside stay unreachable.
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # what the front's CSP blocks is logged
    # The driver's path is given: Selenium Manager never runs, nothing is downloaded.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


class Page:
    """What a person does and sees in the browser, in one language at one width."""

    def __init__(self, driver: webdriver.Chrome, base: str, lang: str, width: str, downloads: Path):
        self.driver, self.base, self.lang, self.width = driver, base, lang, width
        self.prefix = LANGUAGES[lang]
        self.view = view_id((lang, width))
        self.citizen = citizen_of((lang, width))
        self.downloads = downloads

    # Moving around
    def open(self, path: str) -> None:
        self.driver.get(self.base + self.prefix + path)

    @property
    def path(self) -> str:
        return self.driver.execute_script("return location.pathname + location.search")

    def wait(self, condition: Any, timeout: float = 60) -> Any:
        return WebDriverWait(self.driver, timeout).until(condition)

    def click(self, css: str) -> None:
        self.find(css).click()

    def find(self, css: str) -> Any:
        element = self.driver.find_element(By.CSS_SELECTOR, css)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
        return element

    def find_all(self, css: str) -> list[Any]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css: str = "body") -> str:
        return self.find(css).text

    def fill(self, fields: dict[str, str]) -> None:
        """Types into inputs and text areas, picks the option of that value in selects."""
        for css, value in fields.items():
            element = self.find(css)
            if element.tag_name == "select" and not element.is_displayed():  # a select2 picker stands for it
                self.driver.execute_script("$(arguments[0]).select2('val', arguments[1], true)", element, value)
            elif element.tag_name == "select":
                Select(element).select_by_value(value)
            else:
                element.clear()
                element.send_keys(value)

    def submit(self, css: str) -> None:
        """Clicks a submit button and waits for the next page."""
        button = self.find(css)
        button.click()
        self.wait(_left(button))

    def login(self, user: str, lands_on: str) -> None:
        """Signs in on the login page the portal has sent us to; it leads back to ``lands_on``."""
        assert "/user/login" in self.path, self.path
        self.fill({"#field-login": user, "#field-password": PASSWORD})
        self.submit("form:has(#field-login) button[type=submit]")
        assert self.path == self.prefix + lands_on, (self.path, lands_on)

    # What is seen
    def language(self) -> tuple[str, str]:
        """The page's language and its writing direction."""
        return tuple(self.driver.execute_script(
            "const html = document.documentElement; return [html.lang, getComputedStyle(html).direction];"))

    def check(self, name: str) -> dict[str, Any]:
        """The checks of every main page: right language and direction, a language switch
        leading to this page, nothing blocked by the front's Content-Security-Policy
        (since the previous check), every form field labelled, no serious or critical axe
        violation; and a screenshot for the reviewers. Returns the axe results."""
        assert self.language() == (self.lang, "rtl" if self.lang == "ar" else "ltr"), name
        self.screenshot(name)
        for lang in LANGUAGES:
            if lang != self.lang:
                link = self.driver.find_element(By.CSS_SELECTOR, f".transparency-languages a[hreflang={lang}]")
                target = link.get_attribute("href").removeprefix(self.base)
                assert _unprefixed(target) == _unprefixed(self.path), (name, target, self.path)
        # Wider than the screen: phones zoom the whole page out, desktops scroll sideways.
        widest, culprits = self.driver.execute_script(_WIDEST, WIDTHS[self.width][0])
        assert culprits == [], f"{name}: the page is {widest}px wide on a {self.width}, because of {culprits}"
        blocked = [entry["message"] for entry in self.driver.get_log("browser")
                   if "Content Security Policy" in entry["message"] and not _HARMLESS_EVAL.search(entry["message"])]
        assert blocked == [], f"{name}: the front's Content-Security-Policy blocked {blocked}"
        unlabelled = self.driver.execute_script(_UNLABELLED)
        assert unlabelled == [], f"{name}: form fields without a label: {unlabelled}"
        results = self.axe()
        serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], f"{name}: axe found\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in serious)
        return results

    def axe(self) -> dict[str, Any]:
        if not self.driver.execute_script("return typeof window.axe === 'object'"):
            self.driver.execute_script(AXE.read_text())
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => ({target: n.target, html: n.html}))}))}))"
            ".catch(e => done({error: String(e), violations: [{id: 'axe-error', impact: 'critical',"
            " help: String(e), nodes: []}]}));")

    def screenshot(self, name: str) -> Path:
        """The whole page as a PNG: build/screenshots/<name>-<lang>-<width>.png."""
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics["cssContentSize"]
        width, height = WIDTHS[self.width][0], min(int(size["height"]), 6000)
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
        path = SCREENSHOTS / f"{name}-{self.lang}-{self.width}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def switch_language(self) -> "Page":
        """Follows the switch to the other language; returns the page in that language."""
        other = next(lang for lang in LANGUAGES if lang != self.lang)
        here = _unprefixed(self.path)
        self.submit_link(f".transparency-languages a[hreflang={other}]")
        page = Page(self.driver, self.base, other, self.width, self.downloads)
        assert page.language() == (other, "rtl" if other == "ar" else "ltr")
        assert _unprefixed(page.path) == here
        return page

    def submit_link(self, css: str) -> None:
        """Follows a link and waits for the next page."""
        link = self.find(css)
        link.click()
        self.wait(_left(link))


def _left(element: Any) -> Callable[[Any], bool]:
    """The page of ``element`` was replaced. Like selenium's ``staleness_of``, but while the
    next page loads ChromeDriver may also answer "Node with given id does not belong to the
    document" (not a StaleElementReferenceException): that, too, means the page has gone."""
    def gone(driver: Any) -> bool:
        try:
            element.is_enabled()
        except WebDriverException:
            return True
        return False
    return gone


# CKAN's table view calls setTimeout(initFilterObserver(), 100) on a language file loaded:
# it passes undefined, which the browser would evaluate as a string; the policy refuses it,
# harmlessly (the observer is already in place).
_HARMLESS_EVAL = re.compile(r"/webassets/ckanext-datatablesview/\w+_datatablesview\.js \d+ Evaluating a string")


def _unprefixed(path: str) -> str:
    """``path`` without its language prefix (/ar/, /fr/ or /en/)."""
    return re.sub(r"^/(fr|ar|en)(?=/|$)", "", path) or "/"


# The page's width, and the innermost elements that stick out of the screen (arguments[0]
# pixels) where no one can reach them: outside any box that scrolls or cuts text with an ellipsis.
_WIDEST = """
const screen = arguments[0];
const sticksOut = e => {  // across an edge: wholly outside is the way to hide text, not a cut
  const r = e.getBoundingClientRect();
  return r.width > 0 && ((r.left < -1 && r.right > 0) || (r.left < screen && r.right > screen + 1));
};
const reachable = e => {
  for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    const style = getComputedStyle(a);
    const boxed = ['auto', 'scroll'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
    if (boxed && !sticksOut(a)) return true;
  }
  return false;
};
const out = [...document.body.querySelectorAll('*')].filter(e => sticksOut(e) && !reachable(e));
const innermost = out.filter(e => !out.some(o => o !== e && e.contains(o)));
return [Math.max(document.documentElement.scrollWidth, window.innerWidth),
        innermost.slice(0, 3).map(e => e.outerHTML.slice(0, 150))];
"""


# Inputs, selects and text areas a person fills that have no accessible name.
_UNLABELLED = """
return [...document.querySelectorAll('input, select, textarea')]
  .filter(e => !['hidden', 'submit', 'button', 'reset', 'image'].includes(e.type))
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
  .map(e => e.outerHTML.slice(0, 120));
"""


@pytest.fixture(params=VIEWS, ids=view_id)
def page(request, site, chromium, tmp_path) -> Iterator[Page]:
    """The browser, signed out, in one language at one width (desktop 1280x800, phone 390x844)."""
    lang, width = request.param
    w, h = WIDTHS[width]
    chromium.delete_all_cookies()
    chromium.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": w, "height": h, "deviceScaleFactor": 1, "mobile": width == "phone"})
    chromium.execute_cdp_cmd("Browser.setDownloadBehavior", {
        "behavior": "allow", "downloadPath": str(tmp_path), "eventsEnabled": True})
    page = Page(chromium, site["base"], lang, width, tmp_path)
    yield page
    if request.node.rep_call.failed:  # what the browser showed when the test failed
        page.screenshot(f"failed-{request.node.name}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
