"""The one YAML reader (scripts/yamlfile.py): YAML 1.2 meanings, a line for every key, and one `file:line` for
every way a contributor's YAML can be wrong, at the line where the problem starts."""

from __future__ import annotations

import pytest
import yaml as pyyaml

from scripts.project import CONFIG, read_config
from scripts.yamlfile import YAMLFileError, parse, read


def _error(text: str, first_line: int = 1) -> str:
    with pytest.raises(YAMLFileError) as caught:
        parse(text, "x.yml", first_line=first_line)
    return str(caught.value)


def test_yaml_1_2_meanings_and_plain_types() -> None:
    data = parse("no: no\ncountry: NO\non: on\nok: true\nwhen: 2026-03-01\nn: 7\nf: 1.5\nlist: [a, 'b']\n").data
    assert data == {"no": "no", "country": "NO", "on": "on", "ok": True, "when": "2026-03-01", "n": 7, "f": 1.5,
                    "list": ["a", "b"]}
    assert [type(v) for v in data.values()] == [str, str, str, bool, str, int, float, list]


def test_every_key_and_item_has_its_file_line() -> None:
    parsed = parse("a: 1\nb:\n  - x\n  - c: 2\n    d: |\n      long\n      text\ne: 3\n", first_line=10)
    assert parsed.lines == {("a",): 10, ("b",): 11, ("b", 0): 12, ("b", 1): 13, ("b", 1, "c"): 13,
                            ("b", 1, "d"): 14, ("e",): 17}
    assert parsed.line(("b", 1, "d", "missing")) == 14 and parsed.line(()) == 1


@pytest.mark.parametrize("text, line, words", [
    ("a: 1\nb: 2\na: 3\n", 3, "`a` is given twice in this block"),
    ("top:\n  k: 1\n  k: 2\n", 3, "`k` is given twice"),
    ('a: 1\ntitle: "Unclosed\nb: 2\nc: 3\n', 2, "quoted scalar that starts here"),  # where the quote opens
    ("a: [1, 2\nb: 3\n", 2, "flow sequence"),
    ("a:\n  b: 1\n c: 2\n", 3, "block mapping that starts on line 1"),
    ("a: b: c\n", 1, "mapping values are not allowed here"),
])
def test_a_planted_mistake_is_one_line_at_its_line(text: str, line: int, words: str) -> None:
    message = _error(text)
    assert message.startswith(f"x.yml:{line}: ") and words in message and "\n" not in message, message
    assert message.endswith(")"), "every message ends with its fix"
    assert _error(text, first_line=5).startswith(f"x.yml:{line + 4}: "), "lines count from where the text starts"


def test_a_file_that_is_not_utf8_is_named_at_its_line(tmp_path) -> None:
    path = tmp_path / "bad.yml"
    path.write_bytes(b"a: 1\nb: caf" + b"\xe9\n")
    with pytest.raises(YAMLFileError) as caught:
        read(path, "bad.yml")
    assert str(caught.value) == "bad.yml:2: not UTF-8 text (save the file as UTF-8)"


def test_env_tags_read_as_mkdocs_reads_them(monkeypatch) -> None:
    text = "url: !ENV [KB_TEST_UNSET, KB_TEST_SET, 'fallback']\nplain: !ENV KB_TEST_UNSET\nhook: !!python/name:x.y\n"
    monkeypatch.delenv("KB_TEST_UNSET", raising=False)
    monkeypatch.delenv("KB_TEST_SET", raising=False)
    assert parse(text).data == {"url": "fallback", "plain": None, "hook": None}
    monkeypatch.setenv("KB_TEST_SET", "https://example.org/")
    assert parse(text).data["url"] == "https://example.org/"


def test_mkdocs_yml_means_the_same_to_the_tooling_and_to_mkdocs() -> None:
    # MkDocs reads mkdocs.yml with PyYAML (YAML 1.1); the tooling with ruamel.yaml (1.2). Where the two could
    # differ (yes/no/on/off, dates, octal numbers), mkdocs.yml must not depend on it.
    class Loader(pyyaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    mkdocs_view = pyyaml.load(CONFIG.read_text(encoding="utf-8"), Loader=Loader)
    ours = read_config()

    def without_env(value):  # !ENV values are None for PyYAML here and resolved by ours
        if isinstance(value, dict):
            return {k: without_env(v) for k, v in value.items() if k != "site_url"}
        if isinstance(value, list):
            return [without_env(v) for v in value]
        return value

    assert without_env(ours) == without_env(mkdocs_view)
