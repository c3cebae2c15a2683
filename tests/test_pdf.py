"""Printable country sheets (issue 10): the PDFs the build writes, read back; the print stylesheet in Chromium.

The PDFs are the ones in the site built for this test session. Text is read back with pypdf and with Poppler's
pdftotext (word boxes, for the reading direction); one sheet per script is rendered to PNG in test-artifacts/
for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from scripts.plugin.sheet import home_listings, reader_nationalities
from scripts.postbuild import pdf
from scripts.project import DEFAULT, edition_prefix, read_config
from scripts.publish.names import sheet_pdf
from scripts.sources.countries import country_name, load_countries
from scripts.sources.locales import translator
from tests.conftest import ROOT, run_kb

ARTIFACTS = ROOT / "test-artifacts" / "sheets"
A4 = (595, 842)         # points
LETTER = (612, 792)
COUNTRIES = load_countries()
CORRIDOR = sorted((code, str(lang)) for code, country in COUNTRIES.items() for lang in country.get("corridor") or [])
# One sheet per script the site is written in (language, country on its corridor).
SCRIPTS = {"Latin": ("en", "lb"), "Arabic": ("ar", "lb"), "Ethiopic": ("am", "et"), "Sinhala": ("si", "lb"),
           "Myanmar": ("my", "th"), "Bengali": ("bn", "lb"), "Devanagari": ("ne", "np"), "Thai": ("th", "th"),
           "Cyrillic": ("ru", "ru")}


def _pdf_path(site: Path, code: str, lang: str) -> Path:
    prefix = edition_prefix(lang)
    return site / f"{prefix}countries/{code}" / sheet_pdf(read_config()["site_name"], country_name(code, DEFAULT), lang)


def _numbers(node: object) -> list[str]:
    """Every phone number in a country's data: emergency numbers and every contact, wherever it is nested."""
    if isinstance(node, dict):
        found = [str(node["number"])] if "number" in node else []
        return found + [n for value in node.values() for n in _numbers(value)]
    if isinstance(node, list):
        return [n for value in node for n in _numbers(value)]
    return []


def _on_paper(code: str, lang: str) -> set[str]:
    """The numbers a worker's printed sheet must carry (issue 14: two pages, her contacts first): the emergency
    numbers, every service of the country but other nationalities' embassies (those are online, behind the QR
    code), and her own embassy and her government's lines for workers abroad."""
    country = COUNTRIES[code]
    mine = reader_nationalities(country, lang, COUNTRIES)
    own = [service for org in country.get("organizations") or [] for service in org.get("services") or []
           if service.get("type") != "embassy"]
    home = [service for nationality in mine for _, service in home_listings(country, nationality, COUNTRIES)]
    return {n.lstrip("+") for n in _numbers(country.get("emergency") or []) + _numbers(own) + _numbers(home)}


def _digit_runs(text: str) -> set[str]:
    """Numbers as printed, with the spaces and dashes inside them taken out ("+961 71 123 456" -> "96171123456")."""
    joined = re.sub(r"(?<=\d)[\s\u00a0\u2011-]+(?=\d)", "", text)
    return set(re.findall(r"\d+", joined))


def test_every_corridor_language_of_every_country_has_its_sheet(site: Path) -> None:
    missing = [f"{code} ({lang})" for code, lang in CORRIDOR if not _pdf_path(site, code, lang).is_file()]
    assert not missing, f"no PDF sheet for: {', '.join(missing)}"
    assert len(CORRIDOR) > 21, CORRIDOR  # every country has at least English and one more
    with_numbers = [code for code, country in COUNTRIES.items() if _numbers(country)]
    assert len(with_numbers) >= 15, f"the number test below would check too little: {with_numbers}"


@pytest.mark.parametrize(("code", "lang"), CORRIDOR, ids=[f"{c}-{lang}" for c, lang in CORRIDOR])
def test_sheet_is_at_most_two_a4_pages_and_prints_every_number_in_full(site: Path, code: str, lang: str) -> None:
    reader = PdfReader(_pdf_path(site, code, lang))
    assert 1 <= len(reader.pages) <= 2, f"{code} ({lang}): {len(reader.pages)} pages"
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4
    printed = _digit_runs("\n".join(page.extract_text() for page in reader.pages))
    wanted = _on_paper(code, lang)
    assert wanted <= printed, f"{code} ({lang}): not in the PDF: {sorted(wanted - printed)}"


def test_country_page_links_its_pdf_with_its_size(site: Path) -> None:
    page = (site / "ar/countries/lb/index.html").read_text(encoding="utf-8")
    # A name a person can keep: the site, the country and the language, as the link and its `download` say.
    name = "migrant-rights-help-lebanon-ar.pdf"
    assert _pdf_path(site, "lb", "ar").name == name
    link = re.search(rf'<p class="kb-sheet-pdf"[^>]*><a href="{name}" download="{name}">([^<]+)</a> '
                     r'<span class="kb-size" dir="ltr" data-kb-pdf-size>\(([^)]+)\)</span>', page)
    assert link, "ar/countries/lb/ has no link to its PDF with a size"
    assert link.group(1) == translator("ar")("sheet.pdf")
    assert re.search(r"\d", link.group(2)), link.group(2)
    # An edition off the country's corridor has no PDF and no link to one.
    assert "ru" not in COUNTRIES["lb"]["corridor"]
    assert "kb-sheet-pdf" not in (site / "ru/countries/lb/index.html").read_text(encoding="utf-8")
    assert not _pdf_path(site, "lb", "ru").exists()


def _fullest_sheet_per_script(site: Path) -> list[Path]:
    """For each script, the corridor country page with the most text: the one most likely to need a third page."""
    from scripts.sources.terms import script

    fullest: dict[str, Path] = {}
    for code, lang in CORRIDOR:
        page = site / ("" if lang == DEFAULT else lang) / "countries" / code.lower() / "index.html"
        known = fullest.get(script(lang))
        if known is None or page.stat().st_size > known.stat().st_size:
            fullest[script(lang)] = page
    return sorted(fullest.values())


def test_sheets_also_fit_two_us_letter_pages(site: Path, tmp_path: Path) -> None:
    """The A4 test above checks every sheet; on US Letter (shorter), the fullest sheet of each script."""
    copy = tmp_path / "site"
    shutil.copytree(site / "assets", copy / "assets")
    chosen = _fullest_sheet_per_script(site)
    for page in chosen:
        target = copy / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(page, target)
    done = pdf.write_sheets(copy, paper="letter")
    assert len(done) == len(chosen) >= 8  # Latin, Arabic, Cyrillic, Ethiopic, Devanagari, Sinhala, Bengali, ...
    for sheet, _ in done:
        reader = PdfReader(sheet.pdf)
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == LETTER
        assert len(reader.pages) <= 2, f"{sheet.name}: {len(reader.pages)} US Letter pages"


def _words(path: Path, page: int = 1) -> list[tuple[str, float, float, float]]:
    """(text, xMin, xMax, yMin) of each word on a page, from pdftotext's word boxes."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(out)
    return [(w.text or "", float(w.get("xMin")), float(w.get("xMax")), float(w.get("yMin")))
            for w in root.iter("{http://www.w3.org/1999/xhtml}word")]


def _label_and_number(words: list, label: str, number: str) -> tuple[tuple, tuple]:
    # Poppler gives right-to-left words in the order their glyphs are drawn: compare both ways round.
    marks = [w for w in words if w[0] in (label, label[::-1])]
    numbers = [w for w in words if w[0] == number]
    pairs = [(m, n) for m in marks for n in numbers if abs(m[3] - n[3]) < 6]
    assert pairs, f"{label!r} and {number!r} are not on one line: {words[:40]}"
    return pairs[0]


def test_arabic_sheet_reads_right_to_left(site: Path) -> None:
    police = translator("ar")("sheet.kind.police")
    label, number = _label_and_number(_words(_pdf_path(site, "lb", "ar")), police, "112")
    assert label[1] > number[2], "the label should stand to the right of its number in Arabic"
    label, number = _label_and_number(_words(_pdf_path(site, "lb", "en")), "Police", "112")
    assert label[2] < number[1], "the label should stand to the left of its number in English"
    title = [w for w in _words(_pdf_path(site, "lb", "ar")) if w[0] in ("لبنان", "نانبل")]
    assert title and title[0][1] > A4[0] / 2, "the Arabic title should start at the right"


def test_sheet_names_the_country_and_the_language(site: Path) -> None:
    text = PdfReader(_pdf_path(site, "np", "ne")).pages[0].extract_text()
    assert "नेपाल · नेपाली" in text, text[:300]  # "Nepal · Nepali", the heading
    text = PdfReader(_pdf_path(site, "lb", "fr")).pages[0].extract_text()
    assert "Liban · Français" in text, text[:300]


def test_one_sheet_per_script_as_a_picture_for_people_to_check(site: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for script, (lang, code) in SCRIPTS.items():
        stem = ARTIFACTS / f"{script.lower()}-{lang}-{code}"
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile",
                        str(_pdf_path(site, code, lang)), str(stem)], check=True)
        image = stem.with_suffix(".png")
        assert image.stat().st_size > 20_000, f"{image} looks empty"


def _built_page(site: Path) -> tuple[Path, str]:
    page = site / "countries/lb/index.html"
    return page, page.read_text(encoding="utf-8")


def test_a_character_no_font_can_draw_fails_the_sheet_and_names_it(site: Path) -> None:
    page, text = _built_page(site)
    planted = text.replace("<h1>", "<h1>\ue000", 1)
    with pytest.raises(pdf.SheetError, match="U\\+E000"):
        pdf.render_pdf(page, site, html_text=planted)  # planted in the HTML only: no source file to name
    pdf.render_pdf(page, site, html_text=text)  # the clean page renders


def test_a_sheet_loads_nothing_from_another_host(site: Path) -> None:
    page, text = _built_page(site)
    planted = text.replace("<h1>", '<h1><img src="https://tracker.example/p.png" alt="">', 1)
    with pytest.raises(pdf.SheetError, match="refused https://tracker.example/p.png"):
        pdf.render_pdf(page, site, html_text=planted)


def test_a_failed_sheet_names_its_country_and_language(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site / "assets", copy / "assets")
    for rel in ("countries/lb/index.html", "ar/countries/lb/index.html"):
        (copy / rel).parent.mkdir(parents=True)
        shutil.copy2(site / rel, copy / rel)
    bad = copy / "ar/countries/lb/index.html"
    bad.write_text(bad.read_text(encoding="utf-8").replace("<h1>", "<h1>\ue000", 1), encoding="utf-8")
    with pytest.raises(pdf.SheetError) as failure:
        pdf.write_sheets(copy, workers=1)
    assert ("ar/countries/lb/migrant-rights-help-lebanon-ar.pdf: lb (ar): no installed font can draw U+E000"
            in str(failure.value))
    assert "1 country sheet(s) failed" in str(failure.value)
    assert (copy / "countries/lb/migrant-rights-help-lebanon-en.pdf").is_file(), "the good sheet is still written"


def test_planted_phone_and_whatsapp_contacts_print_in_full(repo_copy: Path) -> None:
    """A listing with a phone and a WhatsApp number prints both numbers in full."""
    path = repo_copy / "data/countries/lb.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    service = data["organizations"][0]["services"][0]
    service["contacts"] = [{"kind": "phone", "number": "+96171123456"}, {"kind": "whatsapp", "number": "+96176654321"}]
    service["source"] = {"url": "https://example.org/planted", "title": "Planted for this test", "published": "2026-01",
                         "accessed": "2026-11-30"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_kb(repo_copy, "build", "--lang", "en")
    assert result.returncode == 0, result.stderr[-3000:]
    printed = _digit_runs("\n".join(p.extract_text() for p in PdfReader(_pdf_path(repo_copy / "site", "lb", "en")).pages))
    assert {"96171123456", "96176654321", "112"} <= printed, sorted(printed)


def test_print_stylesheet_in_chromium_shows_paper_only_what_paper_needs(browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 794, "height": 1123})
    page = context.new_page()
    page.goto(server + "ar/countries/lb/")
    page.emulate_media(media="print")

    def shown(selector: str) -> bool:
        return page.eval_on_selector(selector, "e => getComputedStyle(e).display !== 'none' && e.offsetHeight > 0")

    for chrome in (".md-header", "#kb-exit", ".md-footer", ".kb-sheet-pdf", ".kb-open-data"):
        if page.locator(chrome).count():
            assert not shown(chrome), f"{chrome} is printed"
    for paper in (".kb-qr", ".kb-print-address", ".kb-edition", ".kb-emergency-number"):
        assert shown(paper), f"{paper} is not printed"
    colour = page.eval_on_selector(".md-typeset", "e => getComputedStyle(e).color")
    assert colour == "rgb(0, 0, 0)", colour
    # Where links lead is printed after them: a link to another site, and (once the browser is about to print)
    # a link to another page of this site, as the full address the browser resolved.
    page.eval_on_selector(".md-content .md-typeset", "e => e.insertAdjacentHTML('beforeend', "
                          "'<p><a id=planted href=\"https://example.org/help\">x</a></p>')")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    after = page.eval_on_selector("#planted", "a => getComputedStyle(a, '::after').content")
    assert "https://example.org/help" in after, after
    internal = page.eval_on_selector(".md-content a[href$='countries/'], .md-content a[href*='../']",
                                     "a => [a.href, getComputedStyle(a, '::after').content]")
    assert internal[0].startswith(server) and internal[0] in internal[1], internal
    context.close()


@pytest.mark.parametrize("path", ["ar/countries/lb/", "am/countries/et/", "my/countries/th/", "countries/sa/"])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_printing_a_sheet_from_chromium_fits_two_pages(browser, server: str, path: str, paper: str) -> None:
    import io

    context = browser.new_context()
    page = context.new_page()
    page.goto(server + path)
    data = page.pdf(format=paper, prefer_css_page_size=False)
    context.close()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) <= 2, f"{path} prints on {len(reader.pages)} {paper} pages from the browser"
    lang = path.split("/")[0] if path.count("/") == 3 else DEFAULT
    wanted = _on_paper(path.split("/")[-2], lang)
    printed = _digit_runs("\n".join(p.extract_text() for p in reader.pages))
    assert wanted and wanted <= printed, f"not printed: {sorted(wanted - printed)}"


def test_a_character_no_font_has_in_a_translation_stops_the_build_naming_file_and_line(repo_copy: Path) -> None:
    # The page is made from data: plant the character in the country's Arabic text about who migrates there.
    data = repo_copy / "data/countries/lb.yml"
    lines = data.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("    ar: "))
    lines[at] = lines[at].rstrip().removesuffix('"') + ' \ue000"' if lines[at].rstrip().endswith('"') else lines[at] + " \ue000"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_kb(repo_copy, "build", "--lang", "ar")
    assert result.returncode != 0
    assert f"lb (ar): no installed font can draw U+E000 at data/countries/lb.yml:{at + 1}" in result.stderr, result.stderr
    assert (repo_copy / "site/previous.txt").is_file() and not (repo_copy / "site/ar").exists()
