"""Times the statistics (action and page) over a large number of requests for
information: the figures must come from a fixed number of facet and SQL queries,
so that their cost does not grow with the number of requests.

Fills a database and a Solr core of its own with N public requests (rows in
package / package_extra, and the Solr documents with the fields the statistics
query), a few thousand contributions, then measures the action and the page
through gunicorn. Not a test: it prints a table and writes it to bench/results/.

Run by bench/statistics; arguments: --url, --solr, --db, --requests, --repeat.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import sys
import time
import uuid

import requests
import sqlalchemy as sa

import client

STATES = [("received", None), ("in-progress", None), ("clarification", None), ("answered", "answered"),
          ("partly-answered", "partly-answered"), ("refused", "refused"), ("not-held", "not-held"),
          ("withdrawn", None), ("complaint-head", "refused"), ("cdai-decided", "refused")]
GROUNDS = ["private-life", "national-defence", "deliberations", "investigations", "competition"]
ORGS = 40


def progress(label: str, done: int, total: int) -> None:
    width = 30
    filled = width * done // total
    sys.stderr.write(f"\r  {label:<28} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")


def load(engine: sa.Engine, solr: str, site_id: str, count: int, seed: int) -> None:
    rng = random.Random(seed)
    with engine.begin() as db:
        db.execute(sa.text("DELETE FROM transparency_contribution"))
        db.execute(sa.text("DELETE FROM package_extra WHERE package_id IN (SELECT id FROM package WHERE name LIKE 'bench-%')"))
        db.execute(sa.text("DELETE FROM package WHERE name LIKE 'bench-%'"))
        db.execute(sa.text("DELETE FROM \"group\" WHERE name LIKE 'bench-org-%'"))
        orgs = [(str(uuid.UUID(int=rng.getrandbits(128))), f"bench-org-{i:02d}") for i in range(ORGS)]
        db.execute(sa.text("INSERT INTO \"group\" (id, name, title, type, is_organization, state, approval_status,"
                           " created) VALUES (:id, :name, :title, 'organization', true, 'active', 'approved', now())"),
                   [{"id": i, "name": n, "title": f"Institution {n[-2:]}"} for i, n in orgs])
        consultation = str(uuid.uuid4())
        db.execute(sa.text("INSERT INTO package (id, name, title, type, owner_org, state, private, metadata_modified)"
                           " VALUES (:id, 'bench-consultation', 'Consultation', 'consultation', :org, 'active', false, now())"),
                   {"id": consultation, "org": orgs[0][0]})
        user = db.execute(sa.text("SELECT id FROM \"user\" LIMIT 1")).scalar()
        db.execute(sa.text("INSERT INTO transparency_contribution (package_id, user_id, text, state, answer_kind,"
                           " show_name, created) VALUES (:p, :u, 'x', :s, :a, false, now())"),
                   [{"p": consultation, "u": user, "s": rng.choice(["pending", "published", "rejected"]),
                     "a": rng.choice([None, "taken"])} for _ in range(5000)])
    requests.post(f"{solr}/update?commit=true", json={"delete": {"query": "name:bench-*"}}, timeout=120).raise_for_status()
    today = datetime.date.today()
    batch, docs, rows, extras = 5000, [], [], []
    for n in range(count):
        pid, (org_id, org_name) = str(uuid.UUID(int=rng.getrandbits(128))), rng.choice(orgs)
        received = today - datetime.timedelta(days=rng.randrange(0, 3 * 365))
        due = received + datetime.timedelta(days=28)
        state, outcome = rng.choice(STATES)
        days = rng.randrange(0, 41) if outcome else None
        answered = received + datetime.timedelta(days=days * 7 // 5) if outcome else None
        fields = {"tracking_number": f"DAI-{received.year}-{n:06d}", "ati_state": state,
                  "received_date": received.isoformat(), "due_date": due.isoformat(), "delivery": "email",
                  "urgent": "no", "extended": "no", "transferred": rng.choice(["no"] * 19 + ["yes"])}
        if outcome:
            fields.update(outcome=outcome, answered_date=answered.isoformat(), answer_working_days=str(days),
                          refusal_ground=rng.choice(GROUNDS) if outcome in ("refused", "partly-answered") else "")
        rows.append({"id": pid, "name": f"bench-{n:06d}", "org": org_id})
        extras.extend({"id": str(uuid.uuid4()), "p": pid, "k": k, "v": v} for k, v in fields.items())
        doc = {"id": pid, "index_id": pid, "site_id": site_id, "entity_type": "package", "dataset_type": "ati-request",
               "type": "ati-request", "name": f"bench-{n:06d}", "title": f"Demande {n}", "state": "active",
               "capacity": "public", "permission_labels": ["public"], "owner_org": org_id,
               "organization": org_name, "metadata_modified": f"{today.isoformat()}T00:00:00Z",
               "received_month": received.isoformat()[:7],
               "overdue": "yes" if state in ("received", "in-progress", "clarification") and due < today else "no"}
        for key, value in fields.items():
            doc[key] = f"{value}T00:00:00Z" if key.endswith("_date") and value else value
        if answered:
            doc["on_time"] = "yes" if answered <= due else "no"
        docs.append(doc)
        if len(docs) == batch or n == count - 1:
            with engine.begin() as db:
                db.execute(sa.text("INSERT INTO package (id, name, title, type, owner_org, state, private,"
                                   " metadata_modified) VALUES (:id, :name, :name, 'ati-request', :org, 'active',"
                                   " false, now())"), rows)
                db.execute(sa.text("INSERT INTO package_extra (id, package_id, key, value, state)"
                                   " VALUES (:id, :p, :k, :v, 'active')"), extras)
            requests.post(f"{solr}/update", json=docs, timeout=300).raise_for_status()
            docs, rows, extras = [], [], []
            progress("requests (database + Solr)", n + 1, count)
    requests.post(f"{solr}/update?commit=true", json={}, timeout=300).raise_for_status()


def measure(url: str, repeat: int) -> dict[str, dict[str, float]]:
    session = requests.Session()
    targets = {"transparency_statistics (API)": f"{url}/api/3/action/transparency_statistics",
               "transparency_statistics, one institution": f"{url}/api/3/action/transparency_statistics?institution=bench-org-07",
               "/statistics (page)": f"{url}/statistics",
               "/statistics.csv": f"{url}/statistics.csv"}
    results = {}
    for name, target in targets.items():
        for _ in range(3):  # warm-up
            session.get(target, timeout=60).raise_for_status()
        times = []
        for i in range(repeat):
            status, seconds, _ = client.timed(session, "GET", target)
            if status != 200:
                raise SystemExit(f"{target} answered {status}")
            times.append(seconds)
            progress(name[:28], i + 1, repeat)
        figures = client.percentiles(times)
        results[name] = {"median_ms": round(figures["p50"], 1), "p95_ms": round(figures["p95"], 1),
                         "max_ms": round(1000 * max(times), 1)}
    received = session.get(targets["transparency_statistics (API)"], timeout=60).json()["result"]["requests"]["received"]
    results["_checked"] = {"received": received}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--solr", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--site-id", default="default")
    parser.add_argument("--requests", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--load", action="store_true", help="(re)load the requests first")
    args = parser.parse_args()
    if args.load:
        started = time.perf_counter()
        load(sa.create_engine(args.db), args.solr, args.site_id, args.requests, seed=31013)
        print(f"loaded {args.requests} requests in {time.perf_counter() - started:.0f} s")
    results = measure(args.url, args.repeat)
    checked = results.pop("_checked")
    report = {"requests": checked["received"], "repeat": args.repeat, "machine": platform.processor() or platform.machine(),
              "cores": os.cpu_count(), "load_average": os.getloadavg()[0],
              "date": datetime.datetime.now().isoformat(timespec="seconds"), "results": results}
    lines = [f"Statistics with {checked['received']} public requests ({args.repeat} calls each after 3 warm-up calls;"
             f" {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})", "",
             "| operation | median ms | p95 ms | max ms |", "|---|---|---|---|"]
    lines += [f"| {name} | {r['median_ms']} | {r['p95_ms']} | {r['max_ms']} |" for name, r in results.items()]
    print("\n".join(lines))
    out = os.path.join(os.path.dirname(__file__), "results")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "statistics.json"), "w") as f:
        json.dump(report, f, indent=1)
    with open(os.path.join(out, "statistics.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
