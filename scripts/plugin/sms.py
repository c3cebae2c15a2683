"""The one-SMS summary of a country: its emergency number and its two main hotlines, in the reader's language.

A worker sends it to a friend, or to herself, from a phone that may only do SMS. It must fit in one message:
160 characters when every character is in the GSM 03.38 alphabet (the `gsm0338` codec counts the extension
characters, such as `€`, as two), else 70 UTF-16 code units (UCS-2), which is what Amharic, Nepali or Arabic
text always needs. The build refuses a summary that would be split (scripts/sources/countries.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)

GSM_LIMIT, UCS2_LIMIT = 160, 70
HOTLINE_TYPES = ("hotline", "labour")
_EMERGENCY_ORDER = ("general", "police", "anti-trafficking", "ambulance", "labour", "fire")


class Length(NamedTuple):
    used: int
    limit: int
    encoding: str  # "GSM-7" or "UCS-2"

    @property
    def fits(self) -> bool:
        return self.used <= self.limit


def length(text: str) -> Length:
    """How much of one SMS `text` uses, and in which encoding the phone will send it."""
    try:
        return Length(len(text.encode("gsm03.38")), GSM_LIMIT, "GSM-7")
    except UnicodeEncodeError:
        return Length(len(text.encode("utf-16-le")) // 2, UCS2_LIMIT, "UCS-2")


def main_emergency(country: Mapping) -> dict | None:
    """The one number to call in danger: the general emergency number, else the police."""
    numbers = [entry for entry in country.get("emergency") or [] if isinstance(entry, Mapping)]
    ranked = sorted(numbers, key=lambda e: _EMERGENCY_ORDER.index(e["kind"]) if e.get("kind") in _EMERGENCY_ORDER else 99)
    return ranked[0] if ranked else None


def main_hotlines(country: Mapping, limit: int = 2) -> list[tuple[dict, dict, dict]]:
    """(organisation, service, contact) of the country's main lines for workers, anyone can use and with a number
    to call: the first labour-complaint line and the first hotline (trafficking, violence), in file order, so the
    data decides; then more of either, up to `limit`."""
    found = []
    for org in country.get("organizations") or []:
        for service in org.get("services") or []:
            rules = service.get("eligibility") or {}
            if service.get("type") not in HOTLINE_TYPES or rules.get("nationality", "any") != "any":
                continue
            phone = next((c for c in service.get("contacts") or [] if c.get("kind", "phone") == "phone"), None)
            if phone:
                found.append((org, service, phone))
    firsts = [next((item for item in found if item[1]["type"] == kind), None) for kind in HOTLINE_TYPES]
    chosen = [item for item in firsts if item] + [item for item in found if item not in firsts]
    chosen = chosen[:limit]
    return sorted(chosen, key=found.index)


def summary(country: Mapping, country_name: str, words: Mapping[str, str]) -> str:
    """`Qatar: Emergency 999; Labour 16008; Help +97444444444`: numbers as dialled, each named by what it is for in
    the reader's language (`words`: emergency, hotline, labour), or by the service's `short_name`."""
    parts = []
    emergency = main_emergency(country)
    if emergency:
        parts.append(f"{words['emergency']} {emergency['number']}")
    parts += [f"{service.get('short_name') or words[service['type']]} {contact['number']}"
              for org, service, contact in main_hotlines(country)]
    return f"{country_name}: " + "; ".join(parts) if parts else ""


def words(t) -> dict[str, str]:
    """The summary's words in the reader's language, from locales/ (`t` is the translator)."""
    return {"emergency": t("sheet.sms_emergency"), "hotline": t("sheet.sms_hotline"), "labour": t("sheet.sms_labour")}
