"""Times package_search and the search page before and after the portal's Arabic and French search.

Run by bench/search: "before" is CKAN's stock chain (CKAN's schema.xml in the
core given by --stock, dismax over CKAN's query fields: what package_search does
when the caller names its parser), "after" the portal's (its configset, edismax
over the search_* fields) as the API answers; and the search page, whole, read
both ways (with the portal's, the query that fetches the results' snippets).
Same catalog, same process, same queries (tests/data/relevance.yaml, as the
search page sends them: 20 rows and its facets). Writes bench/results/search.md
and search.json. Timings, not a test.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import logging.config
import os
import statistics
import sys
import time

import yaml
from bs4 import BeautifulSoup
from werkzeug.test import Client

from report import machine

HERE = os.path.dirname(os.path.abspath(__file__))
FACETS = ["organization", "groups", "tags", "res_format", "license_id"]
BASELINE = {"after": "before", "after, search page with snippets": "before, search page"}


@contextlib.contextmanager
def stock_reading(stock: bool):
    """The search page as it was before the portal's search: CKAN reads the words
    (dismax over its own fields, no snippets)."""
    from ckanext.transparency import textsearch

    portal = textsearch.query_params
    if stock:
        textsearch.query_params = lambda search_params: search_params
    try:
        yield
    finally:
        textsearch.query_params = portal


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ini", required=True)
    parser.add_argument("--stock", required=True, help="URL of the core with CKAN's stock schema")
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the queries, after one warm-up pass")
    args = parser.parse_args()

    from ckan.cli import CKANConfigLoader
    from ckan.config.middleware import make_app
    import ckan.plugins.toolkit as tk
    from ckan.lib import search
    from ckan.lib.search.common import SolrSettings

    logging.config.fileConfig(args.ini, disable_existing_loggers=False)
    app = make_app(CKANConfigLoader(args.ini).get_config())
    queries = [q["q"] for q in yaml.safe_load(open(os.path.join(HERE, "..", "tests", "data", "relevance.yaml"),
                                                    encoding="utf-8"))["queries"]]
    portal_url = tk.config["solr_url"]
    # (core, parameters of package_search, or None: the search page /dataset/?q=, whole)
    chains = {"before": (args.stock, {"defType": "dismax"}),
              "after": (portal_url, {}),
              "before, search page": (args.stock, None),
              "after, search page with snippets": (portal_url, None)}
    client = Client(app)  # the whole application, its middlewares included
    with app._wsgi_app.test_request_context():
        search_action = tk.get_action("package_search")
        SolrSettings.init(portal_url)
        indexed = search_action({"ignore_auth": True}, {"rows": 0, "include_private": True})["count"]
        SolrSettings.init(args.stock)
        if search_action({"ignore_auth": True}, {"rows": 0, "include_private": True})["count"] != indexed:
            print(f"  indexing the catalog in {args.stock} (once)")
            search.rebuild(quiet=True)
            search.commit()
    # The chains take turns query by query (in a rotating order), so that a load
    # from elsewhere on a shared machine weighs on each of them alike.
    times: dict[str, list[float]] = {name: [] for name in chains}
    found: dict[str, list[int]] = {name: [] for name in chains}
    counts: dict[str, dict[str, int]] = {name: {} for name in chains}  # results of each query, per chain
    names = list(chains)
    for n in range(args.repeat + 1):
        for i, q in enumerate(queries):
            for name in names[i % len(names):] + names[:i % len(names)]:
                url, extra = chains[name]
                SolrSettings.init(url)
                if extra is None:
                    with stock_reading(name.startswith("before")):
                        start = time.perf_counter()
                        response = client.get("/dataset/", query_string={"q": q})
                        elapsed = time.perf_counter() - start
                    assert response.status_code == 200, (name, q, response.status_code)
                    shown = len(BeautifulSoup(response.text, "html.parser").select(".dataset-item"))
                else:
                    with app._wsgi_app.test_request_context("/api/3/action/package_search"):
                        start = time.perf_counter()
                        result = search_action({"user": ""}, dict(extra, q=q, rows=20, **{"facet.field": FACETS}))
                        elapsed = time.perf_counter() - start
                    shown = len(result["results"])
                if n:  # the first pass warms the caches
                    times[name].append(elapsed * 1000)
                    found[name].append(shown)
                counts[name][q] = shown
    figures = {}
    for name in chains:
        ms = sorted(times[name])
        figures[name] = {"p50": round(statistics.median(ms), 1), "p95": round(ms[int(len(ms) * 0.95)], 1),
                         "mean": round(statistics.fmean(ms), 1), "searches": len(ms),
                         "results_per_search": round(statistics.fmean(found[name]), 1)}
        print(f"  {name}: {figures[name]}")
    # Each of the portal's chains beside the stock one it replaces, over all the queries and
    # over the same work: the queries both answer with as many records, at least one (a search
    # that finds 20 records sends, reads and shows 20 records, whatever the chain).
    over_before = {}
    for name, before in BASELINE.items():
        same = [q for q in queries if counts[name][q] == counts[before][q] > 0]
        for chain in (name, before):
            ms = [t for t, q in zip(times[chain], queries * args.repeat) if q in same]
            figures[chain]["p50_same_results"] = round(statistics.median(ms), 1) if ms else None
            figures[chain]["same_results_queries"] = len(same)
        over_before[name] = {k: round(figures[name][k] / figures[before][k], 2)
                             for k in ("p50", "p95", "mean", "p50_same_results") if figures[before][k]}
    result = {"size": args.size, "records_indexed": indexed, "queries": len(queries), "repeat": args.repeat,
              "machine": machine(), "load_average": os.getloadavg()[0], "figures": figures,
              "over_before": over_before}
    with open(os.path.join(HERE, "results", "search.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
    rows = "".join(f"| {name} | {f['p50']} | {f['p95']} | {f['mean']} | {f['results_per_search']} | "
                   f"{over_before.get(name, {}).get('p50', '')} | {f['p50_same_results']} "
                   f"({f['same_results_queries']} queries) | {over_before.get(name, {}).get('p50_same_results', '')} |\n"
                   for name, f in figures.items())
    with open(os.path.join(HERE, "results", "search.md"), "w", encoding="utf-8") as f:
        f.write(f"# Search latency, CKAN's stock chain and the portal's Arabic and French search\n\n"
                f"`bench/search --size {args.size} --repeat {args.repeat}`: package_search in process, "
                f"{len(queries)} queries of tests/data/relevance.yaml x {args.repeat} passes (after one warm-up pass; "
                f"the chains take turns query by query), "
                f"20 rows and the search page's facets, over {indexed} records (bench/catalog.py, portal flavour). "
                f"before: CKAN's schema.xml, dismax over CKAN's fields; after: the portal's configset, edismax "
                f"(as the API answers); search page: GET /dataset/?q= in process, whole (the query, the snippets' "
                f"highlighting query for the portal, the facets, the page rendered).\n\n"
                f"| chain | p50 ms | p95 ms | mean ms | results per search | p50 / before "
                f"| p50 ms, same results | p50 / before, same results |\n|---|---|---|---|---|---|---|---|\n"
                f"{rows}\n\"/ before\": beside the stock chain of the same kind (API, page). \"Same results\": "
                f"over the queries both answer with as many records, at least one (a search that finds 20 records sends, reads "
                f"and shows 20 records whatever the chain; the stock chain finds fewer). The search page lists "
                f"datasets only, the API every type.\n\nMachine: {result['machine']['cpu']}, {result['machine']['cores']} cores, "
                f"load average {result['load_average']:.1f} (shared).\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
