"""The one contact checker: numbers in the data, and `tel:`, WhatsApp (`https://wa.me/<digits>`) and `mailto:`
links in the built site. The data validator (scripts/sources/countries.py) and the link checker both call it.

Each check returns None when the contact is fine, else one sentence saying what is wrong and how to fix it.
A reader in distress taps these links; a wrong digit is a dead end, so they are checked like broken pages.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import phonenumbers
from phonenumbers import PhoneNumberFormat, shortnumberinfo

# RFC 3966 visual separators; readers' phones dial the digits either way.
_SEPARATORS = re.compile(r"[\s\-.()]")
WHATSAPP_HOSTS = frozenset({"wa.me", "www.wa.me", "api.whatsapp.com"})
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def region_name(region: str) -> str:
    """English name of an ISO 3166 region for messages, e.g. 'LB' -> 'Lebanon' (CLDR via Babel)."""
    from babel import Locale

    return Locale("en").territories.get(region.upper(), region.upper())


def _example(region: str | None) -> str:
    number = phonenumbers.example_number(region) if region else None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164) if number else "+9611234567"


def stored_number_problem(number: str, region: str) -> str | None:
    """Why a number stored in the data is not a valid number of `region` written in E.164, or None."""
    mobile = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    sample = phonenumbers.format_number(mobile, PhoneNumberFormat.E164) if mobile else "+<code><number>"
    try:
        parsed = phonenumbers.parse(str(number), region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number_for_region(parsed, region):
        return (f"phone {str(number)!r} is not a valid number for {region_name(region)} ({region}) (store it in "
                f"E.164, e.g. {sample}; if it belongs to another country, add `region:` with that country's code)")
    e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    if str(number) != e164:
        return f"phone {str(number)!r} is not stored in E.164 (write it as {e164})"
    return None


def check_tel(href: str, region: str | None, listed: dict[str, frozenset[str]] | None = None) -> str | None:
    """Check a `tel:` link; `region` is the ISO code of the country page it is on (or of the link's
    `data-region`), if any; `listed` holds the short numbers the country data lists with a source, by region."""
    raw = unquote(href[4:]).split(";", 1)[0]  # drop RFC 3966 parameters such as ;ext=
    number = _SEPARATORS.sub("", raw)
    if not number:
        return "tel: link has no number"
    if number.startswith("+"):
        if not number[1:].isdigit():
            return f"tel:{raw} has characters that are not digits (write it in E.164, e.g. {_example(region)})"
        try:
            parsed = phonenumbers.parse(number, None)
        except phonenumbers.NumberParseException:
            return f"tel:{raw} has no valid country code (write it in E.164, e.g. {_example(region)})"
        if phonenumbers.is_valid_number(parsed):
            return None
        where = phonenumbers.region_code_for_country_code(parsed.country_code)
        country = region_name(where) if where and where != "001" else f"+{parsed.country_code}"
        return f"tel:{raw} is not a valid {country} number (check the digits; E.164 looks like {_example(where)})"
    if not number.isdigit():
        return f"tel:{raw} has characters that are not digits (write it in E.164, e.g. {_example(region)})"
    if not region:
        return (
            f"tel:{raw} has no country code and is not on a country page, so it is no number a reader can dial "
            f"from anywhere: write it in E.164 (e.g. {_example(None)})"
        )
    region = region.upper()
    if number in (listed or {}).get(region, ()):
        return None
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and shortnumberinfo.is_valid_short_number_for_region(parsed, region):
        return None
    if shortnumberinfo.is_emergency_number(number, region):
        return None
    if parsed is not None and phonenumbers.is_valid_number_for_region(parsed, region):
        e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
        return f"tel:{raw} is in national format; write it in E.164 so it works from any phone: tel:{e164}"
    return (
        f"tel:{raw} is neither an E.164 number nor a valid short or emergency number in "
        f"{region_name(region)} ({region}); check the digits (E.164 looks like {_example(region)})"
    )


def is_whatsapp(href: str) -> bool:
    """True for links that open a WhatsApp chat."""
    try:
        host = (urlsplit(href).hostname or "").lower()
    except ValueError:
        return False
    return href.lower().startswith(("http://", "https://")) and host in WHATSAPP_HOSTS


def check_whatsapp(href: str) -> str | None:
    """Check a WhatsApp link: https://wa.me/<digits> where the digits are an E.164 number without '+'."""
    parts = urlsplit(href)
    host = (parts.hostname or "").lower()
    if host == "api.whatsapp.com":
        query = dict(pair.partition("=")[::2] for pair in parts.query.split("&") if pair)
        digits = unquote(query.get("phone", ""))
        fix = "https://wa.me/<digits>"
    else:
        digits = unquote(parts.path.strip("/"))
        fix = "https://wa.me/<country code and number, digits only>"
    if not digits:
        return f"WhatsApp link has no phone number; use {fix}"
    if not digits.isdigit():
        plain = re.sub(r"\D", "", digits)
        hint = f"https://wa.me/{plain.lstrip('0')}" if plain else fix
        return f"WhatsApp link must carry digits only (no '+', spaces or dashes): use {hint}"
    if digits.startswith("0"):
        return f"WhatsApp number {digits} starts with 0: give the country code instead of 00 or a trunk 0, e.g. https://wa.me/{_example(None)[1:]}"
    try:
        parsed = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return f"WhatsApp number {digits} has no valid country code"
    if not phonenumbers.is_valid_number(parsed):
        where = phonenumbers.region_code_for_country_code(parsed.country_code)
        country = region_name(where) if where and where != "001" else f"+{parsed.country_code}"
        return f"WhatsApp number +{digits} is not a valid {country} number; check the digits"
    return None


def check_mailto(href: str) -> str | None:
    """Check that a `mailto:` link carries one or more well-formed addresses."""
    addresses = unquote(href[7:].split("?", 1)[0])
    if not addresses.strip():
        return "mailto: link has no address"
    for address in (part.strip() for part in addresses.split(",")):
        problem = _address_problem(address)
        if problem:
            return f"mailto:{address} is not a well-formed address ({problem})"
    return None


def _address_problem(address: str) -> str | None:
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return "it needs one name@domain"
    if len(local) > 64 or not _LOCAL.match(local):
        return f"the part before @ ({local!r}) has a character that is not allowed or a stray dot"
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return f"the domain {domain!r} is not a valid domain name"
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return f"the domain {domain!r} is not a valid domain name"
    if not (labels[-1].isalpha() and len(labels[-1]) >= 2) and not labels[-1].startswith("xn--"):
        return f"the domain {domain!r} has no valid top-level domain"
    return None


def digits_of(href: str) -> str:
    """The digits a tel: or WhatsApp link dials, for finding the number in a data file."""
    if href.lower().startswith("tel:"):
        return re.sub(r"\D", "", unquote(href[4:]).split(";", 1)[0])
    parts = urlsplit(href)
    if (parts.hostname or "").lower() == "api.whatsapp.com":
        for pair in parts.query.split("&"):
            key, _, value = pair.partition("=")
            if key == "phone":
                return re.sub(r"\D", "", unquote(value))
        return ""
    return re.sub(r"\D", "", unquote(parts.path))
