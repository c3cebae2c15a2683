"""Open data: the directory is conformant Open Referral HSDS 3.1. Every table row and every dereferenced service
document validates against the specification's schemas (../shared/reference/hsds-3.1/), frictionless validates
the Tabular Data Package (types, primary and foreign keys), ids are stable, and a confidential address planted
in a fixture country never reaches any export."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest

from scripts.postbuild.hsds import PHONE_TYPES, SERVICE_TYPES, TABLES, service_documents, to_tables, uid
from scripts.postbuild.opendata import FOLDER, exports, package_files, write_exports
from scripts.sources.countries import load_country
from scripts.yamlfile import read

ROOT = Path(__file__).resolve().parent.parent
HSDS = ROOT.parent / "shared" / "reference" / "hsds-3.1"
PLANTED = Path(__file__).parent / "opendata" / "zz.yml"
SECRET = "PLANTED-SECRET"
VALID = ROOT / "tests" / "countries" / "valid" / "lb.yml"

needs_hsds = pytest.mark.skipif(not HSDS.is_dir(), reason=f"HSDS 3.1 reference schemas not found at {HSDS}: "
                                "the conformance checks need the specification's files there")


def planted() -> dict:
    """The fixture country, read without validation: bad data that slipped past the checks."""
    return read(PLANTED).data


def countries() -> list[dict]:
    return [planted(), load_country(VALID)]


def everything() -> list[dict]:
    """The planted fixture and every real country (the valid/ fixture reuses real ids: it is left out here)."""
    from scripts.sources.countries import load_countries

    return [planted()] + list(load_countries(ROOT / "data" / "countries").values())


def _validator(schema_path: Path) -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _errors(validator: jsonschema.Draft202012Validator, document: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


@needs_hsds
def test_every_table_row_validates_against_hsds():
    tables = to_tables(everything())
    for table, rows in tables.items():
        validator = _validator(HSDS / f"{table}.json")
        for row in rows:
            document = {key: value for key, value in row.items() if value is not None}
            assert _errors(validator, document) == [], (table, row)
    assert {table for table, rows in tables.items() if not rows} == set(), "every published table has rows"


@needs_hsds
def test_the_hsds_schemas_catch_a_bad_row():
    phone = next(row for row in to_tables([planted()])["phone"])
    assert _errors(_validator(HSDS / "phone.json"), {**phone, "id": "zz-1", "description": None}) != []
    assert _errors(_validator(HSDS / "phone.json"), {"id": phone["id"]}) != []  # no number


@needs_hsds
def test_every_service_document_validates_against_compiled_service():
    validator = _validator(HSDS / "compiled" / "service.json")
    documents = service_documents(to_tables(everything()))
    listed = sum(len(c["emergency"]) + sum(len(o["services"]) for o in c["organizations"]) for c in everything())
    assert len(documents) == listed  # every service and every emergency number
    for document in documents:
        assert _errors(validator, document) == [], document["name"]
    house = next(d for d in documents if d["name"] == "Safe house")
    assert house["organization"]["name"] == "Safe Haven Test"
    assert [p["type"] for p in house["phones"]] == ["voice", "x-whatsapp"]
    assert house["phones"][1]["languages"][0]["code"] == "ar"
    assert house["attributes"][0]["taxonomy_term"]["code"] == "shelter"
    assert house["schedules"][0]["byday"] == "MO,TU,WE,TH,FR,SA,SU"


@needs_hsds
def test_published_fields_are_the_specifications():
    spec = {r["name"]: r for r in json.loads((HSDS / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    for table, (path, fields) in TABLES.items():
        assert spec[table]["path"] == path
        types = {f["name"]: f["type"] for f in spec[table]["schema"]["fields"]}
        for name, kind in fields:
            assert types.get(name) == kind, (table, name)


def test_mapping_follows_the_data():
    tables = to_tables(countries())
    assert {p["type"] for p in tables["phone"]} <= set(PHONE_TYPES.values())
    sms = next(p for p in tables["phone"] if p["number"] == "+97466000000")
    assert sms["type"] == "text"  # RFC 6350: text is SMS ...
    whatsapp = next(p for p in tables["phone"] if p["number"] == "+97455000000")
    assert whatsapp["type"] == "x-whatsapp" and "not SMS" in whatsapp["description"]  # ... and WhatsApp is not
    assert {t["code"] for t in tables["taxonomy_term"]} == set(SERVICE_TYPES)
    assert {lang["code"] for lang in tables["language"]} >= {"fil", "am", "ar"}  # am-ET: its ISO 639 subtag
    assert tables["required_document"][0]["document"] == "Nothing; come as you are."
    assert {(c["option"], c.get("amount")) for c in tables["cost_option"]} >= {("Free", 0), ("Fee", None)}
    legal = next(s for s in tables["service"] if s["name"] == "Legal clinic")
    assert legal["assured_date"] == "2026-11-21"
    schedule = next(s for s in tables["schedule"] if s["service_id"] == legal["id"])
    assert schedule["description"] == "Monday to Friday, 9 to 5" and schedule["opens_at"] is None
    police = next(s for s in tables["service"] if s["name"] == "Police (999)")
    assert any(p["service_id"] == police["id"] and p["number"] == "999" for p in tables["phone"])
    dated = {m["resource_id"]: m for m in tables["metadata"]}
    assert dated[uid("zz-safe-haven-house")]["last_action_date"] == "2026-11-20"
    assert uid("zz-safe-haven") not in dated  # an undated seed citation: in the package's sources instead


def test_frictionless_validates_the_package(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    for name, content in package_files(everything(), "test").items():
        (tmp_path / name).write_bytes(content)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_finds_a_broken_foreign_key(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    files = package_files(countries(), "test")
    orphan = uid("nobody")
    files["phones.csv"] = files["phones.csv"].replace(uid("zz-safe-haven-house").encode(), orphan.encode(), 1)
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}


def test_foreign_keys_resolve():
    tables = to_tables(countries())
    ids = {table: {row["id"] for row in rows} for table, rows in tables.items()}
    from scripts.postbuild.opendata import FOREIGN_KEYS

    for table, keys in FOREIGN_KEYS.items():
        for row in tables[table]:
            for field, target in keys.items():
                assert row.get(field) is None or row[field] in ids[target], (table, field, row)
    assert all(m["resource_id"] in ids["service"] | ids["organization"] | ids["phone"] for m in tables["metadata"])
    assert all(a["link_id"] in ids["service"] for a in tables["attribute"])


def test_ids_are_stable_between_exports():
    first, second = exports(planted()), exports(planted())
    assert first == second  # same bytes, ZIP included
    house = next(s for s in to_tables([planted()])["service"] if s["name"] == "Safe house")
    assert house["id"] == uid("zz-safe-haven-house") == "4ae3602f-533b-57d1-aa24-6b1277bc7ef7"  # fixed for good


def test_a_planted_confidential_address_never_appears(tmp_path):
    write_exports(tmp_path, {"zz": planted()})
    seen = 0
    for path in (tmp_path / FOLDER).iterdir():
        content = path.read_bytes()
        if path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                content = b"".join(archive.read(name) for name in archive.namelist())
        assert SECRET.encode() not in content and b"Hidden Lane" not in content, path.name
        seen += 1
    assert seen >= 5
    assert b"1 Public Square" in (tmp_path / FOLDER / "locations.csv").read_bytes()  # a public address is kept
    assert b"Call the hotline first" in (tmp_path / FOLDER / "zz.json").read_bytes()


def test_built_site_publishes_the_package_and_links_it(site):
    folder = site / FOLDER
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == [path for path, _ in TABLES.values()]
    assert all((folder / path).is_file() for path, _ in TABLES.values())
    assert not (site / "data" / "lb.csv").exists()  # the old one-row-per-contact CSV is gone
    page = (site / "countries" / "lb" / "index.html").read_text(encoding="utf-8")
    for name in ("lb.zip", "lb.json"):
        assert f"data/hsds/{name}" in page and (folder / name).is_file()
    size = (folder / "lb.zip").stat().st_size
    assert f"({max(size / 1000, 0.1):.1f} kB)" in page
