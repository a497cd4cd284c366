"""Where a write spends its time, and what not waiting for Solr's commit saves:
times ``package_create`` and a request submission through the whole WSGI stack
(in process), first with a hard Solr commit per write (``ckan.search.solr_commit
= true``, CKAN's default), then without (Solr's autoSoftCommit, 0.5 s, makes the
record searchable), checking after each write how long it takes to be found by
``package_search``. Prints a Markdown report (bench/results/writes.md).

    .venv/bin/python bench/writes.py --ini .stack/portal.ini --writes 30 --org mrafp
"""
from __future__ import annotations

import argparse
import cProfile
import logging.config
import pstats
import statistics
import sys
import time
import uuid


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ini", required=True)
    parser.add_argument("--writes", type=int, default=30, help="writes of each kind in each mode")
    parser.add_argument("--org", default="mrafp", help="the institution the records belong to")
    args = parser.parse_args()

    from ckan.cli import CKANConfigLoader
    from ckan.common import config
    from ckan.config.middleware import make_app
    from ckan.lib.search import query_for
    from ckan import model
    from werkzeug.test import Client

    logging.config.fileConfig(args.ini, disable_existing_loggers=False)
    app = make_app(CKANConfigLoader(args.ini).get_config())
    client = Client(app)
    config["ckanext.transparency.ati.daily_limit"] = config["ckanext.transparency.ati.daily_limit_per_address"] = 10**6
    with app._wsgi_app.test_request_context():
        from ckan.plugins import toolkit as tk
        admin = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        run = uuid.uuid4().hex[:6]
        tk.get_action("user_create")({"ignore_auth": True}, {
            "name": f"bench-writer-{run}", "email": f"writer-{run}@bench.test", "password": "Bench-writer-2026"})
        tokens = {who: tk.get_action("api_token_create")({"user": admin, "ignore_auth": True},
                                                         {"user": who, "name": "bench-writes"})["token"]
                  for who in (admin, f"bench-writer-{run}")}
        model.Session.remove()
    citizen = f"bench-writer-{run}"

    def dataset(n: int) -> tuple[str, dict]:
        return admin, {"type": "dataset", "name": f"bench-write-{run}-{n}", "title": f"Données de charge {n}",
                       "owner_org": args.org, "theme": "GOVE", "notes": "Un jeu de données du banc d'essai."}

    def request(n: int) -> tuple[str, dict]:
        return citizen, {"owner_org": args.org, "title": f"Demande du banc d'essai {n}",
                         "notes": "Le nombre de dossiers traités.", "delivery": "email",
                         "full_name": "Banc d'essai", "id_number": f"BE{n:06d}", "address": "1 rue du Test, Rabat",
                         "email": f"bench{n}@bench.test"}

    def write(action: str, who: str, data: dict) -> tuple[float, float]:
        """(seconds to answer, seconds until package_search finds it)."""
        began = time.perf_counter()
        response = client.post(f"/api/3/action/{action}", json=data, headers={"Authorization": tokens[who]})
        answered = time.perf_counter()
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        package_id = response.json["result"]["id"]
        while not query_for(model.Package).run({"fq": f"+id:{package_id}", "rows": 0})["count"]:
            time.sleep(0.01)
            assert time.perf_counter() - answered < 30, "never found"
        return answered - began, time.perf_counter() - answered

    kinds = {"package_create": ("package_create", dataset),
             "submission": ("transparency_ati_request_submit", request)}
    rows, counter = [], iter(range(10**6))
    for commit in (True, False):
        config["ckan.search.solr_commit"] = commit
        for label, (action, make) in kinds.items():
            write(action, *make(next(counter)))  # warm-up
            times = [write(action, *make(next(counter))) for _ in range(args.writes)]
            answer, found = [t for t, _ in times], [f for _, f in times]
            rows.append((label, "hard commit per write" if commit else "autoSoftCommit (0.5 s)",
                         statistics.median(answer), sorted(answer)[int(0.95 * (len(answer) - 1))],
                         statistics.median(found), max(found)))
        if commit:  # where one submission spends its time with the hard commit
            profile = cProfile.Profile()
            profile.enable()
            write("transparency_ati_request_submit", *request(next(counter)))
            profile.disable()
            stats = pstats.Stats(profile)
    print(f"# Writes: {args.writes} of each kind per mode, in process, {time.strftime('%Y-%m-%d %H:%M')}\n")
    print("| write | Solr | answer p50 (ms) | answer p95 (ms) | found after, p50 (ms) | found after, max (ms) |")
    print("|---|---|---|---|---|---|")
    for label, mode, p50, p95, found50, found_max in rows:
        print(f"| {label} | {mode} | {p50 * 1000:.0f} | {p95 * 1000:.0f} | {found50 * 1000:.0f} | {found_max * 1000:.0f} |")
    print("\nWhere one submission with the hard commit spends its time (cProfile, cumulative):\n")
    print("| part | ms |\n|---|---|")
    for part, ms in where(stats).items():
        print(f"| {part} | {ms:.0f} |")
    return 0


# What a write does, by the functions that do it (file fragment, function name).
PARTS = {
    "whole request": ("werkzeug/test.py", "run_wsgi_app"),
    "Solr: add (and commit)": ("pysolr.py", "add"),
    "Solr: ping before indexing (indexing.guard)": ("transparency/indexing.py", "solr_answers"),
    "PostgreSQL: statements": ("sqlalchemy/engine/base.py", "_execute_context"),
    "session commits (CKAN indexes in them)": ("sqlalchemy/orm/session.py", "commit"),
    "validation (navl)": ("ckan/lib/navl/dictization_functions.py", "validate"),
    "e-mail queued (outbox + job)": ("transparency/mail.py", "queue"),
    "job enqueued (Redis)": ("ckan/lib/jobs.py", "enqueue"),
}


def where(stats: "pstats.Stats") -> dict[str, float]:
    """Cumulative milliseconds of each part (outermost calls only, so recursion is not counted twice)."""
    found = {}
    for part, (fragment, name) in PARTS.items():
        found[part] = 1000 * sum(ct for (file, _, func), (_, _, _, ct, callers) in stats.stats.items()
                                 if file.endswith(fragment) and func == name
                                 and not any(c[0].endswith(fragment) and c[2] == name for c in callers))
    return found


if __name__ == "__main__":
    sys.exit(main())
