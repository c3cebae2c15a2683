"""The referral directory as a worker meets it on a 360 px phone (issue 14): her own contacts first, numbers to
tap, contacts to save, Get help's table of every country, and the root that offers her browser's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts.plugin.sheet import reader_nationalities
from scripts.project import COUNTRIES, languages
from scripts.sources.countries import load_countries

PHONE = {"viewport": {"width": 360, "height": 640}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
SCREEN = 640


def _reader_pages() -> list[tuple[str, str, str]]:
    """(edition, country, nationality) of every country page that has a "for you" block, from the data itself."""
    directory = load_countries(COUNTRIES)
    found = []
    for code, country in sorted(directory.items()):
        for lang in country.get("corridor") or []:
            for nationality in reader_nationalities(country, lang, directory):
                found.append((lang, code, nationality))
    return found


READERS = _reader_pages()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context
    context.close()


def test_the_data_has_readers_to_show_first() -> None:
    # A Tagalog reader in Saudi Arabia, a Nepali reader in Qatar: the pages below test what they see.
    assert ("tl", "sa", "PH") in READERS and ("ne", "qa", "NP") in READERS


@pytest.mark.parametrize("lang,code", [("tl", "sa"), ("ne", "qa"), ("si", "kw"), ("id", "ae")])
def test_her_own_contacts_come_right_after_the_emergency_numbers(phone, server: str, lang: str, code: str) -> None:
    page = phone.new_page()
    page.goto(f"{server}{lang}/countries/{code}/")
    order = page.evaluate("""() => ['sheet-emergency', 'sheet-for-you', 'sheet-help', 'sheet-rights']
        .map(id => { const e = document.getElementById(id); return e ? e.getBoundingClientRect().top + scrollY : null; })""")
    assert None not in order and order == sorted(order), order
    # the first number she can call or write to is within the first two screens, and big enough to tap
    first = page.locator("#sheet-for-you ~ .kb-mine a.kb-tel, #sheet-for-you ~ .kb-mine a.kb-wa, "
                         "#sheet-for-you ~ .kb-mine a.kb-mail").first
    box = first.bounding_box()
    assert box and box["y"] + box["height"] < 2 * SCREEN and box["height"] >= 40, box


@pytest.mark.parametrize("path", ["countries/sa/", "ar/countries/lb/", "am/countries/qa/", "fr/countries/ma/",
                                  "es/countries/hn/", "ru/countries/ru/", "my/countries/th/", "sw/countries/ke/"])
def test_a_country_page_is_short_before_your_rights(phone, server: str, path: str) -> None:
    page = phone.new_page()
    page.goto(server + path)
    top = page.evaluate("document.getElementById('sheet-rights').getBoundingClientRect().top + scrollY")
    assert top < 4 * SCREEN, f"{path}: 'your rights here' starts {top / SCREEN:.1f} screens down"


def test_every_listing_can_be_saved_as_a_contact_offline(phone, server: str) -> None:
    page = phone.new_page()
    page.goto(server + "tl/countries/sa/")
    cards = page.eval_on_selector_all("a.kb-vcard", "links => links.map(a => a.href)")
    assert cards
    for href in cards[:5]:
        text = page.request.get(href).text()
        assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and text.endswith("END:VCARD\r\n")
        assert "\r\nTEL;" in text or "\r\nEMAIL:" in text, text
    shares = page.eval_on_selector_all("a.kb-share", "links => links.map(a => a.getAttribute('href'))")
    assert shares and all(re.match(r"^sms:\?body=.+%3A%20(%2B)?\d", href) for href in shares), shares[:3]


def test_get_help_shows_every_country_and_the_way_to_all_contacts_above_the_fold(phone, server: str) -> None:
    expected = len(list(COUNTRIES.glob("*.yml")))
    for path in ("get-help/", "ar/get-help/", "my/get-help/"):
        page = phone.new_page()
        page.goto(server + path)
        rows = page.locator(".kb-help-table tbody tr")
        assert rows.count() == expected, path
        assert page.locator(".kb-help-table tbody tr th a").all_inner_texts() == [
            t for t in page.locator(".kb-help-table tbody tr th a").all_inner_texts() if t.strip()], "a country has no name"
        button = page.locator(".kb-all-contacts a").bounding_box()
        assert button and button["y"] + button["height"] <= SCREEN, f"{path}: the way to the country pages is below the fold"
        assert page.locator(".kb-help-table a.kb-tel").count() >= expected, "every emergency number is tappable"


@pytest.mark.parametrize("locale,lang,name", [("am-ET", "am", "አማርኛ"), ("fil-PH", "tl", "Filipino"),
                                              ("ne-NP", "ne", "नेपाली")])
def test_the_root_offers_the_browser_language_by_its_own_name(browser, server: str, locale: str, lang: str,
                                                                 name: str) -> None:
    context = browser.new_context(locale=locale, **PHONE)
    page = context.new_page()
    page.goto(server)
    offer = page.locator(f".kb-lang-offer a[hreflang='{lang}']")
    assert offer.is_visible(), f"{locale}: no offer of the {lang} edition"
    assert name.casefold() in offer.inner_text().casefold()
    assert page.locator(".kb-lang-offer a:visible").count() == 1
    offer.click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == lang
    context.close()


def test_an_english_browser_is_offered_nothing(browser, server: str) -> None:
    context = browser.new_context(locale="en-GB", **PHONE)
    page = context.new_page()
    page.goto(server)
    assert not page.locator(".kb-lang-offer").is_visible()
    context.close()


def test_the_language_menu_has_a_visible_label_in_the_reader_language(phone, server: str, site: Path) -> None:
    page = phone.new_page()
    page.goto(server + "am/")
    label = page.locator(".kb-langs summary")
    assert label.is_visible() and "አማርኛ" in label.inner_text()
    label.click()
    links = page.locator(".kb-langs a[hreflang]")
    assert links.count() == len(languages()) and "English" in links.all_inner_texts()
