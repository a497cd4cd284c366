"""Turns the raw figures of bench/workload.py into the benchmark's tables:
bench/results/results.md and results.json.

Per size and operation: median and 95th percentile latency and requests per second
of plain CKAN and of the portal, the ratio portal / plain (medians), and for the
searches the ratio CKAN / Solr queried directly; then the growth of each median
from the smallest size to the largest.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from typing import Any

from workload import SOLR


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in open("/proc/meminfo", encoding="utf-8")
                  if line.startswith("MemTotal"))
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory / 1024**2, 1),
            "os": platform.platform(), "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()}


def versions(args: argparse.Namespace) -> dict[str, str]:
    packages = ["ckan", "ckanext-scheming", "ckanext-dcat", "ckanext-fair3r-pages", "gunicorn"]
    return dict({p: metadata.version(p) for p in packages}, python=platform.python_version(), solr="9.10.1",
                postgresql=args.postgres, redis=args.redis)


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def tables(raws: list[dict[str, Any]]) -> tuple[dict[int, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Rows per size, and the growth rows (largest size / smallest) per operation and flavour."""
    by_size = {r["size"]: r["operations"] for r in sorted(raws, key=lambda r: r["size"])}
    rows: dict[int, list[dict[str, Any]]] = {}
    for size, by_flavour in by_size.items():
        rows[size] = []
        for name in by_flavour["portal"]:
            if name.endswith(SOLR):
                continue
            row: dict[str, Any] = {"operation": name}
            for flavour, ops in by_flavour.items():
                if name in ops:
                    op = ops[name]
                    row[flavour] = {k: round(op[k], 1) for k in ("p50", "p95", "per_second")}
                    row[flavour]["statuses"] = op["statuses"]
                    if name + SOLR in ops:
                        row[flavour]["solr_p50"] = round(ops[name + SOLR]["p50"], 1)
                        row[flavour]["ckan_over_solr"] = ratio(op["p50"], ops[name + SOLR]["p50"])
            row["portal_over_plain"] = ratio(row.get("portal", {}).get("p50"), row.get("plain", {}).get("p50"))
            rows[size].append(row)
    growth = []
    sizes = list(rows)
    if len(sizes) > 1:
        for row in rows[sizes[-1]]:
            before = next((r for r in rows[sizes[0]] if r["operation"] == row["operation"]), {})
            growth.append({"operation": row["operation"], **{
                flavour: ratio(row.get(flavour, {}).get("p50"), before.get(flavour, {}).get("p50"))
                for flavour in ("plain", "portal")}})
    return rows, growth


def cell(figures: dict[str, Any] | None, key: str, fmt: str = "{:.0f}") -> str:
    value = (figures or {}).get(key)
    return fmt.format(value) if value is not None else "–"


def markdown(report: dict[str, Any]) -> str:
    m, v = report["machine"], report["versions"]
    lines = [
        "# Benchmark: the portal against plain CKAN", "",
        f"Run {report['date']} with `{report['command']}` ({report['minutes']} min).", "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['os']}",
        f"- Load: {m['uptime']} (at the end; per measurement below). The machine may be shared: "
        "compare ratios rather than absolute times.",
        "- Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()),
        f"- CKAN under gunicorn, {report['workers']} workers; {report['clients']} concurrent clients, "
        f"{report['warmup']} warm-up then {report['requests']} requests per operation (writes: a quarter, as "
        f"each commits to Solr), in {report['rounds']} slices alternating plain and portal; latencies in ms "
        "(p50 = median, p95 = 95th percentile), req/s = requests / wall time.",
        "- plain: `ckan.plugins = activity scheming_datasets` with `ckanext.scheming:ckan_dataset.yaml`, "
        "every record a dataset; portal: config/portal.ini, records of every type.",
        "- portal / plain: ratio of medians; CKAN / Solr: median of package_search over the median of the "
        "same select sent to Solr directly.", ""]
    for size, rows in report["sizes"].items():
        loads = report["load"][size]
        lines += [f"## {size} records", "", f"Load average (1 min) before each operation: {min(loads):.1f} to "
                  f"{max(loads):.1f} ({report['seconds'][size] / 60:.0f} min of measurement).", "",
                  "| operation | plain p50 | plain p95 | plain req/s | portal p50 | portal p95 | portal req/s "
                  "| portal / plain | CKAN / Solr (plain, portal) |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for row in rows:
            pl, po = row.get("plain"), row.get("portal")
            solr = " / ".join(cell(f, "ckan_over_solr", "{:.1f}") for f in (pl, po)) if (pl or po or {}).get(
                "ckan_over_solr") else ""
            failed = [f"{flavour}: {figures['statuses']}" for flavour, figures in (("plain", pl), ("portal", po))
                      if figures and set(figures["statuses"]) != {"200"}]
            lines.append(f"| {row['operation']}{' (statuses ' + '; '.join(failed) + ')' if failed else ''} "
                         f"| {cell(pl, 'p50')} | {cell(pl, 'p95')} | {cell(pl, 'per_second', '{:.1f}')} "
                         f"| {cell(po, 'p50')} | {cell(po, 'p95')} | {cell(po, 'per_second', '{:.1f}')} "
                         f"| {cell(row, 'portal_over_plain', '{:.2f}')} | {solr} |")
        lines.append("")
    if report["growth"]:
        sizes = list(report["sizes"])
        lines += [f"## Growth from {sizes[0]} to {sizes[-1]} records (ratio of medians)", "",
                  "| operation | plain | portal |", "|---|---:|---:|"]
        lines += [f"| {g['operation']} | {cell(g, 'plain', '{:.2f}')} | {cell(g, 'portal', '{:.2f}')} |"
                  for g in report["growth"]]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("raw", nargs="+")
    parser.add_argument("--out", required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--minutes", type=int, required=True)
    parser.add_argument("--command", default="bench/run")
    args = parser.parse_args()
    raws = []
    for path in args.raw:
        with open(path, encoding="utf-8") as f:
            raws.append(json.load(f))
    rows, growth = tables(raws)
    first = next(iter(raws[0]["operations"]["portal"].values()))
    report = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "command": args.command, "minutes": args.minutes, "machine": machine(), "versions": versions(args),
              "workers": args.workers, "clients": first["clients"], "requests": first["requests"],
              "warmup": raws[0]["warmup"], "rounds": raws[0]["rounds"],
              "load": {r["size"]: list(r["load"].values()) for r in raws},
              "seconds": {r["size"]: r["seconds"] for r in raws},
              "sizes": rows, "growth": growth, "raw": raws}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1, ensure_ascii=False)
    text = markdown(report)
    with open(os.path.join(args.out, "results.md"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
