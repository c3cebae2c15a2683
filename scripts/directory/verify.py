"""`./kb directory verify <listing-id> --by ... --how called --outcome works`: record that a person confirmed a listing.

The record goes into the listing's `confirmed:` list in its country file, written with ruamel.yaml's round trip so
the file keeps its comments, quoting and layout; the rest of the file is byte for byte what it was. The writer
refuses a file whose layout it could not keep (say so, and add the record by hand), and a record the data check
refuses (a date in the future, no `by`): the file is only replaced once the whole directory validates with it.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from scripts.directory.records import HOW, OUTCOMES
from scripts.project import COUNTRIES, relative


class VerifyError(ValueError):
    """Why the record was not written, as `file:line: what (fix)`."""


@dataclass(frozen=True)
class Written:
    path: Path
    line: int  # where the new record starts


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, key order and quoting are kept
    yaml.preserve_quotes = True
    yaml.width = 100_000  # never fold a long line someone wrote on one line
    yaml.indent(mapping=2, sequence=2, offset=0)  # the country files' layout (`- id:` under its key)
    return yaml


def _dump(yaml: YAML, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _find(data, listing_id: str):
    for org in data.get("organizations") or []:
        for service in org.get("services") or []:
            if service.get("id") == listing_id:
                return service
    return None


def add_record(text: str, listing_id: str, record: dict) -> tuple[str, int] | None:
    """The file's text with `record` appended to the listing's `confirmed:` (and the record's line), or None when
    the listing is not in this file. Raises VerifyError when the file's layout would not survive the round trip."""
    yaml = _yaml()
    data = yaml.load(text)
    if not isinstance(data, dict):
        return None
    service = _find(data, listing_id)
    if service is None:
        return None
    if _dump(yaml, data) != text:
        raise VerifyError("the layout of this file would change if it were rewritten (add the record by hand, as in "
                          "the schema's `confirmed`)")
    entry = CommentedMap()
    entry["date"] = SingleQuotedScalarString(record["date"])  # quoted like the files' other dates
    for key in ("by", "how", "outcome", "note"):
        if record.get(key):
            entry[key] = record[key]
    records = service.get("confirmed")
    if records is None:
        records = service["confirmed"] = CommentedSeq()
    records.append(entry)
    new = _dump(yaml, data)
    # the new record's line: the first line of the new text that differs from the old one
    line = next((n + 1 for n, (a, b) in enumerate(zip(new.splitlines(), text.splitlines(), strict=False)) if a != b),
                text.count("\n") + 1)
    return new, line


def verify(listing_id: str, by: str, how: str, outcome: str, day: dt.date, note: str = "",
           data_dir: Path = COUNTRIES, today: dt.date | None = None) -> Written:
    """Write the record into the country file that holds `listing_id`; raise VerifyError (nothing written)."""
    from scripts.sources.countries import validate_countries

    today = today or dt.date.today()
    if how not in HOW or outcome not in OUTCOMES:
        raise VerifyError(f"--how must be one of {', '.join(HOW)} and --outcome one of {', '.join(OUTCOMES)}")
    if len(by.strip()) < 2:
        raise VerifyError(f"--by {by.strip()!r} does not say who confirmed it (write a name, or an organisation and "
                          "role, as they agree to be named)")
    if day > today:
        raise VerifyError(f"--date {day.isoformat()} is in the future (use the day it was confirmed, "
                          f"{today.isoformat()} or earlier)")
    record = {"date": day.isoformat(), "by": by.strip(), "how": how, "outcome": outcome, "note": note.strip()}
    for path in sorted(Path(data_dir).glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        try:
            found = add_record(text, listing_id, record)
        except VerifyError as error:
            raise VerifyError(f"{relative(path)}:1: {error}") from None
        if found is None:
            continue
        new, line = found
        # Check the directory with the new file in a copy; only then replace the real file (atomically).
        with tempfile.TemporaryDirectory(prefix="kb-verify-") as scratch:
            copy = Path(scratch) / "countries"
            shutil.copytree(data_dir, copy)
            (copy / path.name).write_text(new, encoding="utf-8")
            problems = [e for e in validate_countries(copy, today=today) if e.path.name == path.name]
        if problems:
            raise VerifyError("\n".join(f"{relative(path)}:{e.line}: {e.message}" for e in problems))
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(new)
        os.replace(temp, path)
        return Written(path, line)
    raise VerifyError(f"no listing with id {listing_id!r} in {relative(data_dir)} (use a service id, e.g. the "
                      "`id:` under `services:`)")
