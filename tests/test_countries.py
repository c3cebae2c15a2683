"""Country data: the 21 real files validate; each kind of mistake is reported at the right file and line
with a fix; the sheet renders numbers safely for right-to-left readers; the HSDS export matches its schema."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from scripts.plugin.sheet import render_country_list, render_sheet
from scripts.postbuild.hsds import to_tables
from scripts.sources import countries as cmod
from scripts.sources.countries import (
    DataError,
    load_countries,
    load_country,
    old_listings,
    validate_countries,
)

ROOT = Path(__file__).resolve().parent.parent

TODAY = dt.date(2026, 11, 22)
FIXTURE = ROOT / "tests" / "countries" / "valid"
REAL = ROOT / "data" / "countries"
# Used only when mkdocs.yml cannot be read: the 15 editions of the site.
FALLBACK_EDITIONS = ("en", "ar", "fr", "es", "ru", "tg", "am", "ne", "id", "tl", "si", "bn", "my", "th", "sw")


def _editions() -> tuple[str, ...]:
    try:
        from scripts.project import languages
    except ImportError:
        return FALLBACK_EDITIONS
    return tuple(languages()) or FALLBACK_EDITIONS


EDITIONS = _editions()


def t(key: str) -> str:
    """A visible stand-in for the UI strings: the key in brackets, placeholders kept."""
    return {"sheet.source_from": "Source: {source}, {date}",
            "sheet.source_old": "This number is from {year}: it may have changed.",
            "sheet.confirmed.called": "Confirmed by phone on {date}",
            "sheet.for_you": "For people from {countries}"}.get(key, f"[{key}]")


def fixture_country() -> dict:
    return load_country(FIXTURE / "lb.yml", today=TODAY, editions=EDITIONS)


# --- the real data --------------------------------------------------------------------------------------

def test_all_real_files_validate():
    assert validate_countries(REAL, editions=EDITIONS) == []
    loaded = load_countries(REAL, editions=EDITIONS)
    assert set(loaded) == {p.stem for p in REAL.glob("*.yml")}
    for code, country in loaded.items():
        assert country["code"] == code.upper()
        assert "en" in country["corridor"]
        assert set(country["corridor"]) <= set(EDITIONS)


def test_real_files_start_with_schema_comment():
    for path in REAL.glob("*.yml"):
        assert path.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../schema/country.schema.json\n"), path


def test_every_schema_property_has_a_description():
    schema = json.loads((ROOT / "data" / "schema" / "country.schema.json").read_text(encoding="utf-8"))

    def walk(node, where):
        if isinstance(node, dict):
            for name, sub in (node.get("properties") or {}).items():
                target = schema["$defs"][sub["$ref"].rsplit("/", 1)[-1]] if "$ref" in sub else {}
                assert "description" in sub or "description" in target, f"{where}.{name}"
            for key, value in node.items():
                if key not in ("if", "then", "else", "not"):  # conditions restate properties; they need no help text
                    walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(schema, "schema")


def test_check_data_command_reports_ok(capsys):
    parser = argparse.ArgumentParser()
    cmod.configure_parser(parser)
    assert cmod.run(parser.parse_args([])) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == f"{len(list(REAL.glob('*.yml')))} country files OK"


def test_data_error_names_file_relative_to_repo():
    error = DataError(REAL / "lb.yml", 42, "something is wrong (fix it)")
    assert str(error) == "data/countries/lb.yml:42: something is wrong (fix it)"
    assert isinstance(error, ValueError) and error.line == 42


# --- planted mistakes -------------------------------------------------------------------------------------

def _plant(tmp_path: Path, old: str, new: str, marker: str | None = None) -> tuple[Path, int]:
    """Copy the fixture, replace `old` by `new` once, return the file and the line where `marker` now is."""
    folder = tmp_path / "countries"
    shutil.copytree(FIXTURE, folder)
    path = folder / "lb.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    needle = marker if marker is not None else new.strip().splitlines()[0]
    line = next(i for i, content in enumerate(text.splitlines(), 1) if needle in content)
    return path, line


def _errors_at(path: Path, line: int) -> list[str]:
    errors = validate_countries(path.parent, today=TODAY, editions=EDITIONS)
    assert errors, "expected at least one error"
    return [str(e) for e in errors if e.path == path and e.line == line]


SOURCE_2025 = """        source:
          url: https://example.org/shelter/contact
          title: Example Shelter Network, contact us
          publisher: Example Shelter Network
          published: "2025"
          accessed: 2026-11-20
"""
CASES = {
    "yaml syntax": ("    name: Example Shelter Network", "    name: Example: Shelter: Network", None,
                    ["not valid YAML", "indentation"]),
    "invalid phone": ('number: "+96171123456"\n            languages', 'number: "+9617112"\n            languages',
                      '"+9617112"', ["not a valid number for Lebanon (LB)", "E.164, e.g. +961"]),
    "phone not E.164": ('number: "+96171123456"\n            languages', 'number: "+961 71 123 456"\n            languages',
                        '"+961 71 123 456"', ["not stored in E.164", "+96171123456"]),
    "malformed URL": ("url: https://example.org/shelter", "url: htps//example org/shelter", None,
                      ["malformed URL", "https://example.org/"]),
    "malformed email": ("email: help@example.org", "email: help-at-example.org", None,
                        ["malformed email", "name@example.org"]),
    "unknown language code": ("          - code: am", "          - code: qq", None,
                              ["unknown language code 'qq'", "BCP 47"]),
    "corridor not an edition": ("corridor: [ar, en, fr, am]", "corridor: [ar, en, fr, zz]", None,
                                ["unknown language code 'zz'", "edition codes"]),
    "unknown text language": ("      ar: ملاحظة", "      xx: ملاحظة", None, ["unknown language code 'xx'", "edition code"]),
    "unknown service type": ("type: shelter", "type: safehouse", None, ["unknown service type 'safehouse'", "use one of"]),
    "missing source": ("    source: test fixture\n    services:\n      - id: test-legal-clinic-advice",
                       "    services:\n      - id: test-legal-clinic-advice", "  - id: test-legal-clinic",
                       ["missing `source`", "add `source:`"]),
    "missing checked on a fact": ("    value: yes\n    source: test fixture\n    checked: 2026-11-22\n",
                                  "    value: yes\n    source: test fixture\n", "  sponsorship_tie:",
                                  ["missing `checked`", "checked: YYYY-MM-DD"]),
    "not ratified without its date": ('status: not_ratified, as_of: "2020-10-05", ', "status: not_ratified, ", "treaties:",
                                      ["status not_ratified needs `as_of`"]),
    "unknown treaty without why": ("cmw: {status: unknown, why: test fixture}", "cmw: {status: unknown}", "  cmw:",
                                   ["status unknown needs `why`"]),
    "seed that does not exist": ("    source: test fixture\n    checked: 2026-11-22\ntreaties:",
                                 "    source: [{seed: 999_0000000000000000.txt, section: Intro}]\n"
                                 "    checked: 2026-11-22\ntreaties:",
                                 "    source: [{seed:", ["not listed in data/sources.yml"]),
    "future source date": ('published: "2026-10-01"', 'published: "2027-01-01"', None,
                           ["source date 2027-01-01 is in the future", "2026-11-22 or earlier"]),
    "source date not a date": ('published: "2026-10-01"', 'published: "last spring"', None,
                               ["is not a date", "YYYY-MM-DD, YYYY-MM or YYYY"]),
    "future looked-up date": ("accessed: 2026-11-20", "accessed: 2027-01-01", None, ["in the future"]),
    "contact without a source page": (SOURCE_2025, "        source: test fixture\n", '- id: test-legal-clinic-advice',
                                      ["has no source page", "url, title, published"]),
    "source page without its date": ('          published: "2025"\n', "", "- id: test-legal-clinic-advice",
                                     ["missing `published`", "the date the source itself states"]),
    "WhatsApp in national form": ('kind: whatsapp\n            number: "+96171123456"',
                                  'kind: whatsapp\n            number: "71123"', '"71123"',
                                  ["whatsapp number '71123' is not in international form", "+ and the country code"]),
    "national number without country code": ('number: "+9611123456"\n        eligibility',
                                              'number: "01123456"\n        eligibility', '"01123456"',
                                              ["neither E.164 nor a short code", "+ and the country code"]),
    "nationality without a country file": ("nationality: [PH, LK]", "nationality: [PH, XK]", None,
                                           ["nationality XK has no country file", "data/countries/xk.yml"]),
    "destination nationality without a country file": ("nationalities: [PH, LK]", "nationalities: [PH, NP]", None,
                                                       ["nationality NP has no country file"]),
    "SMS summary too long": (None, None, "- id: test-legal-clinic-advice",
                             ["one-SMS summary in", "over the 70 of one UCS-2 message", "shorter `short_name`"]),
    "duplicate id": ("  - id: test-legal-clinic\n", "  - id: test-shelter-org\n",
                     "  - id: test-shelter-org\n    name: Example Legal",
                     ["duplicate id 'test-shelter-org'", "rename one"]),
    "shared number not declared": ("        shared_number_with: [test-shelter-house]\n", "", '"+9611123456"\n        eligibility',
                                   ["also listed under service 'test-shelter-house'",
                                    "add `shared_number_with: [test-shelter-house]`"]),
    "address of a confidential place": ("            en: Greater Beirut\n",
                                        "            en: Greater Beirut\n          address: 5 Secret Road\n",
                                        "address: 5 Secret Road", ["must not have an address"]),
    "unquoted emergency number": ('number: "112"', "number: 11a2", None, ["not a short number of Lebanon"]),
    # Issue 21: data texts reach SMS, contact cards and open data that other services may render as HTML.
    "markup in a text": ("    name: Example Shelter Network", "    name: Example <svg/onload=alert(1)> Network", None,
                         ["<svg> is markup", "data texts are plain text", "without tags"]),
    "tag split over two lines": ("      ar: ملاحظة", '      ar: "ملاحظة <img\\nsrc=x onerror=alert(1)>"', None,
                                 ["<img> is markup"]),
    "comment in a text": ("    name: Example Shelter Network", "    name: Example <!-- hidden --> Network", None,
                          ["an HTML comment is markup"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_planted_mistake_is_reported_at_its_line_with_a_fix(tmp_path, case):
    old, new, marker, expected = CASES[case]
    if case == "SMS summary too long":  # two long-named lines: the Arabic summary (UCS-2, 70) no longer fits
        path, _ = _plant(tmp_path, "short_name: ESN", "short_name: Example Shelter Network1")
        text = path.read_text(encoding="utf-8").replace("type: legal", "type: labour").replace(
            "nationality: [PH, LK]", "nationality: any").replace("          en: Legal advice\n",
                                                                 "          en: Legal advice\n"
                                                                 "        short_name: Example Legal Clinic Lin\n")
        path.write_text(text, encoding="utf-8")
        line = next(i for i, c in enumerate(text.splitlines(), 1) if marker in c)
    elif case == "duplicate id":
        folder = tmp_path / "countries"
        shutil.copytree(FIXTURE, folder)
        path = folder / "lb.yml"
        text = path.read_text(encoding="utf-8").replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
        first = text.splitlines().index("  - id: test-shelter-org") + 1
        line = text.splitlines().index("  - id: test-shelter-org", first) + 1  # the second one is reported
    elif case in ("contact without a source page", "source page without its date"):
        path, _ = _plant(tmp_path, old, new, marker="id:")
        needle = '"+9611123456"' if case == "contact without a source page" else "        source:"
        lines = path.read_text(encoding="utf-8").splitlines()
        clinic = next(i for i, content in enumerate(lines, 1) if "- id: test-legal-clinic-advice" in content)
        line = next(i for i, content in enumerate(lines, 1) if i > clinic and needle in content)
        if case == "contact without a source page":
            line = max(i for i, content in enumerate(lines, 1) if needle in content)
    elif case == "shared number not declared":
        path, line = _plant(tmp_path, old, new, marker="\"+9611123456\"")
        lines = path.read_text(encoding="utf-8").splitlines()
        line = max(i for i, content in enumerate(lines, 1) if '"+9611123456"' in content)
    else:
        path, line = _plant(tmp_path, old, new, marker)
        if marker and marker.startswith("- id:"):
            line = next(i for i, c in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in c)
    found = _errors_at(path, line)
    assert found, f"no error at {path.name}:{line}; got {validate_countries(path.parent, today=TODAY, editions=EDITIONS)}"
    message = " | ".join(found)
    assert all(part in message for part in expected), message
    assert found[0].startswith(f"{path}:{line}: ")
    assert re.search(r"\(.+\)", found[0]), "the message says how to fix it, in brackets"


def test_all_errors_of_a_run_are_collected(tmp_path):
    path, _ = _plant(tmp_path, "email: help@example.org", "email: nope")
    text = path.read_text(encoding="utf-8").replace("url: https://example.org/shelter", "url: nope", 1)
    path.write_text(text, encoding="utf-8")
    (path.parent / "jo.yml").write_text(path.read_text(encoding="utf-8").replace("code: LB", "code: JO"), "utf-8")
    errors = validate_countries(path.parent, today=TODAY, editions=EDITIONS)
    messages = " ".join(str(e) for e in errors)
    assert "malformed email" in messages and "malformed URL" in messages and "duplicate id" in messages
    assert {e.path.name for e in errors} == {"jo.yml", "lb.yml"}
    with pytest.raises(DataError) as raised:
        load_countries(path.parent, today=TODAY, editions=EDITIONS)
    assert len(raised.value.errors) == len(errors)


def test_check_data_command_fails_on_errors(tmp_path, capsys):
    path, line = _plant(tmp_path, "email: help@example.org", "email: nope")
    parser = argparse.ArgumentParser()
    cmod.configure_parser(parser)
    args = parser.parse_args(["--data-dir", str(path.parent), "--today", "2026-11-22"])
    args_editions = EDITIONS
    original = cmod._editions
    cmod._editions = lambda editions: args_editions  # the fixture does not depend on mkdocs.yml
    try:
        assert cmod.run(args) == 1
    finally:
        cmod._editions = original
    assert f"lb.yml:{line}: malformed email" in capsys.readouterr().out


# --- warnings -------------------------------------------------------------------------------------------

def test_listing_from_an_old_source_is_warned_about():
    country = fixture_country()
    old = old_listings(country, TODAY)
    assert [item["service"] for item in old] == ["test-shelter-house"]
    assert old[0]["published"] == dt.date(2019, 3, 1)
    assert old_listings(country, dt.date(2021, 2, 28)) == []


def test_old_source_warning_is_printed_but_not_an_error(capsys, monkeypatch):
    monkeypatch.setattr(cmod, "_editions", lambda editions: EDITIONS)
    parser = argparse.ArgumentParser()
    cmod.configure_parser(parser)
    assert cmod.run(parser.parse_args(["--data-dir", str(FIXTURE), "--today", "2026-11-22"])) == 0
    out = capsys.readouterr().out
    assert "warning: listing 'test-shelter-house' comes from a source of 2019-03-01, over 24 months old" in out
    assert "warning: libphonenumber does not know the short number 1348 of Philippines" in out
    assert out.strip().endswith("3 country files OK")


# --- the sheet ------------------------------------------------------------------------------------------

def _directory() -> dict:
    return load_countries(FIXTURE, today=TODAY, editions=EDITIONS)


def _sheet(lang: str, country: dict | None = None, today: dt.date = TODAY) -> str:
    return render_sheet(country or fixture_country(), lang, t, lambda listing: f"/fix/{listing['id']}", today,
                        directory=_directory())


def test_sheet_in_arabic_keeps_numbers_left_to_right_and_tappable():
    html = _sheet("ar")
    links = re.findall(r"<a [^>]*>", html)
    tel = [a for a in links if 'href="tel:' in a]
    assert 'href="tel:+96171123456"' in html and 'href="tel:112"' in html
    assert 'href="https://wa.me/96171123456"' in html and 'class="kb-wa"' in html
    for number in re.findall(r'(<a class="kb-(?:tel|wa)[^"]*" href="[^"]+"[^>]*>.*?</a>)', html):
        assert 'dir="ltr"' in number, number  # the number itself reads left to right, its label follows the page
    assert all('class="kb-tel' in a for a in tel) and tel


def test_sheet_puts_emergency_numbers_first_and_groups_by_need():
    html = _sheet("en")
    order = [html.index(f"{{#{anchor}}}") for anchor in
             ("sheet-emergency", "sheet-help", "sheet-urgent", "sheet-shelter", "sheet-legal", "sheet-rights")]
    assert order == sorted(order)
    for line in html.splitlines():
        if line.startswith("#"):
            assert re.search(r" \{#[a-z0-9-]+\}$", line), line


def test_description_falls_back_to_english_with_marker():
    fr = _sheet("fr")
    assert "Répond jour et nuit." in fr  # translated text is used
    assert '[sheet.in_english]</span> <span lang="en" dir="ltr">A safe place to stay' in fr
    assert "[sheet.in_english]" not in _sheet("en")


def test_confidential_address_is_never_rendered():
    country = fixture_country()
    house = country["organizations"][0]["services"][1]
    house["location"]["address"] = "5 Secret Road"  # even if bad data slipped through
    for lang in ("en", "ar"):
        html = _sheet(lang, country)
        assert "5 Secret Road" not in html
        assert "Call the hotline first" in html
    assert "1 Example Street, Beirut" in _sheet("en")  # a public address is shown
    assert "5 Secret Road" not in json.dumps(to_tables([country]))  # tests/test_opendata.py checks every file


def test_sheet_says_where_each_number_comes_from_and_how_old_it_is():
    html = _sheet("en")
    assert html.count('Source: <a href="https://example.org/shelter/contact" title="Example Shelter Network, contact us"') == 3
    assert '<time datetime="2026-10-01">October 1, 2026</time>' in html  # the source's own date
    assert html.count("This number is from 2019: it may have changed.") == 1  # only the 2019 source
    assert html.count("Confirmed by phone on") == 1  # only where a person confirmed it
    assert "Last verified" not in html and "November 22, 2026" not in html  # no authoring date passed off as a check
    assert 'href="/fix/test-shelter-house"' in html


def test_reader_sees_her_own_contacts_first():
    tl, en = _sheet("tl"), _sheet("en")
    assert "{#sheet-for-you}" in tl and "{#sheet-for-you}" not in en  # English names no nationality
    mine = tl[tl.rindex("\n## ", 0, tl.index("{#sheet-for-you}")):tl.index("{#sheet-help}")]
    assert mine.startswith("\n## For people from Pilipinas {#sheet-for-you}")
    # her government's line for workers abroad, with the numbers that work from abroad only
    assert "test-ph-ministry-abroad-line" in mine and "wa.me/639171234567" in mine and 'tel:1348"' not in tl
    assert "test-lk-ministry-abroad-line" not in mine  # another nationality's line is folded further down
    assert tl.index("{#sheet-emergency}") < tl.index("{#sheet-for-you}") < tl.index("{#sheet-help}")
    folded = tl[tl.index("{#sheet-embassies}"):]
    assert '<details class="kb-nationality kb-folded-on-paper" markdown="1"><summary>' in folded
    assert "test-lk-ministry-abroad-line" in folded
    assert "[sheet.embassy_caution.title]" in mine and "[sheet.embassy_caution.title]" not in folded  # said once
    assert "[sheet.embassy_caution.title]" in _sheet("en")  # where no block of her own comes first, with the embassies


def test_every_listing_can_be_saved_and_passed_on():
    from scripts.plugin.sheet import page_listings, vcard

    html = _sheet("en")
    assert 'href="test-shelter-hotline.vcf" download' in html
    assert 'href="sms:?body=Example%20Shelter%20Network%3A%20%2B96171123456' in html
    org, service = next(pair for pair in page_listings(fixture_country(), _directory())
                        if pair[1]["id"] == "test-shelter-hotline")
    card = vcard(org, service, "fr")
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and card.endswith("END:VCARD\r\n")
    assert "TEL;TYPE=VOICE:+96171123456" in card and "NOTE:Ligne d'exemple" in card


def test_sms_summary_counts_like_a_phone():
    from scripts.plugin import sms

    assert sms.length("Lebanon: Emergency 112") == (22, 160, "GSM-7")
    assert sms.length("€") == (2, 160, "GSM-7")  # an extension character takes two
    assert sms.length("ኳታር: 999") == (8, 70, "UCS-2")
    text = sms.summary(fixture_country(), "Lebanon", {"emergency": "Emergency", "hotline": "Help", "labour": "Work"})
    assert text == "Lebanon: Emergency 112; ESN +96171123456"


def test_sheet_with_few_entries_says_list_is_growing():
    country = fixture_country()
    country["organizations"] = country["organizations"][1:]
    country["emergency"] = []
    html = _sheet("es", country)
    assert "[sheet.list_growing]" in html and "[sheet.no_emergency]" in html


def test_help_table_lists_every_country_with_numbers_to_tap():
    from scripts.plugin.sheet import render_help_table

    html = render_help_table(_directory(), "en", t, lambda cc: f"{cc}/")
    names = re.findall(r'<tr><th scope="row"><a href="[a-z]{2}/">([^<]+)</a></th>', html)
    assert names == ["Lebanon", "Philippines", "Sri Lanka"]  # every country, by name, sorted
    assert '<a class="kb-tel" href="tel:112" data-region="LB" dir="ltr">112</a>' in html
    assert 'href="tel:+96171123456" data-region="LB"' in html and ">ESN<" in html  # its short name


def test_country_list_uses_cldr_names_sorted():
    html = render_country_list(load_countries(REAL, editions=EDITIONS), "fr", lambda cc: f"{cc}/")
    names = re.findall(r'<a href="[a-z]{2}/">([^<]+)</a>', html)
    assert len(names) == len(list(REAL.glob("*.yml"))) and "Liban" in names and "Équateur" in names
    assert names.index("Égypte" if "Égypte" in names else "Équateur") < names.index("Éthiopie") < names.index("Guatemala")


# --- open data ------------------------------------------------------------------------------------------

def test_a_bad_phone_number_stops_the_build_and_leaves_the_site(repo_copy):
    from tests.conftest import run_kb

    path = repo_copy / "data" / "countries" / "lb.yml"
    text = path.read_text(encoding="utf-8")
    assert "number: '140'" in text
    path.write_text(text.replace("number: '140'", "number: '14x0'", 1), encoding="utf-8")
    line = next(i for i, c in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "14x0" in c)
    result = run_kb(repo_copy, "build")
    assert result.returncode == 1
    assert f"data/countries/lb.yml:{line}: emergency number '14x0'" in result.stderr, result.stderr
    assert (repo_copy / "site" / "previous.txt").exists() and not (repo_copy / "site" / "index.html").exists()


def test_indonesian_texts_are_not_taken_for_ids(tmp_path):
    # `id` is both the identifier key and Indonesian's language code; the same Indonesian text in two places
    # is a translation used twice, not a duplicate identifier.
    folder = tmp_path / "countries"
    shutil.copytree(FIXTURE, folder)
    path = folder / "lb.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    en_lines = [i for i, line in enumerate(lines) if line.lstrip().startswith("en: ")][:2]
    for i in reversed(en_lines):
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        lines.insert(i + 1, f"{indent}id: Teks yang sama\n")
    path.write_text("".join(lines), encoding="utf-8")
    assert validate_countries(folder, today=TODAY, editions=(*EDITIONS, "id")) == []


def test_markup_is_found_by_parsing_and_addresses_in_angle_brackets_are_text() -> None:
    from scripts.sources.countries import markup_in

    assert markup_in("see <https://example.org/a?b=1> for the hours") is None  # a researcher's autolink
    assert markup_in("less than <3 months; 5 < 6 and 7 > 2") is None
    assert markup_in("<https: onload=alert(1)>") == "<https:>"
    assert markup_in("call <b>now</b>") == "<b>"
    assert markup_in("x</script>") == "</script>"
