"""Open data: the referral directory as Open Referral HSDS 3.1, in the two serialisations the specification allows.

Written once in the site root (the files are language-neutral), under `data/hsds/`:
- `datapackage.json` and one CSV per HSDS table: a Tabular Data Package of the whole directory;
- `services.json`: the whole directory as dereferenced JSON, one document per service;
- `<cc>.zip` (the country's Tabular Data Package) and `<cc>.json` (its service documents), which every
  edition's country page links to with their sizes.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from scripts.postbuild.hsds import HSDS_VERSION, TABLES, service_documents, to_tables

FOLDER = "data/hsds"  # inside the built site
# A fixed time inside the ZIPs, so the same data gives the same bytes (and the same size on the page).
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
# Foreign keys of the published fields, as the specification's datapackage.json declares them.
FOREIGN_KEYS = {
    "service": {"organization_id": "organization"},
    "taxonomy_term": {"taxonomy_id": "taxonomy"},
    "attribute": {"taxonomy_term_id": "taxonomy_term"},
    "location": {"organization_id": "organization"},
    "service_at_location": {"service_id": "service", "location_id": "location"},
    "phone": {"service_id": "service", "organization_id": "organization"},
    "language": {"service_id": "service", "phone_id": "phone"},
    "schedule": {"service_id": "service"},
    "service_area": {"service_id": "service"},
    "required_document": {"service_id": "service"},
    "cost_option": {"service_id": "service"},
}
REQUIRED = {"id", "name", "status", "number", "location_type", "resource_id", "resource_type", "last_action_date",
            "last_action_type", "field_name", "previous_value", "replacement_value", "updated_by"}
DESCRIPTION = (
    "The referral directory of Migrant Rights Help (organisations and services for migrant domestic workers and "
    "survivors of trafficking, country by country, and each country's emergency numbers), as Open Referral HSDS "
    f"{HSDS_VERSION}. Text is in English. "
    "Phone types follow RFC 6350: voice for calls, text for SMS; WhatsApp, Signal and Viber numbers have the RFC 6350 "
    "extension types x-whatsapp, x-signal and x-viber (and say so in their description): never send them an SMS. "
    "Service types are a small taxonomy of this project (taxonomies.csv, taxonomy_terms.csv) linked through "
    "attributes.csv. Sources and the dates they were looked up are in metadata.csv; a source of this project's own "
    "documents, which has no date, is listed in this package's `sources` instead. assured_date is set only when a "
    "named person confirmed a listing. "
    "Left out on purpose: the address of every confidential place (a safe house), which is never published, only "
    "its area and how to reach it safely; street addresses as HSDS `address` rows, because the data keeps an address "
    "on one line without the city, province and postal code HSDS requires (a public address is in the location's "
    "description); translations into other languages; the legal facts and treaty ratifications of the country pages; "
    "the names of the people who confirmed listings."
)


def _field(table: str, name: str, kind: str) -> dict:
    field: dict = {"name": name, "type": kind}
    if kind == "string" and (name == "id" or name.endswith("_id")):
        field["format"] = "uuid"
    if name in REQUIRED or (table, name) in {("organization", "description"), ("service", "organization_id"),
                                             ("attribute", "link_id"), ("attribute", "taxonomy_term_id"),
                                             ("attribute", "link_entity"), ("taxonomy", "description"),
                                             ("taxonomy_term", "description"), ("cost_option", "service_id")}:
        field["constraints"] = {"required": True}
    return field


def descriptor(title: str, sources: Iterable[str] = ()) -> dict:
    """The package's datapackage.json: its tables, their fields, primary and foreign keys."""
    resources = []
    for table, (path, fields) in TABLES.items():
        schema: dict = {"fields": [_field(table, name, kind) for name, kind in fields], "primaryKey": ["id"]}
        keys = FOREIGN_KEYS.get(table)
        if keys:
            schema["foreignKeys"] = [{"fields": [name], "reference": {"resource": target, "fields": ["id"]}}
                                     for name, target in keys.items()]
        resources.append({"name": table, "path": path, "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "schema": schema})
    return {"profile": "tabular-data-package", "name": "migrant-rights-help-directory", "title": title,
            "description": DESCRIPTION, "version": HSDS_VERSION,
            "sources": [{"title": text} for text in sorted(set(sources))], "resources": resources}


def _csv(table: str, rows: list[dict]) -> bytes:
    names = [name for name, _ in TABLES[table][1]]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: "" if row.get(name) is None else row[name] for name in names})
    return buffer.getvalue().encode("utf-8")


def _undated_sources(countries: Iterable[Mapping]) -> list[str]:
    """Seed citations (the project's own source documents, without a date) of organisations and services."""
    from scripts.postbuild.hsds import source_text

    cited = []
    for country in countries:
        for org in country.get("organizations") or []:
            for item in [org, *(org.get("services") or [])]:
                sources = item["source"] if isinstance(item["source"], list) else [item["source"]]
                cited += [source_text(s) for s in sources if not (isinstance(s, Mapping) and s.get("accessed"))]
    return cited


def package_files(countries: list[Mapping], title: str) -> dict[str, bytes]:
    """The Tabular Data Package of these countries: {"datapackage.json": ..., "<table>.csv": ...}."""
    tables = to_tables(countries)
    files = {"datapackage.json": _json(descriptor(title, _undated_sources(countries)))}
    files |= {TABLES[table][0]: _csv(table, rows) for table, rows in tables.items()}
    return files


def _json(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True, default=str).encode("utf-8") + b"\n"


def _zip(files: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=_ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def country_title(country: Mapping) -> str:
    from scripts.postbuild.hsds import country_name

    return f"Migrant Rights Help: referral directory of {country_name(str(country['code']))} (HSDS {HSDS_VERSION})"


def exports(country: Mapping) -> dict[str, bytes]:
    """The two downloads of one country: {"<cc>.zip": its Tabular Data Package, "<cc>.json": its services}."""
    code = str(country["code"]).lower()
    return {f"{code}.zip": _zip(package_files([country], country_title(country))),
            f"{code}.json": _json(service_documents(to_tables([country])))}


def site_path(name: str) -> str:
    """Where an export file lives, relative to the site root."""
    return f"{FOLDER}/{name}"


def write_exports(site: Path, countries: dict[str, dict]) -> int:
    """Write the whole directory's package and service documents, and each country's downloads, into `site`;
    return how many files were written."""
    folder = site / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    everything = [countries[code] for code in sorted(countries)]
    files = package_files(everything, f"Migrant Rights Help: referral directory (HSDS {HSDS_VERSION})")
    files["services.json"] = _json(service_documents(to_tables(everything)))
    for country in everything:
        files |= exports(country)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return len(files)
