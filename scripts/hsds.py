"""Open-data export of a country's referral directory in the shape of Open Referral HSDS 3.0.

`to_hsds(country)` returns flat HSDS tables; `to_csv(country)` one row per contact (phone, WhatsApp ...).
data/schema/hsds-export.schema.json describes exactly what `to_hsds` emits.

HSDS 3.0 tables and fields used
- organizations: id, name, alternate_name, description, email, website
- services: id, organization_id, name, description, url, email, status, fees_description,
  eligibility_description, assured_date
- phones: id, service_id, organization_id, number, type, description, languages (HSDS language objects)
- languages: id, service_id, phone_id, name, code, note
- schedules: id, service_id, description
- locations: id, organization_id, location_type, name, description
- addresses: id, location_id, address_1, country, address_type (never for a confidential place)
- service_at_locations: id, service_id, location_id, description

Ids are UUIDs (HSDS 3.0 requires them), derived with uuid5 from our stable ids, so every export of the same
data gives the same UUIDs. Text is English (`en`), the source language; other languages go in extensions.

Extensions (prefixed `x_`)
- every row: x_kb_id (our stable id, e.g. lb-caritas-justice)
- top level: x_country (ISO code), x_emergency_numbers (national short numbers with kind and source),
  x_legal (the legal facts with value, source, checked date), x_generated_from (the data file)
- organizations: x_source; services: x_service_type, x_cost (free|fee|unknown), x_eligibility (structured:
  gender, nationality, any_immigration_status), x_source, x_shared_number_with, x_translations
  ({field: {lang: text}} for name and description)
- phones: x_channel (phone|whatsapp|signal|viber), x_region (country of the number)
- locations: x_confidential (true: the address is withheld), x_area
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Mapping
from typing import Any

from babel import Locale, UnknownLocaleError

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://migrant-rights-help/kb-id/")
CSV_COLUMNS = ("country", "organization_id", "organization_name", "service_id", "service_name", "service_type",
               "channel", "number", "languages", "cost", "confidential", "area", "assured_date", "source")


def _uuid(kb_id: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, kb_id))


def _en(value: Any) -> str | None:
    if isinstance(value, Mapping):
        return value.get("en")
    return value if value else None


def _language_name(code: str) -> str:
    try:
        parsed = Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        return code
    return Locale.parse("en").languages.get(parsed.language) or code


def _eligibility_text(rules: Mapping) -> str | None:
    parts = []
    if rules.get("gender") in ("women", "men"):
        parts.append(f"{rules['gender']} only")
    nationality = rules.get("nationality")
    if isinstance(nationality, list):
        parts.append("nationals of " + ", ".join(nationality))
    if rules.get("any_immigration_status"):
        parts.append("any immigration status")
    if rules.get("documents_needed"):
        parts.append("bring: " + _en(rules["documents_needed"]))
    return "; ".join(parts) or None


def _drop_none(row: dict) -> dict:
    return {key: value for key, value in row.items() if value is not None}


def to_hsds(country: dict) -> dict:
    """The country's organisations and services as HSDS 3.0 tables plus `x_` extensions (see module doc)."""
    code = str(country["code"]).upper()
    out: dict[str, Any] = {
        "x_country": code,
        "x_generated_from": f"data/countries/{code.lower()}.yml",
        "x_legal": {name: {k: (_en(v) if k == "note" else source_text(v) if k == "source" else v) for k, v in fact.items()}
                    for name, fact in (country.get("legal") or {}).items()},
        "x_emergency_numbers": [_drop_none({"x_kb_id": e["id"], "kind": e["kind"], "number": str(e["number"]),
                                            "source": source_text(e["source"]), "checked": e["checked"]})
                                for e in country.get("emergency") or []],
        "organizations": [], "services": [], "phones": [], "languages": [], "schedules": [],
        "locations": [], "addresses": [], "service_at_locations": [],
    }
    for org in country.get("organizations") or []:
        org_id = _uuid(org["id"])
        out["organizations"].append(_drop_none({
            "id": org_id, "x_kb_id": org["id"], "name": org["name"], "alternate_name": org.get("alternate_name"),
            "description": _en(org["description"]), "email": org.get("email"), "website": org.get("url"),
            "x_source": source_text(org["source"])}))
        for service in org.get("services") or []:
            service_id, kb = _uuid(service["id"]), service["id"]
            rules = service.get("eligibility") or {}
            out["services"].append(_drop_none({
                "id": service_id, "x_kb_id": kb, "organization_id": org_id,
                "name": _en(service["name"]), "description": _en(service["description"]),
                "url": service.get("url"), "email": service.get("email"), "status": "active",
                "fees_description": {"free": "Free", "fee": "A fee may be charged"}.get(service["cost"]),
                "eligibility_description": _eligibility_text(rules), "assured_date": _assured(service),
                "x_service_type": service["type"], "x_cost": service["cost"],
                "x_eligibility": {k: v for k, v in rules.items() if k != "documents_needed"} or None,
                "x_source": source_text(service["source"]), "x_shared_number_with": service.get("shared_number_with"),
                "x_translations": {field: dict(service[field]) for field in ("name", "description")
                                   if isinstance(service.get(field), Mapping) and len(service[field]) > 1} or None,
            }))
            for index, item in enumerate(service.get("languages") or []):
                out["languages"].append(_drop_none({
                    "id": _uuid(f"{kb}/language/{index}"), "x_kb_id": f"{kb}/language/{index}",
                    "service_id": service_id, "name": _language_name(item["code"]), "code": item["code"],
                    "note": _en(item.get("note"))}))
            for index, contact in enumerate(service.get("contacts") or []):
                phone_kb = f"{kb}/contact/{index}"
                out["phones"].append(_drop_none({
                    "id": _uuid(phone_kb), "x_kb_id": phone_kb, "service_id": service_id, "organization_id": org_id,
                    "number": contact["number"], "type": "voice" if contact["kind"] == "phone" else "text",
                    "description": None if contact["kind"] == "phone" else contact["kind"].capitalize(),
                    "languages": [{"id": _uuid(f"{phone_kb}/language/{code}"), "phone_id": _uuid(phone_kb),
                                   "name": _language_name(code), "code": code}
                                  for code in contact.get("languages") or []],
                    "x_channel": contact["kind"], "x_region": contact.get("region") or code}))
            if service.get("schedule"):
                out["schedules"].append({"id": _uuid(f"{kb}/schedule"), "x_kb_id": f"{kb}/schedule",
                                         "service_id": service_id, "description": _en(service["schedule"])})
            place = service.get("location")
            if place:
                location_id, confidential = _uuid(f"{kb}/location"), bool(place.get("confidential"))
                out["locations"].append(_drop_none({
                    "id": location_id, "x_kb_id": f"{kb}/location", "organization_id": org_id,
                    "location_type": "physical", "name": org["name"],
                    "description": _en(place.get("front_door")) if confidential else None,
                    "x_confidential": confidential, "x_area": _en(place.get("area"))}))
                if place.get("address") and not confidential:
                    out["addresses"].append({"id": _uuid(f"{kb}/address"), "x_kb_id": f"{kb}/address",
                                             "location_id": location_id, "address_1": place["address"],
                                             "country": code, "address_type": "physical"})
                out["service_at_locations"].append({"id": _uuid(f"{kb}/at"), "x_kb_id": f"{kb}/at",
                                                    "service_id": service_id, "location_id": location_id})
    return out


def _assured(service: Mapping) -> str | None:
    """HSDS assured_date: only the date a person confirmed the listing (`verified.on`), never the authoring date."""
    verified = service.get("verified")
    return str(verified["on"]) if isinstance(verified, Mapping) else None


def source_text(source: object) -> str:
    """A source in one line: "title <url> (date)" for a page, "seed <file>, <section>" for a seed (open data keeps
    the maintainers' citation so another service can trace it), text as written; a list joined with "; "."""
    if isinstance(source, list):
        return "; ".join(source_text(item) for item in source)
    if isinstance(source, Mapping) and "url" in source:
        return f"{source['title']} <{source['url']}> ({source['published']})"
    if isinstance(source, Mapping) and "seed" in source:
        return f"seed {source['seed']}, {source.get('section', '')}".rstrip(", ")
    return str(source)


def to_csv(country: dict) -> str:
    """One row per contact (phone, WhatsApp, Signal, Viber), columns CSV_COLUMNS, with a header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    code = str(country["code"]).upper()
    for org in country.get("organizations") or []:
        for service in org.get("services") or []:
            place = service.get("location") or {}
            spoken = [item["code"] for item in service.get("languages") or []]
            for contact in service.get("contacts") or []:
                writer.writerow({
                    "country": code, "organization_id": org["id"], "organization_name": org["name"],
                    "service_id": service["id"], "service_name": _en(service["name"]) or "",
                    "service_type": service["type"], "channel": contact["kind"], "number": contact["number"],
                    "languages": " ".join(contact.get("languages") or spoken), "cost": service["cost"],
                    "confidential": "yes" if place.get("confidential") else "no",
                    "area": _en(place.get("area")) or "", "assured_date": _assured(service) or "",
                    "source": source_text(service["source"])})
    return buffer.getvalue()
