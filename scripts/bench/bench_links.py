"""`./kb bench-links`: this link checker against LinkChecker on the same built site, offline.

LinkChecker crawls the site from a local http.server on 127.0.0.1 (directory URLs need a server that
answers /fr/kafala/ with index.html; file:// would list the folder instead), internal links only, with
its AnchorCheck plugin on. Prints both wall times, the ratio, what each found, and every broken link
LinkChecker found that this checker did not.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scripts import project
from scripts.dev.httpserver import start_server
from scripts.linkcheck import links

# Non-http schemes are only syntax-checked (--ignore-url): no DNS look-up for mailto:, no network at all.
IGNORE = ("^mailto:", "^tel:", "^sms:")


@contextmanager
def serve(site_dir: Path):
    """Serve site_dir on 127.0.0.1 on a free port for the duration; yields the base URL."""
    server, url = start_server(site_dir, 0)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def linkchecker_command() -> str | None:
    """The linkchecker executable next to this Python, or on PATH."""
    beside = Path(sys.executable).with_name("linkchecker")
    return str(beside) if beside.exists() else shutil.which("linkchecker")


def run_linkchecker(executable: str, site_dir: Path, threads: int = 4) -> tuple[float, list[dict]]:
    """Crawl the served site; returns (seconds, invalid rows of LinkChecker's CSV output)."""
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "linkcheckerrc"
        config.write_text("[AnchorCheck]\n", encoding="utf-8")
        # LinkChecker drops root privileges to `nobody`, who must still read its configuration.
        Path(folder).chmod(0o755)
        config.chmod(0o644)
        with serve(site_dir) as base:
            command = [executable, "--no-warnings", "--no-status", "--no-robots", "-o", "csv/utf-8",
                       "-f", str(config), "-t", str(threads)]
            for pattern in IGNORE:
                command += ["--ignore-url", pattern]
            started = time.perf_counter()
            done = subprocess.run([*command, base], capture_output=True, text=True, encoding="utf-8", check=False)
            seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"linkchecker exited {done.returncode}: {done.stderr.strip()[-500:]}")
    rows = [line for line in done.stdout.splitlines() if line and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";")
    invalid = [row for row in reader if row.get("valid", "").strip().lower() in ("false", "0")]
    return seconds, [{**row, "_base": base} for row in invalid]


def _path(url: str, base: str) -> str:
    """Site path of a served URL: 'http://127.0.0.1:1234/fr/x/#a' -> '/fr/x/#a'."""
    if url.startswith(base):
        url = "/" + url[len(base):]
    parts = urlsplit(url)
    return unquote(parts.path or "/") + (f"#{unquote(parts.fragment)}" if parts.fragment else "")


def compare(problems: list[links.Problem], linkchecker_rows: list[dict]) -> list[dict]:
    """LinkChecker findings with no matching finding of ours (same page and target, or same target)."""
    ours_pairs = {(occ.page, occ.target) for p in problems for occ in p.occurrences}
    ours_targets = {occ.target for p in problems for occ in p.occurrences}
    ours_paths = {target.split("#", 1)[0] for target in ours_targets}
    missed = []
    for row in linkchecker_rows:
        base = row["_base"]
        target = _path(row.get("url") or row.get("urlname", ""), base)
        parent = _path(row.get("parentname", ""), base)
        anchor_only = "#" in target and target.split("#", 1)[0] not in ours_paths
        if (parent, target) in ours_pairs or target in ours_targets:
            continue
        if not anchor_only and target.split("#", 1)[0] in ours_paths:
            continue
        missed.append({"page": parent, "target": target, "result": row.get("result", "")})
    return missed


def configure_parser(p: argparse.ArgumentParser) -> None:
    """Options of `./kb bench-links`."""
    p.add_argument("--site", type=Path, default=project.SITE, help="built site folder (default: site/)")
    p.add_argument("--docs", type=Path, default=project.DOCS)
    p.add_argument("--data", type=Path, default=project.DATA)
    p.add_argument("--config", type=Path, default=project.CONFIG, help="mkdocs.yml to read the languages from")
    p.add_argument("--threads", type=int, default=4, help="LinkChecker threads (default 4)")
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    """Run both checkers; exit 1 if LinkChecker found a broken link this checker missed, 2 on setup errors."""
    from scripts.project import DEFAULT, configured_languages, no_site, read_config

    if missing := no_site(args.site):
        print(missing, file=sys.stderr)
        return 2
    executable = linkchecker_command()
    if executable is None:
        print("linkchecker not installed: .venv/bin/pip install -r requirements.txt", file=sys.stderr)
        return 2
    try:
        config = read_config(args.config)
        languages = configured_languages(config)
    except (OSError, ValueError) as error:
        print(f"{project.relative(args.config)}: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    report = links.analyse(args.site, args.docs, args.data, languages, DEFAULT, config.get("site_url"))
    ours = time.perf_counter() - started
    theirs, rows = run_linkchecker(executable, args.site, args.threads)
    missed = compare(report.problems, rows)
    result = {
        "pages": report.pages, "links": report.links,
        "kb_seconds": round(ours, 3), "linkchecker_seconds": round(theirs, 3),
        "ratio": round(theirs / ours, 1) if ours else None,
        "kb_problems": [p.text() for p in report.problems],
        "linkchecker_problems": [
            f"{_path(r.get('parentname', ''), r['_base'])} -> {_path(r.get('url') or r.get('urlname', ''), r['_base'])}: "
            f"{r.get('result', '')}" for r in rows
        ],
        "missed_by_kb": missed,
    }
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(f"site: {report.pages} pages, {report.links} links")
        print(f"kb check links: {ours:.2f} s, {len(report.problems)} problems")
        for line in result["kb_problems"]:
            print(f"  {line}")
        print(f"linkchecker:    {theirs:.2f} s, {len(rows)} broken links (internal only, anchors on)")
        for line in result["linkchecker_problems"]:
            print(f"  {line}")
        print(f"ratio: LinkChecker took {result['ratio']}x as long")
        if missed:
            print(f"MISSED by kb check links ({len(missed)}):")
            for item in missed:
                print(f"  {item['page']} -> {item['target']}: {item['result']}")
        else:
            print("every broken link LinkChecker found was found by kb check links")
    return 1 if missed else 0
