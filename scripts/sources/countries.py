"""Country data: load data/countries/<cc>.yml, validate it, and say exactly where and how to fix a problem.

Every error is a `DataError` whose text is `data/countries/lb.yml:42: <what is wrong> (<how to fix>)`.
A run collects all errors of all files (`validate_countries`) rather than stopping at the first.
YAML is read the YAML 1.2 way, as editors do: `no` and `yes` stay words and dates stay text.

Subcommand (`./kb check data`): `configure_parser` / `run` print every error and warning, one per line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers
from babel import Locale, UnknownLocaleError
from jsonschema import Draft202012Validator
from phonenumbers import shortnumberinfo

from scripts.project import COUNTRIES, SCHEMAS, relative
from scripts.sources import citations
from scripts.sources.contactlinks import region_name, stored_number_problem
from scripts.yamlfile import YAMLFileError, read

SCHEMA_PATH = SCHEMAS / "country.schema.json"
# A source older than this is shown with "this number is from <year>: it may have changed" (issue 14).
OLD_SOURCE_MONTHS = 24
SERVICE_TYPES = ("hotline", "labour", "shelter", "legal", "health", "embassy", "workers-organisation",
                 "social-support", "return-reintegration", "recruitment")
# Keys whose value is a {language code: text} mapping.
TEXT_KEYS = {"text", "note", "description", "name", "schedule", "documents_needed", "area", "front_door"}
DATE_KEYS = {"checked", "accessed", "on", "date"}  # `date`: a confirmation's (scripts/directory/records.py)
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_FIX = {
    "source": "add `source:` naming the seed file and section, or the official text",
    "checked": "add `checked: YYYY-MM-DD`, the date you checked it against the source",
    "url": "add `url:`, the address of the page where the number is written",
    "title": "add `title:`, the page's own title",
    "published": "add `published:`, the date the source itself states (YYYY-MM-DD, YYYY-MM or YYYY)",
    "accessed": "add `accessed: YYYY-MM-DD`, the date you looked it up",
    "en": "add the English text under `en:`; other languages are optional",
    "front_door": "add `front_door:` saying how to reach the place safely, e.g. through its hotline",
    "as_of": "add `as_of:`, the date of the list of parties that shows the country absent (YYYY-MM-DD, YYYY-MM or YYYY)",
    "why": "add `why:`, saying why no source settles it",
    "by": "add `by:`, who confirmed it: a name, or an organisation and role, as they agree to be named",
    "date": "add `date: YYYY-MM-DD`, the day the person confirmed it",
    "how": "add `how:` called, visited or official-reply",
    "outcome": "add `outcome:` works, changed or closed",
}


class DataError(ValueError):
    """A problem in a data file: `.path`, `.line` (1-based), `.message` (what is wrong and how to fix it)."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.path, self.line, self.message = Path(path), line, message
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{relative(self.path)}:{self.line}: {self.message}"


class DataErrors(DataError):
    """Several problems at once; `.errors` lists them all, the first one gives path, line and message."""

    def __init__(self, errors: Sequence[DataError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.path, first.line, first.message)

    def __str__(self) -> str:
        return "\n".join(DataError.__str__(error) for error in self.errors)


@dataclass
class _Doc:
    """One parsed file: its data, the line of every value, and the problems found so far."""

    path: Path
    data: object = None
    lines: dict[tuple, int] = field(default_factory=dict)
    errors: list[DataError] = field(default_factory=list)
    warnings: list[DataError] = field(default_factory=list)

    def line(self, where: Iterable) -> int:
        """The line of the value at `where`, or of its nearest parent that has one."""
        where = tuple(where)
        while where and where not in self.lines:
            where = where[:-1]
        return self.lines.get(where, 1)

    def error(self, where: Iterable, message: str) -> None:
        self.errors.append(DataError(self.path, self.line(where), message))


def _parse(path: Path) -> _Doc:
    # One reader for every YAML file (scripts/yamlfile.py): YAML 1.2, dates as written, a key given twice refused.
    doc = _Doc(Path(path))
    try:
        parsed = read(Path(path), fix="check the indentation on this line and the one before; put text that contains "
                                      "': ' or ' #' in quotes")
    except YAMLFileError as error:
        doc.errors.append(DataError(path, error.line, error.finding.message + f" ({error.finding.fix})"))
        return doc
    doc.data, doc.lines = parsed.data, dict(parsed.lines)
    return doc


def _validator() -> Draft202012Validator:
    # Made afresh for every check (a few milliseconds): a long-running preview sees an edited schema.
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _schema_message(error) -> str | None:
    where = list(error.absolute_path)
    key = next((part for part in reversed(where) if isinstance(part, str)), "file")
    kind = error.validator
    if kind == "required":
        missing = next(name for name in error.validator_value if name not in error.instance)
        if "then" in error.schema_path and "status" in error.instance:  # a treaty: what each status needs
            return (f"a treaty with status {error.instance['status']} needs `{missing}` "
                    f"({_FIX.get(missing, 'see the description of `treaties` in the schema')})")
        if "then" in error.schema_path:
            return f"a confidential place needs `{missing}` ({_FIX.get(missing, 'add it')})"
        return f"missing `{missing}` under `{key}` ({_FIX.get(missing, f'add `{missing}:`')})"
    if kind == "not" and "then" in error.schema_path:
        return ("a confidential place must not have an address (remove `address`; people reach it through "
                "its `front_door` contact)")
    if kind == "enum":
        label = "service type" if key == "type" else f"`{key}` value"
        return (f"unknown {label} {error.instance!r} "
                f"(use one of: {', '.join(map(str, error.validator_value))})")
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        allowed = ", ".join(error.schema.get("properties", {}))
        return f"unknown field `{', '.join(map(str, extra))}` (check the spelling; allowed here: {allowed})"
    if kind == "type":
        hint = ' (put it in quotes, e.g. "112")' if error.validator_value == "string" else ""
        return f"`{key}` should be {error.validator_value}, not {type(error.instance).__name__}{hint}"
    if kind == "pattern":
        if key in DATE_KEYS or key == "number":
            return None  # checked below with a clearer message
        if key in ("id", "shared_number_with") or (len(where) > 1 and where[-2] == "shared_number_with"):
            return f"id {error.instance!r} is not allowed (use lower-case letters, digits and hyphens, e.g. lb-caritas-legal)"
        if key == "code":
            return f"code {error.instance!r} is not allowed (use the ISO code in capitals, e.g. LB)"
        return f"`{key}` {error.instance!r} has the wrong form (see the description of `{key}` in the schema)"
    if kind == "propertyNames":
        return None  # language keys are checked below
    if kind == "oneOf" and key == "source" and isinstance(error.instance, dict) and "seed" not in error.instance:
        needed = error.schema["oneOf"][1]["$ref"].rsplit("/", 1)[-1]
        missing = [name for name in _validator().schema["$defs"][needed]["required"] if name not in error.instance]
        if missing:
            return f"missing `{missing[0]}` under `source` ({_FIX.get(missing[0], f'add `{missing[0]}:`')})"
        return "`source` has a field it does not know (use url, title, publisher, published, accessed, note)"
    if kind == "oneOf" and key == "nationality":
        return "nationality must be `any` or a list of country codes such as [PH, LK]"
    return f"`{key}`: {error.message} (see the description of `{key}` in the schema)"


def _schema_check(doc: _Doc) -> None:
    for error in sorted(_validator().iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
        message = _schema_message(error)
        where = list(error.absolute_path)
        if error.validator == "not" and isinstance(error.instance, dict) and "address" in error.instance:
            where.append("address")  # point at the line to delete, not at its parent
        if message:
            doc.error(where, message)


def _is_language(code: str) -> bool:
    try:
        Locale.parse(code, sep="-")
        return True
    except (UnknownLocaleError, ValueError, TypeError):
        return False


def _check_date(doc: _Doc, where: tuple, value: object, today: dt.date) -> None:
    try:
        when = dt.date.fromisoformat(str(value))
    except ValueError:
        doc.error(where, f"`{where[-1]}` {value!r} is not a date (write it as YYYY-MM-DD, e.g. 2026-11-22)")
        return
    if when > today:
        doc.error(where, f"check date {when.isoformat()} is in the future (use the date you actually checked "
                         f"it, {today.isoformat()} or earlier)")


def _check_phone(doc: _Doc, where: tuple, number: str, region: str) -> None:
    if problem := stored_number_problem(number, region):
        doc.error(where, problem)


def _check_published(doc: _Doc, where: tuple, value: object, today: dt.date) -> None:
    """A source's own date, as precise as the source is: YYYY, YYYY-MM or YYYY-MM-DD; never in the future."""
    text = str(value)
    try:
        when = published_date(text)
    except ValueError:
        doc.error(where, f"`published` {value!r} is not a date (write the source's own date as YYYY-MM-DD, YYYY-MM or YYYY)")
        return
    if when > today:
        doc.error(where, f"source date {text} is in the future (write the date the source states, {today.isoformat()} "
                         "or earlier)")


def published_date(text: str) -> dt.date:
    """The first day a partial date can mean: "2024" -> 2024-01-01, "2024-05" -> 2024-05-01."""
    parts = str(text).split("-")
    if not 1 <= len(parts) <= 3 or not all(part.isdigit() for part in parts):
        raise ValueError(text)
    year, month, day = (int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    return dt.date(year, month, day)


def is_page(source: object) -> bool:
    """A source that is a public page with its own date (`url`, `title`, `published`, `accessed`), as opposed to a
    seed citation (`seed`, `section`) or a short text."""
    return isinstance(source, dict) and "url" in source


def contact_source(service: dict, contact: dict) -> dict | None:
    """The page a contact's number comes from: its own `source`, else its listing's (when that is a page)."""
    for candidate in (contact.get("source"), service.get("source")):
        if is_page(candidate):
            return candidate
    return None


def _check_contacts(doc: _Doc, region: str | None, warnings: list[DataError]) -> None:
    """Every number valid for its country, WhatsApp in international form, and a page with a date behind each."""
    for o, org in enumerate(doc.data.get("organizations") or []):
        for s, service in enumerate((org or {}).get("services") or [] if isinstance(org, dict) else []):
            if not isinstance(service, dict):
                continue
            for c, contact in enumerate(service.get("contacts") or []):
                if not isinstance(contact, dict) or "number" not in contact:
                    continue
                where = ("organizations", o, "services", s, "contacts", c)
                number, kind = str(contact["number"]), contact.get("kind", "phone")
                home = str(contact.get("region") or region or "")
                if not number.startswith("+") and (len(number) > 6 or len(number) < 2 or not number.isdigit()):
                    doc.error(where + ("number",), f"number {number!r} is neither E.164 nor a short code (write it with + "
                                                   "and the country code, e.g. +9611234567)")
                elif not number.startswith("+"):
                    if kind not in ("phone", "sms"):
                        doc.error(where + ("number",), f"{kind} number {number!r} is not in international form (write it "
                                                       "with + and the country code, e.g. +9611234567)")
                    elif home and number.isdigit() and not _valid_short(number, home):
                        warnings.append(DataError(doc.path, doc.line(where + ("number",)),
                                                  f"warning: libphonenumber does not know the short number {number} of "
                                                  f"{region_name(home)} (check it against its source)"))
                elif home:
                    _check_phone(doc, where + ("number",), number, home)
                if contact_source(service, contact) is None:
                    doc.error(where + ("number",), f"number {number} has no source page (give the listing, or this "
                                                   "contact, a `source:` with url, title, published and accessed)")


AUTOLINKS = ("http:", "https:", "mailto:")


class _MarkupFinder(HTMLParser):
    """The first piece of HTML in a text, as a browser's tokenizer would see it (parsed, not pattern-matched)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: str | None = None

    def handle_starttag(self, tag, attrs):
        # <https://example.org/page>, an address between angle brackets, has no space; anything else is a tag
        autolink = tag in AUTOLINKS and not any(c.isspace() for c in self.get_starttag_text() or " ")
        if not autolink:
            self.found = self.found or f"<{tag}>"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.found = self.found or f"</{tag}>"

    def handle_comment(self, data):
        self.found = self.found or "an HTML comment"

    def handle_decl(self, decl):
        self.found = self.found or f"<!{decl}>"

    def handle_pi(self, data):
        self.found = self.found or "a processing instruction"


def markup_in(text: str) -> str | None:
    """What HTML `text` holds (`<b>`, `</script>`, a comment), or None for plain text. Texts of data/ are shown
    escaped on pages and sheets, but also reach SMS, vCards and the open data other services may render as HTML."""
    finder = _MarkupFinder()
    finder.feed(text)
    finder.close()
    return finder.found


def _walk(value: object, where: tuple = ()):
    """Every (path, value) pair of the data, depth first."""
    yield where, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, where + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, where + (index,))


def _content_checks(doc: _Doc, editions: Sequence[str], today: dt.date) -> None:
    data = doc.data
    code = str(data.get("code", ""))
    if code and code.lower() != doc.path.stem.lower():
        doc.error(("code",), f"code {code} does not match the file name {doc.path.name} (use {doc.path.stem.upper()}, "
                             f"or rename the file to {code.lower()}.yml)")
    region = code.upper() if re.fullmatch(r"[A-Za-z]{2}", code) else None
    corridor = data.get("corridor") or []
    for index, lang in enumerate(corridor if isinstance(corridor, list) else []):
        if lang not in editions:
            doc.error(("corridor", index), f"unknown language code {lang!r}: corridor codes must be edition codes "
                                           f"(use one of: {', '.join(editions)})")
    if isinstance(corridor, list) and "en" not in corridor:
        doc.error(("corridor",), "corridor must include en (add `en` to the list)")
    for where, value in _walk(data):
        key = where[-1] if where else None
        if isinstance(value, str) and (markup := markup_in(value)):
            doc.error(where, f"{markup} is markup: data texts are plain text (they also reach SMS, contact cards and "
                             "the open data, where another service may render them as HTML); write it without tags")
        if key in TEXT_KEYS and isinstance(value, dict):
            for lang in value:
                if lang not in editions:
                    doc.error(where + (lang,), f"unknown language code {lang!r} for text (use an edition code: "
                                               f"{', '.join(editions)})")
        elif key in DATE_KEYS and value is not None:
            _check_date(doc, where, value, today)
        elif key == "published" and value is not None:
            _check_published(doc, where, value, today)
        elif key in ("url", "email") and isinstance(value, str):
            if key == "url":
                parts = urlsplit(value)
                if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in value:
                    doc.error(where, f"malformed URL {value!r} (write the full address, e.g. https://example.org/)")
            elif not _EMAIL.match(value):
                doc.error(where, f"malformed email {value!r} (write it like name@example.org)")
        elif len(where) >= 2 and where[-2] == "languages" and isinstance(value, (str, dict)):
            lang = value.get("code") if isinstance(value, dict) else value
            if isinstance(lang, str) and not _is_language(lang):
                doc.error(where, f"unknown language code {lang!r} (use a BCP 47 code such as am, tl, ne or ar)")
    for index, entry in enumerate(data.get("emergency") or []):
        number = str(entry.get("number", "")) if isinstance(entry, dict) else ""
        # Digits only: libphonenumber would read letters as keypad digits ("11a2" -> 1122).
        known = number.isdigit() and (shortnumberinfo.is_emergency_number(number, region) or _valid_short(number, region))
        if region and number and not known and number.isdigit() and is_page(entry.get("source")):
            # A public page names it (issue 14: Honduras' 911, which libphonenumber lacks): kept, and said.
            doc.warnings.append(DataError(doc.path, doc.line(("emergency", index, "number")),
                                          f"warning: libphonenumber does not know {number} as a short number of "
                                          f"{region_name(region)}; kept on the strength of its source page"))
        elif region and number and not known:
            doc.error(("emergency", index, "number"),
                      f"emergency number {number!r} is not a short number of {region_name(region)} in libphonenumber "
                      "(check it; only national short numbers such as 112 belong here, others go under an organisation)")
    _check_contacts(doc, region, doc.warnings)


def _valid_short(number: str, region: str) -> bool:
    try:
        return shortnumberinfo.is_valid_short_number_for_region(phonenumbers.parse(number, region), region)
    except phonenumbers.NumberParseException:
        return False


def _cross_checks(docs: Sequence[_Doc]) -> None:
    """Ids unique across all files; a number under two organisations must say it is shared."""
    ids: dict[str, tuple[_Doc, tuple]] = {}
    numbers: dict[str, list[tuple[_Doc, tuple, str, str, set]]] = {}
    services: set[str] = set()
    for doc in docs:
        if not isinstance(doc.data, dict):
            continue
        for where, value in _walk(doc.data):
            # `id` is also Indonesian's language code: inside a text map it is a translation, not an identifier.
            if where and where[-1] == "id" and isinstance(value, str) and not (len(where) > 1 and where[-2] in TEXT_KEYS):
                if value in ids:
                    first, at = ids[value]
                    doc.error(where, f"duplicate id {value!r}, also used at {relative(first.path)}:{first.line(at)} "
                                     "(ids must be unique across all files: rename one, e.g. start it with the country code)")
                else:
                    ids[value] = (doc, where)
        for o, org in enumerate(doc.data.get("organizations") or []):
            for s, service in enumerate((org or {}).get("services") or []):
                if not isinstance(service, dict):
                    continue
                services.add(str(service.get("id")))
                for c, contact in enumerate(service.get("contacts") or []):
                    if isinstance(contact, dict) and contact.get("number"):
                        number = str(contact["number"])
                        if not number.startswith("+"):  # a short code is only the same line within one country
                            number = f"{contact.get('region') or doc.data.get('code')} {number}"
                        numbers.setdefault(number, []).append(
                            (doc, ("organizations", o, "services", s, "contacts", c, "number"), str(org.get("id")),
                             str(service.get("id")), set(service.get("shared_number_with") or [])))
    for number, uses in numbers.items():
        for i, (doc, where, org, service, shared) in enumerate(uses):
            for first_doc, first_where, first_org, first_service, first_shared in uses[:i]:
                if first_org == org:
                    continue
                if first_service not in shared:  # the later listing must name the earlier one
                    _shared_error(doc, where, number, first_service, first_doc, first_where)
                if service not in first_shared:  # and the earlier one the later one
                    _shared_error(first_doc, first_where, number, service, doc, where)
    for doc in docs:
        for where, value in _walk(doc.data if isinstance(doc.data, dict) else {}):
            if len(where) >= 2 and where[-2] == "shared_number_with" and value not in services:
                doc.error(where, f"shared_number_with names {value!r}, which is no service id (use the id of the other "
                                 "organisation's service)")


def _seed_checks(doc: _Doc, node: object, where: tuple, seeds: Mapping) -> None:
    """Every `seed:` citation names a document listed in data/sources.yml (readers see its title, so a typo
    would show them nothing)."""
    if isinstance(node, dict):
        if isinstance(node.get("seed"), str) and node["seed"] not in seeds:
            listed = ", ".join(sorted(seeds))
            doc.error(where + ("seed",), f"seed {node['seed']!r} is not listed in data/sources.yml (use one of: {listed})")
        for key, value in node.items():
            _seed_checks(doc, value, where + (key,), seeds)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _seed_checks(doc, value, where + (index,), seeds)


def _nationality_checks(docs: Sequence[_Doc], known: set[str]) -> None:
    """Every nationality a file names (its `nationalities`, a listing's `eligibility.nationality`) has a country
    file: the site shows that country's name, its readers' languages and its hotlines for workers abroad."""
    for doc in docs:
        if not isinstance(doc.data, dict):
            continue
        for where, value in _walk(doc.data):
            named = (len(where) >= 2 and where[-2] == "nationalities") or (
                len(where) >= 3 and where[-2] == "nationality" and where[-3] == "eligibility")
            if named and isinstance(value, str) and value.upper() not in known:
                doc.error(where, f"nationality {value} has no country file (add data/countries/{value.lower()}.yml, or "
                                 "use the code of a country that has one)")


def _sms_checks(docs: Sequence[_Doc], editions: Sequence[str]) -> None:
    """The one-SMS summary of each country fits one message in each language of its corridor (scripts/plugin/sms.py)."""
    from scripts.plugin import sms
    from scripts.sources.locales import translator

    words: dict[str, dict] = {}  # each edition's SMS words, read once for all the files
    for doc in docs:
        if doc.errors or not isinstance(doc.data, dict):
            continue
        code = str(doc.data.get("code", "")).upper()
        for lang in doc.data.get("corridor") or []:
            if lang not in editions:
                continue
            if lang not in words:
                words[lang] = sms.words(translator(lang))
            text = sms.summary(doc.data, country_name(code, lang), words[lang])
            size = sms.length(text)
            if not size.fits:
                hotlines = sms.main_hotlines(doc.data)
                where = ("organizations",)
                if hotlines:
                    org, service, _ = hotlines[-1]
                    o = doc.data["organizations"].index(org)
                    where = ("organizations", o, "services", org["services"].index(service))
                doc.error(where, f"the one-SMS summary in {lang} has {size.used} characters, over the {size.limit} of "
                                 f"one {size.encoding} message: {text!r} (give this service a shorter `short_name`)")


def country_name(code: str, lang: str) -> str:
    """The country's name in `lang` from CLDR (Babel), English when CLDR has none."""
    try:
        names = Locale.parse(lang, sep="-").territories
    except (UnknownLocaleError, ValueError):
        names = {}
    return names.get(code.upper()) or region_name(code)


def _shared_error(doc: _Doc, where: tuple, number: str, other: str, other_doc: _Doc, other_where: tuple) -> None:
    doc.error(where, f"number {number} is also listed under service {other!r} of another organisation "
                     f"({relative(other_doc.path)}:{other_doc.line(other_where)}) (if they really share this line, "
                     f"add `shared_number_with: [{other}]` to this service; otherwise fix the number)")


def _editions(editions: Sequence[str] | None) -> tuple[str, ...]:
    if editions:
        return tuple(editions)
    from scripts.project import languages

    if not languages():
        raise RuntimeError("no edition languages found in mkdocs.yml (the i18n plugin lists them)")
    return tuple(languages())


def _check(paths: Sequence[Path], editions: Sequence[str] | None, today: dt.date | None) -> list[_Doc]:
    codes, day = _editions(editions), today or dt.date.today()
    docs = [_parse(path) for path in paths]
    seeds = citations.catalogue().seeds  # the seed documents a listing may cite, read once per check
    for doc in docs:
        if doc.errors and doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            doc.error((), "the file must be a mapping of fields (start from another country file)")
            continue
        _schema_check(doc)
        _content_checks(doc, codes, day)
        _seed_checks(doc, doc.data, (), seeds)
    _cross_checks(docs)
    known = {path.stem.upper() for doc in docs for path in Path(doc.path).parent.glob("*.yml")}
    _nationality_checks(docs, known)
    _sms_checks(docs, codes)
    return docs


def _files(data_dir: Path) -> list[Path]:
    return sorted(Path(data_dir).glob("*.yml"))


def validate_countries(data_dir: Path = COUNTRIES, today: dt.date | None = None,
                       editions: Sequence[str] | None = None) -> list[DataError]:
    """Check every data_dir/*.yml and return all errors, in file and line order (empty when all is well)."""
    docs = _check(_files(data_dir), editions, today)
    return sorted((e for doc in docs for e in doc.errors), key=lambda e: (str(e.path), e.line))


def load_country(path: Path, today: dt.date | None = None, editions: Sequence[str] | None = None) -> dict:
    """Read and validate one country file; raise `DataErrors` (a DataError) listing every problem in it."""
    doc = _check([Path(path)], editions, today)[0]
    if doc.errors:
        raise DataErrors(sorted(doc.errors, key=lambda e: e.line))
    return doc.data


def load_countries(data_dir: Path = COUNTRIES, today: dt.date | None = None,
                   editions: Sequence[str] | None = None) -> dict[str, dict]:
    """All country files keyed by lower-case code; raise `DataErrors` listing every problem of every file."""
    docs = _check(_files(data_dir), editions, today)
    errors = sorted((e for doc in docs for e in doc.errors), key=lambda e: (str(e.path), e.line))
    if errors:
        raise DataErrors(errors)
    return {doc.path.stem.lower(): doc.data for doc in docs}


def old_before(today: dt.date) -> dt.date:
    """Sources dated before this are old: the same day OLD_SOURCE_MONTHS (24) months earlier."""
    years = OLD_SOURCE_MONTHS // 12
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def listing_source_date(service: dict) -> dt.date | None:
    """The oldest date among the pages a listing's numbers come from (None for a listing without a page)."""
    pages = [contact_source(service, contact) for contact in service.get("contacts") or []]
    pages = [page for page in pages + [service.get("source")] if is_page(page)]
    dates = [published_date(str(page["published"])) for page in pages if page.get("published")]
    return min(dates) if dates else None


def old_listings(country: dict, today: dt.date) -> list[dict]:
    """Listings whose source is more than 24 months old: their numbers may have changed.

    Each item: {"organization": org id, "service": service id, "name": org name, "published": date}.
    """
    limit, old = old_before(today), []
    for org in country.get("organizations") or []:
        for service in org.get("services") or []:
            when = listing_source_date(service)
            if when and when < limit:
                old.append({"organization": org["id"], "service": service["id"], "name": org["name"], "published": when})
    return old


# What each country's directory must offer at least (issue 14): listings a worker can call or message.
MINIMUM_REACHABLE = {"destination": 6, "origin": 4}


def _reachable(service: dict) -> bool:
    return any(c.get("kind") in ("phone", "whatsapp", "sms", "signal", "viber") for c in service.get("contacts") or [])


def reader_nationalities(country: Mapping, lang: str, directory: Mapping[str, Mapping]) -> list[str]:
    """The nationalities on this page whose people read `lang`: countries of origin that list `lang` in their
    corridor (English is everyone's second language here, so it names nobody) and that this country serves."""
    if lang == "en":
        return []
    served = [str(cc).upper() for cc in country.get("nationalities") or []]
    return [cc for cc in served
            if lang in ((directory.get(cc.lower()) or {}).get("corridor") or [])
            and "origin" in ((directory.get(cc.lower()) or {}).get("roles") or [])]


def home_listings(country: Mapping, nationality: str, directory: Mapping[str, Mapping]) -> list[tuple[dict, dict]]:
    """What a national of `nationality` has on this country's page: her embassy or labour office here, then her own
    government's lines for workers abroad (only numbers that work from another country)."""
    own = [(org, service) for org in country.get("organizations") or [] for service in org.get("services") or []
           if nationality in ((service.get("eligibility") or {}).get("nationality") or [])
           and (service.get("eligibility") or {}).get("nationality") != "any"]
    home = directory.get(nationality.lower()) or {}
    abroad = []
    for org in home.get("organizations") or []:
        for service in org.get("services") or []:
            if not service.get("abroad"):
                continue
            reachable = [c for c in service.get("contacts") or [] if str(c["number"]).startswith("+")]
            if reachable or service.get("email") or org.get("email"):
                abroad.append((org, {**service, "contacts": reachable}))
    return own + abroad


def directory_report(countries: dict[str, dict], today: dt.date) -> tuple[list[str], list[str]]:
    """(table rows, shortfalls): per country, listings by kind, how many a worker can call or message, how many
    come from a source under 24 months old, and what is missing against the minimum of issue 14."""
    kinds = SERVICE_TYPES
    rows = ["| country | " + " | ".join(kinds) + " | reachable | source < 24 months | minimum |",
            "|---" * (len(kinds) + 4) + "|"]
    short, limit = [], old_before(today)
    for code, country in sorted(countries.items()):
        services = [s for org in country.get("organizations") or [] for s in org.get("services") or []]
        # a destination also shows its nationalities' home lines for workers abroad (those callable from abroad)
        services += [s for nationality in country.get("nationalities") or []
                     for _, s in home_listings(country, nationality, countries) if s.get("abroad") and s.get("contacts")]
        counts = [sum(1 for s in services if s.get("type") == kind) for kind in kinds]
        reachable = [s for s in services if _reachable(s)]
        recent = sum(1 for s in reachable if (listing_source_date(s) or dt.date.min) >= limit)
        role = "destination" if "destination" in (country.get("roles") or []) else "origin"
        need = MINIMUM_REACHABLE[role]
        verdict = "yes" if len(reachable) >= need else f"no ({len(reachable)} of {need})"
        rows.append(f"| {code.upper()} | " + " | ".join(str(n) for n in counts)
                    + f" | {len(reachable)} | {recent} | {verdict} |")
        if len(reachable) < need:
            short.append(f"{code.upper()}: {len(reachable)} listings to call or message, {need} needed ({role})")
        for nationality in country.get("nationalities") or []:
            if not any(s.get("type") == "embassy" and nationality in ((s.get("eligibility") or {}).get("nationality") or [])
                       for s in services):
                short.append(f"{code.upper()}: no embassy or labour office of {nationality} listed")
    return rows, short


def configure_parser(p: argparse.ArgumentParser) -> None:
    """Options of `./kb check data`."""
    p.add_argument("--report", action="store_true",
                   help="also print the directory's coverage: listings by kind per country, and what is missing")
    p.add_argument("--data-dir", type=Path, default=COUNTRIES, help="folder of <cc>.yml files (default: data/countries)")
    p.add_argument("--today", type=dt.date.fromisoformat, default=None, help="check as if today were YYYY-MM-DD")


def run(args: argparse.Namespace) -> int:
    """Print every error and warning; 0 when there are no errors, 1 when there are, 2 if nothing can be checked."""
    data_dir, today = Path(args.data_dir), getattr(args, "today", None) or dt.date.today()
    paths = _files(data_dir)
    if not paths:
        print(f"{relative(data_dir)}: no country files (*.yml) found (check --data-dir)")
        return 2
    try:
        docs = _check(paths, None, today)
    except RuntimeError as error:
        print(f"mkdocs.yml: {error}")
        return 2
    errors = sorted((e for doc in docs for e in doc.errors), key=lambda e: (str(e.path), e.line))
    for error in errors:
        print(error)
    for warning in sorted((w for doc in docs for w in doc.warnings), key=lambda w: (str(w.path), w.line)):
        print(warning)
    for doc in docs:
        if doc.errors or not isinstance(doc.data, dict):
            continue
        for item in old_listings(doc.data, today):
            where = _service_path(doc.data, item["service"])
            print(f"{relative(doc.path)}:{doc.line(where)}: warning: listing {item['service']!r} comes from a source of "
                  f"{item['published'].isoformat()}, over {OLD_SOURCE_MONTHS} months old (look for a newer one)")
    if errors:
        return 1
    if getattr(args, "report", False):
        rows, short = directory_report({doc.path.stem.lower(): doc.data for doc in docs}, today)
        print("\n".join(rows))
        print("\n".join(f"missing: {line}" for line in short) or "every country meets its minimum")
    print(f"{len(docs)} country files OK")
    return 0


def _service_path(country: dict, service_id: str) -> tuple:
    for o, org in enumerate(country.get("organizations") or []):
        for s, service in enumerate(org.get("services") or []):
            if service.get("id") == service_id:
                return ("organizations", o, "services", s, "source")
    return ()


def listed_short_numbers(data_dir: Path = COUNTRIES) -> dict[str, frozenset[str]]:
    """{region: short numbers} that listings in the country files give with a source (e.g. PH: 1348)."""
    found: dict[str, set[str]] = {}
    for path in _files(data_dir):
        doc = _parse(path)
        if not isinstance(doc.data, dict):
            continue
        home = str(doc.data.get("code", path.stem)).upper()
        for entry in doc.data.get("emergency") or []:  # kept on the strength of their source (e.g. Honduras' 911)
            number = str((entry or {}).get("number", ""))
            if number.isdigit():
                found.setdefault(home, set()).add(number)
        for org in doc.data.get("organizations") or []:
            for service in (org or {}).get("services") or []:
                for contact in (service or {}).get("contacts") or []:
                    number = str((contact or {}).get("number", ""))
                    if number.isdigit():
                        found.setdefault(str(contact.get("region") or home).upper(), set()).add(number)
    return {region: frozenset(numbers) for region, numbers in found.items()}
