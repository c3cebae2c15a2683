"""File names a person can keep: a downloaded sheet or offline copy says what it is, not `sheet.pdf`.

Names are ASCII (every phone's file manager and every e-mail attachment keeps them), built from the site's name
and the country's English name, and end with the edition's code: `migrant-rights-help-lebanon-am.pdf`.
"""

from __future__ import annotations

import re
import unicodedata


def slug(text: str) -> str:
    """"Côte d'Ivoire" -> "cote-divoire": lower-case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text)
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def sheet_pdf(site_name: str, country_name: str, lang: str) -> str:
    """The printable sheet of one country in one edition."""
    return f"{slug(site_name)}-{slug(country_name)}-{lang}.pdf"


def edition_zip(site_name: str, lang: str) -> str:
    """The offline copy of one edition."""
    return f"{slug(site_name)}-{lang}.zip"
