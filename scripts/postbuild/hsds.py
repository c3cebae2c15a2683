"""The referral directory as Open Referral HSDS 3.1: flat tables and one dereferenced document per service.

`to_tables(countries)` returns {table: [row, ...]} for the tables in TABLES (the specification's table names,
field names and Table Schema types); `service_documents(tables)` nests them into one document per service in
the shape of the specification's `compiled/service.json`. scripts/postbuild/opendata.py writes both as files.

What comes from where
- organization: id, name, alternate_name, description, email, website
- service: id, organization_id, name, alternate_name (the short name of the SMS summary), description, url,
  email, status ("defunct" when the last confirmation found it closed), fees_description,
  eligibility_description, assured_date (only from `confirmed:`, the last day a person found the listing right)
- taxonomy + taxonomy_term + attribute: the service type (hotline, shelter, ...) and "emergency", a small
  taxonomy of this project published with the data
- cost_option: free (amount 0) or a fee; nothing when the data says "unknown"
- service_area: the location's area, else the country the listing is for (nationals abroad for `abroad`)
- required_document: `eligibility.documents_needed`
- schedule: `open_24_7` as a weekly rule (every day 00:00-23:59); the opening hours in words as `description`
- language: the service's and each line's languages, code = the ISO 639 language subtag of the BCP 47 code
- phone: type per RFC 6350 (voice for calls, text for SMS); WhatsApp, Signal and Viber are the RFC 6350
  extension types x-whatsapp, x-signal, x-viber (never `text`, which means SMS), also said in `description`
- location + service_at_location: a place the listing names; a public street address goes in the location's
  description (the data keeps it on one line, without the city, province and postal code that HSDS `address`
  requires); a confidential place (a safe house) is exported only as its area and how to reach it safely
- metadata: each dated source (the page's title, address and date, or a checked emergency number)
- emergency numbers: one organization per country ("Emergency numbers in ...") with one service and one
  phone per number

Ids are UUIDs derived with uuid5 from the listings' stable ids (e.g. lb-caritas-legal), so every export of the
same data gives the same UUIDs. Text is English, the source language of the data.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from babel import Locale, UnknownLocaleError

from scripts.directory.records import confirmed_on, latest

HSDS_VERSION = "3.1"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://migrant-rights-help/kb-id/")
MAINTAINERS = "Migrant Rights Help maintainers"

# HSDS table -> (CSV file, ((field, Table Schema type), ...)): the fields this export fills, named and typed as in
# the specification's datapackage.json (tests/test_opendata.py compares them with it).
TABLES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "organization": ("organizations.csv", (("id", "string"), ("name", "string"), ("alternate_name", "string"),
                                           ("description", "string"), ("email", "string"), ("website", "string"))),
    "service": ("services.csv", (("id", "string"), ("organization_id", "string"), ("name", "string"),
                                 ("alternate_name", "string"), ("description", "string"), ("url", "string"), ("email", "string"),
                                 ("status", "string"), ("fees_description", "string"),
                                 ("eligibility_description", "string"), ("assured_date", "date"))),
    "taxonomy": ("taxonomies.csv", (("id", "string"), ("name", "string"), ("description", "string"),
                                    ("version", "string"))),
    "taxonomy_term": ("taxonomy_terms.csv", (("id", "string"), ("code", "string"), ("name", "string"),
                                             ("description", "string"), ("taxonomy_id", "string"),
                                             ("language", "string"))),
    "attribute": ("attributes.csv", (("id", "string"), ("link_id", "string"), ("taxonomy_term_id", "string"),
                                     ("link_type", "string"), ("link_entity", "string"))),
    "location": ("locations.csv", (("id", "string"), ("location_type", "string"), ("organization_id", "string"),
                                   ("name", "string"), ("description", "string"))),
    "service_at_location": ("service_at_location.csv", (("id", "string"), ("service_id", "string"),
                                                        ("location_id", "string"))),
    "phone": ("phones.csv", (("id", "string"), ("service_id", "string"), ("organization_id", "string"),
                             ("number", "string"), ("type", "string"), ("description", "string"))),
    "language": ("languages.csv", (("id", "string"), ("service_id", "string"), ("phone_id", "string"),
                                   ("name", "string"), ("code", "string"), ("note", "string"))),
    "schedule": ("schedules.csv", (("id", "string"), ("service_id", "string"), ("freq", "string"),
                                   ("byday", "string"), ("opens_at", "time"), ("closes_at", "time"),
                                   ("description", "string"))),
    "service_area": ("service_areas.csv", (("id", "string"), ("service_id", "string"), ("name", "string"),
                                           ("description", "string"))),
    "required_document": ("required_documents.csv", (("id", "string"), ("service_id", "string"),
                                                     ("document", "string"))),
    "cost_option": ("cost_options.csv", (("id", "string"), ("service_id", "string"), ("option", "string"),
                                         ("amount", "number"), ("amount_description", "string"))),
    "metadata": ("metadata.csv", (("id", "string"), ("resource_id", "string"), ("resource_type", "string"),
                                  ("last_action_date", "date"), ("last_action_type", "string"),
                                  ("field_name", "string"), ("previous_value", "string"),
                                  ("replacement_value", "string"), ("updated_by", "string"))),
}

# The project's own service types (country.schema.json, service.type) plus the national emergency numbers.
SERVICE_TYPES = {
    "emergency": "National short emergency number (police, ambulance, fire ...)",
    "hotline": "Urgent help by phone",
    "labour": "Complaints about work to a government office",
    "shelter": "A safe place to stay",
    "legal": "Legal help",
    "health": "Health care",
    "embassy": "Embassy or consulate of the worker's country",
    "workers-organisation": "Union or organisation of workers",
    "social-support": "Social and psychosocial support",
    "return-reintegration": "Help to go home and start again",
    "recruitment": "Recruitment agency licences and complaints",
}
EMERGENCY_NAMES = {"police": "Police", "ambulance": "Ambulance", "fire": "Fire brigade",
                   "general": "Emergency number", "anti-trafficking": "Anti-trafficking line",
                   "labour": "Labour line"}
# RFC 6350 TYPE for each contact kind; x- types are RFC 6350 extensions (section 3.3, x-name).
PHONE_TYPES = {"phone": "voice", "sms": "text", "whatsapp": "x-whatsapp", "signal": "x-signal", "viber": "x-viber"}
PHONE_DESCRIPTIONS = {"sms": "SMS", "whatsapp": "WhatsApp (messages and calls in the app; not SMS)",
                      "signal": "Signal (messages and calls in the app; not SMS)",
                      "viber": "Viber (messages and calls in the app; not SMS)"}
TAXONOMY_ID = "taxonomy/service-type"


def uid(kb_id: str) -> str:
    """The UUID of one of our stable ids (uuid5: the same id gives the same UUID in every export)."""
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


def country_name(code: str) -> str:
    """The country's English name (CLDR)."""
    return Locale.parse("en").territories.get(code.upper(), code.upper())


def _iso639(code: str) -> str:
    """The language subtag of a BCP 47 code, which is ISO 639-1 (two letters) or 639-3 (three)."""
    return code.split("-")[0].lower()


def _eligibility_text(rules: Mapping) -> str | None:
    parts = []
    if rules.get("gender") in ("women", "men"):
        parts.append(f"{rules['gender']} only")
    nationality = rules.get("nationality")
    if isinstance(nationality, list):
        parts.append("nationals of " + ", ".join(country_name(cc) for cc in nationality))
    if rules.get("any_immigration_status"):
        parts.append("any immigration status")
    return "; ".join(parts) or None


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


def _source_date(source: object, checked: object = None) -> str | None:
    """The date a source was looked up (a page's `accessed`), or the listing's `checked` date; None if undated."""
    if isinstance(source, Mapping) and source.get("accessed"):
        return str(source["accessed"])
    if isinstance(source, list):
        dates = [d for d in (_source_date(item) for item in source) if d]
        return max(dates) if dates else (str(checked) if checked else None)
    return str(checked) if checked else None


def _metadata(tables: dict, kb_id: str, resource_type: str, source: object, checked: object = None) -> None:
    when = _source_date(source, checked)
    if when:  # HSDS requires a date; an undated seed citation stays in the package's `sources`
        tables["metadata"].append({
            "id": uid(f"{kb_id}/metadata/source"), "resource_id": uid(kb_id), "resource_type": resource_type,
            "last_action_date": when, "last_action_type": "checked against source", "field_name": "source",
            "previous_value": "none", "replacement_value": source_text(source), "updated_by": MAINTAINERS})


def _taxonomy(tables: dict) -> None:
    tables["taxonomy"].append({"id": uid(TAXONOMY_ID), "name": "Migrant Rights Help service types",
                               "description": "The need a service meets, as the Migrant Rights Help country pages "
                                              "group them.", "version": "1"})
    for code, description in SERVICE_TYPES.items():
        tables["taxonomy_term"].append({"id": uid(f"{TAXONOMY_ID}/{code}"), "code": code,
                                        "name": code.replace("-", " ").capitalize(), "description": description,
                                        "taxonomy_id": uid(TAXONOMY_ID), "language": "en"})


def _attribute(tables: dict, kb_id: str, service_type: str) -> None:
    tables["attribute"].append({"id": uid(f"{kb_id}/attribute/type"), "link_id": uid(kb_id),
                                "taxonomy_term_id": uid(f"{TAXONOMY_ID}/{service_type}"),
                                "link_type": "service_type", "link_entity": "service"})


def _phone(tables: dict, kb_id: str, service_id: str, org_id: str, contact: Mapping) -> None:
    phone_id = uid(kb_id)
    note = _en(contact.get("note"))
    described = "; ".join(filter(None, (PHONE_DESCRIPTIONS.get(contact["kind"]), note)))
    tables["phone"].append({"id": phone_id, "service_id": service_id, "organization_id": org_id,
                            "number": contact["number"], "type": PHONE_TYPES[contact["kind"]],
                            "description": described or None})
    for code in contact.get("languages") or []:
        tables["language"].append({"id": uid(f"{kb_id}/language/{code}"), "phone_id": phone_id,
                                   "name": _language_name(code), "code": _iso639(code)})
    if contact.get("source"):
        _metadata(tables, kb_id, "phone", contact["source"])


def _service(tables: dict, org: Mapping, service: Mapping, code: str) -> None:
    kb, org_id = service["id"], uid(org["id"])
    service_id = uid(kb)
    rules = service.get("eligibility") or {}
    tables["service"].append({
        "id": service_id, "organization_id": org_id, "name": _en(service["name"]),
        "alternate_name": service.get("short_name"), "description": _en(service["description"]),
        "url": service.get("url"), "email": service.get("email"),
        "status": "defunct" if (latest(service) or {}).get("outcome") == "closed" else "active",
        "fees_description": {"free": "Free", "fee": "A fee may be charged"}.get(service["cost"]),
        "eligibility_description": _eligibility_text(rules),
        "assured_date": str(confirmed_on(service) or "") or None})
    _attribute(tables, kb, service["type"])
    _metadata(tables, kb, "service", service["source"])
    if service["cost"] == "free":
        tables["cost_option"].append({"id": uid(f"{kb}/cost"), "service_id": service_id, "option": "Free",
                                      "amount": 0, "amount_description": "Free of charge"})
    elif service["cost"] == "fee":
        tables["cost_option"].append({"id": uid(f"{kb}/cost"), "service_id": service_id, "option": "Fee",
                                      "amount_description": "A fee may be charged"})
    if rules.get("documents_needed"):
        tables["required_document"].append({"id": uid(f"{kb}/document"), "service_id": service_id,
                                            "document": _en(rules["documents_needed"])})
    for item in service.get("languages") or []:
        tables["language"].append({"id": uid(f"{kb}/language/{item['code']}"), "service_id": service_id,
                                   "name": _language_name(item["code"]), "code": _iso639(item["code"]),
                                   "note": _en(item.get("note"))})
    for index, contact in enumerate(service.get("contacts") or []):
        _phone(tables, f"{kb}/contact/{index}", service_id, org_id, contact)
    if service.get("open_24_7") or service.get("schedule"):
        always = bool(service.get("open_24_7"))
        tables["schedule"].append({
            "id": uid(f"{kb}/schedule"), "service_id": service_id, "freq": "WEEKLY" if always else None,
            "byday": "MO,TU,WE,TH,FR,SA,SU" if always else None, "opens_at": "00:00:00" if always else None,
            "closes_at": "23:59:00" if always else None,
            "description": _en(service.get("schedule")) or ("Day and night, every day" if always else None)})
    place = service.get("location") or {}
    area = _en(place.get("area"))
    country = country_name(code)
    tables["service_area"].append({
        "id": uid(f"{kb}/area"), "service_id": service_id,
        "name": area or (f"{country} nationals abroad" if service.get("abroad") else country),
        "description": f"In {country}" if area else None})
    if place:
        location_id, confidential = uid(f"{kb}/location"), bool(place.get("confidential"))
        # A safe house's address never leaves the data file, whatever the file holds.
        said = _en(place.get("front_door")) if confidential else place.get("address")
        tables["location"].append({
            "id": location_id, "location_type": "physical", "organization_id": org_id, "name": org["name"],
            "description": "; ".join(filter(None, (
                ("Confidential place: the address is not published. " if confidential else "") + (area or ""),
                ("How to reach it: " if confidential else "Address: ") + said if said else None))) or None})
        tables["service_at_location"].append({"id": uid(f"{kb}/at"), "service_id": service_id,
                                              "location_id": location_id})


def _emergency(tables: dict, country: Mapping, code: str) -> None:
    numbers = country.get("emergency") or []
    if not numbers:
        return
    org_kb = f"{code.lower()}-emergency-numbers"
    name = country_name(code)
    tables["organization"].append({"id": uid(org_kb), "name": f"Emergency numbers in {name}",
                                   "description": f"The national short emergency numbers of {name}."})
    for item in numbers:
        kb = item["id"]
        tables["service"].append({"id": uid(kb), "organization_id": uid(org_kb),
                                  "name": f"{EMERGENCY_NAMES.get(item['kind'], item['kind'])} ({item['number']})",
                                  "description": _en(item.get("note")), "status": "active"})
        _attribute(tables, kb, "emergency")
        _metadata(tables, kb, "service", item["source"], item.get("checked"))
        tables["service_area"].append({"id": uid(f"{kb}/area"), "service_id": uid(kb), "name": name,
                                       "description": "Short number: dial it inside the country"})
        tables["phone"].append({"id": uid(f"{kb}/phone"), "service_id": uid(kb), "organization_id": uid(org_kb),
                                "number": str(item["number"]), "type": "voice",
                                "description": "Short number: works only inside the country"})


def to_tables(countries: Iterable[Mapping]) -> dict[str, list[dict]]:
    """The countries' directories as HSDS 3.1 tables ({table: rows}); empty fields are None."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    _taxonomy(tables)
    for country in countries:
        code = str(country["code"]).upper()
        _emergency(tables, country, code)
        for org in country.get("organizations") or []:
            tables["organization"].append({
                "id": uid(org["id"]), "name": org["name"], "alternate_name": org.get("alternate_name"),
                "description": _en(org["description"]), "email": org.get("email"), "website": org.get("url")})
            _metadata(tables, org["id"], "organization", org["source"])
            for service in org.get("services") or []:
                _service(tables, org, service, code)
    return tables


def _clean(row: Mapping) -> dict:
    return {key: value for key, value in row.items() if value is not None}


def service_documents(tables: Mapping[str, list[dict]]) -> list[dict]:
    """One dereferenced document per service (the shape of HSDS compiled/service.json): the service with its
    organization, phones (and their languages), schedules, areas, languages, costs, documents, locations,
    attributes (with their taxonomy term and taxonomy) and metadata nested in it."""
    def by(table: str, key: str) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for row in tables[table]:
            if row.get(key):
                grouped.setdefault(row[key], []).append(_clean(row))
        return grouped

    organizations = {row["id"]: _clean(row) for row in tables["organization"]}
    locations = {row["id"]: _clean(row) for row in tables["location"]}
    taxonomies = {row["id"]: _clean(row) for row in tables["taxonomy"]}
    terms = {row["id"]: dict(_clean(row), taxonomy_detail=taxonomies[row["taxonomy_id"]])
             for row in tables["taxonomy_term"]}
    metadata = by("metadata", "resource_id")
    phone_languages = by("language", "phone_id")
    of_service = {table: by(table, "service_id") for table in
                  ("phone", "schedule", "service_area", "language", "cost_option", "required_document",
                   "service_at_location")}
    documents = []
    for service in tables["service"]:
        sid = service["id"]
        document = _clean(service)
        document["organization"] = organizations[service["organization_id"]]
        document["phones"] = [dict(phone, languages=phone_languages.get(phone["id"], []),
                                   metadata=metadata.get(phone["id"], []))
                              for phone in of_service["phone"].get(sid, [])]
        for table, key in (("schedule", "schedules"), ("service_area", "service_areas"), ("language", "languages"),
                           ("cost_option", "cost_options"), ("required_document", "required_documents")):
            document[key] = of_service[table].get(sid, [])
        document["service_at_locations"] = [dict(at, location=locations[at["location_id"]])
                                            for at in of_service["service_at_location"].get(sid, [])]
        document["attributes"] = [dict(attribute, taxonomy_term=terms[attribute["taxonomy_term_id"]])
                                  for attribute in by("attribute", "link_id").get(sid, [])]
        document["metadata"] = metadata.get(sid, [])
        documents.append(document)
    return documents
