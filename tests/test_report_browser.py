""""Report a problem with this number" in a browser (issue 23): a reader taps it on a country page and her phone opens
the publisher's channel with a message naming the listing and the page; nothing is requested from another host.

The repository configures no channel, so this builds a copy of it (English only, the preview's post-build steps)
with a WhatsApp channel on a fictional number (+1 202 555 0123: 555-01xx is reserved for fiction in North America).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from scripts.postbuild.steps import PREVIEW_STEPS
from tests.conftest import copy_repo, run_kb

CHANNEL = "+12025550123"


@pytest.fixture(scope="module")
def reporting_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = copy_repo(tmp_path_factory.mktemp("reports") / "repo")
    config = repo / "mkdocs.yml"
    steps = ", ".join(f'"{step}"' for step in PREVIEW_STEPS)
    anchor = "      corrections_page: staff/contribute.md\n"
    config.write_text(config.read_text(encoding="utf-8").replace(
        anchor, f"{anchor}      reports:\n        whatsapp: '{CHANNEL}'\n      post_steps: [{steps}]\n", 1), encoding="utf-8")
    result = run_kb(repo, "build", "--lang", "en")
    assert result.returncode == 0, result.stderr[-3000:]
    return repo / "site"


@pytest.fixture(scope="module")
def reporting_server(reporting_site: Path):
    from scripts.dev.httpserver import start_server

    httpd, url = start_server(reporting_site, port=0)
    yield url
    httpd.shutdown()


def test_tapping_report_opens_the_channel_with_the_listing_and_the_page(browser, reporting_server: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    outside: list[tuple[str, bool]] = []

    def guard(route) -> None:
        request = route.request
        if request.url.startswith(reporting_server):
            route.continue_()
            return
        outside.append((request.url, request.is_navigation_request()))
        route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    # Violations are told through the console: the tap navigates away, so the page cannot be asked afterwards.
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if message.text.startswith("csp ") else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', "
                         "e => console.log('csp ' + e.violatedDirective + ' ' + e.blockedURI));")
    page.goto(f"{reporting_server}countries/lb/", wait_until="load")
    assert outside == []  # the page itself asks nothing of another host
    link = page.locator("a.kb-report-link:visible").first
    assert link.inner_text().strip() == "Report a problem with this number"
    listing = link.evaluate("a => a.closest('.kb-listing').previousElementSibling.id")
    assert listing.startswith("lb-")
    with page.expect_request(lambda request: not request.url.startswith(reporting_server)) as opened:
        link.tap()
    url = opened.value.url
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/" + CHANNEL.lstrip("+"))
    text = parse_qs(parts.query)["text"][0]
    assert text == f"Problem with {listing} on https://migrant-rights-help.example/countries/lb/: "
    for _ in range(100):  # the route handler runs just after the request event
        if outside:
            break
        page.wait_for_timeout(20)
    # the only request to another host is the navigation she chose, and the page's policy let it through
    assert outside == [(url, True)]
    assert violations == []
    context.close()


def test_every_listing_with_a_contact_has_the_link(reporting_site: Path) -> None:
    # the channel's number appears on the page only in report links, one per listing with a number or an address
    html = (reporting_site / "countries" / "lb" / "index.html").read_text(encoding="utf-8")
    assert html.count("wa.me/12025550123?text=") == html.count('class="kb-report-link"') > 0


def test_the_staff_page_shows_each_countrys_bar(reporting_site: Path) -> None:
    from scripts.project import COUNTRIES
    from scripts.sources.countries import load_countries

    html = (reporting_site / "staff" / "directory-health" / "index.html").read_text(encoding="utf-8")
    countries = load_countries(COUNTRIES)
    with_listings = [code for code, country in countries.items()
                     if any(s.get("contacts") or s.get("email") for o in country["organizations"] for s in o["services"])]
    assert html.count('<svg class="kb-health-bar"') == len(with_listings) > 0
    assert "Needs attention" in html and "never confirmed" in html
