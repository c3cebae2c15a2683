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
from urllib.parse import quote, urlsplit

import phonenumbers
from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from scripts.directory.records import confirmed_works
from scripts.sources import citations
from scripts.sources.countries import (  # reader_nationalities, home_listings: re-exported, the sheet's own vocabulary
    contact_source,
    country_name,
    home_listings,
    is_page,
    listing_source_date,
    old_before,
    published_date,
    reader_nationalities,
)

GROUPS = (  # (heading id, UI key, service types), in the order a person in need looks for them
    ("sheet-urgent", "sheet.group.hotline", ("hotline",)),
    ("sheet-labour", "sheet.group.labour", ("labour",)),
    ("sheet-shelter", "sheet.group.shelter", ("shelter",)),
    ("sheet-legal", "sheet.group.legal", ("legal",)),
    ("sheet-health", "sheet.group.health", ("health",)),
    ("sheet-embassies", "sheet.group.embassy", ("embassy",)),
    ("sheet-workers", "sheet.group.workers", ("workers-organisation",)),
    ("sheet-recruitment", "sheet.group.recruitment", ("recruitment",)),
    ("sheet-other", "sheet.group.other", ("social-support", "return-reintegration")),
)
UNFOLDED = ("sheet-urgent", "sheet-embassies")  # always open: urgent help; embassies fold by nationality themselves
OPEN_LISTINGS = 4  # after this many listings are shown open, the remaining needs fold under their heading
FACTS = ("domestic_work_in_labour_law", "sponsorship_tie")
# The "What protects you here" block, in this order: the `treaties` keys of the data, which are also the
# instruments' `key`s in data/sources.yml (their names for readers: the `source.<key>` interface strings).
TREATIES = ("c189", "palermo", "cmw", "p29")
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


def _cited(source: object, lang: str, t: T, known: citations.Catalogue) -> str:
    """A source line in plain words (title, publisher, date; never a file name), in the reader's language where the
    interface has the document's name; a page's own title stays as the page has it (`dir="auto"`)."""
    shown = html.escape(citations.label(source, lang, t, known), quote=False)
    return f'<small class="kb-source">{_say(t, "sheet.source")}: <span dir="auto">{shown}</span></small>'


def _rights(country: Mapping, lang: str, t: T, known: citations.Catalogue) -> list[str]:
    out = [_heading(2, t("sheet.rights"), "sheet-rights"), ""]
    groups = country.get("migrant_groups") or {}
    intro = f'<p class="kb-groups">{_text(groups["text"], lang, t)}</p>' if groups.get("text") else ""
    rows = []
    for name in FACTS:
        fact = (country.get("legal") or {}).get(name)
        if not fact:
            continue
        note = f' <span class="kb-note">{_text(fact["note"], lang, t)}</span>' if fact.get("note") else ""
        rows.append(f'<dt>{_say(t, "sheet.fact." + name)}</dt><dd><strong class="kb-answer kb-answer-{fact["value"]}">'
                    f'{_say(t, "sheet.answer." + fact["value"])}</strong>{note} {_cited(fact["source"], lang, t, known)}</dd>')
    return out + [f'<div class="kb-situation">{intro}<dl class="kb-rights">{"".join(rows)}</dl></div>', ""]


def _treaty_answer(treaty: Mapping, lang: str, t: T) -> str:
    status = treaty["status"]
    if status == "ratified":
        year = treaty.get("year")
        said = _say(t, "sheet.treaty.ratified_in", year=str(year)) if year else _say(t, "sheet.treaty.ratified")
    elif status == "not_ratified":
        as_of = str(treaty["as_of"])
        shown = f'<time datetime="{as_of}">{html.escape(citations.shown_date(as_of, lang))}</time>'
        said = _say(t, "sheet.treaty.not_ratified", date=shown)
    else:
        said = _say(t, "sheet.treaty.unknown")
    return f'<strong class="kb-answer kb-treaty-{status}">{said}</strong>'


def _protects(country: Mapping, lang: str, t: T, known: citations.Catalogue) -> list[str]:
    """Which of the four instruments bind this country, each with its list of parties and that list's date; then
    what the source reports found here. Without it, a reader cannot tell a right from a hope."""
    treaties = country.get("treaties") or {}
    out = [_heading(2, t("sheet.protects"), "sheet-protects"), "",
           f'<p class="kb-protects-intro">{_say(t, "sheet.protects_intro")}</p>']
    named = {entry.get("key"): name for name, entry in known.instruments.items()}
    rows = []
    for key in TREATIES:
        treaty = treaties.get(key)
        if not treaty:
            continue
        instrument = html.escape(citations.label({"instrument": named[key]}, lang, t, known), quote=False)
        source = f" {_cited(treaty['source'], lang, t, known)}" if treaty.get("source") else ""
        rows.append(f'<dt>{instrument}</dt><dd>{_treaty_answer(treaty, lang, t)}{source}</dd>')
    out.append(f'<dl class="kb-rights kb-treaties">{"".join(rows)}</dl>')
    findings = country.get("findings")
    if findings:
        out += ["", _heading(3, t("sheet.findings"), "sheet-findings"), "",
                f'<p class="kb-findings">{_text(findings["text"], lang, t)} {_cited(findings["sources"], lang, t, known)}</p>']
    return out + [""]


def shown_number(number: str) -> str:
    """A number as people write it (`+974 4406 9999`); short codes as they are."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(number), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return number


def _contact(contact: Mapping, lang: str, t: T) -> str:
    number = str(contact["number"])
    shown = shown_number(number)
    digits = number.lstrip("+")
    kind = contact.get("kind", "phone")
    href, css = {
        "phone": (f"tel:{number}", "kb-tel"),
        "sms": (f"sms:{number}", "kb-sms"),
        "whatsapp": (f"https://wa.me/{digits}", "kb-wa"),
        "signal": (f"https://signal.me/#p/{number}", "kb-signal"),
        "viber": (f"viber://chat?number=%2B{digits}", "kb-viber"),
    }[kind]
    note = f' <span class="kb-note">{_text(contact["note"], lang, t)}</span>' if contact.get("note") else ""
    region = f' data-region="{html.escape(contact["region"])}"' if contact.get("region") else ""
    return (f'<li><a class="{css}" href="{html.escape(href)}"{region}><span class="kb-contact-kind">'
            f'{_say(t, "sheet.contact." + kind)}</span> <span dir="ltr">{html.escape(shown)}</span></a>{note}</li>')


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


def _source(service: Mapping, lang: str, t: T, today: dt.date) -> list[str]:
    """Where the numbers come from and how old that is, in the reader's language; who confirmed it, if anyone."""
    page = service.get("source")
    if not is_page(page):
        page = next((contact_source(service, c) for c in service.get("contacts") or [] if contact_source(service, c)), None)
    out = []
    if is_page(page):
        when = published_date(str(page["published"]))
        shown = (_date(when, lang) if len(str(page["published"])) == 10  # a year or a month is shown as the year
                 else f'<time datetime="{page["published"]}">{when.year}</time>')
        # Short on screen: who published it, linked to the page (its full title is the link's tooltip).
        host = urlsplit(page["url"]).hostname or page["url"]
        who = page.get("publisher") or host.removeprefix("www.")
        title = (f'<a href="{html.escape(page["url"])}" title="{html.escape(page["title"])}" rel="noopener noreferrer" '
                 f'lang="und" dir="auto">{html.escape(who, quote=False)}</a>')
        out.append(f'<span class="kb-source">{_say(t, "sheet.source_from", source=title, date=shown)}</span>')
    oldest, confirmed = listing_source_date(service), confirmed_works(service)
    recently = confirmed and dt.date.fromisoformat(str(confirmed["date"])) >= old_before(today)
    if oldest and oldest < old_before(today) and not recently:  # a person's recent call outweighs an old page
        out.append(f'<strong class="kb-stale">{_say(t, "sheet.source_old", year=str(oldest.year))}</strong>')
    if confirmed:  # only from a person's record, never from the date a listing was written
        said = _say(t, "sheet.confirmed." + confirmed["how"].replace("-", "_"), date=_date(confirmed["date"], lang))
        out.append(f'<span class="kb-verified">{said}</span>')
    return out


def _who(service: Mapping, lang: str, t: T) -> str:
    """One line: day and night, cost, whom it serves, languages spoken."""
    bits = []
    if service.get("open_24_7"):
        bits.append(_say(t, "sheet.open_24_7"))
    cost = service.get("cost", "unknown")
    if cost != "unknown":
        bits.append(_say(t, "sheet.cost_" + cost))
    for key, value in _facts(service, lang, t):
        if key in ("sheet.eligibility", "sheet.languages"):
            bits.append(f'{_say(t, key)}: {value}')
    return " · ".join(bits)


def vcard(org: Mapping, service: Mapping, lang: str) -> str:
    """The listing as a contact card (vCard 3.0, RFC 2426), to save in the phone's contacts without a network."""
    def esc(value: str) -> str:
        return str(value).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")

    name = service.get("name") or {}
    label = name.get(lang) or name.get("en") or ""
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{esc(org['name'])}", f"ORG:{esc(org['name'])}"]
    if label:
        lines.append(f"NOTE:{esc(label)}")
    for contact in service.get("contacts") or []:
        kind = contact.get("kind", "phone")
        if kind in ("phone", "sms"):
            lines.append(f"TEL;TYPE={'VOICE' if kind == 'phone' else 'TEXT'}:{contact['number']}")
        elif kind == "whatsapp":
            lines.append(f"TEL;TYPE=CELL:{contact['number']}")
    email = service.get("email") or org.get("email")
    if email:
        lines.append(f"EMAIL:{email}")
    url = service.get("url") or org.get("url")
    if url:
        lines.append(f"URL:{url}")
    return "\r\n".join(lines + ["END:VCARD"]) + "\r\n"


def vcard_name(service: Mapping) -> str:
    """The card's file name, next to the country page."""
    return f"{service['id']}.vcf"


def _actions(org: Mapping, service: Mapping, t: T) -> str:
    """Save as a contact (a card made at build time) and pass the number on by SMS."""
    numbers = [c for c in service.get("contacts") or [] if c.get("kind", "phone") in ("phone", "whatsapp", "sms")]
    if not numbers:
        return ""
    body = f"{org['name']}: " + ", ".join(str(c["number"]) for c in numbers[:2])
    return (f'<p class="kb-actions"><a class="kb-vcard" href="{html.escape(vcard_name(service))}" download '
            f'title="{html.escape(t("sheet.save_contact_hint"), quote=True)}">{_say(t, "sheet.save_contact")}</a> · '
            f'<a class="kb-share" href="sms:?body={html.escape(quote(body))}">{_say(t, "sheet.share_sms")}</a></p>')


def _listing(org: Mapping, service: Mapping, lang: str, t: T, correction_url: Callable[[dict], str],
             today: dt.date, code: str, home: str = "", report: Callable[[str], str] | None = None) -> list[str]:
    """One listing, short: name, numbers to tap, whom it serves, the source and its age; the rest folded."""
    parts = []
    name = _text(service["name"], lang, t) if service.get("name") else ""
    if home:  # a service of the reader's (or another) home country, shown on a destination's page
        name += f' <span class="kb-home">({html.escape(home)})</span>'
    if name:
        parts.append(f'<p class="kb-service-name">{name}</p>')
    contacts = service.get("contacts") or []
    description = f'<p class="kb-description">{_text(service.get("description") or org.get("description"), lang, t)}</p>'
    email = service.get("email") or org.get("email")
    buttons = [_contact(c, lang, t) for c in contacts]
    if email:  # a listing she can only write to is still one she can reach today
        buttons.append(f'<li><a class="kb-mail" href="mailto:{html.escape(email)}"><span class="kb-contact-kind">'
                       f'{_say(t, "sheet.email")}</span> <span dir="ltr">{html.escape(email)}</span></a></li>')
    if buttons:
        parts.append('<ul class="kb-contacts">' + "".join(buttons) + "</ul>")
    if not contacts:
        parts.append(description)
    # One small paragraph: whom it serves, where the number comes from and how old that is.
    meta = [bit for bit in [_who(service, lang, t)] + _source(service, lang, t, today) if bit]
    if meta:
        parts.append(f'<p class="kb-meta" data-search-skip>{" · ".join(meta)}</p>')
    if report and (contacts or email):  # the publisher's own channel (scripts/directory/reports.py), her choice to send
        href = html.escape(report(service["id"]))
        parts.append(f'<p class="kb-report kb-screen-only" data-search-skip><a class="kb-report-link" href="{href}">'
                     f'{_say(t, "sheet.report")}</a></p>')
    more = [_actions(org, service, t)] + ([description] if contacts else [])
    facts = [(key, value) for key, value in _facts(service, lang, t)
             if key not in ("sheet.eligibility", "sheet.languages", "sheet.cost")]
    for key, css in (("url", "kb-website"),):
        value = service.get(key) or org.get(key)
        if value:
            href = f"mailto:{value}" if key == "email" else value
            facts.append((f"sheet.{key}", f'<a class="{css}" href="{html.escape(href)}" dir="ltr">{html.escape(value)}</a>'))
    page = service.get("source")
    if is_page(page):
        facts.append(("sheet.looked_up", _date(page["accessed"], lang)))
    if facts:
        more.append('<dl class="kb-facts">' + "".join(f"<dt>{_say(t, k)}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>")
    listing = {"_country": code, "id": service["id"], "organization": org["id"], "name": org["name"],
               "service": dict(service)}
    more.append(f'<p class="kb-correct"><a class="kb-correction" href="{html.escape(correction_url(listing))}">'
                f'{_say(t, "sheet.suggest_correction")}</a></p>')
    parts.append(f'<details class="kb-more" data-search-skip><summary>{_say(t, "sheet.more")}</summary>{"".join(more)}</details>')
    return [_heading(4, org["name"], service["id"]), "",
            f'<div class="kb-listing" data-type="{html.escape(service["type"])}">' + "".join(p for p in parts if p)
            + "</div>", ""]


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


def pdf_link(code: str, file_name: str, t: T) -> str:
    """The link to the sheet's PDF, `file_name` next to the page (scripts/publish/names.py); scripts/postbuild/pdf.py writes
    the PDF under that name and fills in its size."""
    name = html.escape(file_name)
    return (f'<p class="kb-sheet-pdf" data-kb-sheet="{html.escape(code)}"><a href="{name}" download="{name}">'
            f'{_say(t, "sheet.pdf")}</a> <span class="kb-size" dir="ltr" data-kb-pdf-size></span></p>')


def _embassy_caution(t: T) -> list[str]:
    """Seed 004 ("Who should be responsible for providing shelter?"): embassy staff have sent workers back to their
    employers, and officials have abused women in embassy shelters. Said once, where embassies are listed."""
    items = "".join(f"<li>{_say(t, f'sheet.embassy_caution.{n}')}</li>" for n in range(1, 5))
    # One line on a phone, so her numbers stay near the top; open on paper (print.css, kb.js).
    return [f'<details class="kb-caution" data-search-skip><summary><strong>{_say(t, "sheet.embassy_caution.title")}'
            f"</strong></summary><ul>{items}</ul></details>", ""]


def render_sheet(country: dict, lang: str, t: Callable[[str], str], correction_url: Callable[[dict], str],
                 today: dt.date, downloads: list[tuple[str, str, int]] | None = None, qr: str = "",
                 pdf: str = "", directory: Mapping[str, Mapping] | None = None, sms_text: str = "",
                 known: citations.Catalogue | None = None, report: Callable[[str], str] | None = None) -> str:
    """The country sheet in `lang` as Markdown with inline HTML (needs attr_list and md_in_html).

    Order, for a reader in danger first: emergency numbers; "for you" (the reader's own embassy and her
    government's hotline for workers abroad, when her language tells her nationality); the services grouped by
    need, with the other nationalities' embassies folded; "your rights here"; the one-SMS summary; the PDF and
    the open data. `directory` holds every country (for home countries' lines); `downloads` are (UI key, href,
    size) of the open-data files; `qr` (from `qr_code`) goes first, beside the emergency numbers on paper;
    `report` gives a listing id's "Report a problem with this number" link (none without a reports channel).
    """
    directory = directory or {}
    known = known or citations.catalogue()  # what the sheet's sources are called (the build reads it once)
    code = str(country["code"]).lower()
    reader = _locale(lang)
    lines = [qr, ""] if qr else []
    lines += _emergency(country, lang, t)
    pairs = [(org, service) for org in country.get("organizations") or [] for service in org.get("services") or []]
    shown: set[str] = set()
    mine = reader_nationalities(country, lang, directory)
    for nationality in mine:
        # only what she can call or write to today; listings without a contact stay in their groups below
        members = [(org, service) for org, service in home_listings(country, nationality, directory)
                   if service.get("contacts") or service.get("email")]
        if not members:
            continue
        name = html.escape(reader.territories.get(nationality, nationality))
        lines += [_heading(2, _plain(_say(t, "sheet.for_you", countries=name)), "sheet-for-you"), ""]
        if any(service.get("type") == "embassy" for _, service in members):
            lines += _embassy_caution(t)
        lines += ['<div class="kb-help kb-mine" markdown="1">', ""]
        for org, service in members:
            lines += _listing(org, service, lang, t, correction_url, today, code, report=report)
            shown.add(service["id"])
        lines += ["</div>", ""]
    lines += [_heading(2, t("sheet.help"), "sheet-help"), "", '<div class="kb-help" markdown="1">', ""]
    if not pairs:
        lines += [f'<p class="kb-no-listings">{_say(t, "sheet.no_listings")}</p>', ""]
    if len(pairs) < FEW_LISTINGS:
        lines += [f'<p class="kb-growing">{_say(t, "sheet.list_growing")}</p>', ""]
    opened = 0  # listings shown open so far: past OPEN_LISTINGS, further needs fold (a few screens on a phone)
    for anchor, key, types in GROUPS:
        members = [(org, service) for org, service in pairs if service.get("type") in types and service["id"] not in shown]
        if anchor == "sheet-embassies":
            lines += _embassies(country, members, mine if shown else [], lang, t, correction_url, today, code, directory,
                                report)
            continue
        if not members:
            continue
        if anchor not in UNFOLDED and (shown or opened >= OPEN_LISTINGS):
            # Her own contacts are above: the other needs fold, so the page stays a few screens long on a phone.
            lines += [f'<details class="kb-group" id="{anchor}" markdown="1"><summary>{_say(t, key)}</summary>', ""]
            for org, service in members:
                lines += _listing(org, service, lang, t, correction_url, today, code, report=report)
            lines += ["</details>", ""]
            continue
        lines += [_heading(3, t(key), anchor), ""]
        for org, service in members:
            lines += _listing(org, service, lang, t, correction_url, today, code, report=report)
        opened += len(members)
    lines += ["</div>", ""]  # .kb-help: two columns on paper
    lines += _rights(country, lang, t, known)
    lines += _protects(country, lang, t, known)
    if sms_text:  # after the rights: what she taps to pass the numbers on, once she has read them
        lines += _sms(sms_text, t)
    if pdf:
        lines += [pdf, ""]
    if downloads:
        lines += _open_data(downloads, lang, t)
    return "\n".join(lines).rstrip() + "\n"


def _plain(text: str) -> str:
    """A UI string already escaped for HTML, made plain again for a Markdown heading (which escapes it)."""
    return html.unescape(text)


def _embassies(country: Mapping, members: list, mine: list[str], lang: str, t: T, correction_url, today: dt.date,
               code: str, directory: Mapping, report: Callable[[str], str] | None = None) -> list[str]:
    """Embassies and home countries' lines, one folded block per nationality (the reader's own is shown above)."""
    reader = _locale(lang)
    by_nationality: dict[str, list] = {}
    for org, service in members:
        served = (service.get("eligibility") or {}).get("nationality")
        key = served[0] if isinstance(served, list) and served else ""
        by_nationality.setdefault(key, []).append((org, service))
    for nationality in country.get("nationalities") or []:
        if nationality in mine:
            continue
        extra = [pair for pair in home_listings(country, nationality, directory)
                 if pair[1].get("type") == "embassy" or pair[1].get("abroad")]
        known = {service["id"] for _, service in by_nationality.get(nationality, [])}
        by_nationality.setdefault(nationality, []).extend(pair for pair in extra if pair[1]["id"] not in known)
    groups = {k: v for k, v in by_nationality.items() if v}
    if not groups:
        return []
    out = [_heading(3, t("sheet.group.embassy"), "sheet-embassies"), ""] + ([] if mine else _embassy_caution(t))
    out += [f'<p class="kb-print-only">{_say(t, "sheet.embassies_online")}</p>', ""]
    for nationality in sorted(groups, key=lambda cc: _sort_key(reader.territories.get(cc, cc) if cc else "~")):
        name = reader.territories.get(nationality, nationality) if nationality else t("sheet.group.other")
        # On a worker's printed sheet, other nationalities' embassies give way to her own contacts (two pages).
        fold = " kb-folded-on-paper"
        out += [f'<details class="kb-nationality{fold}" markdown="1"><summary>{html.escape(name)}</summary>', ""]
        for org, service in groups[nationality]:
            out += _listing(org, service, lang, t, correction_url, today, code, report=report)
        out += ["</details>", ""]
    return out


def _sms(text: str, t: T) -> list[str]:
    """The one-SMS summary, shown and ready to send (scripts/plugin/sms.py made it and the build counted it)."""
    return [_heading(3, t("sheet.sms_title"), "sheet-sms"), "",
            f'<p class="kb-sms-text" dir="auto">{html.escape(text, quote=False)}</p>',
            f'<p><a class="md-button kb-sms-send" href="sms:?body={html.escape(quote(text))}">'
            f'{_say(t, "sheet.sms_send")}</a></p>', ""]


def _sort_key(name: str) -> str:
    # Good enough without ICU: accents do not move a name to the end ("Équateur" sorts with "E").
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def render_country_list(countries: Mapping[str, dict], lang: str, page_url_for_code: Callable[[str], str]) -> str:
    """The "Choose your country" list: CLDR names in `lang`, sorted by name; links from `page_url_for_code(cc)`."""
    entries = []
    for key, country in countries.items():
        code = str(country.get("code") or key).upper()
        entries.append((country_name(code, lang), code))
    items = [f'<li><a href="{html.escape(page_url_for_code(code.lower()))}">{html.escape(name)}</a></li>'
             for name, code in sorted(entries, key=lambda item: _sort_key(item[0]))]
    return '<ul class="kb-country-list">' + "".join(items) + "</ul>\n"


def page_listings(country: Mapping, directory: Mapping[str, Mapping]) -> list[tuple[dict, dict]]:
    """Every listing a country page can show: its own, and its nationalities' home lines for workers abroad."""
    pairs = [(org, service) for org in country.get("organizations") or [] for service in org.get("services") or []]
    seen = {service["id"] for _, service in pairs}
    for nationality in country.get("nationalities") or []:
        for org, service in home_listings(country, nationality, directory):
            if service["id"] not in seen:
                seen.add(service["id"])
                pairs.append((org, service))
    return pairs


def render_help_table(countries: Mapping[str, dict], lang: str, t: T, page_url_for_code: Callable[[str], str]) -> str:
    """Get help's table: every country's emergency number and its main line for workers, one row each, so a
    reader in danger needs no further page. Names from CLDR in the reader's language, sorted by name."""
    from scripts.plugin import sms

    rows = []
    for key, country in countries.items():
        code = str(country.get("code") or key).upper()
        name = country_name(code, lang)
        emergency = sms.main_emergency(country)
        sos = (f'<a class="kb-tel" href="tel:{html.escape(emergency["number"])}" data-region="{code}" dir="ltr">'
               f'{html.escape(emergency["number"])}</a>') if emergency else "–"
        hotlines = sms.main_hotlines(country, limit=1)
        line = "–"
        if hotlines:
            org, service, contact = hotlines[0]
            short = (f' <span class="kb-hotline-name">{html.escape(service["short_name"])}</span>'
                     if service.get("short_name") else "")
            line = (f'<a class="kb-tel" href="tel:{html.escape(contact["number"])}" data-region="{code}"><span dir="ltr">'
                    f'{html.escape(shown_number(str(contact["number"])))}</span></a>{short}')
        link = f'<a href="{html.escape(page_url_for_code(code.lower()))}">{html.escape(name)}</a>'
        rows.append((_sort_key(name), f"<tr><th scope=\"row\">{link}</th><td>{sos}</td><td>{line}</td></tr>"))
    head = "".join(f'<th scope="col">{_say(t, "help_table." + k)}</th>' for k in ("country", "emergency", "hotline"))
    body = "".join(row for _, row in sorted(rows))
    return (f'<div class="kb-help-table" id="help-table"><table><caption>{_say(t, "help_table.caption")}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>\n")
