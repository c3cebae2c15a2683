"""Publishing (issue 18): the site's address, the host's headers, the 404 pages, names a person can keep."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.project import config_line, edition_prefix
from scripts.publish import address
from tests.conftest import ROOT, TEST_SITE_URL


@pytest.mark.parametrize(("value", "release", "wanted"), [
    (None, True, "site_url is not set"),
    ("", True, "site_url is not set"),
    ("/kb/", True, "not an absolute https address"),
    ("http://help.example.org/", True, "not an absolute https address"),
    ("https://help.example.org/?x=1", True, "not an absolute https address"),
    ("ftp://help.example.org/", False, "not an absolute https address"),
])
def test_a_site_address_no_phone_could_open_is_refused(value, release, wanted) -> None:
    assert wanted in (address.problem(value, release=release) or "")


@pytest.mark.parametrize(("value", "release"), [
    ("https://help.example.org/", True), ("https://example.github.io/kb/", True),
    (None, False),  # the preview runs without one
    ("http://127.0.0.1:8000/", True),  # `mkdocs serve` sets its own address
])
def test_a_real_address_or_a_preview_passes(value, release) -> None:
    assert address.problem(value, release=release) is None


def test_plain_mkdocs_build_without_an_address_stops_with_mkdocs_yml_line(tmp_path: Path) -> None:
    env = {**os.environ, address.ENV: ""}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "out")], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    line = config_line("site_url")
    assert f"mkdocs.yml:{line}: site_url is not set" in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "index.html").exists(), "nothing is built without the address"
    assert (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()[line - 1].startswith("site_url:")


def test_the_qr_code_on_a_printed_sheet_opens_the_page_online(site: Path) -> None:
    """Decode the QR code as a phone camera would (ZXing) from the rendered PDF page."""
    pdfium = pytest.importorskip("pypdfium2")
    zxing = pytest.importorskip("zxingcpp")
    from tests.test_pdf import _pdf_path

    for lang, code in (("ar", "lb"), ("en", "qa")):
        document = pdfium.PdfDocument(_pdf_path(site, code, lang))
        found = [result.text for page in document for result in zxing.read_barcodes(page.render(scale=3).to_pil())]
        prefix = edition_prefix(lang)
        assert found == [f"{TEST_SITE_URL}{prefix}countries/{code}/"], f"{code} ({lang}): {found}"


def test_the_host_headers_forbid_framing_sniffing_and_referrers_and_cache_by_fingerprint(site: Path, server: str,
                                                                                          browser) -> None:
    """The built _headers, applied by the preview server exactly as a host would, in Chromium."""
    from scripts.publish.headers import HASHED, parse_policy, read_netlify

    rules = read_netlify((site / "_headers").read_text(encoding="utf-8"))
    assert rules[0][0] == "/*"
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(server + "ar/get-help/")
    headers = response.headers
    policy = parse_policy(headers["content-security-policy"])
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    # The rest of the policy is the page's own meta tag, which the browser enforces as well.
    meta = parse_policy(page.eval_on_selector("meta[http-equiv='Content-Security-Policy']", "m => m.content"))
    assert meta["script-src"] == ["'self'"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in headers["permissions-policy"]
    assert headers["cache-control"] == "no-cache"
    script = page.eval_on_selector("script[src]", "s => s.src")
    assert HASHED.search(script), script
    assert "immutable" in page.request.get(script).headers["cache-control"]
    assert page.request.get(server + "sw.js").headers["cache-control"] == "no-cache"
    context.close()


def test_another_site_cannot_frame_a_page(site: Path, server: str, browser, tmp_path: Path) -> None:
    """Framed, Quick exit would move only the frame: the header's frame-ancestors 'none' refuses it."""
    from scripts.dev.httpserver import start_server

    (tmp_path / "frame.html").write_text(f'<!doctype html><title>other</title><iframe src="{server}get-help/">'
                                         "</iframe>", encoding="utf-8")
    other, other_url = start_server(tmp_path, port=0)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(other_url.replace("127.0.0.1", "localhost") + "frame.html")  # another origin
        page.wait_for_timeout(500)
        frame = page.frames[1]
        assert frame.locator("#kb-exit").count() == 0, "the page rendered inside another site's frame"
        # The same page opened directly renders (so the frame's emptiness is the header's doing).
        page.goto(server + "get-help/")
        assert page.locator("#kb-exit").count() == 1
        context.close()
    finally:
        other.shutdown()


def test_a_header_list_that_lets_in_another_host_or_inline_script_stops_the_build() -> None:
    from scripts.postbuild.optimise import csp
    from scripts.publish import headers

    good = headers.security_headers(csp("abc"), {"Referrer-Policy": "no-referrer"})
    assert good[0][0] == "Content-Security-Policy" and "frame-ancestors 'none'" in good[0][1]
    for planted in ("script-src 'self' 'unsafe-inline'", "script-src 'self' https://cdn.example",
                    "frame-ancestors *", "default-src *; script-src 'unsafe-eval'"):
        with pytest.raises(headers.HeaderError, match=r"^mkdocs\.yml:\d+: the Content-Security-Policy header would"):
            headers.security_headers(csp("abc"), {"Content-Security-Policy": planted})


def test_nginx_and_caddy_get_the_same_list_and_each_editions_404(site: Path) -> None:
    from scripts.project import read_config
    from scripts.publish import headers

    rule_list, pages = headers.for_site(site, "/", read_config())
    common = rule_list[0][1]
    nginx, caddy = headers.nginx(common, pages), headers.caddy(common, pages)
    for name, value in common:
        assert f'add_header {name} "{value}" always;' in nginx
        assert f'{name} "{value}"' in caddy
    assert "location /ar/ {" in nginx and "error_page 404 /ar/404.html;" in nginx
    assert "rewrite /ar/* /ar/404.html" in caddy
    assert "/ar/*  /ar/404.html  404" in (site / "_redirects").read_text(encoding="utf-8")


def test_each_edition_has_a_zim_that_kiwix_can_open_and_search(site: Path) -> None:
    """libzim (Kiwix's own library) opens each edition's ZIM, finds its main page and metadata, and its full-text
    index finds a core page by a word of that page's own heading."""
    import re

    libzim_reader = pytest.importorskip("libzim.reader")
    from libzim.search import Query, Searcher

    from scripts.project import DEFAULT, languages
    from scripts.publish.zim import iso639_3

    built = [lang for lang in languages() if lang == DEFAULT or (site / lang / "index.html").is_file()]
    zims = {path.name.split("_")[1]: path for path in (site / "downloads").glob("*.zim")}
    assert sorted(zims) == sorted(built)
    for lang in built:
        prefix = edition_prefix(lang)
        archive = libzim_reader.Archive(zims[lang])
        assert archive.main_entry.get_item().path == f"{prefix}index.html"
        assert archive.get_metadata("Language").decode() == iso639_3(lang)
        for key in ("Name", "Title", "Description", "Creator", "Publisher", "Date"):
            assert archive.get_metadata(key), f"{lang}: no {key}"
        assert archive.has_illustration(48)
        assert archive.has_fulltext_index
        page = archive.get_entry_by_path(f"{prefix}kafala/index.html").get_item()
        text = bytes(page.content).decode("utf-8")
        assert "<script" not in text and "sw.js" not in text, f"{lang}: the ZIM keeps the site's script"
        heading = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S).group(1))
        # Words as the heading writes them, split at spaces (\w splits Bengali or Sinhala words at vowel signs).
        words = [w.strip(".,:;()«»\"'") for w in heading.split() if len(w) >= 3] or [heading.strip()]
        found = {path for word in words
                 for path in Searcher(archive).search(Query().set_query(word)).getResults(0, 100)}
        assert f"{prefix}kafala/index.html" in found, f"{lang}: searching {words} does not find the kafala page"
    # Linked, with its size, beside the ZIP on the page that offers the offline copies.
    lang = built[-1]
    offered = [p for p in (site / lang).rglob("index.html") if "data-kb-zim><a" in p.read_text(encoding="utf-8")]
    assert offered, f"no {lang} page links its ZIM"
    assert re.search(rf'<span data-kb-zim><a href="(\.\./)+downloads/migrant-rights-help_{lang}_all_\d{{4}}-\d\d\.zim" '
                     r'download="[^"]+">[^<]*ZIM[^<]*\d', offered[0].read_text(encoding="utf-8"))


def test_the_publishing_workflow_runs_the_readmes_build_command_and_uploads_the_site() -> None:
    from scripts.yamlfile import read

    workflow = read(ROOT / ".github/workflows/publish.yml").data
    steps = workflow["jobs"]["build"]["steps"]
    build = [step for step in steps if step.get("run", "").strip() == "./kb build"]
    assert build and "KB_SITE_URL" in build[0]["env"], "the workflow does not run ./kb build with the site's address"
    assert "KB_SITE_URL=https://help.example.org/ ./kb build" in (ROOT / "README.md").read_text(encoding="utf-8")
    upload = [step for step in steps if str(step.get("uses", "")).startswith("actions/upload-pages-artifact@")]
    assert upload and upload[0]["with"]["path"] == "site"
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}, "the build job needs no write access"


def test_no_edition_shows_the_themes_english_in_its_chrome(site: Path) -> None:
    """The footer's "Made with Material for MkDocs", the sections named after folders (Countries, Staff) and the
    search page's title were English in every edition."""
    import re

    from scripts.project import DEFAULT, languages
    from scripts.sources.locales import translator

    for lang in [lang for lang in languages() if lang != DEFAULT and (site / lang / "index.html").is_file()]:
        t = translator(lang)
        home = (site / lang / "index.html").read_text(encoding="utf-8")
        assert "Made with" not in home and "Material for MkDocs" not in home, lang
        labels = {label.strip() for label in re.findall(r'<label class="md-nav__link"[^>]*>\s*<span class="md-ellipsis">'
                                                          r"([^<]*)</span>", home)}
        assert {t("nav.countries"), t("nav.staff")} <= labels, f"{lang}: sections named {labels}"
        assert not labels & {"Countries", "Staff"}, lang
        search = (site / lang / "search/index.html").read_text(encoding="utf-8")
        assert f"<title>{t('search.title')} - " in search, lang


def test_the_nginx_configuration_serves_the_headers_and_each_editions_404(site: Path, tmp_path: Path) -> None:
    """The printed nginx configuration, run by a real nginx (Debian's, installed by ./kb test) over the built site."""
    import shutil
    import socket
    import time
    import urllib.error
    import urllib.request

    from scripts.project import read_config
    from scripts.publish import headers

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("nginx is missing: run ./kb test, which installs Debian's nginx-light")
    rule_list, pages = headers.for_site(site, "/", read_config())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "site.conf").write_text(headers.nginx(rule_list[0][1], pages), encoding="utf-8")
    # As root, nginx's workers would run as nobody, who cannot read pytest's private temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off; client_body_temp_path {tmp_path}; "
        f"proxy_temp_path {tmp_path}; fastcgi_temp_path {tmp_path}; uwsgi_temp_path {tmp_path}; "
        f"scgi_temp_path {tmp_path};\n"
        f"  server {{ listen 127.0.0.1:{port}; root {site}; include {tmp_path}/site.conf; }}\n}}\n",
        encoding="utf-8")
    process = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=1)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        page = urllib.request.urlopen(base + "ar/get-help/")
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["Cache-Control"] == "no-cache"
        script = next(p for p in (site / "assets").iterdir() if headers.HASHED.search(p.name) and p.suffix == ".js")
        asset = urllib.request.urlopen(base + f"assets/{script.name}")
        assert "immutable" in asset.headers["Cache-Control"]
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "ar/no/such/page/")
        assert missing.value.code == 404
        assert '<html lang="ar"' in missing.value.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=10)
