"""What each edition's search text holds (scripts/plugin/search_index.py), on rendered HTML made for the purpose."""

from __future__ import annotations

import json

from scripts.plugin import search_index


def test_an_entry_has_title_summary_headings_and_the_readable_text() -> None:
    html = ('<h1>Kafala</h1><p>Your <b>passport</b> is yours.</p><h2 id="a">Can my employer keep it?</h2>'
            '<p data-search-skip>Reviewed 2025</p><h3>What to do <span>now</span></h3><script>var x=1</script>')
    url, title, summary, headings, text = search_index.entry("kafala/", "Kafala", "What kafala is.", html)
    assert (url, title, summary) == ("kafala/", "Kafala", "What kafala is.")
    assert headings == "can my employer keep it? · what to do now"
    assert "your passport is yours." in text and "reviewed" not in text and "var x" not in text
    assert "employer" not in text, "the headings are sent twice"
    document = json.loads(search_index.serialise([[url, title, summary, headings, text]]))
    assert document["v"] == 2 and document["docs"][0][0] == "kafala/"


def test_normalising_keeps_thai_am_whole_and_drops_optional_arabic_marks() -> None:
    # NFKC alone splits SARA AM (U+0E33) in two, which word segmentation then cuts wrongly.
    assert search_index.normalise("สำคัญ") == "สำคัญ" and "\u0e4d" not in search_index.normalise("ทำงาน")
    assert search_index.normalise("كَفالة") == "كفالة"
    assert search_index.normalise("  Passport\u00a0 FEES ") == "passport fees"
