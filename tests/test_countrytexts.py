"""Country data texts: export what is missing in a language, import translations under their English lines."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from scripts.sources.countries import validate_countries
from scripts.translation import countrytexts

ROOT = Path(__file__).resolve().parent.parent


def test_export_then_import_fills_every_text_and_keeps_the_file_valid(tmp_path: Path) -> None:
    folder = tmp_path / "countries"
    shutil.copytree(ROOT / "data" / "countries", folder)
    for path in folder.glob("*.yml"):  # start from no Swahili texts, whatever the repository has by now
        kept = [line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                if not re.match(r"\s+sw: ", line)]
        path.write_text("".join(kept), encoding="utf-8")
    todo = countrytexts.export("sw", folder)
    readers = {path.stem for path in folder.glob("*.yml") if "sw" in countrytexts.load(path).get("corridor", [])}
    assert todo and {key.split(":")[0] for key in todo} == readers  # only the countries whose corridor has sw
    untouched = (folder / "lb.yml").read_text(encoding="utf-8")  # lb's corridor has no sw
    translated = tmp_path / "sw.json"
    translated.write_text(json.dumps({key: f"SW {text} # not a comment: yes" for key, text in todo.items()}),
                          encoding="utf-8")
    assert countrytexts.import_file("sw", translated, folder) == len(todo)
    assert countrytexts.export("sw", folder) == {}
    assert (folder / "lb.yml").read_text(encoding="utf-8") == untouched, "a country outside the corridor changed"
    assert validate_countries(folder) == []
    data = countrytexts.load(folder / "ae.yml")
    assert data["migrant_groups"]["text"]["sw"].startswith("SW The United Arab Emirates")
    assert countrytexts.import_file("sw", translated, folder) == 0, "importing twice adds nothing"


def test_coverage_counts_a_corridor_sheet_only_when_its_data_texts_are_translated(tmp_path: Path) -> None:
    from scripts.translation import coverage
    from tests.conftest import copy_repo

    root = copy_repo(tmp_path / "repo")
    folder = root / "data" / "countries"  # the page itself is made from the data (no page written by hand)
    todo = {k: v for k, v in countrytexts.export("id", folder).items() if k.startswith("id:")}
    if todo:
        assert dict(coverage.build_report(root, ["id"]).languages["id"].corridor)["id"] is False
        source = tmp_path / "id.json"
        source.write_text(json.dumps({k: "ID " + v for k, v in todo.items()}), encoding="utf-8")
        countrytexts.import_file("id", source, folder)
    assert dict(coverage.build_report(root, ["id"]).languages["id"].corridor)["id"] is True


def test_a_translation_goes_under_an_english_text_of_several_lines(tmp_path: Path) -> None:
    folder = tmp_path / "countries"
    shutil.copytree(ROOT / "tests" / "countries" / "valid", folder)
    path = folder / "lb.yml"
    text = path.read_text(encoding="utf-8").replace(
        "      en: A made-up organisation for tests.\n",
        "      en: A made-up organisation for tests, whose description is long enough\n"
        "        to run over two lines, as editors and YAML writers wrap it.\n")
    path.write_text(text, encoding="utf-8")
    todo = {k: v for k, v in countrytexts.export("fr", folder).items() if k.startswith("lb:organizations/0/description")}
    assert list(todo.values()) == ["A made-up organisation for tests, whose description is long enough to run over two lines, "
                                   "as editors and YAML writers wrap it."]
    source = tmp_path / "fr.json"
    source.write_text(json.dumps({k: "Une organisation inventée." for k in todo}), encoding="utf-8")
    assert countrytexts.import_file("fr", source, folder) == 1
    assert validate_countries(folder) == []
    assert countrytexts.load(path)["organizations"][0]["description"]["fr"] == "Une organisation inventée."
