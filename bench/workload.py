"""The benchmark's workload: the same operations, with the same seeded parameters,
against plain CKAN and the portal running side by side and, for the searches,
against their Solr cores directly with the parameters CKAN sends.

    python bench/workload.py --size 1000 --out raw-1000.json \
        --plain http://127.0.0.1:5200 http://127.0.0.1:8985/solr/bench_plain_1000 plain.tokens \
        --portal http://127.0.0.1:5201 http://127.0.0.1:8985/solr/bench_portal_1000 portal.tokens

Each operation gets a fixed warm-up on both, then ``--requests`` requests (writes:
a quarter) shared by ``--clients`` threads, in ``--rounds`` alternating slices
(plain, portal, portal, plain, ...) so that both meet the same background load
of a shared machine. Every latency and the wall time (for requests per second)
are kept. Nothing here passes or fails: bench/report.py makes the tables.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import sys
import threading
import time
from typing import Any, Callable

import requests

import catalog
from client import percentiles, timed

FACETS = ["organization", "tags", "res_format"]
PORTAL_TYPES = ["dataset", "publication", "commitment", "ati-request", "consultation"]
# CKAN's defaults for a free-text package_search (ckan/lib/search/query.py, logic/action/get.py).
SOLR_DEFAULTS = {"defType": "dismax", "tie": "0.1", "mm": "2<-1 5<80%", "qf": "name^4 title^4 tags^2 groups^2 text",
                 "df": "text", "q.op": "AND", "wt": "json", "fl": "id validated_data_dict", "facet": "true",
                 "facet.limit": "50", "facet.mincount": "1"}

SEARCH, BY_TYPE, SOLR = "package_search: text + 3 facets", "package_search: by type", " (Solr directly)"
CREATE, SUBMIT = "package_create", "ATI request submission"
WRITES = (CREATE, SUBMIT)
Request = tuple[str, str, dict[str, Any]]  # method, URL, requests' keyword arguments


def solr_params(q: str, fq: str, facets: list[str], rows: int) -> list[tuple[str, str]]:
    """The select parameters CKAN sends to Solr for an anonymous package_search."""
    params = [("q", q or "*:*"), ("rows", str(rows + 1))]  # CKAN asks one row more (#1683)
    params += [("fq", f) for f in [f"+capacity:public {fq}".strip(), '+site_id:"transparency"', "+state:active",
                                   "+permission_labels:(public)"]]
    params += [("facet.field", f) for f in facets]
    defaults = dict(SOLR_DEFAULTS)
    if ":" in (q or "*:*"):  # a fielded query: CKAN leaves the dismax parameters out
        for key in ("defType", "tie", "mm", "qf"):
            defaults.pop(key)
    return params + sorted(defaults.items())


@dataclasses.dataclass
class Target:
    flavour: str
    url: str
    solr: str
    tokens: dict[str, Any]


Make = Callable[[random.Random, int], Request]


def operations(target: Target, size: int) -> dict[str, Make]:
    """{name: make a request from a seeded generator and a sequence number} for this flavour."""
    url, api, solr = target.url, target.url + "/api/3/action/", target.solr
    kinds = catalog.plan(target.flavour, size)
    names = {t: [f"bench-{i:06d}" for i, k in enumerate(kinds) if k == t] for t in set(kinds)}
    shown = [f"bench-{i:06d}" for i, k in enumerate(kinds) if k != "ati-request"]
    types = PORTAL_TYPES if target.flavour == "portal" else ["dataset"]
    run = int(time.time())
    admin = {"Authorization": target.tokens["admin"]}

    def search(rng: random.Random, n: int) -> Request:
        return "GET", api + "package_search", {"params": {
            "q": rng.choice(catalog.SUBJECTS_FR), "facet.field": json.dumps(FACETS), "rows": 20}}

    def search_solr(rng: random.Random, n: int) -> Request:
        return "GET", solr + "/select", {"params": solr_params(rng.choice(catalog.SUBJECTS_FR), "", FACETS, 20)}

    def by_type(rng: random.Random, n: int) -> Request:
        return "GET", api + "package_search", {"params": {"fq": f"+dataset_type:{rng.choice(types)}", "rows": 20}}

    def by_type_solr(rng: random.Random, n: int) -> Request:
        return "GET", solr + "/select", {"params": solr_params("", f"+dataset_type:{rng.choice(types)}", [], 20)}

    def show(rng: random.Random, n: int) -> Request:
        return "GET", api + "package_show", {"params": {"id": rng.choice(shown)}}

    def create(rng: random.Random, n: int) -> Request:
        data = catalog.record("dataset", 10**6 + n, rng, target.flavour)
        data["name"] = f"{catalog.NEW_PREFIX}{run}-{n:05d}"
        return "POST", api + "package_create", {"json": data, "headers": admin}

    def home(rng: random.Random, n: int) -> Request:
        return "GET", url + "/", {}

    def dataset_page(rng: random.Random, n: int) -> Request:
        return "GET", url + "/dataset/" + rng.choice(names["dataset"]), {}

    def commitment_page(rng: random.Random, n: int) -> Request:
        return "GET", url + "/commitment/" + rng.choice(names["commitment"]), {}

    def stats_action(rng: random.Random, n: int) -> Request:
        return "GET", api + "transparency_statistics", {}

    def stats_page(rng: random.Random, n: int) -> Request:
        return "GET", url + "/statistics", {}

    def submit(rng: random.Random, n: int) -> Request:
        data = catalog.record("ati-request", 10**6 + n, rng, "portal")
        data.pop("path")
        token = target.tokens["citizens"][n % len(target.tokens["citizens"])]
        return "POST", api + "transparency_ati_request_submit", {"json": data, "headers": {"Authorization": token}}

    ops = {SEARCH: search, SEARCH + SOLR: search_solr, BY_TYPE: by_type, BY_TYPE + SOLR: by_type_solr,
           "package_show": show, CREATE: create, "home page": home, "dataset page": dataset_page}
    if target.flavour == "portal":
        ops.update({"commitment page": commitment_page, "statistics action": stats_action,
                    "statistics page": stats_page, SUBMIT: submit})
    return ops


@dataclasses.dataclass
class Tally:
    latencies: list[float] = dataclasses.field(default_factory=list)
    statuses: dict[str, int] = dataclasses.field(default_factory=dict)
    errors: list[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0  # wall time of the measured slices

    def figures(self, clients: int) -> dict[str, Any]:
        return dict(percentiles(self.latencies), requests=len(self.latencies), clients=clients, seconds=self.seconds,
                    per_second=len(self.latencies) / self.seconds, statuses=dict(sorted(self.statuses.items())),
                    errors=self.errors)


def run_slice(planned: list[Request], clients: int, tally: Tally) -> None:
    """Sends ``planned`` with ``clients`` threads, each with its own connection."""
    queue, lock = iter(planned), threading.Lock()

    def client() -> None:
        session = requests.Session()
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            method, url, kwargs = item
            status, seconds, response = timed(session, method, url, **kwargs)
            with lock:
                tally.latencies.append(seconds)
                tally.statuses[str(status)] = tally.statuses.get(str(status), 0) + 1
                if status != 200 and len(tally.errors) < 3:
                    tally.errors.append(f"{status} {url}: {response.text[:200] if response is not None else ''}")

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.seconds += time.monotonic() - began


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plain", nargs=3, metavar=("URL", "SOLR_CORE_URL", "TOKENS"), required=True)
    parser.add_argument("--portal", nargs=3, metavar=("URL", "SOLR_CORE_URL", "TOKENS"), required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    targets = []
    for flavour in ("plain", "portal"):
        url, solr, tokens = getattr(args, flavour)
        with open(tokens, encoding="utf-8") as f:
            targets.append(Target(flavour, url, solr, json.load(f)))
    ops = {t.flavour: operations(t, args.size) for t in targets}

    results: dict[str, Any] = {"size": args.size, "warmup": args.warmup, "rounds": args.rounds,
                               "load_before": os.getloadavg(), "load": {}, "operations": {"plain": {}, "portal": {}}}
    began = time.monotonic()
    for index, name in enumerate(ops["portal"]):
        # Writes commit to Solr each time (CKAN's default) and take seconds: a quarter as many.
        count = max(10, args.requests // 4) if name in WRITES else args.requests
        results["load"][name] = os.getloadavg()[0]
        here = [t for t in targets if name in ops[t.flavour]]
        planned, tallies = {}, {}
        for target in here:  # the same seed: the same requests for both
            rng = random.Random(catalog.SEED + index)
            planned[target.flavour] = [ops[target.flavour][name](rng, n) for n in range(args.warmup + count)]
            tallies[target.flavour] = Tally()
            run_slice(planned[target.flavour][:args.warmup], args.clients, Tally())
        bounds = [args.warmup + count * r // args.rounds for r in range(args.rounds + 1)]
        for r in range(args.rounds):
            for target in (here if r % 2 == 0 else here[::-1]):
                run_slice(planned[target.flavour][bounds[r]:bounds[r + 1]], args.clients, tallies[target.flavour])
        for target in here:
            figures = tallies[target.flavour].figures(args.clients)
            results["operations"][target.flavour][name] = figures
            print(f"  {args.size} {target.flavour:6} {name:50} p50 {figures['p50']:7.1f} ms  "
                  f"p95 {figures['p95']:7.1f} ms  {figures['per_second']:6.1f}/s"
                  + ("" if figures["statuses"] == {"200": count} else f"  statuses {figures['statuses']}"),
                  flush=True)
            for error in figures["errors"]:
                print(f"    {error}")
    results["load_after"] = os.getloadavg()
    results["seconds"] = time.monotonic() - began
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
