"""The directory's health: per country, how fresh the evidence behind its listings is, and what is missing.

Pure functions over the loaded country data and a date. `./kb directory health` prints the figures and exits 1 when
something needs attention; the staff page "Directory health" shows the same figures, with a bar per country, made
at build time (scripts/plugin/pagedata.py). Evidence is a person's confirmation (`confirmed:`, scripts/directory/records.py)
or the date the source page itself states.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from dataclasses import dataclass, field

from scripts.directory.records import confirmed_on, evidence_date, latest, months_before

CONFIRMED_MONTHS = 12  # a confirmation this recent counts as confirmed (211 systems re-verify at least yearly)
SOURCE_MONTHS = 24  # a source page this recent counts as recent (the pages say "may have changed" after it)
DEFAULT_FRESH_MONTHS = 24  # the kb plugin's `directory_fresh_months` when unset
_CONTACT_KINDS = ("phone", "whatsapp", "sms", "signal", "viber")


@dataclass
class CountryHealth:
    code: str
    listings: int = 0  # services with a number to call or message, or an e-mail address
    confirmed: int = 0  # confirmed as right by a person within CONFIRMED_MONTHS
    recent_source: int = 0  # else: a source page dated within SOURCE_MONTHS
    older: int = 0  # else: older evidence, or none with a date
    never_confirmed: int = 0
    no_hours: list[str] = field(default_factory=list)  # listing ids without opening hours (nor day and night)
    no_languages: list[str] = field(default_factory=list)  # listing ids without the languages spoken
    attention: list[str] = field(default_factory=list)  # "<id>: changed|closed on <date>": fix or remove it
    newest: dt.date | None = None  # the newest evidence behind any listing
    stale: bool = False  # no listing has evidence newer than the limit


def _has_contact(service: Mapping) -> bool:
    return bool(service.get("email")) or any(c.get("kind", "phone") in _CONTACT_KINDS
                                             for c in service.get("contacts") or [])


def country_health(code: str, country: Mapping, today: dt.date, fresh_months: int) -> CountryHealth:
    """The figures of one country's own listings (its nationalities' home lines are counted in their country)."""
    found = CountryHealth(code.upper())
    confirmed_since, source_since = months_before(today, CONFIRMED_MONTHS), months_before(today, SOURCE_MONTHS)
    for org in country.get("organizations") or []:
        for service in org.get("services") or []:
            if not _has_contact(service):
                continue
            found.listings += 1
            confirmed, evidence = confirmed_on(service), evidence_date(service)
            if confirmed and confirmed >= confirmed_since:
                found.confirmed += 1
            elif evidence and evidence >= source_since:
                found.recent_source += 1
            else:
                found.older += 1
            if not service.get("confirmed"):
                found.never_confirmed += 1
            last = latest(service)
            if last and last["outcome"] != "works":
                found.attention.append(f"{service['id']}: {last['outcome']} on {last['date']}")
            if not service.get("schedule") and not service.get("open_24_7"):
                found.no_hours.append(service["id"])
            if not service.get("languages") and not any(c.get("languages") for c in service.get("contacts") or []):
                found.no_languages.append(service["id"])
            if evidence and (found.newest is None or evidence > found.newest):
                found.newest = evidence
    found.stale = found.newest is None or found.newest < months_before(today, fresh_months)
    return found


def directory_health(countries: Mapping[str, Mapping], today: dt.date, fresh_months: int) -> list[CountryHealth]:
    """Every country's figures, by code."""
    return [country_health(code, country, today, fresh_months) for code, country in sorted(countries.items())]


def needs_attention(report: list[CountryHealth]) -> bool:
    """A country with no listing newer than the limit, or a listing a person found changed or closed."""
    return any(row.stale or row.attention for row in report)


def fresh_months(options: Mapping | None) -> int:
    """The limit set in mkdocs.yml (the kb plugin's `directory_fresh_months`)."""
    value = (options or {}).get("directory_fresh_months", DEFAULT_FRESH_MONTHS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"directory_fresh_months (the kb plugin's option) must be a whole number of months, not {value!r}")
    return value


HEADER = ("country", "listings", f"confirmed <{CONFIRMED_MONTHS}m", f"source <{SOURCE_MONTHS}m", "older",
          "never confirmed", "no hours", "no languages", "newest evidence")


def _cells(row: CountryHealth) -> tuple:
    return (row.code, row.listings, row.confirmed, row.recent_source, row.older, row.never_confirmed,
            len(row.no_hours), len(row.no_languages), row.newest.isoformat() if row.newest else "none")


def render_text(report: list[CountryHealth], today: dt.date, months: int) -> str:
    """The terminal report: one row per country, then what needs attention."""
    rows = [tuple(map(str, HEADER))] + [tuple(map(str, _cells(row))) for row in report]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    out = ["  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(r, widths, strict=True)))
           for r in rows]
    total = sum(row.listings for row in report)
    out.append(f"total: {total} listings, {sum(r.confirmed for r in report)} confirmed in the last {CONFIRMED_MONTHS} "
               f"months, {sum(r.never_confirmed for r in report)} never confirmed (as of {today.isoformat()})")
    for row in report:
        if row.stale:
            newest = row.newest.isoformat() if row.newest else "no dated evidence"
            out.append(f"attention: {row.code}: no listing with evidence newer than {months} months (newest: {newest}); "
                       "confirm a listing (./kb directory verify) or find a newer source")
        for item in row.attention:
            out.append(f"attention: {row.code}: {item} (fix or remove the listing, then confirm it again)")
    if not needs_attention(report):
        out.append(f"every country has a listing with evidence newer than {months} months")
    return "\n".join(out)


def _bar(row: CountryHealth, width: int = 160, height: int = 12) -> str:
    """An inline SVG bar (no CSS, no script, nothing fetched): confirmed, recent source, older, in proportion."""
    if not row.listings:
        return "–"
    parts, x = [], 0.0
    for count, colour in ((row.confirmed, "#1b7a3a"), (row.recent_source, "#8fb9d8"), (row.older, "#c0392b")):
        w = width * count / row.listings
        if w:
            parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{colour}"/>')
        x += w
    label = (f"{row.code}: {row.confirmed} confirmed, {row.recent_source} with a recent source, {row.older} older, "
             f"of {row.listings}")
    return (f'<svg class="kb-health-bar" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'aria-label="{html.escape(label)}"><title>{html.escape(label)}</title>{"".join(parts)}</svg>')


def page_body(report: list[CountryHealth], today: dt.date, months: int) -> str:
    """The staff page's generated part: the legend, one table row per country with its bar, what needs attention."""
    from scripts.sources.countries import country_name

    legend = ('<svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="{}"/></svg> {}')
    out = [f"Figures of {today.isoformat()}, made from data/countries/ when the site was built. A listing is one "
           "service with a number to call or message, or an e-mail address.", "",
           " · ".join(legend.format(colour, text) for colour, text in (
               ("#1b7a3a", f"confirmed by a person in the last {CONFIRMED_MONTHS} months"),
               ("#8fb9d8", f"source page from the last {SOURCE_MONTHS} months"),
               ("#c0392b", "older, or no dated source"))), "",
           "| Country | Evidence | " + " | ".join(HEADER[1:]) + " |",
           "| --- | --- |" + " ---: |" * (len(HEADER) - 1)]
    for row in report:
        name = f"{country_name(row.code, 'en')} ({row.code})"
        out.append(f"| {name} | {_bar(row)} | " + " | ".join(str(c) for c in _cells(row)[1:]) + " |")
    attention = []
    for row in report:
        if row.stale:
            newest = row.newest.isoformat() if row.newest else "no dated evidence"
            attention.append(f"- **{row.code}**: no listing with evidence newer than {months} months (newest: {newest}).")
        attention += [f"- **{row.code}**: `{item}`: fix or remove the listing, then confirm it again." for item in row.attention]
    out += ["", "## Needs attention {#attention}", ""] + (attention or ["Nothing: every country has a recent listing."])
    missing = [(row.code, row.no_hours, row.no_languages) for row in report if row.no_hours or row.no_languages]
    out += ["", "## Listings without opening hours or languages {#missing}", ""]
    for code, hours, languages in missing:
        if hours:
            out.append(f"- **{code}**, no opening hours: " + ", ".join(f"`{i}`" for i in hours))
        if languages:
            out.append(f"- **{code}**, no languages: " + ", ".join(f"`{i}`" for i in languages))
    return "\n".join(out) + "\n"
