"""The portal scaled out (scripts/cluster): under browsing and submissions through the
front, a Solr node, a web node and the PostgreSQL primary are killed in turn (SIGKILL,
as a machine is lost). Searches keep answering, the front leaves the dead web node
alone, Patroni promotes the standby; an answer is a 200 or, while PostgreSQL fails
over, a 503; every acknowledged submission is found; each dead member comes back and
rejoins."""
from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest
import requests
from bs4 import BeautifulSoup

from serve import ROOT

BASE = int(os.environ.get("PORTAL_CLUSTER_PORT", 7100))
FRONT = f"http://127.0.0.1:{BASE + 60}"
STACK = ROOT / ".stack"
# The test submits more than a citizen may in a day (5, 20 per address).
SETTINGS = "ckanext.transparency.ati.daily_limit = 100000\nckanext.transparency.ati.daily_limit_per_address = 100000"


def cluster(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    env.update(PORTAL_CLUSTER_SETTINGS=SETTINGS, PORTAL_SUBMIT_RATE="6000r/m")
    done = subprocess.run([str(ROOT / "scripts" / "cluster"), *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def eventually(check: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = check()
        except requests.RequestException:
            result = None
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"{what} within {seconds} s")


def kill(*pids: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def pid_of(name: str) -> int:
    return int((STACK / f"{name}.pid").read_text())


def _found_something(path: str, response: requests.Response) -> bool:
    """A search that answered found records: the API's count, or the page's results (CKAN's
    search page answers 200 with an error alert and no results when Solr fails)."""
    if path.startswith("/api/"):
        return response.json()["result"]["count"] > 0
    return bool(BeautifulSoup(response.text, "html.parser").select(".dataset-item"))


class Traffic:
    """Signed-in browsing (searches, pages in Arabic and French: the front's cache is
    bypassed, every request reaches a web node) and submissions through the front, in
    threads, until the block ends. Every answer is kept with its time."""

    SEARCHES = ["/api/3/action/package_search?q=transparence&rows=5", "/dataset/?q=budget",
                "/ar/publication/", "/api/3/action/package_search?fq=type:commitment"]
    PAGES = ["/ar/commitment/", "/ati-request/mine", "/fr/consultation/"]

    def __init__(self, token: str, browsers: int = 3, submitters: int = 1) -> None:
        self.token, self.browsers, self.submitters = token, browsers, submitters
        self.answers: list[tuple[str, int, float, str]] = []  # kind, status (0: no answer), time, path
        self.acknowledged: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.counter = itertools.count(1)

    def _keep(self, kind: str, status: int, path: str) -> None:
        with self.lock:
            self.answers.append((kind, status, time.monotonic(), path))

    def _browse(self, offset: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = self.token
        paths = self.SEARCHES + self.PAGES
        for path in itertools.cycle(paths[offset:] + paths[:offset]):
            if self.stop.is_set():
                return
            kind = "search" if path in self.SEARCHES else "page"
            try:
                response = session.get(FRONT + path, timeout=30)
                status = response.status_code
                if status == 200 and kind == "search" and not _found_something(path, response):
                    status = -1  # answered, but found nothing: the body's checks count it (not 200)
            except requests.RequestException:
                status = 0
            self._keep(kind, status, path)

    def _submit(self) -> None:
        session = requests.Session()
        session.headers["Authorization"] = self.token
        while not self.stop.is_set():
            n = next(self.counter)
            try:
                response = session.post(FRONT + "/api/3/action/transparency_ati_request_submit", timeout=30, json={
                    "owner_org": "mrafp", "title": f"Demande pendant une panne n° {n}",
                    "notes": "Le nombre de dossiers traités en 2025.", "delivery": "email",
                    "full_name": "Citoyen de test", "id_number": f"CL{n:06d}",
                    "address": "1 rue du Test, Rabat", "email": f"cluster{n}@test.ma"})
                status = response.status_code
                if status == 200:
                    with self.lock:
                        self.acknowledged.append(response.json()["result"])
            except requests.RequestException:
                status = 0
            self._keep("submit", status, "submit")
            time.sleep(0.2)

    def __enter__(self) -> "Traffic":
        self.threads = [threading.Thread(target=self._browse, args=(i,)) for i in range(self.browsers)]
        self.threads += [threading.Thread(target=self._submit) for _ in range(self.submitters)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def statuses(self, kind: str | None = None, since: float = 0) -> dict[int, int]:
        counts: dict[int, int] = {}
        for k, status, at, _ in self.answers:
            if (kind is None or k == kind) and at >= since:
                counts[status] = counts.get(status, 0) + 1
        return counts


@pytest.fixture(scope="module")
def up():
    cluster("up")
    token = cluster("ckan", "user", "token", "add", "demo-citizen", "fault-test").strip().splitlines()[-1].strip()
    acknowledged: list[dict[str, Any]] = []
    yield token, acknowledged
    cluster("down")


def all_found(token: str, acknowledged: list[dict[str, Any]]) -> None:
    """Every acknowledged submission is there, with its tracking number, for its requester."""
    session = requests.Session()
    session.headers["Authorization"] = token
    for record in acknowledged:
        shown = session.get(FRONT + "/api/3/action/package_show", params={"id": record["id"]}, timeout=30)
        assert shown.status_code == 200, record["tracking_number"]
        assert shown.json()["result"]["tracking_number"] == record["tracking_number"]


def patroni(n: int) -> dict[str, Any]:
    return requests.get(f"http://127.0.0.1:{BASE + 50 + n}/patroni", timeout=3).json()


def replicas() -> list[dict[str, Any]]:
    status = requests.get(f"http://127.0.0.1:{BASE + 31}/solr/admin/collections",
                          params={"action": "CLUSTERSTATUS", "collection": "ckan", "wt": "json"}, timeout=10).json()
    shards = status["cluster"]["collections"]["ckan"]["shards"].values()
    return [replica for shard in shards for replica in shard["replicas"].values()]


FRONT_LOG = STACK / "cluster-front" / "access.log"


def web_nodes_tried(since: int) -> list[list[int]]:
    """The web nodes the front tried for each request logged after byte ``since`` of its log
    (scripts/lib.sh's log format: ``upstream=127.0.0.1:7161, 127.0.0.1:7162``), by number."""
    with open(FRONT_LOG, "rb") as log:
        log.seek(since)
        lines = log.read().decode().splitlines()
    return [[int(port) - BASE - 60 for port in re.findall(r"127\.0\.0\.1:(\d+)", line.split("upstream=", 1)[1])]
            for line in lines]


def test_the_cluster_serves_the_demo_through_both_web_nodes(up):
    token, acknowledged = up
    assert {r["state"] for r in replicas()} == {"active"} and len(replicas()) == 2
    assert sorted(patroni(n)["role"] for n in (1, 2)) == ["primary", "replica"]
    since = FRONT_LOG.stat().st_size
    with Traffic(token) as traffic:
        time.sleep(8)
    acknowledged += traffic.acknowledged
    assert set(traffic.statuses()) == {200}, traffic.statuses()
    assert traffic.acknowledged
    assert {node for tried in web_nodes_tried(since) for node in tried} == {1, 2}
    all_found(token, acknowledged)


def test_searches_keep_answering_when_a_solr_node_is_lost(up):
    token, acknowledged = up
    leader = next(r for r in replicas() if r.get("leader") == "true")
    lost = 1 if leader["node_name"].startswith(f"127.0.0.1:{BASE + 31}") else 2  # the shard's leader
    with Traffic(token) as traffic:
        time.sleep(3)
        kill(pid_of(f"cluster-solr{lost}"))
        killed = time.monotonic()
        time.sleep(25)
    acknowledged += traffic.acknowledged
    # Every search was answered by the surviving replica. Until ZooKeeper lets it lead
    # (zkClientTimeout), Solr refuses updates: a submission is then undone and answered 503.
    assert set(traffic.statuses("search")) == {200}, traffic.statuses("search")
    assert set(traffic.statuses()) <= {200, 503}, traffic.statuses()
    assert traffic.statuses("submit", since=killed + 20).get(200), "submissions did not resume"
    print(f"\nSolr node lost: {traffic.statuses('search')} searches, submissions {traffic.statuses('submit')}")
    all_found(token, acknowledged)

    cluster("start", f"solr{lost}")
    eventually(lambda: [r["state"] for r in replicas()] == ["active", "active"], 120, "the Solr node rejoined")


def test_the_front_stops_sending_to_a_lost_web_node_and_takes_it_back(up):
    token, acknowledged = up
    master = pid_of("cluster-web1")
    with Traffic(token) as traffic:
        time.sleep(3)
        kill(master, *children(master), pid_of("cluster-worker1"), pid_of("cluster-periodic"))
        killed, since = time.monotonic(), FRONT_LOG.stat().st_size
        time.sleep(15)
    acknowledged += traffic.acknowledged
    # The front tries the dead node again once per fail_timeout (10 s) and nginx worker (2), then
    # moves the request on; everything else goes straight to web node 2.
    tried = web_nodes_tried(since)
    assert sum(1 for nodes in tried if 1 in nodes) <= 6 and len(tried) > 20, tried
    # Reading never failed (the front sends it to the other node); a submission cut short on the
    # dead node is not acknowledged (the front answers 503 and never repeats a POST), later ones are.
    assert set(traffic.statuses(since=killed)) <= {200, 503}, traffic.statuses(since=killed)
    assert set(traffic.statuses("search", since=killed)) == {200}
    assert set(traffic.statuses("submit", since=killed + 1)) == {200}
    all_found(token, acknowledged)

    cluster("start", "web1")
    since = FRONT_LOG.stat().st_size
    with Traffic(token):
        eventually(lambda: [1] in web_nodes_tried(since), 30, "the front sent requests to the node back")


def test_patroni_promotes_the_standby_writes_resume_and_no_acknowledged_submission_is_lost(up):
    token, acknowledged = up
    lost = next(n for n in (1, 2) if patroni(n)["role"] == "primary")
    standby = 3 - lost
    postmaster = int((STACK / "cluster" / f"pg{lost}" / "data" / "postmaster.pid").read_text().split()[0])
    with Traffic(token) as traffic:
        time.sleep(3)
        kill(pid_of(f"cluster-pg{lost}"), postmaster)  # Patroni and its PostgreSQL: the machine is gone
        killed = time.monotonic()
        eventually(lambda: patroni(standby)["role"] == "primary", 90, "Patroni promoted the standby")
        promoted = time.monotonic()
        eventually(lambda: traffic.statuses("submit", since=time.monotonic() - 1).get(200), 60, "writes resumed")
        resumed = time.monotonic()
        time.sleep(3)
    acknowledged += traffic.acknowledged
    unavailable = [at for _, status, at, _ in traffic.answers if status == 503]
    print(f"\nprimary lost: standby promoted after {promoted - killed:.1f} s, writes resumed after "
          f"{resumed - killed:.1f} s, 503s during {(max(unavailable) - min(unavailable)) if unavailable else 0:.1f} s")
    assert set(traffic.statuses()) <= {200, 503}, traffic.statuses()
    assert traffic.statuses("submit", since=resumed).get(200)
    all_found(token, acknowledged)

    cluster("start", f"pg{lost}")
    eventually(lambda: patroni(lost).get("replication_state") == "streaming" or
               patroni(lost).get("state") == "streaming", 120, "the lost member rejoined as a standby")
    assert patroni(lost)["role"] == "replica"
    # Everything acknowledged during the whole run is searchable once the index has caught up.
    session = requests.Session()
    session.headers["Authorization"] = token
    ids = {r["id"] for r in acknowledged}

    def indexed() -> bool:
        found = session.get(FRONT + "/api/3/action/package_search", timeout=30, params={
            "fq": "type:ati-request", "rows": 1000, "fl": "id", "include_private": "true"}).json()["result"]["results"]
        return ids <= {r["id"] for r in found}

    eventually(indexed, 120, "every acknowledged submission is found by search")
    print(json.dumps({"acknowledged": len(acknowledged)}))
