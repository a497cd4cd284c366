"""Profiles one request of the benchmark in process: where the time goes (cProfile)
and which SQL statements it sends, to find why the portal is slower than plain CKAN.

    .venv/bin/python bench/hotspots.py --ini .stack/bench/bench_portal_1000.ini /dataset/bench-000003
    .venv/bin/python bench/hotspots.py --ini ... --times 20 --top 30 "/api/3/action/package_search?q=budget"

Run bench/run first: it writes the ini files and loads the catalogs.
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import logging.config
import pstats
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ini", required=True)
    parser.add_argument("--times", type=int, default=10, help="requests profiled (after 3 of warm-up)")
    parser.add_argument("--top", type=int, default=25, help="functions shown, by cumulative time")
    parser.add_argument("--sql", type=int, default=10, help="most frequent SQL statements shown")
    parser.add_argument("path")
    args = parser.parse_args()

    from ckan.cli import CKANConfigLoader
    from ckan.config.middleware import make_app
    from ckan import model
    from sqlalchemy import event
    from werkzeug.test import Client

    logging.config.fileConfig(args.ini, disable_existing_loggers=False)
    app = make_app(CKANConfigLoader(args.ini).get_config())
    client = Client(app)  # the whole WSGI stack, middleware included
    for _ in range(3):
        status = client.get(args.path).status_code
    statements: collections.Counter[str] = collections.Counter()

    @event.listens_for(model.meta.engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        statements[" ".join(statement.split())[:160]] += 1

    profiler = cProfile.Profile()
    began = time.monotonic()
    profiler.enable()
    for _ in range(args.times):
        status = client.get(args.path).status_code
    profiler.disable()
    elapsed = (time.monotonic() - began) / args.times
    print(f"{args.path}: status {status}, {elapsed * 1000:.0f} ms per request (profiled), "
          f"{sum(statements.values()) / args.times:.0f} SQL statements per request")
    for statement, n in statements.most_common(args.sql):
        print(f"  {n / args.times:6.1f} x  {statement}")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
