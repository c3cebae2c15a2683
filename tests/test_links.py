"""Link checker on small sites built with the real MkDocs, Material and mkdocs-static-i18n.

Numbers are libphonenumber's own example numbers and addresses use example.org: fixtures, not content.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# The repository root on sys.path, for runs of `pytest` without a shared conftest or `pythonpath` setting.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.linkcheck import external, links
from scripts.sources import contactlinks

LANGS = ("en", "fr", "ar")
FIXED = "+9611123456"  # phonenumbers.example_number_for_type("LB", FIXED_LINE)
MOBILE = "+96171123456"  # phonenumbers.example_number_for_type("LB", MOBILE)

CONFIG = """\
site_name: Fixture
use_directory_urls: true
theme: {name: material, font: false}
markdown_extensions: [attr_list, toc]
hooks: [fixture_hooks.py]
validation:
  nav: {omitted_files: info, not_found: info, absolute_links: info}
  links: {not_found: info, anchors: info, absolute_links: info, unrecognized_links: info}
plugins:
  - i18n:
      docs_structure: folder
      fallback_to_default: true
      reconfigure_material: true
      languages:
        - {locale: en, name: English, default: true}
        - {locale: fr, name: Français}
        - {locale: ar, name: العربية}
"""

# Stands in for the project's hook: country pages show contacts from data/countries/<cc>.yml.
HOOK = '''\
import re
from pathlib import Path

import yaml


def on_page_markdown(markdown, page, config, files, **kwargs):
    match = re.search(r"countries/([a-z]{2})\\.md$", page.file.src_uri)
    if not match:
        return markdown
    path = Path(config.config_file_path).parent / "data" / "countries" / f"{match.group(1)}.yml"
    out = ["", "## Contacts {#contacts}", ""]
    for contact in yaml.safe_load(path.read_text(encoding="utf-8"))["contacts"]:
        if "phone" in contact:
            out.append(f"- {contact['name']}: [call](tel:+{re.sub(r'[^0-9]', '', contact['phone'])})")
        if "whatsapp" in contact:
            out.append(f"- {contact['name']}: [WhatsApp](https://wa.me/{re.sub(r'[^0-9]', '', contact['whatsapp'])})")
        if "email" in contact:
            out.append(f"- {contact['name']}: [email](mailto:{contact['email']})")
        if "url" in contact:
            out.append(f"- {contact['name']}: [website]({contact['url']})")
    return markdown + "\\n".join(out) + "\\n"
'''


def _pages(broken: bool) -> dict[str, str]:
    bad = (lambda text: text) if broken else (lambda text: "")
    return {
        "en/index.md": f"""\
            ---
            title: Home
            ---
            # Home

            Read about [kafala](kafala.md#keep-your-passport) and [getting help](get-help.md).
            {bad("![Project logo](img/logo.png)")}
            ![Map](img/map.png)
            """,
        "en/kafala.md": """\
            # Kafala

            ## Keep your passport {#keep-your-passport}

            Nobody may keep your passport.
            """,
        "en/get-help.md": f"""\
            # Get help

            Write to [the help desk](mailto:help@example.org).
            {bad("Or write to [the office](mailto:office@@example).")}
            Back to [kafala](kafala.md).
            """,
        "en/countries/lb.md": f"""\
            # Lebanon

            In an emergency call [112](tel:112).
            {bad(f"The office: [call](tel:{FIXED[:6]}).")}
            """,
        "fr/index.md": f"""\
            # Accueil

            Lire sur la [kafala](kafala.md#keep-your-passport).
            {bad("Voir [la page absente](absente.md).")}
            {bad("Garder son [passeport](kafala.md#keep-passport).")}
            {bad("Lire la [version anglaise](/kafala/).")}
            """,
        "fr/kafala.md": """\
            # Kafala

            ## Garder son passeport {#keep-your-passport}

            Personne ne peut garder votre passeport.
            """,
        "ar/index.md": f"""\
            # الرئيسية

            [الكفالة](kafala.md)
            {bad("[kafala](../kafala/)")}
            """,
    }


def _data(broken: bool) -> str:
    wrong = "    whatsapp: \"+961 71\"\n" if broken else ""
    return (
        "# Example contacts for tests\n"
        "contacts:\n"
        "  - name: Hotline\n"
        f"    phone: \"{FIXED}\"\n"
        f"    whatsapp: \"{MOBILE}\"\n"
        "  - name: Desk\n"
        f"{wrong}"
        "    email: desk@example.org\n"
        "    url: https://example.org/desk\n"
    )


def make_site(root: Path, broken: bool) -> Path:
    """Write and build a fixture site under root; returns root."""
    (root / "data" / "countries").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (root / "fixture_hooks.py").write_text(HOOK, encoding="utf-8")
    (root / "data" / "countries" / "lb.yml").write_text(_data(broken), encoding="utf-8")
    for rel, text in _pages(broken).items():
        path = root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "docs" / "en" / "img").mkdir()
    (root / "docs" / "en" / "img" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
                   cwd=root, env=env, check=True, capture_output=True)
    return root


@pytest.fixture(scope="session")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("broken"), broken=True)


@pytest.fixture(scope="session")
def clean_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("clean"), broken=False)


def check(root: Path, **kwargs) -> list[links.Problem]:
    return links.check_site(root / "site", root / "docs", root / "data", LANGS, "en", **kwargs)


def line_of(root: Path, rel: str, needle: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def only(problems: list[links.Problem], kind: str, link_part: str = "") -> links.Problem:
    found = [p for p in problems if p.kind == kind and link_part in p.link]
    assert len(found) == 1, [p.text() for p in problems]
    return found[0]


def test_layout_default_language_at_site_root(broken_site: Path) -> None:
    site = broken_site / "site"
    assert (site / "kafala" / "index.html").is_file()
    assert (site / "fr" / "kafala" / "index.html").is_file()
    assert (site / "ar" / "kafala" / "index.html").is_file()  # fallback from docs/en/kafala.md


def test_missing_page(broken_site: Path) -> None:
    problem = only(check(broken_site), "missing-page", "absente")
    assert (problem.source, problem.line) == ("docs/fr/index.md", line_of(broken_site, "docs/fr/index.md", "absente"))
    assert problem.editions == ["fr"]
    assert problem.page == "/fr/"


def test_missing_anchor_with_hint(broken_site: Path) -> None:
    problem = only(check(broken_site), "missing-anchor", "keep-passport")
    assert (problem.source, problem.line) == (
        "docs/fr/index.md", line_of(broken_site, "docs/fr/index.md", "#keep-passport"))
    assert "#keep-passport does not exist on /fr/kafala/" in problem.message
    assert "(the heading id is #keep-your-passport)" in problem.message
    assert problem.text().startswith(f"docs/fr/index.md:{problem.line}: [fr] /fr/ -> kafala/#keep-passport: ")


def test_link_into_english_edition(broken_site: Path) -> None:
    problems = [p for p in check(broken_site) if p.kind == "wrong-edition"]
    by_source = {(p.source, p.line): p for p in problems}
    fr = by_source[("docs/fr/index.md", line_of(broken_site, "docs/fr/index.md", "/kafala/"))]
    assert "links into the English edition (/kafala/); use the fr page /fr/kafala/, link to kafala.md" in fr.message
    ar = by_source[("docs/ar/index.md", line_of(broken_site, "docs/ar/index.md", "../kafala/"))]
    assert ar.editions == ["ar"] and "/ar/kafala/" in ar.message
    assert len(problems) == 2, [p.text() for p in problems]


def test_bad_tel_in_markdown_grouped_across_fallback_editions(broken_site: Path) -> None:
    problem = only(check(broken_site), "bad-tel", FIXED[:6])
    rel = "docs/en/countries/lb.md"
    assert (problem.source, problem.line) == (rel, line_of(broken_site, rel, FIXED[:6]))
    assert problem.editions == ["en", "fr", "ar"]  # one source line, three editions, one report
    assert "not a valid Lebanon number" in problem.message


def test_bad_whatsapp_reported_at_data_line(broken_site: Path) -> None:
    problem = only(check(broken_site), "bad-whatsapp")
    rel = "data/countries/lb.yml"
    assert (problem.source, problem.line) == (rel, line_of(broken_site, rel, '"+961 71"'))
    assert problem.link == "https://wa.me/96171"
    assert problem.editions == ["en", "fr", "ar"]


def test_bad_mailto(broken_site: Path) -> None:
    problem = only(check(broken_site), "bad-mailto")
    rel = "docs/en/get-help.md"
    assert (problem.source, problem.line) == (rel, line_of(broken_site, rel, "office@@"))
    assert problem.editions == ["en", "fr", "ar"]


def test_missing_image(broken_site: Path) -> None:
    problem = only(check(broken_site), "missing-file", "logo")
    rel = "docs/en/index.md"
    assert (problem.source, problem.line) == (rel, line_of(broken_site, rel, "img/logo.png"))
    assert "image /img/logo.png does not exist" in problem.message
    assert problem.editions == ["en"]  # fr and ar have their own index pages


def test_nothing_else_is_reported(broken_site: Path) -> None:
    kinds = sorted(p.kind for p in check(broken_site))
    assert kinds == sorted(["missing-page", "missing-anchor", "wrong-edition", "wrong-edition", "bad-tel",
                            "bad-whatsapp", "bad-mailto", "missing-file"]), kinds


def test_parallel_parsing_gives_the_same_answer(broken_site: Path) -> None:
    assert [p.to_dict() for p in check(broken_site, jobs=2)] == [p.to_dict() for p in check(broken_site, jobs=1)]


def _run(root: Path, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    links.configure_parser(parser)
    args = parser.parse_args(["--site", str(root / "site"), "--docs", str(root / "docs"),
                              "--data", str(root / "data"), "--site-url", "", *argv])
    return links.run(args)


def test_clean_site_passes(clean_site: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.setattr("scripts.project.languages", lambda *_: LANGS)
    assert check(clean_site) == []
    assert _run(clean_site) == 0
    assert "no broken links" in capsys.readouterr().out


def test_cli_exit_codes_and_json(broken_site: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.setattr("scripts.project.languages", lambda *_: LANGS)
    assert _run(broken_site, "--format", "json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["errors"] == len(data["problems"]) == 8
    assert _run(broken_site, "--edition", "ar") == 1
    out = capsys.readouterr().out
    assert "docs/fr/index.md" not in out and "docs/ar/index.md" in out
    assert _run(broken_site.parent / "nowhere") == 2
    assert _run(broken_site, "--edition", "xx") == 2


def test_kb_check_passes_a_partial_namespace(clean_site: Path, monkeypatch) -> None:
    monkeypatch.setattr("scripts.project.languages", lambda *_: LANGS)
    monkeypatch.setattr(links.project, "DOCS", clean_site / "docs")
    args = argparse.Namespace(site=clean_site / "site", format="text", external=False, list_external=False,
                              docs=clean_site / "docs", data=clean_site / "data", site_url="")
    assert links.run(args) == 0


def test_external_links_are_listed(broken_site: Path) -> None:
    report = links.analyse(broken_site / "site", broken_site / "docs", broken_site / "data", LANGS, "en")
    listing = {entry["url"]: entry for entry in links.external_listing(report)}
    desk = listing["https://example.org/desk"]["places"]
    assert desk[0]["where"] == f"data/countries/lb.yml:{line_of(broken_site, 'data/countries/lb.yml', 'example.org/desk')}"


@pytest.mark.parametrize(("href", "region", "ok"), [
    (f"tel:{FIXED}", None, True),
    ("tel:+961-1-123-456", None, True),
    ("tel:112", "lb", True),
    ("tel:112", None, False),
    ("tel:+96112", "lb", False),
    ("tel:01123456", "lb", False),  # national format: valid number, but write it in E.164
    ("tel:+961abc", None, False),
])
def test_tel(href: str, region: str | None, ok: bool) -> None:
    assert (contactlinks.check_tel(href, region) is None) is ok


def test_national_tel_suggests_e164() -> None:
    assert f"tel:{FIXED}" in contactlinks.check_tel("tel:01123456", "lb")


@pytest.mark.parametrize(("href", "ok"), [
    (f"https://wa.me/{MOBILE[1:]}", True),
    (f"https://wa.me/{MOBILE[1:]}?text=hello", True),
    (f"https://wa.me/{MOBILE}", False),
    ("https://wa.me/0096171123456", False),
    ("https://wa.me/96171", False),
    (f"https://api.whatsapp.com/send?phone={MOBILE[1:]}", True),
])
def test_whatsapp(href: str, ok: bool) -> None:
    assert (contactlinks.check_whatsapp(href) is None) is ok


@pytest.mark.parametrize(("href", "ok"), [
    ("mailto:help@example.org", True),
    ("mailto:a@example.org,b@example.org?subject=Hi", True),
    ("mailto:help@@example.org", False),
    ("mailto:help@example", False),
    ("mailto:", False),
    ("mailto:.help@example.org", False),
])
def test_mailto(href: str, ok: bool) -> None:
    assert (contactlinks.check_mailto(href) is None) is ok


@pytest.fixture()
def local_server(tmp_path: Path):
    (tmp_path / "ok.html").write_text("ok", encoding="utf-8")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_external_checks_and_cache(local_server: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "external.json"
    ok, gone = f"{local_server}/ok.html", f"{local_server}/gone.html"
    results = external.check_urls([ok, gone, ok + "#x"], cache, timeout=5, retries=0, workers=2)
    assert results[ok].ok and results[ok].status == 200
    assert not results[gone].ok and results[gone].status == 404
    again = external.check_urls([ok], cache)
    assert again[ok].cached
    assert external.load_cache(cache, max_age_days=0, now=again[ok].checked + 10) == {}


def test_a_broken_link_stops_the_build_naming_the_markdown_line(repo_copy):
    from tests.conftest import run_kb

    page = repo_copy / "docs" / "en" / "kafala.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("## ")) + 2
    lines.insert(at, "See [the old page](no-such-page.md) and [a lost part](rights.md#no-such-anchor).")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_kb(repo_copy, "build", "--lang", "ne")
    assert result.returncode == 1, result.stderr
    assert f"docs/en/kafala.md:{at + 1}" in result.stderr, result.stderr
    assert "no-such-anchor" in result.stderr
    assert (repo_copy / "site" / "previous.txt").exists() and not (repo_copy / "site" / "index.html").exists()
