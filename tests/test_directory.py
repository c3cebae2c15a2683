"""Keeping the directory true (issue 23): confirmation records, `./kb directory verify|health`, the reports channel.

Fixtures in tests/directory/data/ (made-up organisation, libphonenumber's example numbers, fictional people): a stale
directory (only old sources), an unconfirmed one (recent sources, nobody called), and one with confirmations (one
that works, one found closed). Everything runs in process, at a fixed "today".
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from scripts.cli import main
from scripts.directory import health
from scripts.directory.reports import Channel, ChannelError, configured, report_link
from scripts.directory.verify import VerifyError, verify
from scripts.plugin.config import raw_options
from scripts.sources.countries import load_countries, validate_countries

DATA = Path(__file__).parent / "directory" / "data"
TODAY = dt.date(2026, 12, 1)
EDITIONS = ("en", "fr")


def _health(name: str, months: int = 24) -> health.CountryHealth:
    countries = load_countries(DATA / name, today=TODAY, editions=EDITIONS)
    return health.directory_health(countries, TODAY, months)[0]


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_a_stale_directory_fails_the_health_report(capsys) -> None:
    row = _health("stale")
    assert (row.listings, row.confirmed, row.recent_source, row.older, row.never_confirmed) == (2, 0, 0, 2, 2)
    assert row.stale and row.newest == dt.date(2020, 2, 1)
    assert row.no_hours == ["test-old-a"] and row.no_languages == ["test-old-a"]
    code, out = _run(capsys, "directory", "health", "--data-dir", str(DATA / "stale"), "--today", TODAY.isoformat())
    assert code == 1
    assert "attention: LB: no listing with evidence newer than 24 months (newest: 2020-02-01)" in out
    # the limit is configuration: ten years makes the same directory acceptable
    assert not _health("stale", months=120).stale


def test_an_unconfirmed_directory_is_counted_but_passes(capsys) -> None:
    row = _health("unconfirmed")
    assert (row.listings, row.confirmed, row.recent_source, row.older, row.never_confirmed) == (2, 0, 2, 0, 2)
    assert not row.stale and not row.attention
    assert row.no_hours == ["test-new-a"] and row.no_languages == ["test-new-a"]  # open_24_7 counts as hours
    code, out = _run(capsys, "directory", "health", "--data-dir", str(DATA / "unconfirmed"), "--today", TODAY.isoformat())
    assert code == 0, out
    assert "total: 2 listings, 0 confirmed in the last 12 months, 2 never confirmed" in out


def test_confirmations_count_and_a_closed_listing_needs_attention(capsys) -> None:
    row = _health("confirmed")
    # test-called: source of 2019 but confirmed a month ago; test-closed: its last record voids the earlier "works"
    assert (row.listings, row.confirmed, row.recent_source, row.older, row.never_confirmed) == (3, 1, 2, 0, 1)
    assert row.attention == ["test-closed: closed on 2026-11-02"]
    code, out = _run(capsys, "directory", "health", "--data-dir", str(DATA / "confirmed"), "--today", TODAY.isoformat())
    assert code == 1 and "attention: LB: test-closed: closed on 2026-11-02" in out
    body = health.page_body([row], TODAY, 24)
    assert body.count("<svg class=\"kb-health-bar\"") == 1 and "1 confirmed, 2 with a recent source, 0 older, of 3" in body
    assert "http" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org", "")


@pytest.mark.parametrize("old,new,message", [
    ("{date: '2026-11-01', by: A. Fictional Caseworker,", "{date: '2027-01-01', by: A. Fictional Caseworker,",
     "in the future"),
    ("how: called, outcome: works}\n", "how: called, outcome: fine}\n", "unknown `outcome` value 'fine'"),
    ("{date: '2026-11-01', by: A. Fictional Caseworker, how", "{date: '2026-11-01', how", "missing `by`"),
])
def test_a_bad_record_fails_with_file_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    folder = tmp_path / "countries"
    shutil.copytree(DATA / "confirmed", folder)
    text = (folder / "lb.yml").read_text(encoding="utf-8")
    assert old in text
    (folder / "lb.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[:text.index(old)].count("\n") + 1
    errors = [str(e) for e in validate_countries(folder, today=TODAY, editions=EDITIONS)]
    assert len(errors) == 1 and errors[0].endswith(errors[0].split(": ", 1)[1]), errors
    assert f"lb.yml:{line}: " in errors[0] and message in errors[0], errors


def test_verify_writes_the_record_and_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "countries"
    shutil.copytree(DATA / "unconfirmed", folder)
    path = folder / "lb.yml"
    before = path.read_text(encoding="utf-8")
    # a comment people wrote inside the listing, and quoting, must survive
    before = before.replace("    cost: free\n", "    cost: free  # as the page says\n", 1)
    path.write_text(before, encoding="utf-8")
    written = verify("test-new-a", "A. Fictional Caseworker", "called", "works", dt.date(2026, 11, 30), data_dir=folder,
                     today=TODAY)
    after = path.read_text(encoding="utf-8")
    added = ("    confirmed:\n    - date: '2026-11-30'\n      by: A. Fictional Caseworker\n      how: called\n"
             "      outcome: works\n")
    cut = after.index(added)
    assert after[:cut] + after[cut + len(added):] == before  # every other byte as it was, comments included
    assert written.line == after[:cut].count("\n") + 1
    service = load_countries(folder, today=TODAY, editions=EDITIONS)["lb"]["organizations"][0]["services"][0]
    assert service["confirmed"] == [{"date": "2026-11-30", "by": "A. Fictional Caseworker", "how": "called",
                                     "outcome": "works"}]
    # a second confirmation goes after the first
    verify("test-new-a", "B. Fictional Volunteer", "official-reply", "changed", TODAY, data_dir=folder, today=TODAY)
    again = path.read_text(encoding="utf-8")
    assert again.index("outcome: works") < again.index("outcome: changed") and again.startswith(after[:cut])


def test_verify_refuses_and_leaves_the_file_alone(tmp_path: Path) -> None:
    folder = tmp_path / "countries"
    shutil.copytree(DATA / "unconfirmed", folder)
    before = (folder / "lb.yml").read_bytes()
    with pytest.raises(VerifyError, match="in the future"):
        verify("test-new-a", "A. Fictional Caseworker", "called", "works", dt.date(2027, 1, 1), data_dir=folder,
               today=TODAY)
    with pytest.raises(VerifyError, match="does not say who confirmed it"):
        verify("test-new-a", " ", "called", "works", TODAY, data_dir=folder, today=TODAY)
    with pytest.raises(VerifyError, match="no listing with id 'test-nothing'"):
        verify("test-nothing", "A. Fictional Caseworker", "called", "works", TODAY, data_dir=folder, today=TODAY)
    assert (folder / "lb.yml").read_bytes() == before


def _sheet(lang: str, report=None) -> str:
    from scripts.plugin.sheet import render_sheet
    from scripts.sources.locales import translator

    country = load_countries(DATA / "confirmed", today=TODAY, editions=EDITIONS)["lb"]
    return render_sheet(country, lang, translator(lang), lambda listing: "#fix", TODAY, report=report)


def test_the_page_says_confirmed_only_from_a_record_in_the_readers_language() -> None:
    french = _sheet("fr")
    assert french.count("Confirmé par téléphone le") == 1  # test-called; test-closed's last record is not "works"
    assert '<time datetime="2026-11-01">1 novembre 2026</time>' in french
    assert "kb-report-link" not in french  # no channel, no link
    english = _sheet("en")
    assert english.count("Confirmed by phone on") == 1
    assert "This number is from 2019" not in english  # test-called's 2019 page is outweighed by last month's call


def test_report_link_carries_the_listing_and_the_page_in_the_readers_language() -> None:
    from scripts.sources.locales import translator

    page = "https://migrant-rights-help.example/fr/countries/lb/"
    channel = Channel("sms", "+96171123456")
    html = _sheet("fr", report_link(channel, translator("fr"), page))
    assert html.count('class="kb-report-link"') == 3 and "Signaler un problème avec ce numéro" in html
    href = html.split('class="kb-report-link" href="', 1)[1].split('"', 1)[0]
    assert href.startswith("sms:+96171123456?body=")
    assert unquote(href.split("body=", 1)[1]) == f"Problème avec test-called sur {page} : "


def _config(tmp_path: Path, reports: str) -> Path:
    path = tmp_path / "mkdocs.yml"
    text = "site_name: Test\nplugins:\n  - kb:\n      quick_exit_url: https://example.org/\n" + reports
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("reports,line,message", [
    ("      reports:\n        whatsapp: '+1202555'\n", 6, "not a valid international number"),
    ("      reports:\n        sms: '+1 202 555 0123'\n", 6, "not written in E.164 (write \"+12025550123\")"),
    ("      reports:\n        email: reports@@example.org\n", 6, "is not an e-mail address"),
    ("      reports:\n        email: a@example.org\n        sms: '+12025550123'\n", 5, "must name one channel"),
    ("      reports:\n        fax: '+12025550123'\n", 5, "must name one channel"),
])
def test_a_bad_reports_channel_fails_with_mkdocs_yml_line(tmp_path: Path, reports: str, line: int, message: str) -> None:
    from scripts.yamlfile import read

    path = _config(tmp_path, reports)
    with pytest.raises(ChannelError) as error:
        configured(raw_options(read(path).data)[1], path)
    assert f"mkdocs.yml:{line}: " in str(error.value) and message in str(error.value)


def test_good_channels_and_none(tmp_path: Path) -> None:
    from scripts.yamlfile import read

    for reports, expected in [("", None), ("      reports:\n        email: reports@migrant-rights-help.example\n",
                                            Channel("email", "reports@migrant-rights-help.example")),
                              ("      reports:\n        whatsapp: '+12025550123'\n", Channel("whatsapp", "+12025550123"))]:
        path = _config(tmp_path, reports)
        assert configured(raw_options(read(path).data)[1], path) == expected
    # the repository itself configures no channel (no organisation's address is invented)
    from scripts.project import read_config

    assert configured(raw_options(read_config())[1]) is None


def test_a_bad_channel_stops_the_build_and_leaves_the_site(repo_copy: Path) -> None:
    from tests.conftest import run_kb

    config = repo_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("      corrections_page: staff/contribute.md\n",
                        "      corrections_page: staff/contribute.md\n      reports:\n        whatsapp: '12345'\n", 1)
    config.write_text(text, encoding="utf-8")
    line = text.splitlines().index("        whatsapp: '12345'") + 1
    result = run_kb(repo_copy, "build", "--lang", "fr")
    assert result.returncode == 1
    assert f"mkdocs.yml:{line}: whatsapp number '12345' is not a valid international number" in result.stderr
    assert (repo_copy / "site" / "previous.txt").read_text(encoding="utf-8") == "the previous site"


def test_a_source_page_that_is_gone_needs_attention(tmp_path: Path) -> None:
    from scripts.dev.httpserver import start_server
    from scripts.directory.sources import check, source_pages

    served = tmp_path / "web"
    served.mkdir()
    (served / "here.html").write_text("<p>+96171123456</p>", encoding="utf-8")
    httpd, url = start_server(served, port=0)
    try:
        folder = tmp_path / "countries"
        folder.mkdir()
        (folder / "lb.yml").write_text(
            f"organizations:\n- services:\n  - source:\n      url: {url}here.html\n  - source:\n      url: {url}gone.html\n"
            f"    url: {url}not-a-source.html\n", encoding="utf-8")
        pages = source_pages(folder)
        assert [(p.line, p.url.rsplit("/", 1)[1]) for p in pages] == [(4, "here.html"), (6, "gone.html")]
        problems, warnings = check(pages, cache=None)
    finally:
        httpd.shutdown()
    assert warnings == [] and len(problems) == 1
    assert problems[0].endswith(f"lb.yml:6: source page {url}gone.html is gone (HTTP 404); find where the number is "
                                "published now, or confirm it by phone (./kb directory verify)")


def test_the_verify_command_says_where_it_wrote(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "countries"
    shutil.copytree(DATA / "unconfirmed", folder)
    code, out = _run(capsys, "directory", "verify", "test-new-b", "--by", "A. Fictional Caseworker", "--how", "visited",
                     "--outcome", "works", "--date", "2026-11-29", "--data-dir", str(folder))
    assert code == 0 and out.strip().endswith("recorded: test-new-b works (visited, 2026-11-29)")
    line = int(out.split("lb.yml:", 1)[1].split(":", 1)[0])
    assert (folder / "lb.yml").read_text(encoding="utf-8").splitlines()[line - 1] == "    confirmed:"
    with pytest.raises(SystemExit) as usage:  # argparse: only the allowed words
        main(["directory", "verify", "test-new-b", "--by", "A. Fictional Caseworker", "--how", "phoned", "--outcome",
              "works", "--data-dir", str(folder)])
    assert usage.value.code == 2


def test_open_data_carries_the_confirmation_and_a_closed_service() -> None:
    from scripts.postbuild.hsds import to_tables, uid

    country = load_countries(DATA / "confirmed", today=TODAY, editions=EDITIONS)["lb"]
    services = {row["id"]: row for row in to_tables([country])["service"]}
    assert services[uid("test-called")]["assured_date"] == "2026-11-01"
    assert services[uid("test-recent")]["assured_date"] is None  # a source page is no assurance
    assert services[uid("test-closed")]["status"] == "defunct" and services[uid("test-closed")]["assured_date"] is None


@pytest.mark.parametrize("page", ["privacy.md", "browse-safely.md"])
def test_every_edition_says_what_a_report_reveals(page: str) -> None:
    from scripts.project import DOCS, languages

    missing = [lang for lang in languages() if "{#report-a-problem}" not in (DOCS / lang / page).read_text(encoding="utf-8")]
    assert missing == []
