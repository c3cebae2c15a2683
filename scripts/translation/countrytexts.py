"""`./kb country-texts`: translate the words in the country data files without touching YAML by hand.

Descriptions, notes and names in data/countries/<cc>.yml are maps keyed by language (`en` required). A
country's sheet is complete in a language when every such map has that language, for each country whose
`corridor` lists it. `export LANG` writes the missing English texts as JSON ({"<cc>:<path>": "English"});
a translator replaces each value; `import LANG FILE` puts the translations in place, each on a new line
right under its English text, leaving everything else in the file as it was.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scripts.project import COUNTRIES, relative
from scripts.yamlfile import compose, parse, walk_nodes

TEXT_KEYS = ("text", "note", "description", "name", "schedule", "documents_needed", "area", "front_door")


def text_maps(data: object, where: tuple = ()) -> list[tuple[tuple, dict]]:
    """Every language map in a country's data: (path, {lang: text})."""
    found: list[tuple[tuple, dict]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in TEXT_KEYS and isinstance(value, dict) and "en" in value:
                found.append((where + (key,), value))
            else:
                found += text_maps(value, where + (key,))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found += text_maps(item, where + (index,))
    return found


def key_of(code: str, where: tuple) -> str:
    """The export key of one text: "lb:organizations/0/services/1/description"."""
    return f"{code}:" + "/".join(map(str, where))


def missing(data: dict, lang: str) -> dict[tuple, str]:
    """{path: English text} of the maps that lack `lang`."""
    return {where: str(texts["en"]) for where, texts in text_maps(data) if not texts.get(lang)}


def load(path: Path) -> dict:
    """A country file as plain data (the full validation is scripts/sources/countries.py's job)."""
    return parse(path.read_text(encoding="utf-8"), relative(path)).data or {}


def export(lang: str, folder: Path = COUNTRIES) -> dict[str, str]:
    """The English texts still to translate into `lang`, for the countries whose corridor lists it."""
    out: dict[str, str] = {}
    for path in sorted(folder.glob("*.yml")):
        data = load(path)
        if lang in (data.get("corridor") or []):
            out.update({key_of(path.stem, where): text for where, text in missing(data, lang).items()})
    return out


def _en_lines(text: str) -> dict[tuple, int]:
    """The 0-based LAST line of the English text of every language map, by path: a long text may run over
    several lines (plain, quoted or folded), and the translation goes under all of it."""
    found: dict[tuple, int] = {}

    def visit(node, where: tuple) -> None:
        for key, value in node.value if node.id == "mapping" else ():
            if key.value == "en" and value.id == "scalar":
                end = value.end_mark
                found[where] = end.line - 1 if end.column == 0 else end.line

    root = compose(text)
    if root is not None:
        walk_nodes(root, visit)
    return found


def merge(text: str, lang: str, translations: dict[tuple, str]) -> str:
    """`text` (a country file) with each translation inserted under its English line."""
    lines = text.splitlines(keepends=True)
    at = _en_lines(text)
    for where, translated in sorted(translations.items(), key=lambda item: -at.get(item[0], -1)):
        if where not in at:
            raise KeyError("/".join(map(str, where)))
        first = at[where]
        while first > 0 and not lines[first].lstrip().startswith("en:"):  # back to the `en:` key for its indent
            first -= 1
        en_line = lines[first]
        indent = en_line[: len(en_line) - len(en_line.lstrip())]
        if not en_line.lstrip().startswith("en:"):
            raise ValueError(f"line {at[where] + 1} is not an `en:` line")
        lines.insert(at[where] + 1, f"{indent}{lang}: {json.dumps(' '.join(translated.split()), ensure_ascii=False)}\n")
    return "".join(lines)


def import_file(lang: str, source: Path, folder: Path = COUNTRIES) -> int:
    """Merge a translated export into the country files; returns how many texts were added."""
    entries = json.loads(source.read_text(encoding="utf-8"))
    by_country: dict[str, dict[tuple, str]] = {}
    for key, value in entries.items():
        code, _, path = key.partition(":")
        where = tuple(int(part) if part.isdigit() else part for part in path.split("/"))
        if isinstance(value, str) and value.strip():
            by_country.setdefault(code, {})[where] = value
    added = 0
    for code, translations in sorted(by_country.items()):
        path = folder / f"{code}.yml"
        text = path.read_text(encoding="utf-8")
        have = {where for where, texts in text_maps(load(path)) if texts.get(lang)}
        todo = {where: value for where, value in translations.items() if where not in have}
        path.write_text(merge(text, lang, todo), encoding="utf-8")
        added += len(todo)
    return added


def configure_parser(p: argparse.ArgumentParser) -> None:
    """Arguments of `./kb country-texts`."""
    p.add_argument("action", choices=("export", "import"), help="export the texts to translate, or import them")
    p.add_argument("lang", metavar="LANG", help="edition code, e.g. am")
    p.add_argument("file", nargs="?", type=Path, help="the JSON file (export: default standard output)")


def run(args: argparse.Namespace) -> int:
    """0 done; 2 usage error."""
    from scripts.project import languages

    if args.lang not in languages():
        print(f"kb country-texts: unknown language {args.lang!r} (editions: {' '.join(languages())})", file=sys.stderr)
        return 2
    if args.action == "export":
        data = json.dumps(export(args.lang), ensure_ascii=False, indent=1)
        if args.file:
            args.file.write_text(data + "\n", encoding="utf-8")
            print(f"Wrote {args.file}: translate each value, keep the keys, then: ./kb country-texts import "
                  f"{args.lang} {args.file}", file=sys.stderr)
        else:
            print(data)
        return 0
    if not args.file or not args.file.is_file():
        print("kb country-texts import: give the translated JSON file", file=sys.stderr)
        return 2
    try:
        added = import_file(args.lang, args.file)
    except (KeyError, ValueError, json.JSONDecodeError) as error:
        print(f"kb country-texts import: {args.file}: {error} (export again and keep the keys as they are)",
              file=sys.stderr)
        return 2
    print(f"Added {added} {args.lang} text(s) to {relative(COUNTRIES)}/. Run ./kb check data to validate.")
    return 0
