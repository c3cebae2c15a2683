"""Listen (issue 22): the phone's own voice reads the page, through a stubbed `speechSynthesis`.

Headless Chromium has no voices, so an init script replaces the Web Speech API with a recorder: the voices a
test chooses, every utterance spoken (text, language, voice) and every cancel. The test ends each utterance
itself, as an engine would when it has finished speaking.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scripts.plugin.config import raw_options
from scripts.project import read_config
from scripts.sources.locales import strings

EXIT_HOST = urlsplit(raw_options(read_config())[1]["quick_exit_url"]).netloc
PHONE = {"viewport": {"width": 360, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
READING = {"en": "kafala/", "ar": "ar/kafala/", "am": "am/kafala/"}  # left-to-right, right-to-left, Ethiopic
COUNTRY = {"en": "countries/lb/", "ar": "ar/countries/lb/", "am": "am/countries/lb/"}
VOICE = {"en": "en-GB", "ar": "ar-SA", "am": "am-ET"}

STUB = """
(() => {
  const log = [];
  let voices = [], current = null;
  const note = entry => { log.push(entry); if (window.ttsLog) window.ttsLog(JSON.stringify(entry)); };
  class Utterance extends EventTarget {
    constructor(text) { super(); this.text = text; this.lang = ""; this.voice = null; }
    dispatchEvent(event) {
      const handler = this["on" + event.type];
      if (handler) handler.call(this, event);
      return super.dispatchEvent(event);
    }
  }
  const synth = new EventTarget();
  synth.getVoices = () => voices.slice();
  synth.speak = u => { current = u; note({speak: u.text, lang: u.lang, voice: u.voice && u.voice.lang}); };
  /* Real engines report an interrupted utterance as an error: the reader must not take it for the end. */
  synth.cancel = () => { note({cancel: true}); const u = current; current = null; if (u) u.dispatchEvent(new Event("error")); };
  synth.pause = () => note({pause: true});
  synth.resume = () => note({resume: true});
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = Utterance;
  window.__tts = {
    log,
    get current() { return current; },
    setVoices(list) {
      voices = list.map(v => Object.assign({name: v.lang, voiceURI: v.lang, localService: true, default: false}, v));
      synth.dispatchEvent(new Event("voiceschanged"));
    },
    finish() { const u = current; current = null; if (u) u.dispatchEvent(new Event("end")); },
    finishAll() { let n = 0; while (current && n < 5000) { this.finish(); n++; } return n; },
  };
  const chosen = window.__kbVoices || [];
  if (chosen.length) window.__tts.setVoices(chosen);
})();
"""

# Shown on the screen: laid out, and not inside a closed fold (browsers may lay out a closed fold's content).
SHOWN = "el => el.getClientRects().length > 0 && !el.closest('details:not([open]) > :not(summary)')"

# The page's own text, as a reader sees it (innerText leaves out what is not shown): what Listen must read, in order.
VISIBLE_TEXT = """() => {
  const article = document.querySelector('.md-content article');
  const text = el => el.innerText.replace(/\\s+/g, ' ').trim();
  const blocks = [...article.querySelectorAll(':scope > h1, :scope > h2, :scope > h3, :scope > p, .admonition.summary li')]
    .filter(el => !el.closest('.kb-print-only, [data-kb-listen]') && el.getClientRects().length);
  return {
    blocks: blocks.map(text).filter(Boolean),
    notices: [...article.querySelectorAll('.kb-notice')].map(text),
    sources: [...article.querySelectorAll('footer li')].map(el => el.textContent.replace(/\\s+/g, ' ').trim()),
    summaryTitle: text(article.querySelector('.admonition.summary .admonition-title')),
  };
}"""


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _open(browser, server: str, path: str, voices: list[dict] | None, **options):
    context = browser.new_context(**PHONE, **options)
    context.route(f"https://{EXIT_HOST}/**", lambda route: route.fulfill(body="neutral", content_type="text/html"))
    page = context.new_page()
    page.add_init_script(script=f"window.__kbVoices = {json.dumps(voices or [])};" + STUB)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server + path)
    return context, page, requests


def _spoken(page) -> list[dict]:
    return [entry for entry in page.evaluate("window.__tts.log") if "speak" in entry]


def _start(page, button: str = "play") -> None:
    """Tap a Listen button and wait for the first utterance (the reading code may be loading)."""
    page.click(f"[data-kb-listen] [data-kb-do={button}]")
    # Polled from here: wait_for_function evaluates a string, which the site's CSP rightly forbids.
    for _ in range(100):
        if page.evaluate("window.__tts.current !== null"):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"nothing was spoken after tapping {button}")


@pytest.mark.parametrize(("path", "voices", "offered"), [
    ("ar/kafala/", [{"lang": "ar-SA"}], True),
    ("ar/kafala/", [{"lang": "en-US"}, {"lang": "fr-FR"}], False),
    ("ar/kafala/", [{"lang": "ar-SA", "localService": False}], False),  # a network voice would send the text away
    ("kafala/", [{"lang": "en_GB"}], True),
    ("kafala/", [{"lang": "ar-SA"}], False),
    ("am/kafala/", [{"lang": "am-ET"}], True),
    ("am/kafala/", [{"lang": "ar-SA"}, {"lang": "en-US"}], False),
    ("am/kafala/", [], False),
])
def test_listen_is_offered_only_when_the_phone_has_a_voice_for_the_language(browser, server: str, path: str,
                                                                           voices: list[dict], offered: bool) -> None:
    context, page, requests = _open(browser, server, path, voices)
    control = page.locator("[data-kb-listen]")
    assert control.is_visible() == offered, (path, voices)
    if offered:
        lang = page.get_attribute("html", "lang")
        assert page.inner_text("[data-kb-do=play]").strip() == strings(lang)["listen.play"]
        assert control.get_attribute("aria-label") == strings(lang)["listen.label"]
    assert not [u for u in requests if "/listen." in u], "the reading code loaded before anyone asked for it"
    context.close()


def test_listen_appears_when_the_phone_lists_its_voices_late_and_never_without_javascript(browser, server: str) -> None:
    context, page, _ = _open(browser, server, "ar/kafala/", [])
    assert not page.locator("[data-kb-listen]").is_visible()
    page.evaluate("window.__tts.setVoices([{lang: 'ar-EG'}])")  # phones fire voiceschanged once voices are ready
    assert page.locator("[data-kb-listen]").is_visible()
    context.close()
    context, page, _ = _open(browser, server, "ar/kafala/", [{"lang": "ar-SA"}], java_script_enabled=False)
    assert page.locator("[data-kb-listen]").count() == 1 and not page.locator("[data-kb-listen]").is_visible()
    context.close()


@pytest.mark.parametrize("lang", list(READING))
def test_listen_reads_the_page_text_in_order_in_its_language_and_nothing_else(browser, server: str, lang: str) -> None:
    context, page, requests = _open(browser, server, READING[lang], [{"lang": "fr-FR"}, {"lang": VOICE[lang]}])
    page.evaluate("document.querySelectorAll('footer details').forEach(d => { d.open = true; })")  # sources in view
    expected = page.evaluate(VISIBLE_TEXT)
    assert expected["sources"], "the test needs a page with a sources list"
    # A long paragraph made for the purpose: engines stop after a few thousand characters, so it must be cut.
    long_text = " ".join(f"{expected['blocks'][1]} ({n})." for n in range(12))
    page.evaluate("t => { const p = document.createElement('p'); p.id = 'kb-long'; p.textContent = t;"
                  " document.querySelector('.md-content article').append(p); }", long_text)
    _start(page)
    assert len([u for u in requests if "/listen." in u]) == 1, "the reading code loads on the first tap, once"

    for _ in range(6):
        page.evaluate("window.__tts.finish()")
    now = _spoken(page)[-1]["speak"]
    marked = page.locator(".kb-listen-now")
    assert marked.count() == 1 and now in _normal(marked.inner_text()), "the passage read is not the one marked"
    box = marked.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + min(box["height"], 100) <= 640, f"not scrolled into view: {box}"
    for button in ("pause", "stop"):  # the reader can stop it wherever the reading has scrolled to
        place = page.locator(f"[data-kb-do={button}]").bounding_box()
        assert place and 0 <= place["y"] <= 640 - place["height"], f"{button} scrolled out of reach: {place}"

    page.evaluate("window.__tts.finishAll()")
    spoken = _spoken(page)
    texts = [entry["speak"] for entry in spoken]
    assert {entry["lang"] for entry in spoken} == {lang}, "every utterance in the edition's language"
    assert {entry["voice"] for entry in spoken} == {VOICE[lang]}, "the edition's voice, not another one"
    assert max(len(t) for t in texts) <= 300, "a long paragraph was not cut into pieces"
    assert texts[0] == expected["blocks"][0], "the title comes first"
    joined = " ".join(texts)
    at = 0
    for block in expected["blocks"] + [_normal(long_text)]:
        found = joined.find(block, at)
        assert found >= 0, f"{lang}: not read, or not in order: {block!r}"
        at = found + len(block)
    assert expected["summaryTitle"] in texts, "the 'In short' box is read"
    chrome = strings(lang)
    for left_out in expected["notices"] + expected["sources"] + [chrome["quick_exit.label"], chrome["countries.choose"],
                                                                  chrome["listen.play"]]:
        assert not [t for t in texts if left_out in t], f"{lang}: read what is not the page's text: {left_out!r}"
    if lang != "en":
        assert expected["notices"], "the test needs a page with a notice (a machine translation)"
    assert page.locator(".kb-listen-now").count() == 0, "the mark stays after the end"
    context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pause_stop_leaving_and_quick_exit_silence_the_voice(browser, server: str, lang: str) -> None:
    context, page, _ = _open(browser, server, READING[lang], [{"lang": VOICE[lang]}])
    said: list[dict] = []
    page.expose_function("ttsLog", lambda entry: said.append(json.loads(entry)))
    t = strings(lang)
    _start(page)
    page.evaluate("window.__tts.finish(); window.__tts.finish()")
    interrupted = _spoken(page)[-1]["speak"]

    page.click("[data-kb-do=pause]")
    assert page.evaluate("window.__tts.current") is None and page.evaluate("window.__tts.log.at(-1)") == {"cancel": True}
    page.evaluate("window.__tts.finish()")
    assert _spoken(page)[-1]["speak"] == interrupted, "something was read while paused"
    assert page.inner_text("[data-kb-do=play]").strip() == t["listen.resume"]
    assert not page.locator("[data-kb-do=pause]").is_visible()
    page.click("[data-kb-do=play]")
    assert _spoken(page)[-1]["speak"] == interrupted, "Continue starts again where the voice stopped"

    page.click("[data-kb-do=stop]")
    assert page.evaluate("window.__tts.current") is None
    assert page.locator(".kb-listen-now").count() == 0
    assert page.inner_text("[data-kb-do=play]").strip() == t["listen.play"]
    page.click("[data-kb-do=play]")
    assert _spoken(page)[-1]["speak"] == _spoken(page)[0]["speak"], "after Stop, Listen starts from the top"

    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true}))")
    assert page.evaluate("window.__tts.current") is None, "leaving the page did not silence the voice"

    _start(page)
    page.click("#kb-exit")
    page.wait_for_url(f"https://{EXIT_HOST}/**")
    assert said and said[-1] == {"cancel": True}, f"Quick exit left the voice speaking: {said[-3:]}"
    context.close()


@pytest.mark.parametrize("lang", list(COUNTRY))
def test_numbers_are_read_digit_by_digit_and_alone_on_request(browser, server: str, lang: str) -> None:
    context, page, _ = _open(browser, server, COUNTRY[lang], [{"lang": VOICE[lang]}])
    numbers = page.eval_on_selector_all(".kb-emergency a[href^='tel:'], .kb-contacts a[href^='tel:']",
                                        f"els => els.filter({SHOWN}).map(a => a.getAttribute('href').slice(4))")
    assert len(numbers) >= 3, numbers
    folded = page.eval_on_selector_all(".kb-contacts a[href^='tel:']",
                                       f"els => els.filter(a => !({SHOWN})(a)).map(a => a.getAttribute('href').slice(4))")
    no_number = page.eval_on_selector_all(".kb-listing", f"""els => els.filter({SHOWN})
        .filter(el => !el.querySelector('.kb-contacts li')).map(el => el.querySelector('.kb-service-name').innerText.trim())""")
    descriptions = page.eval_on_selector_all(".kb-description", "els => els.map(el => el.textContent.trim())")

    _start(page)
    page.evaluate("window.__tts.finishAll()")
    whole = _spoken(page)
    folds = page.eval_on_selector_all("details.kb-nationality > summary",
                                      "els => els.map(s => [s.innerText.replace(/\\s+/g, ' ').trim(), s.parentNode.open])")
    assert folds, "the test needs a country page with folds per nationality"
    for title, shown in folds:
        assert (title in [entry["speak"] for entry in whole]) == shown, f"fold {title!r} (open: {shown})"
    spelled = [" ".join(re.sub(r"\D", "", number)) for number in numbers]
    for digits in spelled:
        assert any(digits in entry["speak"] for entry in whole), f"{digits!r} not read digit by digit"

    page.evaluate("window.__tts.log.length = 0")
    _start(page, "numbers")
    page.evaluate("window.__tts.finishAll()")
    texts = [entry["speak"] for entry in _spoken(page)]
    assert texts[0] == _normal(page.inner_text("h1")), "the numbers start with the country's name"
    joined = " ".join(texts)
    at = 0
    for digits in spelled:
        found = joined.find(digits, at)
        assert found >= 0, f"{digits!r} missing or out of order in 'Read the numbers'"
        at = found + len(digits)
    assert not re.search(r"\d\d", " ".join(t for t in texts if any(d in t for d in spelled))), texts
    assert len(texts) < len(whole), "'Read the numbers' read the whole page"
    assert not [d for d in descriptions if d and d in joined], "'Read the numbers' read the descriptions"
    assert no_number, "the test needs a service without a number"
    assert not [name for name in no_number if name in texts], "a service without a number was read"
    assert folded, "the test needs numbers in a closed fold"
    assert not [n for n in folded if " ".join(re.sub(r"\D", "", n)) in joined], "a closed fold's numbers were read"

    page.click("details.kb-nationality > summary")  # the reader opens the fold of her nationality
    opened = page.eval_on_selector_all("details.kb-nationality[open] .kb-contacts a[href^='tel:']",
                                       "els => els.map(a => a.getAttribute('href').slice(4))")
    page.evaluate("window.__tts.log.length = 0")
    _start(page, "numbers")
    page.evaluate("window.__tts.finishAll()")
    joined = " ".join(entry["speak"] for entry in _spoken(page))
    assert opened and all(" ".join(re.sub(r"\D", "", n)) in joined for n in opened), "an opened fold is read"
    context.close()


def test_read_the_numbers_is_offered_on_country_pages_only(browser, server: str) -> None:
    context, page, _ = _open(browser, server, "ar/countries/lb/", [{"lang": "ar-SA"}])
    assert page.inner_text("[data-kb-do=numbers]").strip() == strings("ar")["listen.numbers"]
    page.goto(server + "ar/kafala/")
    assert page.locator("[data-kb-listen]").is_visible() and not page.locator("[data-kb-do=numbers]").is_visible()
    context.close()


@pytest.mark.parametrize("lang", ["ar", "am"])
def test_the_reading_code_is_saved_with_the_edition_for_offline_reading(site: Path, lang: str) -> None:
    page = (site / lang / "kafala" / "index.html").read_text(encoding="utf-8")
    script = re.search(r'data-kb-script="(?:\.\./)+(assets/listen\.[0-9a-f]+\.js)"', page)
    assert script and (site / script.group(1)).is_file(), "the control does not point at a fingerprinted script"
    manifest = json.loads((site / lang / "offline.json").read_text(encoding="utf-8"))
    assert script.group(1) in manifest["files"]


@pytest.mark.parametrize("path", ["ar/countries/lb/", "am/kafala/"])
def test_axe_finds_no_serious_or_critical_violation_while_listen_reads(browser, server: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    lang = path.split("/")[0]
    # bypass_csp: axe is injected by the test, not by the site.
    context, page, _ = _open(browser, server, path, [{"lang": VOICE[lang]}], bypass_csp=True)
    _start(page)
    page.evaluate("window.__tts.finish(); window.__tts.finish(); window.__tts.finish()")
    assert page.locator(".kb-listen--on").count() == 1 and page.locator(".kb-listen-now").count() == 1
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    context.close()
    assert not bad, json.dumps([{"id": v["id"], "nodes": [n["target"] for n in v["nodes"][:3]]} for v in bad], indent=1)
