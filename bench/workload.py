"""The benchmark's workload: the same operations, in the same order, with the same
seeded parameters, against one running CKAN (plain or portal) and, for the
searches, against its Solr core directly with the parameters CKAN sends.

    python bench/workload.py --url http://127.0.0.1:5201 --solr http://127.0.0.1:8985/solr/bench_portal_1000 \
        --flavour portal --size 1000 --tokens tokens.json --out raw-portal-1000.json

Each operation gets a fixed warm-up, then ``--requests`` requests (writes: a quarter) shared by
``--clients`` threads; it records every latency and the wall time (for requests
per second). Nothing here passes or fails: bench/report.py turns the raw figures
into tables.
"""
from __future__ import annotations

import argparse
import itertools
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


def operations(args: argparse.Namespace, tokens: dict[str, Any]) -> list[tuple[str, Callable[[random.Random, int], Request]]]:
    """(name, make a request from a seeded generator and a sequence number) for this flavour."""
    url, api = args.url, args.url + "/api/3/action/"
    kinds = catalog.plan(args.flavour, args.size)
    names = {t: [f"bench-{i:06d}" for i, k in enumerate(kinds) if k == t] for t in set(kinds)}
    shown = [f"bench-{i:06d}" for i, k in enumerate(kinds) if k != "ati-request"]
    types = PORTAL_TYPES if args.flavour == "portal" else ["dataset"]
    run = int(time.time())
    admin = {"Authorization": tokens["admin"]}

    def search(rng: random.Random, n: int) -> Request:
        return "GET", api + "package_search", {"params": {
            "q": rng.choice(catalog.SUBJECTS_FR), "facet.field": json.dumps(FACETS), "rows": 20}}

    def search_solr(rng: random.Random, n: int) -> Request:
        return "GET", args.solr + "/select", {"params": solr_params(rng.choice(catalog.SUBJECTS_FR), "", FACETS, 20)}

    def by_type(rng: random.Random, n: int) -> Request:
        return "GET", api + "package_search", {"params": {"fq": f"+dataset_type:{rng.choice(types)}", "rows": 20}}

    def by_type_solr(rng: random.Random, n: int) -> Request:
        return "GET", args.solr + "/select", {"params": solr_params("", f"+dataset_type:{rng.choice(types)}", [], 20)}

    def show(rng: random.Random, n: int) -> Request:
        return "GET", api + "package_show", {"params": {"id": rng.choice(shown)}}

    def create(rng: random.Random, n: int) -> Request:
        data = catalog.record("dataset", 10**6 + n, rng, args.flavour)
        data["name"] = f"bench-new-{run}-{n:05d}"
        return "POST", api + "package_create", {"json": data, "headers": admin}

    def home(rng: random.Random, n: int) -> Request:
        return "GET", url + "/", {}

    def dataset_page(rng: random.Random, n: int) -> Request:
        return "GET", url + "/dataset/" + rng.choice(names["dataset"]), {}

    def commitment_page(rng: random.Random, n: int) -> Request:
        return "GET", url + "/commitment/" + rng.choice(names["commitment"]), {}

    def stats_action(rng: random.Random, n: int) -> Request:
        return "GET", api + "transparency_ati_statistics", {}

    def stats_page(rng: random.Random, n: int) -> Request:
        return "GET", url + "/statistics", {}

    def submit(rng: random.Random, n: int) -> Request:
        data = catalog.record("ati-request", 10**6 + n, rng, "portal")
        data.pop("path")
        token = tokens["citizens"][n % len(tokens["citizens"])]
        return "POST", api + "transparency_ati_request_submit", {"json": data, "headers": {"Authorization": token}}

    ops = [(SEARCH, search), (SEARCH + SOLR, search_solr), (BY_TYPE, by_type), (BY_TYPE + SOLR, by_type_solr),
           ("package_show", show), (CREATE, create), ("home page", home), ("dataset page", dataset_page)]
    if args.flavour == "portal":
        ops += [("commitment page", commitment_page), ("ATI statistics action", stats_action),
                ("statistics page", stats_page), (SUBMIT, submit)]
    return ops


def measure(make: Callable[[random.Random, int], Request], seed: int, warmup: int, count: int,
            clients: int) -> dict[str, Any]:
    """Warm-up requests, then ``count`` requests by ``clients`` threads; latencies and wall time."""
    rng = random.Random(seed)
    planned = [make(rng, n) for n in range(warmup + count)]
    session = requests.Session()
    for method, url, kwargs in planned[:warmup]:
        timed(session, method, url, **kwargs)
    queue, lock = iter(planned[warmup:]), threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []

    def client() -> None:
        own = requests.Session()
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            method, url, kwargs = item
            status, seconds, response = timed(own, method, url, **kwargs)
            with lock:
                latencies.append(seconds)
                statuses[status] = statuses.get(status, 0) + 1
                if status != 200 and len(errors) < 3:
                    errors.append(f"{status} {url}: {response.text[:200] if response is not None else ''}")

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    return dict(percentiles(latencies), requests=count, clients=clients, seconds=wall, per_second=count / wall,
                statuses={str(k): v for k, v in sorted(statuses.items())}, errors=errors)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--solr", required=True)
    parser.add_argument("--flavour", choices=["plain", "portal"], required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--tokens", required=True, help="JSON file: {admin: token, citizens: [tokens]}")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.tokens, encoding="utf-8") as f:
        tokens = json.load(f)

    results: dict[str, Any] = {"flavour": args.flavour, "size": args.size, "warmup": args.warmup,
                               "load_before": os.getloadavg(),
                               "operations": {}}
    began = time.monotonic()
    for index, (name, make) in enumerate(operations(args, tokens)):
        print(f"  {args.flavour} {args.size}: {name:50} ", end="", file=sys.stderr, flush=True)
        # Writes commit to Solr each time (CKAN's default) and take seconds: a quarter as many.
        count = max(10, args.requests // 4) if name in WRITES else args.requests
        figures = measure(make, catalog.SEED + index, args.warmup, count, args.clients)
        results["operations"][name] = figures
        print(f"p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms  {figures['per_second']:6.1f}/s"
              + ("" if figures["statuses"] == {"200": count} else f"  statuses {figures['statuses']}"),
              file=sys.stderr, flush=True)
        for error in figures["errors"]:
            print(f"    {error}", file=sys.stderr)
    results["load_after"] = os.getloadavg()
    results["seconds"] = time.monotonic() - began
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
