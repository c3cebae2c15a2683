"""Confirmation records: a person confirmed a listing with the organisation itself (`confirmed:` in a service).

The schema (data/schema/country.schema.json, `confirmation`) says what a record holds and scripts/sources/countries.py
checks it with file:line like every other field (a date in the future, an outcome that is not one of the allowed
words, no `by`). These functions read the records of a valid listing: which one counts, and how old the best
evidence behind a listing is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from scripts.sources.countries import listing_source_date

HOW = ("called", "visited", "official-reply")
OUTCOMES = ("works", "changed", "closed")


def records(service: Mapping) -> list[dict]:
    """The listing's confirmations, oldest first (as written: the file keeps them in the order they happened)."""
    return sorted((dict(r) for r in service.get("confirmed") or []), key=lambda r: str(r["date"]))


def latest(service: Mapping) -> dict | None:
    """The most recent confirmation, whatever its outcome, or None."""
    found = records(service)
    return found[-1] if found else None


def confirmed_works(service: Mapping) -> dict | None:
    """The most recent confirmation, if it found the listing right ("works"); a later "changed" or "closed" voids
    the earlier ones until someone confirms the corrected listing again."""
    last = latest(service)
    return last if last and last["outcome"] == "works" else None


def confirmed_on(service: Mapping) -> dt.date | None:
    """The day the listing was last confirmed as right (HSDS assured_date), or None."""
    last = confirmed_works(service)
    return dt.date.fromisoformat(str(last["date"])) if last else None


def months_before(today: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the last day of that month when it is shorter)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def evidence_date(service: Mapping) -> dt.date | None:
    """The newest evidence that the listing is right: its last confirmation or the date of its source page."""
    dates = [day for day in (confirmed_on(service), listing_source_date(dict(service))) if day]
    return max(dates) if dates else None
