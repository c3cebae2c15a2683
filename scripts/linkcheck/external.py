"""Check external (http/https) links over the network: bounded thread pool, timeouts, retries, on-disk cache.

Off by default in `./kb check links`: the network is slow and flaky, and a page that answered yesterday
answers today. Results that say something lasting (a 2xx/3xx answer, 404 or 410) are cached as JSON with
an expiry; timeouts, 5xx and connection errors are not, so a bad moment is retried next run.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

USER_AGENT = "kb-link-check/1 (+static knowledge base link checker)"
LASTING = frozenset({404, 410})
# Servers that refuse HEAD say so with one of these; try GET before believing them.
HEAD_REFUSED = frozenset({400, 403, 405, 406, 501})
RETRY = frozenset({429, 500, 502, 503, 504})


@dataclass
class Result:
    """The outcome of checking one URL."""

    url: str
    ok: bool
    status: int | None
    error: str | None
    checked: float  # Unix time
    cached: bool = False

    def describe(self) -> str:
        """Short reason for a report."""
        if self.status is not None:
            return f"HTTP {self.status}"
        return self.error or "no answer"


def _request(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def fetch(url: str, timeout: float = 10.0, retries: int = 2, backoff: float = 0.5) -> Result:
    """Check one URL with HEAD (GET when HEAD is refused), retrying transient failures."""
    error: str | None = None
    status: int | None = None
    for attempt in range(retries + 1):
        try:
            status = _request(url, "HEAD", timeout)
            if status in HEAD_REFUSED:
                status = _request(url, "GET", timeout)
            error = None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            status, error = None, str(getattr(exc, "reason", exc)) or type(exc).__name__
        if status is not None and status not in RETRY:
            break
        if attempt < retries:
            time.sleep(backoff * (2**attempt))
    ok = status is not None and 200 <= status < 400
    return Result(url, ok, status, error, time.time())


def load_cache(path: Path, max_age_days: float, now: float | None = None) -> dict[str, Result]:
    """Cached results younger than `max_age_days`; a missing or unreadable cache is empty."""
    now = time.time() if now is None else now
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    fresh: dict[str, Result] = {}
    for url, entry in raw.get("results", {}).items():
        try:
            result = Result(**{**entry, "url": url, "cached": True})
        except TypeError:
            continue
        if now - result.checked <= max_age_days * 86400:
            fresh[url] = result
    return fresh


def save_cache(path: Path, results: dict[str, Result]) -> None:
    """Write lasting results atomically (a crash mid-write leaves the old cache)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    keep = {
        url: {k: v for k, v in asdict(result).items() if k not in ("url", "cached")}
        for url, result in sorted(results.items())
        if result.ok or result.status in LASTING
    }
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".external-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump({"version": 1, "results": keep}, out, indent=1, ensure_ascii=False)
    os.replace(temp, path)


def check_urls(
    urls: list[str],
    cache_path: Path | None,
    max_age_days: float = 7.0,
    workers: int = 8,
    timeout: float = 10.0,
    retries: int = 2,
) -> dict[str, Result]:
    """Check each distinct URL (fragments dropped) once, reusing fresh cached answers."""
    distinct = sorted({url.split("#", 1)[0] for url in urls})
    cached = load_cache(cache_path, max_age_days) if cache_path else {}
    results = {url: cached[url] for url in distinct if url in cached}
    todo = [url for url in distinct if url not in results]
    if todo:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for result in pool.map(lambda u: fetch(u, timeout, retries), todo):
                results[result.url] = result
    if cache_path:
        save_cache(cache_path, {**cached, **results})
    return results
