"""A small static file server for previews, tests and the benchmark: gzip and cache headers like a real host.

Text files are gzipped when the client accepts it (static hosts do this, and the byte budgets are measured
that way); files whose names carry a content hash are cacheable for a year, pages are revalidated.
"""

from __future__ import annotations

import gzip
import http.server
import re
import threading
import time
from functools import partial
from pathlib import Path

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".webmanifest")
HASHED = re.compile(r"\.[0-9a-f]{8,}\.\w+$")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves one folder; gzip for text, long caching for hashed assets, 404.html for missing pages."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the standard library's signature
        pass  # quiet: the tests and the benchmark print what matters

    def end_headers(self) -> None:
        # The headers a host would send: the site's own _headers (scripts/publish/headers.py), read per request so
        # that a rebuilt site's new fingerprints apply; without it, the same cache rule by file name.
        from scripts.publish.headers import matching, read_netlify

        listed = Path(self.directory) / "_headers"
        route = self.path.split("?")[0]
        found = matching(read_netlify(listed.read_text(encoding="utf-8")), route) if listed.is_file() else []
        if not any(name.lower() == "cache-control" for name, _ in found):
            found.append(("Cache-Control", "public, max-age=31536000, immutable" if HASHED.search(route) else "no-cache"))
        for name, value in found:
            self.send_header(name, value)
        super().end_headers()

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the standard redirect to the folder
            path = path / "index.html"
        if not path.is_file():
            # As Cloudflare Pages does (and _redirects tells Netlify): the nearest edition's own not-found page.
            edition = Path(self.directory) / self.path.lstrip("/").split("/", 1)[0] / "404.html"
            missing = edition if "/" in self.path.lstrip("/") and edition.is_file() else Path(self.directory) / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"Not found"
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Body(body)
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = self.server.gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


LIVE_SCRIPT = b"""// Preview only (never in the built site): reload the page when ./kb serve has rebuilt the site.
(function () {
  var seen = null;
  setInterval(function () {
    fetch("/__kb/version", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) { location.reload(); }
      seen = v;
    }).catch(function () {});
  }, 1000);
})();
"""


class LiveHandler(Handler):
    """The preview's handler: pages get a small same-origin script that reloads them after each rebuild."""

    def send_head(self):  # type: ignore[override]
        route = self.path.split("?")[0]
        if route == "/__kb/live.js":
            return self._send(LIVE_SCRIPT, "text/javascript; charset=utf-8")
        if route == "/__kb/version":
            home = Path(self.directory) / "index.html"
            return self._send(str(home.stat().st_mtime_ns if home.exists() else 0).encode(), "text/plain")
        path = Path(self.translate_path(self.path))
        page = path / "index.html" if path.is_dir() and route.endswith("/") else path
        if page.suffix == ".html" and page.is_file():
            html = page.read_bytes().replace(b"</body>", b'<script src="/__kb/live.js"></script></body>', 1)
            return self._send(html, "text/html; charset=utf-8")
        return super().send_head()

    def _send(self, body: bytes, kind: str):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class TrickleHandler(Handler):
    """Pages arrive as on 2G (about 20 KB a second): `CHUNK` bytes, then a pause. The browser paints a page while its
    HTML still arrives, so anything whose place depends on markup further down moves on a real phone; a fast local
    server hides that, and tests/test_layout_shift.py uses this one to see it every time, not by luck."""

    CHUNK = 1024
    PAUSE = 0.05

    def copyfile(self, source, outputfile) -> None:  # type: ignore[override]
        route = self.path.split("?")[0]
        if not (route.endswith("/") or route.endswith(".html")):
            return super().copyfile(source, outputfile)
        data = source.read()
        for start in range(0, len(data), self.CHUNK):
            outputfile.write(data[start:start + self.CHUNK])
            outputfile.flush()
            time.sleep(self.PAUSE)
        return None


class _Body:
    """A file-like object over bytes, as send_head returns."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: int) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each file compressed once per version (its modification time), for the life of this server only.
        self.compressed: dict[tuple[str, float], bytes] = {}

    def gzipped(self, path: Path) -> bytes:
        key = (str(path), path.stat().st_mtime)
        if key not in self.compressed:
            self.compressed[key] = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        return self.compressed[key]

    def handle_error(self, request, client_address) -> None:
        # A browser that closes a connection early (a cancelled prefetch, a closed test page) is not an error.
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def start_server(root: Path, port: int = 8000, host: str = "127.0.0.1",
                 live: bool = False, trickle: bool = False) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `root` in a background thread; returns the server and its base URL (port 0 picks a free port).
    `live` (the preview) reloads open pages after each rebuild; `trickle` sends pages as slowly as 2G does."""
    handler = LiveHandler if live else TrickleHandler if trickle else Handler
    server = _Server((host, port), partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}/"
