"""What one page load costs a reader, measured in Debian's Chromium: bytes, requests, paint times, search.

Used by the benchmark (`./kb bench`, with DevTools throttling) and by the byte-budget tests (unthrottled:
bytes do not depend on the connection). Bytes are what went over the wire (gzip, headers included), from
the DevTools protocol; "render-critical" is the HTML plus every stylesheet or script that blocked rendering,
by the browser's own renderBlockingStatus.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
# DevTools' "Slow 3G" preset: 2,000 ms latency (the preset's 400 ms x its 5x factor), ~400 kbit/s each way.
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
CPU_SLOWDOWN = 6
PHONE = {"viewport": {"width": 360, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}

_PAINTS = """() => new Promise(resolve => {
  let lcp = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) lcp = e.startTime; })
    .observe({type: 'largest-contentful-paint', buffered: true});
  setTimeout(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    const blocking = performance.getEntriesByType('resource')
      .filter(e => e.renderBlockingStatus === 'blocking').map(e => e.name);
    resolve({fcp: fcp ? fcp.startTime : null, lcp: lcp || null, blocking: blocking, html: nav.transferSize});
  }, 50);
})"""


@dataclass
class Load:
    """One navigation: every response, and what the page reported about its paints."""

    url: str
    responses: dict[str, int] = field(default_factory=dict)  # url -> bytes on the wire
    fcp_ms: float | None = None
    lcp_ms: float | None = None
    blocking: list[str] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(self.responses.values())

    @property
    def requests(self) -> int:
        return len(self.responses)

    def critical_bytes(self) -> int:
        """The HTML document plus every render-blocking resource."""
        page = self.url.split("#")[0]
        return sum(size for url, size in self.responses.items() if url == page or url in self.blocking)

    def foreign(self) -> list[str]:
        """Responses from any host but the page's own."""
        own = urlsplit(self.url).netloc
        return [url for url in self.responses if urlsplit(url).netloc != own]


class Meter:
    """Records bytes per response on one page through the DevTools protocol."""

    def __init__(self, context, page, throttle: bool) -> None:
        self.page = page
        # Idle means no request for this long: on a throttled phone a late request (the print stylesheet, fetched at
        # lowest priority) starts up to a second after load; on an unthrottled local server, within milliseconds.
        self.quiet_ms = 1000 if throttle else 300
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self._urls: dict[str, str] = {}
        self._sizes: dict[str, int] = {}
        self._open: set[str] = set()
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", lambda event: self._open.discard(event["requestId"]))
        if throttle:
            self.cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})

    def _sent(self, event: dict) -> None:
        url = event["request"]["url"]
        if not url.startswith("data:"):
            self._urls[event["requestId"]] = url
            self._open.add(event["requestId"])

    def _finished(self, event: dict) -> None:
        self._open.discard(event["requestId"])
        if event["requestId"] in self._urls:
            self._sizes[self._urls[event["requestId"]]] = int(event["encodedDataLength"])

    def take(self) -> dict[str, int]:
        """Responses finished since the last call."""
        taken, self._sizes = self._sizes, {}
        return taken

    def settle(self, quiet_ms: int | None = None, limit_s: float = 120) -> None:
        """Wait until no request is in flight and none has started or ended for `quiet_ms` (the page is idle)."""
        quiet_ms = self.quiet_ms if quiet_ms is None else quiet_ms
        seen, since, started = None, time.monotonic(), time.monotonic()
        while time.monotonic() - started < limit_s:
            state = (len(self._urls), len(self._sizes), len(self._open))
            if state != seen or self._open:
                seen, since = state, time.monotonic()
            elif time.monotonic() - since > quiet_ms / 1000:
                return
            self.page.wait_for_timeout(50)


def visit(meter: Meter, url: str) -> Load:
    """Navigate to `url`, wait until idle, and return what it cost."""
    meter.take()
    meter.page.goto(url, wait_until="load", timeout=120_000)
    meter.settle()
    paints = meter.page.evaluate(_PAINTS)
    return Load(url, meter.take(), paints["fcp"], paints["lcp"], paints["blocking"])


def search(meter: Meter, search_url: str, query: str) -> tuple[Load, float, int]:
    """Open the search page, type `query`, wait for the results: (cost, ms from last keystroke to results, hits)."""
    load = visit(meter, search_url)
    page = meter.page
    started = time.monotonic()
    page.fill("#kb-q", query)
    page.wait_for_function("() => document.querySelector('[data-kb-status]').textContent.trim() !== '' && "
                           "!document.querySelector('[data-kb-status]').textContent.includes('…')", timeout=120_000)
    first_ms = (time.monotonic() - started) * 1000
    meter.settle()
    load.responses.update(meter.take())
    hits = page.locator("[data-kb-results] li").count()
    return load, first_ms, hits


def engine_bytes(load: Load) -> int:
    """Bytes of a search load that were the engine (scripts/search/vendor.py), not the page or the edition's text."""
    from scripts.search.vendor import ENGINE_FILE

    return sum(size for url, size in load.responses.items() if ENGINE_FILE.search(url.split("?")[0]))


def keystroke_latency(page, query: str, mode: str = "") -> float:
    """With the index loaded: ms from the last keystroke to the results being on screen (in-page clock), the
    typing pause search waits for included. `mode` "substring" times the substring search alone."""
    page.evaluate("""mode => { const form = document.querySelector('[data-kb-search]');
      if (mode) form.setAttribute('data-kb-mode', mode); else form.removeAttribute('data-kb-mode'); }""", mode)
    return page.evaluate("""(query) => new Promise(resolve => {
      const input = document.getElementById('kb-q'), list = document.querySelector('[data-kb-results]');
      input.value = ''; input.dispatchEvent(new Event('input'));
      setTimeout(() => {
        const observer = new MutationObserver(() => {
          if (list.children.length) { observer.disconnect(); requestAnimationFrame(() => resolve(performance.now() - t0)); }
        });
        observer.observe(list, {childList: true});
        input.value = query;
        const t0 = performance.now();
        input.dispatchEvent(new Event('input'));
      }, 300);
    })""", query)


_WORD_BREAK = re.compile(r"[\s,.;:!?()\[\]\"'“”‘’«»،؛؟।॥၊။።፣፤、。]+")


def search_word(lang: str) -> str:
    """A word a reader would type to find Get help: from the edition's own Get help summary, the one that
    the fewest other pages of the edition use (a word like "you" is on every page), longest first.

    Scripts written without spaces (th, my) give phrases, not words: their first six characters are typed.
    """
    from scripts.plugin.search_index import normalise
    from scripts.project import DEFAULT, DOCS
    from scripts.sources.frontmatter import split

    folder = DOCS / lang if (DOCS / lang / "get-help.md").exists() else DOCS / DEFAULT
    summary = normalise(str(split((folder / "get-help.md").read_text(encoding="utf-8"))[0]["summary"]))
    words = {w if len(w) <= 12 else w[:6] for w in _WORD_BREAK.split(summary) if len(w) >= 4}
    if not words:
        return summary[:4]
    others = [normalise(p.read_text(encoding="utf-8")) for p in folder.rglob("*.md") if p.name != "get-help.md"]
    return min(sorted(words), key=lambda w: (sum(w in text for text in others), -len(w)))


# The page types whose first screen must stand still, one of each (paths inside an edition).
SHIFT_SAMPLE = {"home": "", "article": "trafficking/", "country": "countries/lb/", "search": "search/"}

# The Layout Instability API: every shift since the navigation began, registered before the page's own scripts
# run. Summed, not windowed: on a page that loads once and is then read, the sum is the stricter figure.
_LAYOUT_SHIFT_OBSERVER = """window.__kbShifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__kbShifts.push({value: e.value,
    moved: (e.sources || []).map(s => s.node ? s.node.nodeName.toLowerCase() + (s.node.id ? '#' + s.node.id : '') : '?')});
}).observe({type: 'layout-shift', buffered: true});"""


def layout_shift(meter: Meter, url: str) -> tuple[float, list[str]]:
    """Load `url` as a slow phone does: the first paint with the inline CSS, the full stylesheet only after it.
    Returns the page's cumulative layout shift and what moved.

    The full stylesheet is held back until the page has painted, so its arrival always comes after the first
    paint, as on 2G (on a fast link it may come first and hide the shift, which would make the figure luck).
    """
    from scripts.postbuild.optimise import SITE_CSS

    held = []
    pattern = "**/" + SITE_CSS.format(hash="*")

    def hold(route) -> None:
        held.append(route)

    meter.page.add_init_script(_LAYOUT_SHIFT_OBSERVER)
    meter.page.route(pattern, hold)
    try:
        meter.page.goto(url, wait_until="commit", timeout=120_000)
        meter.page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length > 0",
                                     timeout=120_000, polling=100)
        meter.page.screenshot()  # a drawn frame of the first screen with the first-paint CSS alone
    finally:
        for route in held:
            route.fallback()
        meter.page.unroute(pattern, hold)
    meter.page.wait_for_load_state("load", timeout=120_000)
    meter.settle()
    meter.page.wait_for_timeout(100)  # the observer's last callback
    # Every shift counts: nobody touches the page while it is measured, yet Chromium marks shifts "after recent
    # input" in an emulated phone (the API's own filter would hide exactly the shift measured here).
    shifts = meter.page.evaluate("window.__kbShifts")
    return sum(e["value"] for e in shifts), sorted({node for e in shifts for node in e["moved"]})
