"""Translations keep heading ids, link targets and numbers identical to English (scripts/sources/parity.py)."""

from __future__ import annotations

import pytest

from scripts.project import DEFAULT, DOCS, languages
from scripts.sources import parity

ENGLISH = """---
title: Kafala
summary: Short.
---

## Can I keep my passport? {#keep-your-passport}

Article 9 says so. You rest 24 hours a week. Fees above 1,000 dollars are illegal.

Call [the hotline](countries/lb.md#sheet-emergency) or +9611234567.
"""
GOOD = """---
title: Kafala
summary: Corto.
---

## ¿Puedo guardar mi pasaporte? {#keep-your-passport}

El artículo 9 lo dice. Descansas 24 horas por semana. Las tarifas de más de 1.000 dólares son ilegales.

Llama a [la línea](countries/lb.md#sheet-emergency) o al +9611234567.
"""


def test_a_faithful_translation_passes() -> None:
    assert parity.compare(ENGLISH, GOOD, "docs/en/kafala.md", "docs/es/kafala.md") == []


def test_native_digits_mean_the_same_number() -> None:
    bengali = GOOD.replace("artículo 9", "artículo ৯").replace("24 horas", "২৪ horas")
    assert parity.compare(ENGLISH, bengali, "docs/en/kafala.md", "docs/bn/kafala.md") == []


@pytest.mark.parametrize(("old", "new", "line", "expected"), [
    ("{#keep-your-passport}", "{#guardar-pasaporte}", 6, "heading id {#keep-your-passport}"),
    ("countries/lb.md#sheet-emergency", "countries/lb.md#emergencia", 10, "link target (countries/lb.md#sheet-emergency)"),
    ("24 horas", "42 horas", 8, "number 24"),
    ("+9611234567", "+961123456", 10, "number 9611234567"),
    ("artículo 9", "artículo", 8, "number 9"),
])
def test_a_changed_id_link_or_number_is_named_with_its_line(old: str, new: str, line: int, expected: str) -> None:
    planted = GOOD.replace(old, new)
    found = parity.compare(ENGLISH, planted, "docs/en/kafala.md", "docs/es/kafala.md")
    assert found, "the planted change was not found"
    messages = [str(d) for d in found]
    assert any(m.startswith(f"docs/es/kafala.md:{line}: ") and expected in m for m in messages), messages
    assert all("(" in m and m.endswith(")") for m in messages), "each message says how to fix it"


def test_every_translation_in_the_repository_matches_its_english_source() -> None:
    differences = parity.check(DOCS, languages(), DEFAULT)
    assert not differences, "\n".join(map(str, differences[:20]))


def test_a_translation_of_an_older_english_text_is_left_to_the_outdated_notice(tmp_path) -> None:
    from scripts.sources.source_hash import source_hash

    (tmp_path / "en").mkdir()
    (tmp_path / "es").mkdir()
    (tmp_path / "en" / "kafala.md").write_text(ENGLISH.replace("24 hours", "36 hours"), encoding="utf-8")
    old = GOOD.replace("summary: Corto.\n", f"summary: Corto.\ntranslation:\n  source_hash: {source_hash(ENGLISH)}\n"
                                            "  status: machine\n")
    (tmp_path / "es" / "kafala.md").write_text(old, encoding="utf-8")
    assert parity.check(tmp_path, ["en", "es"]) == []
    current = old.replace(source_hash(ENGLISH), source_hash(ENGLISH.replace("24 hours", "36 hours")))
    (tmp_path / "es" / "kafala.md").write_text(current, encoding="utf-8")
    messages = [d.message for d in parity.check(tmp_path, ["en", "es"])]
    assert any(m.startswith("number 36 of ") for m in messages) and any(m.startswith("number 24 is not in") for m in messages)


def test_broken_front_matter_is_left_to_the_content_check_not_repeated_per_edition() -> None:
    # The content check names a page's bad YAML once; parity compares bodies only, so the same fault is not
    # printed again for each of the 14 translations (it was, by `./kb check`).
    from scripts.sources.parity import compare

    english = '---\ntitle: "Unclosed\nsummary: a "quoted" word\n---\n## Part {#part}\n\nCall 999.\n'
    translation = '---\ntitle: Traduit\n---\n## Partie {#part}\n\nAppelez le 999.\n'
    assert compare(english, translation, "docs/en/x.md", "docs/fr/x.md") == []
    assert compare(english, translation.replace("999", "112"), "docs/en/x.md", "docs/fr/x.md"), "bodies still compared"
