"""Render a country's data as the country sheet (Markdown with inline HTML), in the reader's language.

Pure functions: the hook passes the country dict, the language, `t` (UI strings from locales/), a function
giving the "Suggest a correction" link of a listing, and today's date.

Order of the sheet, for a reader in danger first: emergency numbers; "your rights here" (three legal facts);
where to get help, grouped by need (urgent help, shelter, legal, health, embassies, workers' organisations,
other). Every heading has a stable, language-neutral id; a listing's id is its service id.

Numbers are wrapped in `dir="ltr"` elements so they read correctly inside right-to-left pages, and are links
(`tel:`, `https://wa.me/...`) big enough to tap. Text missing in the reader's language falls back to English,
marked visibly and with `lang="en"`. A confidential place never shows its address.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

import phonenumbers
from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from scripts.countries import stale_before

GROUPS = (  # (heading id, UI key, service types), in the order a person in need looks for them
    ("sheet-urgent", "sheet.group.hotline", ("hotline",)),
    ("sheet-shelter", "sheet.group.shelter", ("shelter",)),
    ("sheet-legal", "sheet.group.legal", ("legal",)),
    ("sheet-health", "sheet.group.health", ("health",)),
    ("sheet-embassies", "sheet.group.embassy", ("embassy",)),
    ("sheet-workers", "sheet.group.workers", ("workers-organisation",)),
    ("sheet-other", "sheet.group.other", ("social-support", "return-reintegration")),
)
FACTS = ("domestic_work_in_labour_law", "sponsorship_tie", "c189_ratified")
FEW_LISTINGS = 3  # below this many listings the sheet says the list is still growing
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#+!|])")

T = Callable[[str], str]


def _say(t: T, key: str, **values: str) -> str:
    """A UI string with `{name}` placeholders filled (values are already HTML)."""
    text = html.escape(t(key), quote=False)
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def _text(value: Any, lang: str, t: T) -> str:
    """Text in `lang`, or the English text marked as English (visible marker, `lang="en"`)."""
    if not isinstance(value, Mapping):
        return html.escape(str(value or ""), quote=False)
    if value.get(lang):
        return html.escape(value[lang], quote=False)
    english = html.escape(value.get("en", ""), quote=False)
    if lang == "en":
        return english
    return (f'<span class="kb-in-english">{_say(t, "sheet.in_english")}</span> '
            f'<span lang="en" dir="ltr">{english}</span>')


def _heading(level: int, text: str, anchor: str) -> str:
    plain = _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    return f"{'#' * level} {plain} {{#{anchor}}}"


def _date(value: Any, lang: str) -> str:
    when = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    try:
        shown = format_date(when, format="long", locale=_locale(lang))
    except (UnknownLocaleError, ValueError):
        shown = when.isoformat()
    return f'<time datetime="{when.isoformat()}">{html.escape(shown)}</time>'


def _emergency(country: Mapping, lang: str, t: T) -> list[str]:
    out = [_heading(2, t("sheet.emergency"), "sheet-emergency"), ""]
    numbers = country.get("emergency") or []
    if not numbers:
        return out + [f'<p class="kb-no-numbers">{_say(t, "sheet.no_emergency")}</p>', ""]
    items = []
    for entry in numbers:
        number = html.escape(str(entry["number"]))
        note = f' <span class="kb-note">{_text(entry["note"], lang, t)}</span>' if entry.get("note") else ""
        items.append(f'<li><span class="kb-kind">{_say(t, "sheet.kind." + entry["kind"])}</span> '
                     f'<a class="kb-tel kb-emergency-number" href="tel:{number}" dir="ltr">{number}</a>{note}</li>')
    return out + ['<ul class="kb-emergency">' + "".join(items) + "</ul>", ""]


def _rights(country: Mapping, lang: str, t: T) -> list[str]:
    out = [_heading(2, t("sheet.rights"), "sheet-rights"), ""]
    groups = country.get("migrant_groups") or {}
    intro = f'<p class="kb-groups">{_text(groups["text"], lang, t)}</p>' if groups.get("text") else ""
    rows = []
    for name in FACTS:
        fact = (country.get("legal") or {}).get(name)
        if not fact:
            continue
        note = f' <span class="kb-note">{_text(fact["note"], lang, t)}</span>' if fact.get("note") else ""
        source = (f' <small class="kb-source">{_say(t, "sheet.source")}: '
                  f'<span lang="en" dir="ltr">{html.escape(fact["source"], quote=False)}</span></small>')
        rows.append(f'<dt>{_say(t, "sheet.fact." + name)}</dt><dd><strong class="kb-answer kb-answer-{fact["value"]}">'
                    f'{_say(t, "sheet.answer." + fact["value"])}</strong>{note}{source}</dd>')
    return out + [f'<div class="kb-situation">{intro}<dl class="kb-rights">{"".join(rows)}</dl></div>', ""]


def _contact(contact: Mapping, t: T) -> str:
    number = str(contact["number"])
    try:
        shown = phonenumbers.format_number(phonenumbers.parse(number), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        shown = number
    digits = number.lstrip("+")
    kind = contact.get("kind", "phone")
    href, css = {
        "phone": (f"tel:{number}", "kb-tel"),
        "whatsapp": (f"https://wa.me/{digits}", "kb-wa"),
        "signal": (f"https://signal.me/#p/{number}", "kb-signal"),
        "viber": (f"viber://chat?number=%2B{digits}", "kb-viber"),
    }[kind]
    return (f'<li><span class="kb-contact-kind">{_say(t, "sheet.contact." + kind)}</span> '
            f'<a class="{css}" href="{html.escape(href)}" dir="ltr">{html.escape(shown)}</a></li>')


def _language_name(code: str, reader: Locale) -> str:
    try:
        parsed = Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        return code
    return reader.languages.get(parsed.language) or parsed.get_display_name(reader) or code


def _facts(service: Mapping, lang: str, t: T) -> list[tuple[str, str]]:
    reader, facts = _locale(lang), []
    spoken = [f'{html.escape(_language_name(item["code"], reader))}'
              + (f' ({_text(item["note"], lang, t)})' if item.get("note") else "")
              for item in service.get("languages") or []]
    if spoken:
        facts.append(("sheet.languages", ", ".join(spoken)))
    rules = service.get("eligibility") or {}
    who = []
    if rules.get("gender"):
        who.append(_say(t, "sheet.gender." + rules["gender"]))
    nationality = rules.get("nationality")
    if nationality == "any":
        who.append(_say(t, "sheet.nationality_any"))
    elif nationality:
        names = ", ".join(html.escape(reader.territories.get(cc, cc)) for cc in nationality)
        who.append(_say(t, "sheet.nationality_only", countries=names))
    if rules.get("any_immigration_status"):
        who.append(_say(t, "sheet.any_status"))
    if who:
        facts.append(("sheet.eligibility", "; ".join(who)))
    if rules.get("documents_needed"):
        facts.append(("sheet.documents", _text(rules["documents_needed"], lang, t)))
    if service.get("schedule"):
        facts.append(("sheet.hours", _text(service["schedule"], lang, t)))
    facts.append(("sheet.cost", _say(t, "sheet.cost_" + service.get("cost", "unknown"))))
    place = service.get("location") or {}
    if place:
        parts = [_text(place["area"], lang, t)] if place.get("area") else []
        if place.get("confidential"):
            parts.append(_say(t, "sheet.confidential"))
            if place.get("front_door"):
                parts.append(f'{_say(t, "sheet.front_door")}: {_text(place["front_door"], lang, t)}')
        elif place.get("address"):
            parts.append(f'<span class="kb-address">{html.escape(place["address"], quote=False)}</span>')
        if parts:
            facts.append(("sheet.location", " ".join(parts)))
    return facts


def _listing(org: Mapping, service: Mapping, lang: str, t: T, correction_url: Callable[[dict], str],
             today: dt.date, code: str) -> list[str]:
    parts = []
    if service.get("name"):
        parts.append(f'<p class="kb-service-name">{_text(service["name"], lang, t)}</p>')
    parts.append(f'<p class="kb-description">{_text(service.get("description") or org.get("description"), lang, t)}</p>')
    contacts = service.get("contacts") or []
    if contacts:
        parts.append('<ul class="kb-contacts">' + "".join(_contact(c, t) for c in contacts) + "</ul>")
    facts = _facts(service, lang, t)
    links = []
    for key, css in (("email", "kb-email"), ("url", "kb-website")):
        value = service.get(key) or org.get(key)
        if value:
            href = f"mailto:{value}" if key == "email" else value
            link = f'<a class="{css}" href="{html.escape(href)}" dir="ltr">{html.escape(value)}</a>'
            links.append((f"sheet.{key}", link))
    rows = "".join(f"<dt>{_say(t, key)}</dt><dd>{value}</dd>" for key, value in facts + links)
    parts.append(f'<dl class="kb-facts">{rows}</dl>')
    assured = dt.date.fromisoformat(str(service["assured_date"]))
    parts.append(f'<p class="kb-verified">{_say(t, "sheet.last_verified", date=_date(assured, lang))}</p>')
    if assured < stale_before(today):
        parts.append(f'<p class="kb-stale" role="note">{_say(t, "sheet.stale", date=_date(assured, lang))}</p>')
    listing = {"_country": code, "id": service["id"], "organization": org["id"], "name": org["name"],
               "service": dict(service)}
    parts.append(f'<p class="kb-correct"><a class="kb-correction" href="{html.escape(correction_url(listing))}">'
                 f'{_say(t, "sheet.suggest_correction")}</a></p>')
    return [_heading(4, org["name"], service["id"]), "",
            f'<div class="kb-listing" data-type="{html.escape(service["type"])}">' + "".join(parts) + "</div>", ""]


def file_size(size: int, lang: str) -> str:
    """A download size as a reader expects it, in their own digits and separators: "3.4 kB", "1.2 MB"."""
    from babel.units import format_unit

    value, unit = (size / 1_000_000, "digital-megabyte") if size >= 1_000_000 else (max(size / 1000, 0.1), "digital-kilobyte")
    try:
        return format_unit(round(value, 1), unit, length="short", locale=_locale(lang))
    except (UnknownLocaleError, ValueError):
        return f"{value:.1f} {'MB' if unit.endswith('megabyte') else 'kB'}"


def _open_data(downloads: list[tuple[str, str, int]], lang: str, t: T) -> list[str]:
    items = "".join(f'<li><a href="{html.escape(href)}" download>{_say(t, key)}</a> '
                    f'<span class="kb-size" dir="ltr">({html.escape(file_size(size, lang))})</span></li>'
                    for key, href, size in downloads)
    return [_heading(2, t("sheet.open_data"), "sheet-open-data"), "",
            f'<p class="kb-open-data-note">{_say(t, "sheet.open_data_note")}</p>', "",
            f'<ul class="kb-open-data">{items}</ul>', ""]


PDF_NAME = "sheet.pdf"  # next to the country page; written after the page by scripts/pdf.py


def sheet_title(title: str, lang: str) -> str:
    """The country page's heading. On paper it also names the language: a sheet handed out at an airport
    must say which edition it is. (The theme adds a plain <h1> only to pages without one.)"""
    from scripts.languages import native_name

    return (f'<h1>{html.escape(title)}<span class="kb-print-only kb-edition" data-search-skip> · '
            f'{html.escape(native_name(lang))}</span></h1>')


def qr_code(address: str, t: T) -> str:
    """The page's online address as a QR code (inline SVG, made at build time) for the printed sheet.

    Only print shows it (`kb-print-only`); search skips it.
    """
    import segno

    svg = segno.make(address, error="m").svg_inline(border=0, omitsize=True, svgclass="kb-qr__code", dark="#000")
    return (f'<div class="kb-qr kb-print-only" data-search-skip aria-hidden="true">{svg}'
            f'<p class="kb-qr__caption">{_say(t, "sheet.qr")}</p></div>')


def pdf_link(code: str, t: T) -> str:
    """The link to the sheet's PDF; scripts/pdf.py fills in its size once the PDF exists."""
    return (f'<p class="kb-sheet-pdf" data-kb-sheet="{html.escape(code)}"><a href="{PDF_NAME}" download>'
            f'{_say(t, "sheet.pdf")}</a> <span class="kb-size" dir="ltr" data-kb-pdf-size></span></p>')


def render_sheet(country: dict, lang: str, t: Callable[[str], str], correction_url: Callable[[dict], str],
                 today: dt.date, downloads: list[tuple[str, str, int]] | None = None, qr: str = "",
                 pdf: str = "") -> str:
    """The country sheet in `lang` as Markdown with inline HTML (needs attr_list for heading ids).

    `downloads` are (UI key, href, size in bytes) of the open-data files, listed at the end. Emergency numbers come
    first, then the services grouped by need, then "your rights here". `qr` (from `qr_code`) goes first, beside
    the emergency numbers on paper; `pdf` (from `pdf_link`) before the open data.
    """
    code = str(country["code"]).lower()
    lines = [qr, ""] if qr else []
    # The order of a handed-out sheet: who to call now, then where to go, then the law (issue 10).
    lines += _emergency(country, lang, t)
    lines += [_heading(2, t("sheet.help"), "sheet-help"), ""]
    pairs = [(org, service) for org in country.get("organizations") or [] for service in org.get("services") or []]
    if not pairs:
        lines += [f'<p class="kb-no-listings">{_say(t, "sheet.no_listings")}</p>', ""]
    if len(pairs) < FEW_LISTINGS:
        lines += [f'<p class="kb-growing">{_say(t, "sheet.list_growing")}</p>', ""]
    for anchor, key, types in GROUPS:
        members = [(org, service) for org, service in pairs if service.get("type") in types]
        if not members:
            continue
        lines += [_heading(3, t(key), anchor), ""]
        for org, service in members:
            lines += _listing(org, service, lang, t, correction_url, today, code)
    lines += _rights(country, lang, t)
    if pdf:
        lines += [pdf, ""]
    if downloads:
        lines += _open_data(downloads, lang, t)
    return "\n".join(lines).rstrip() + "\n"


def _sort_key(name: str) -> str:
    # Good enough without ICU: accents do not move a name to the end ("Équateur" sorts with "E").
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def render_country_list(countries: Mapping[str, dict], lang: str, page_url_for_code: Callable[[str], str]) -> str:
    """The "Choose your country" list: CLDR names in `lang`, sorted by name; links from `page_url_for_code(cc)`."""
    reader = _locale(lang)
    entries = []
    for key, country in countries.items():
        code = str(country.get("code") or key).upper()
        entries.append((reader.territories.get(code) or Locale.parse("en").territories.get(code, code), code))
    items = [f'<li><a href="{html.escape(page_url_for_code(code.lower()))}">{html.escape(name)}</a></li>'
             for name, code in sorted(entries, key=lambda item: _sort_key(item[0]))]
    return '<ul class="kb-country-list">' + "".join(items) + "</ul>\n"
