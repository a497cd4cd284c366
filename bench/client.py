"""What the load test (bench/load.py) and the benchmark (bench/workload.py) share:
one timed HTTP call and the percentiles of a list of latencies."""
from __future__ import annotations

import statistics
import time
from typing import Any

import requests


def timed(session: requests.Session, method: str, url: str, **kwargs: Any) -> tuple[int, float, Any]:
    """Sends one request; returns (status, seconds, response). Status 0 when the
    connection failed (response None)."""
    kwargs.setdefault("timeout", 60)
    start = time.monotonic()
    try:
        response = session.request(method, url, **kwargs)
        response.content  # the whole body is part of the latency
    except requests.RequestException:
        return 0, time.monotonic() - start, None
    return response.status_code, time.monotonic() - start, response


def percentiles(seconds: list[float]) -> dict[str, float]:
    """Median, 95th and 99th percentiles in milliseconds."""
    if len(seconds) < 2:
        value = seconds[0] * 1000 if seconds else float("nan")
        return {"p50": value, "p95": value, "p99": value}
    q = statistics.quantiles(seconds, n=100, method="inclusive")
    return {"p50": statistics.median(seconds) * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000}
