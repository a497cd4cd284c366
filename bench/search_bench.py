"""Times package_search before and after the portal's Arabic and French search.

Run by bench/search: "before" is CKAN's stock chain (CKAN's schema.xml in the
core given by --stock, dismax over CKAN's query fields: what package_search does
when the caller names its parser), "after" the portal's (its configset, edismax
over the search_* fields) as the API answers, and as the search page asks, with
the query that fetches the results' snippets.
Same catalog, same process, same queries (tests/data/relevance.yaml, as the
search page sends them: 20 rows and its facets). Writes bench/results/search.md
and search.json. Timings, not a test.
"""
from __future__ import annotations

import argparse
import json
import logging.config
import os
import statistics
import sys
import time

import yaml

from report import machine

HERE = os.path.dirname(os.path.abspath(__file__))
FACETS = ["organization", "groups", "tags", "res_format", "license_id"]


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
    # (core, parameters, the request searched for: the API, or the search page that also asks for snippets)
    chains = {"before": (args.stock, {"defType": "dismax"}, "/api/3/action/package_search"),
              "after": (portal_url, {}, "/api/3/action/package_search"),
              "after, page with snippets": (portal_url, {}, "/dataset/")}
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
                url, extra, path = chains[name]
                SolrSettings.init(url)
                with app._wsgi_app.test_request_context(path):
                    start = time.perf_counter()
                    result = search_action({"user": ""}, dict(extra, q=q, rows=20, **{"facet.field": FACETS}))
                    if n:  # the first pass warms the caches
                        times[name].append((time.perf_counter() - start) * 1000)
                        found[name].append(len(result["results"]))
                    counts[name][q] = len(result["results"])
    figures = {}
    for name in chains:
        ms = sorted(times[name])
        figures[name] = {"p50": round(statistics.median(ms), 1), "p95": round(ms[int(len(ms) * 0.95)], 1),
                         "mean": round(statistics.fmean(ms), 1), "searches": len(ms),
                         "results_per_search": round(statistics.fmean(found[name]), 1)}
        print(f"  {name}: {figures[name]}")
    # The same work: the queries that return as many records in both chains (a search that
    # finds 20 records sends and reads 20 records, whatever the chain).
    same = {q for q in queries if len({counts[name][q] for name in chains}) == 1}
    for name in chains:
        ms = [t for t, q in zip(times[name], queries * args.repeat) if q in same]
        figures[name]["p50_same_results"] = round(statistics.median(ms), 1) if ms else None
    before = figures["before"]
    result = {"size": args.size, "records_indexed": indexed, "queries": len(queries), "repeat": args.repeat,
              "machine": machine(), "load_average": os.getloadavg()[0], "figures": figures,
              "same_results_queries": len(same),
              "over_before": {name: {k: round(f[k] / before[k], 2) for k in ("p50", "p95", "mean", "p50_same_results")
                                     if f[k] and before[k]}
                              for name, f in figures.items() if name != "before"}}
    with open(os.path.join(HERE, "results", "search.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
    rows = "".join(f"| {name} | {f['p50']} | {f['p95']} | {f['mean']} | {f['results_per_search']} | "
                   f"{result['over_before'].get(name, {}).get('p50', '')} | {f['p50_same_results']} | "
                   f"{result['over_before'].get(name, {}).get('p50_same_results', '')} |\n"
                   for name, f in figures.items())
    with open(os.path.join(HERE, "results", "search.md"), "w", encoding="utf-8") as f:
        f.write(f"# Search latency, CKAN's stock chain and the portal's Arabic and French search\n\n"
                f"`bench/search --size {args.size} --repeat {args.repeat}`: package_search in process, "
                f"{len(queries)} queries of tests/data/relevance.yaml x {args.repeat} passes (after one warm-up pass; "
                f"the chains take turns query by query), "
                f"20 rows and the search page's facets, over {indexed} records (bench/catalog.py, portal flavour). "
                f"before: CKAN's schema.xml, dismax over CKAN's fields; after: the portal's configset, edismax "
                f"(as the API answers); page: the same and the snippets' highlighting query.\n\n"
                f"| chain | p50 ms | p95 ms | mean ms | results per search | p50 / before "
                f"| p50 ms, same results | p50 / before, same results |\n|---|---|---|---|---|---|---|---|\n"
                f"{rows}\n\"Same results\": the {len(same)} queries for which every chain returns as many records "
                f"(a search that finds 20 records sends and reads 20 records whatever the chain; the stock chain "
                f"finds fewer).\n\nMachine: {result['machine']['cpu']}, {result['machine']['cores']} cores, "
                f"load average {result['load_average']:.1f} (shared).\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
