"""The load client of bench/load: anonymous and signed-in browsing clients and
submitting clients in threads, bounded in time; prints status counts, latency
percentiles and throughput, and checks that every acknowledged submission is
found by its tracking number. With --bare-url, then measures the throughput of
anonymous pages through the front and straight from gunicorn, one after the other."""
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
SIGNED_IN_PAGES = ["/", "/ati-request/mine", "/dataset/", "/ati-request/", "/statistics", "/ar/"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--tokens", nargs="+", required=True)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--browsers", type=int, default=50)
    parser.add_argument("--submitters", type=int, default=5)
    parser.add_argument("--signed-in", type=int, default=0, help="clients browsing with a user's token")
    parser.add_argument("--bare-url", help="gunicorn behind the front: compare anonymous page throughput")
    parser.add_argument("--throughput-seconds", type=float, default=30)
    parser.add_argument("--throughput-clients", type=int, default=20)
    args = parser.parse_args()

    lock = threading.Lock()
    results: list[tuple[str, int, float]] = []  # (kind, status, seconds)
    acknowledged: list[str] = []
    deadline = time.monotonic() + args.duration
    counter = itertools.count(1)

    def record(kind: str, status: int, seconds: float) -> None:
        with lock:
            results.append((kind, status, seconds))

    def browse(seed: int, token: str | None = None) -> None:
        rng, session = random.Random(seed), requests.Session()
        if token:
            session.headers["Authorization"] = token
        kind, pages = ("signed-in", SIGNED_IN_PAGES) if token else ("browse", PAGES)
        while time.monotonic() < deadline:
            status, seconds, _ = timed(session, "GET", args.url + rng.choice(pages), timeout=30)
            record(kind, status, seconds)

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
    threads += [threading.Thread(target=browse, args=(1000 + i, args.tokens[i % len(args.tokens)]))
                for i in range(args.signed_in)]
    print(f"{args.browsers} anonymous, {args.signed_in} signed-in browsing and {args.submitters} submitting "
          f"clients for {args.duration:.0f} s against {args.url}", flush=True)
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
    for kind in ("browse", "signed-in", "submit"):
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
    if args.bare_url:
        rates = {name: throughput(url, args.throughput_clients, args.throughput_seconds)
                 for name, url in (("front (nginx)", args.url), ("bare gunicorn", args.bare_url))}
        for name, (rate, statuses) in rates.items():
            print(f"anonymous pages, {args.throughput_clients} clients, {args.throughput_seconds:.0f} s, {name}: "
                  f"{rate:.1f} per second  statuses {dict(sorted(statuses.items()))}")
        print(f"front / bare gunicorn: {rates['front (nginx)'][0] / rates['bare gunicorn'][0]:.1f}x")
    return 1 if errors or missing else 0


def throughput(url: str, clients: int, seconds: float) -> tuple[float, collections.Counter]:
    """Anonymous pages answered per second by ``url`` with ``clients`` clients (the same pages, in turn)."""
    statuses: collections.Counter = collections.Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        session = requests.Session()
        for path in itertools.cycle(PAGES[offset:] + PAGES[:offset]):
            if time.monotonic() >= deadline:
                return
            status, _, _ = timed(session, "GET", url + path, timeout=30)
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=client, args=(i % len(PAGES),)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(statuses.values()) / seconds, statuses


if __name__ == "__main__":
    sys.exit(main())
