"""Offline reading in Chromium (issues 9 and 21): a visit alone keeps nothing; a saved edition works offline, search
included, and pages opened after saving read again offline; a saved edition follows a rebuild; Delete everything
leaves nothing that comes back; the ZIP of an edition opens from file:// with links and search and no request to
any host."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from scripts.bench.pageload import PHONE
from scripts.sources.locales import strings


@pytest.fixture
def phone(browser):
    context = browser.new_context(service_workers="allow", **PHONE)
    yield context
    context.close()


def _tiny_site(root: Path) -> Path:
    """A built site in miniature: the default edition at the root, Swahili under sw/, one hashed script, a ZIM."""
    pages = {"index.html": "assets/kb.0123456789.js", "about/index.html": "../assets/kb.0123456789.js",
             "sw/index.html": "../assets/kb.0123456789.js", "sw/kafala/index.html": "../../downloads/kb-sw.zim"}
    for name, ref in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f'<html><h1>{name}</h1><script src="{ref}"></script></html>', encoding="utf-8")
    (root / "assets").mkdir()
    (root / "assets" / "kb.0123456789.js").write_text("/* kb */", encoding="utf-8")
    (root / "downloads").mkdir()
    (root / "downloads" / "kb-sw.zim").write_bytes(b"ZIM")
    shutil.copy(Path(__file__).parents[1] / "overrides" / "sw.js", root / "sw.js")
    return root


def test_each_build_has_its_version_and_each_file_its_hash(tmp_path: Path) -> None:
    from scripts.postbuild.offline import write_manifests

    site = _tiny_site(tmp_path)
    editions = ("en", "sw")
    version = write_manifests(site, editions)
    assert f'var VERSION = "{version}";' in (site / "sw.js").read_text(encoding="utf-8")
    first = json.loads((site / "sw" / "offline.json").read_text(encoding="utf-8"))
    assert first["files"] == ["sw/", "sw/kafala/", "assets/kb.0123456789.js"], "the ZIM is a download, not saved"
    assert len(first["hashes"]) == len(first["sizes"]) == 3 and first["bytes"] == sum(first["sizes"])
    assert write_manifests(site, editions) == version, "the same site must give the same version"

    page = site / "sw" / "kafala" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", " changed</h1>"), encoding="utf-8")
    (site / "sw" / "new").mkdir()
    (site / "sw" / "new" / "index.html").write_text("<html><h1>new</h1></html>", encoding="utf-8")
    newer = write_manifests(site, editions)
    assert newer != version and f'var VERSION = "{newer}";' in (site / "sw.js").read_text(encoding="utf-8")
    second = json.loads((site / "sw" / "offline.json").read_text(encoding="utf-8"))
    hashes = [dict(zip(m["files"], m["hashes"], strict=True)) for m in (first, second)]
    assert [f for f in second["files"] if hashes[0].get(f) != hashes[1][f]] == ["sw/kafala/", "sw/new/"]
    root = json.loads((site / "offline.json").read_text(encoding="utf-8"))
    assert sorted(root["files"]) == ["", "about/", "assets/kb.0123456789.js"], "the default edition is the rest"


def test_every_privacy_page_names_the_caches_the_scripts_make() -> None:
    """The cache names in sw.js and kb.js are the ones each edition's Privacy page lists (a translation that drops
    one, or a script that adds one, fails here)."""
    from scripts.project import DOCS, languages

    root = Path(__file__).parents[1] / "overrides"
    scripts = "".join((root / name).read_text(encoding="utf-8") for name in ("sw.js", "assets/kb.js", "assets/offline.js"))
    made = set(re.findall(r'"(kb-[a-z]+-)"', scripts))
    assert made == {"kb-opened-", "kb-shell-", "kb-saved-"}, made
    for lang in languages():
        text = (DOCS / lang / "privacy.md").read_text(encoding="utf-8")
        assert set(re.findall(r"`(kb-[a-z]+-)`", text)) == made, f"docs/{lang}/privacy.md"


def _js(page, fn: str, timeout: int = 30_000):
    """The value of an async page function, failing after `timeout` ms instead of waiting for ever (page.evaluate has
    no timeout, and wait_for_function does not await a promise)."""
    page.evaluate(f"() => {{ window.__kbResult = undefined; ({fn})().then(v => {{ window.__kbResult = [v]; }}); }}")
    return page.wait_for_function("() => window.__kbResult", timeout=timeout).json_value()[0]


def _status(page) -> str:
    return page.inner_text("[data-kb-offline] [data-kb-status]")


def _save(page, url: str, lang: str) -> None:
    """Open an edition's home page, press Save, and wait until it is saved and the worker controls the page."""
    page.goto(url)
    page.click("[data-kb-save]")
    page.wait_for_function(f"() => document.querySelector('[data-kb-offline] [data-kb-status]').textContent === "
                           f"{strings(lang)['offline.saved']!r}", timeout=60_000)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)


# Everything a page can leave in the browser, besides cookies (the CSP and the tests of issue 4 keep those out).
_STORED = """async () => ({
  caches: await caches.keys(),
  workers: (await navigator.serviceWorker.getRegistrations()).length,
  local: localStorage.length, session: sessionStorage.length,
  databases: (await indexedDB.databases()).map(d => d.name)})"""
_NOTHING = {"caches": [], "workers": 0, "local": 0, "session": 0, "databases": []}


def test_a_reader_who_never_saves_leaves_nothing_on_the_phone(phone, server: str) -> None:
    """No worker, no cache, no storage from visits alone: on a phone someone else checks there is nothing to find."""
    page = phone.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for url in ("th/", "th/kafala/", "th/shelters/"):
        page.goto(server + url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)  # what a script would register or store on load has had its time
        assert _js(page, _STORED) == _NOTHING, url
    assert not [u for u in requests if re.search(r"/(offline\.[0-9a-f]+\.js|offline\.json|sw\.js)$", u)], \
        "the offline code, list or worker was fetched for a reader who never saved"


def test_pages_opened_after_saving_read_again_offline(phone, server: str) -> None:
    page = phone.new_page()
    _save(page, server + "am/", "am")
    page.goto(server + "ne/kafala/")  # another edition, opened online after saving
    title = page.inner_text("h1")
    page.wait_for_timeout(500)  # the worker keeps the page and the edition's offline page as it goes
    phone.set_offline(True)
    page.reload()
    assert page.inner_text("h1") == title
    page.goto(server + "ne/shelters/")  # never opened, not saved
    assert strings("ne")["offline.offline_page"] in page.inner_text("article")
    phone.set_offline(False)


def test_a_saved_edition_works_offline_with_search(phone, server: str) -> None:
    page = phone.new_page()
    page.goto(server + "my/")
    assert page.locator("[data-kb-offline]").is_visible()
    assert page.inner_text("[data-kb-size]").strip(), "the size is shown before anything is downloaded"
    _save(page, server + "my/", "my")
    phone.set_offline(True)
    page.goto(server + "my/staff/four-ps/")  # never opened before
    t = strings("my")
    assert page.locator("article h1").count() == 1 and t["offline.offline_page"] not in page.inner_text("article")
    page.goto(server + "my/search/?q=ILO")
    page.wait_for_selector("[data-kb-results] li", timeout=10_000)
    page.goto(server + "my/")  # the offline code itself was saved: the home page still knows and says it
    page.wait_for_function(f"() => document.querySelector('[data-kb-offline] [data-kb-status]').textContent === "
                           f"{t['offline.saved']!r}", timeout=10_000)
    phone.set_offline(False)


def test_delete_everything_leaves_nothing_that_comes_back(phone, server: str) -> None:
    """After Delete everything, three more page views (the home page with the buttons included) store nothing."""
    page = phone.new_page()
    _save(page, server + "tl/", "tl")
    assert _js(page, _STORED)["caches"], "saving kept nothing"
    page.click("[data-kb-clear]")
    page.wait_for_function(f"() => document.querySelector('[data-kb-offline] [data-kb-status]').textContent === "
                           f"{strings('tl')['offline.cleared']!r}")
    assert _js(page, _STORED) == _NOTHING
    for url in ("tl/", "tl/kafala/", "tl/shelters/"):
        page.goto(server + url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        assert _js(page, _STORED) == _NOTHING, url


def test_a_saved_edition_follows_a_rebuild(phone, site: Path, tmp_path: Path) -> None:
    """Save an edition; rebuild with a changed page and a new page; open the site online: the saved copy has both,
    the page says it was updated with the size, and the old build's worker caches are gone."""
    from scripts.dev.httpserver import start_server
    from scripts.postbuild.offline import write_manifests
    from scripts.project import built_editions

    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("*.pdf", "*.zip", "*.zim"))
    httpd, url = start_server(copy, port=0)
    try:
        page = phone.new_page()
        _save(page, url + "sw/", "sw")
        page.goto(url + "sw/kafala/")  # an opened page: kept in this build's kb-opened cache
        old = _js(page, "async () => await caches.keys()")
        assert any(name.startswith("kb-opened-") for name in old), old
        page.goto(url + "sw/privacy/")  # the Privacy page names every cache the reader's browser now holds
        named = [c for c in page.locator("article code").all_inner_texts() if c.startswith("kb-")]
        assert all(any(name.startswith(n) for n in named) for name in old), f"{old} not all named in {named}"

        # The rebuild: one page changed, one page new, then the last build step, as ./kb build runs it.
        changed = copy / "sw" / "kafala" / "index.html"
        changed.write_text(changed.read_text(encoding="utf-8").replace("</h1>", " KB-CHANGED</h1>", 1), encoding="utf-8")
        new = copy / "sw" / "kb-new-page" / "index.html"
        new.parent.mkdir()
        new.write_text((copy / "sw" / "about" / "index.html").read_text(encoding="utf-8")
                       .replace("</h1>", " KB-NEW</h1>", 1), encoding="utf-8")
        write_manifests(copy, built_editions(copy))

        page.goto(url + "sw/")
        updated = strings("sw")["offline.updated"].split("{size}")[0]
        page.wait_for_function(f"() => document.querySelector('[data-kb-offline] [data-kb-status]').textContent"
                               f".startsWith({updated!r})", timeout=60_000)
        assert re.search(r"\d", _status(page).removeprefix(updated)), f"no size in {_status(page)!r}"

        # The saved copy itself (what an offline reader gets; test_a_saved_edition_works_offline_with_search reads one
        # offline): both pages as rebuilt. Read from the cache, not with the network emulated off, which can stall
        # Chromium while the new worker replaces the old one.
        read = ("async () => { const c = await caches.open('kb-saved-sw'); const r = await c.match(%r); "
                "return r ? await r.text() : ''; }")
        assert "KB-NEW" in _js(page, read % (url + "sw/kb-new-page/"))
        assert "KB-CHANGED" in _js(page, read % (url + "sw/kafala/"))
        stale = []
        for _ in range(60):  # the new worker's activate drops the old build's caches
            stale = [n for n in _js(page, "async () => await caches.keys()") if n in old and not n.startswith("kb-saved-")]
            if not stale:
                break
            page.wait_for_timeout(500)
        assert not stale, f"the old build's caches are still there: {stale}"
    finally:
        httpd.shutdown()


@pytest.mark.parametrize("lang", ["ar", "my"])
def test_the_zip_edition_opens_from_file_with_links_and_search(browser, site: Path, tmp_path: Path, lang: str) -> None:
    archive = next((site / "downloads").glob(f"*-{lang}.zip"))
    assert archive.stat().st_size < 5_000_000
    zipfile.ZipFile(archive).extractall(tmp_path)
    context = browser.new_context(**PHONE)
    requests: list[str] = []
    context.route("**/*", lambda route: (requests.append(route.request.url), route.abort()
                                         if not route.request.url.startswith("file:") else route.continue_()))
    page = context.new_page()
    page.goto((tmp_path / lang / "index.html").as_uri())
    page.click(".kb-bar a[href*='countries']")
    assert page.url.endswith("/countries/index.html")
    page.click(".kb-country-list a >> nth=0")
    assert page.url.endswith("/index.html") and page.locator("article h1").count() == 1
    page.goto((tmp_path / lang / "search" / "index.html").as_uri() + "?q=ILO")
    page.wait_for_selector("[data-kb-results] li", timeout=10_000)
    assert page.get_attribute("[data-kb-results]", "data-kb-used") == "lunr", "the engine did not load from the ZIP"
    page.click("[data-kb-results] a >> nth=0")
    assert page.url.startswith("file:") and page.url.endswith("index.html")
    assert [u for u in requests if not u.startswith("file:")] == []
    context.close()
