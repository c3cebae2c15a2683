"""Notices and the page foot, as HTML fragments added to a page's Markdown by the build.

They live in the page body, not in theme templates, so they survive a change of theme.
All words come from locales/ through the `t` function of the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from babel.dates import format_date

from scripts.languages import locale, native_name
from scripts.sources import citations
from scripts.sources.countries import country_name

STALE_AFTER = dt.timedelta(days=365)


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def local_date(value: dt.date, lang: str) -> str:
    """A date written the way the reader's locale writes it (CLDR, medium format)."""
    return format_date(value, format="medium", locale=locale(lang))


def notice(kind: str, html: str, lang_attr: str | None = None) -> str:
    """One notice box; `kind` picks its style (fallback, machine, outdated, stale)."""
    extra = f' lang="{lang_attr}"' if lang_attr else ""
    return f'<div class="kb-notice kb-notice--{kind}" role="note"{extra}>{html}</div>\n\n'


def fallback_notice(lang: str, english_url: str, t: Callable[..., str]) -> str:
    """Shown on an English page inside another edition: says so, in the reader's language, and links the original."""
    text = escape(t("notice.fallback", language=native_name(lang)))
    link = f'<a href="{escape(english_url)}" hreflang="en">{escape(t("notice.fallback_link"))}</a>'
    return notice("fallback", f"{text} {link}")


def machine_notice(t: Callable[..., str], english_url: str) -> str:
    """Banner for pages machine-drafted and not yet checked by a fluent person."""
    link = f'<a href="{escape(english_url)}" hreflang="en">{escape(t("notice.fallback_link"))}</a>'
    return notice("machine", f"{escape(t('notice.machine'))} {link}")


def outdated_notice(t: Callable[..., str]) -> str:
    """The English source changed after this translation was made."""
    return notice("outdated", escape(t("notice.outdated_english")))


def stale_notice(reviewed: object, lang: str, t: Callable[..., str], today: dt.date) -> str:
    """'May be out of date' when the page was last checked more than 12 months ago; '' otherwise."""
    day = _date(reviewed)
    if day is None or today - day <= STALE_AFTER:
        return ""
    return notice("stale", escape(t("notice.stale", date=local_date(day, lang))))


def page_foot(meta: dict, lang: str, t: Callable[..., str], known: citations.Catalogue) -> str:
    """The review date and the sources, shown at the foot of every content page."""
    parts = []
    day = _date(meta.get("reviewed"))
    if day:
        parts.append(
            f'<p><strong>{escape(t("page.reviewed"))}:</strong> '
            f'<time datetime="{day.isoformat()}">{escape(local_date(day, lang))}</time></p>'
        )
    sources = meta.get("sources") or []
    if sources:
        labels = dict.fromkeys(citations.label(s, lang, t, known, country_name) for s in sources)  # once each
        items = "".join(f"<li>{escape(label)}</li>" for label in labels)
        parts.append(f'<details><summary>{escape(t("page.sources"))}</summary><ul>{items}</ul></details>')
    if not parts:
        return ""
    return '\n\n<footer class="kb-page-foot">' + "".join(parts) + "</footer>\n"
