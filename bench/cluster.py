"""Benchmark of the scaled-out portal (scripts/cluster), not a test: the same signed-in
browsing (every request reaches a web node; the front's cache is bypassed) on one web
node, then on two, with the CPU seconds the web nodes spent per request; then the
failover figures of tests/test_cluster.py's faults under the same traffic.

    .venv/bin/python bench/cluster.py [--seconds 30] [--clients 6]

Brings the cluster up (scripts/cluster up) and leaves it running; writes
bench/results/cluster.md. Uses the fault test's traffic and helpers, so that the
benchmark and the test drive the cluster the same way.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_cluster import (STACK, Traffic, children, cluster, kill, patroni, pid_of,
                          replicas)


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return total


def web_pids(nodes: list[int]) -> list[int]:
    pids = []
    for n in nodes:
        master = pid_of(f"cluster-web{n}")
        pids += [master, *children(master)]
    return pids


def browse(token: str, nodes: list[int], seconds: float, clients: int) -> dict[str, float]:
    with Traffic(token, browsers=clients, submitters=0):  # every node warm, the front's routing settled
        time.sleep(5)
    pids = web_pids(nodes)
    cpu = cpu_seconds(pids)
    with Traffic(token, browsers=clients, submitters=0) as traffic:
        time.sleep(seconds)
    statuses = traffic.statuses()
    answered = statuses.get(200, 0)
    used = cpu_seconds(pids) - cpu
    return {"rate": answered / seconds, "answered": answered, "other": sum(statuses.values()) - answered,
            "cpu_per_request_ms": 1000 * used / max(answered, 1), "load": os.getloadavg()[0]}


def throughput(token: str, seconds: float, clients: int, rounds: int) -> dict[int, list[dict[str, float]]]:
    """Rounds of one node then two, so that the other work on the machine weighs on both alike."""
    runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    for _ in range(rounds):
        cluster("stop", "web2")
        runs[1].append(browse(token, [1], seconds, clients))
        cluster("start", "web2")
        runs[2].append(browse(token, [1, 2], seconds, clients))
    return runs


def row(nodes: int, runs: list[dict[str, float]]) -> str:
    rates = ", ".join(f"{r['rate']:.1f}" for r in runs)
    loads = ", ".join(f"{r['load']:.1f}" for r in runs)
    return (f"| {nodes} | {statistics.median(r['rate'] for r in runs):.1f} | {rates} | "
            f"{sum(r['other'] for r in runs)} | {statistics.median(r['cpu_per_request_ms'] for r in runs):.0f} ms | "
            f"{loads} |")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    command = "bench/cluster.py" + "".join(f" {a}" for a in sys.argv[1:])

    cluster("up")
    token = cluster("ckan", "user", "token", "add", "demo-citizen", "bench").strip().splitlines()[-1].strip()
    runs = throughput(token, args.seconds, args.clients, args.rounds)
    one = statistics.median(r["rate"] for r in runs[1])
    two = statistics.median(r["rate"] for r in runs[2])
    cpu_ms = statistics.median(r["cpu_per_request_ms"] for r in runs[1] + runs[2])

    # Solr node loss: the shard's leader.
    leader = next(r for r in replicas() if r.get("leader") == "true")
    lost = 1 if leader["node_name"].startswith(f"127.0.0.1:{int(os.environ.get('PORTAL_CLUSTER_PORT', 7100)) + 31}") else 2
    with Traffic(token) as traffic:
        time.sleep(3)
        kill(pid_of(f"cluster-solr{lost}"))
        solr_killed = time.monotonic()
        time.sleep(25)
    solr = {"search": traffic.statuses("search", since=solr_killed), "submit": traffic.statuses("submit", since=solr_killed)}
    cluster("start", f"solr{lost}")

    # Web node loss.
    master = pid_of("cluster-web1")
    with Traffic(token) as traffic:
        time.sleep(3)
        kill(master, *children(master), pid_of("cluster-worker1"), pid_of("cluster-periodic"))
        web_killed = time.monotonic()
        time.sleep(15)
    web = {"all": traffic.statuses(since=web_killed), "submit": traffic.statuses("submit", since=web_killed)}
    cluster("start", "web1")

    # PostgreSQL primary loss.
    lost_pg = next(n for n in (1, 2) if patroni(n)["role"] == "primary")
    postmaster = int((STACK / "cluster" / f"pg{lost_pg}" / "data" / "postmaster.pid").read_text().split()[0])
    with Traffic(token) as traffic:
        time.sleep(3)
        kill(pid_of(f"cluster-pg{lost_pg}"), postmaster)
        pg_killed = time.monotonic()
        while patroni(3 - lost_pg)["role"] != "primary":
            time.sleep(0.2)
        promoted = time.monotonic() - pg_killed
        while not traffic.statuses("submit", since=time.monotonic() - 1).get(200):
            time.sleep(0.2)
        resumed = time.monotonic() - pg_killed
        time.sleep(3)
    unavailable = [at for _, status, at, _ in traffic.answers if status == 503]
    pg = {"statuses": traffic.statuses(since=pg_killed), "promoted": promoted, "resumed": resumed,
          "window": (max(unavailable) - min(unavailable)) if unavailable else 0.0}
    cluster("start", f"pg{lost_pg}")

    cores = os.cpu_count()
    per_core = 1000 / cpu_ms if cpu_ms else 0
    report = f"""# The portal scaled out: one machine, {cores} cores ({platform.processor() or platform.machine()})

Command: `{command}` (cluster from `scripts/cluster up`; {args.clients} clients browsing signed in,
the front's cache bypassed; 2 gunicorn workers per web node; ZooKeeper x3, Solr x2, PostgreSQL x2,
the front and the clients share the same {cores} cores with other work on this machine).

## Throughput: 1 web node vs 2

{args.rounds} rounds of {args.seconds:.0f} s each, one node then two (each run after 5 s of the same traffic).

| web nodes | answered per second (median) | each run | other answers | web-node CPU per request (median) | load average at the end of each run |
|---|---|---|---|---|---|
{row(1, runs[1])}
{row(2, runs[2])}

Gain: {two / one if one else 0:.2f}x. On this machine the second node shares the same {cores} cores
with the first, with Solr, PostgreSQL, the front and the clients: the gain is bounded by CPU, not by
the number of nodes. A request costs about {cpu_ms:.0f} ms of web-node CPU, so one core of a web node
serves at most about {per_core:.0f} of these requests per second; an estimate, not measured here: on separate
machines each web node would add about {per_core:.0f} × its cores per second, until PostgreSQL or Solr (measured apart in
bench/results/results.md) becomes the bound.

## Failover under traffic (3 browsing clients, 1 submitting)

| fault | answers after the fault | figure |
|---|---|---|
| Solr node (the shard's leader) killed | searches {solr['search']}, submissions {solr['submit']} | failed searches: {sum(v for k, v in solr['search'].items() if k != 200)} |
| web node 1 killed (gunicorn, its worker) | all {web['all']}, submissions {web['submit']} | failed answers: {sum(v for k, v in web['all'].items() if k != 200)} |
| PostgreSQL primary killed (Patroni and postmaster) | {pg['statuses']} | standby promoted after {pg['promoted']:.1f} s, writes resumed after {pg['resumed']:.1f} s, 503s during {pg['window']:.1f} s |

A submission answered 503 was not saved (the client files it again); every acknowledged one is
kept (tests/test_cluster.py checks it after each fault).
"""
    out = ROOT / "bench" / "results" / "cluster.md"
    out.write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
