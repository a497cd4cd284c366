"""The load client of bench/load: browsing and submitting clients in threads,
bounded in time; prints status counts, latency percentiles and throughput, and
checks that every acknowledged submission is found by its tracking number."""
from __future__ import annotations

import argparse
import collections
import itertools
import random
import sys
import threading
import time

import requests

from client import percentiles, timed

PAGES = ["/", "/ar/", "/dataset/", "/commitment/", "/commitment/mo0006", "/commitment/?vocab_policy_areas=open-data",
         "/ati-request/", "/consultation/", "/publication/", "/statistics", "/dataset/regions-du-maroc",
         "/api/3/action/package_search?q=transparence&rows=20", "/api/3/action/package_search?fq=type:commitment",
         "/consultation/charte-services-publics", "/ar/commitment/"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--tokens", nargs="+", required=True)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--browsers", type=int, default=50)
    parser.add_argument("--submitters", type=int, default=5)
    args = parser.parse_args()

    lock = threading.Lock()
    results: list[tuple[str, int, float]] = []  # (kind, status, seconds)
    acknowledged: list[str] = []
    deadline = time.monotonic() + args.duration
    counter = itertools.count(1)

    def record(kind: str, status: int, seconds: float) -> None:
        with lock:
            results.append((kind, status, seconds))

    def browse(seed: int) -> None:
        rng, session = random.Random(seed), requests.Session()
        while time.monotonic() < deadline:
            status, seconds, _ = timed(session, "GET", args.url + rng.choice(PAGES), timeout=30)
            record("browse", status, seconds)

    def submit(token: str) -> None:
        session = requests.Session()
        while time.monotonic() < deadline:
            n = next(counter)
            status, seconds, response = timed(
                session, "POST", args.url + "/api/3/action/transparency_ati_request_submit", timeout=30,
                headers={"Authorization": token}, json={
                    "owner_org": "mrafp", "title": f"Demande de charge n° {n}",
                    "notes": "Le nombre de dossiers traités en 2025.", "delivery": "email",
                    "full_name": "Client de charge", "id_number": f"LT{n:06d}",
                    "address": "1 rue du Test, Rabat", "email": f"load{n}@load.test"})
            if status == 200:
                with lock:
                    acknowledged.append(response.json()["result"]["tracking_number"])
            record("submit", status, seconds)

    threads = [threading.Thread(target=browse, args=(i,)) for i in range(args.browsers)]
    threads += [threading.Thread(target=submit, args=(args.tokens[i % len(args.tokens)],))
                for i in range(args.submitters)]
    print(f"{args.browsers} browsing and {args.submitters} submitting clients for {args.duration:.0f} s "
          f"against {args.url}", flush=True)
    began = time.monotonic()
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        time.sleep(10)
        print(f"  {time.monotonic() - began:5.0f} s: {len(results)} responses", flush=True)
    elapsed = time.monotonic() - began

    missing = [number for number in acknowledged
               if requests.get(args.url + "/api/3/action/package_show", params={"id": number.lower()},
                               timeout=30).status_code != 200]
    print(f"\n{len(results)} responses in {elapsed:.0f} s: {len(results) / elapsed:.1f} per second")
    for kind in ("browse", "submit"):
        rows = [r for r in results if r[0] == kind]
        if not rows:
            continue
        q = percentiles([r[2] for r in rows])
        statuses = collections.Counter(r[1] for r in rows)
        print(f"{kind:7} {len(rows):6} responses  statuses {dict(sorted(statuses.items()))}  "
              f"p50 {q['p50']:.0f} ms  p95 {q['p95']:.0f} ms  p99 {q['p99']:.0f} ms")
    errors = sum(1 for r in results if r[1] >= 500 or r[1] == 0)
    print(f"server errors or failed connections: {errors}")
    print(f"submissions acknowledged: {len(acknowledged)}, found afterwards: {len(acknowledged) - len(missing)}")
    return 1 if errors or missing else 0


if __name__ == "__main__":
    sys.exit(main())
