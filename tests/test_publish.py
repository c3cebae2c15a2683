"""Publishing (issue 18): the site's address, the host's headers, the 404 pages, names a person can keep."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.publish import address
from tests.conftest import ROOT, TEST_SITE_URL


@pytest.mark.parametrize(("value", "release", "wanted"), [
    (None, True, "site_url is not set"),
    ("", True, "site_url is not set"),
    ("/kb/", True, "not an absolute https address"),
    ("http://help.example.org/", True, "not an absolute https address"),
    ("https://help.example.org/?x=1", True, "not an absolute https address"),
    ("ftp://help.example.org/", False, "not an absolute https address"),
])
def test_a_site_address_no_phone_could_open_is_refused(value, release, wanted) -> None:
    assert wanted in (address.problem(value, release=release) or "")


@pytest.mark.parametrize(("value", "release"), [
    ("https://help.example.org/", True), ("https://example.github.io/kb/", True),
    (None, False),  # the preview runs without one
    ("http://127.0.0.1:8000/", True),  # `mkdocs serve` sets its own address
])
def test_a_real_address_or_a_preview_passes(value, release) -> None:
    assert address.problem(value, release=release) is None


def test_plain_mkdocs_build_without_an_address_stops_with_mkdocs_yml_line(tmp_path: Path) -> None:
    env = {**os.environ, address.ENV: ""}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "out")], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    line = address.config_line()
    assert f"mkdocs.yml:{line}: site_url is not set" in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "index.html").exists(), "nothing is built without the address"
    assert (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()[line - 1].startswith("site_url:")


def test_the_qr_code_on_a_printed_sheet_opens_the_page_online(site: Path) -> None:
    """Decode the QR code as a phone camera would (ZXing) from the rendered PDF page."""
    pdfium = pytest.importorskip("pypdfium2")
    zxing = pytest.importorskip("zxingcpp")
    from tests.test_pdf import _pdf_path

    for lang, code in (("ar", "lb"), ("en", "qa")):
        document = pdfium.PdfDocument(_pdf_path(site, code, lang))
        found = [result.text for page in document for result in zxing.read_barcodes(page.render(scale=3).to_pil())]
        prefix = "" if lang == "en" else f"{lang}/"
        assert found == [f"{TEST_SITE_URL}{prefix}countries/{code}/"], f"{code} ({lang}): {found}"
