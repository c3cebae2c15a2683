"""Reports from readers, without an account: "Report a problem with this number" under each listing.

The publishing organisation sets one channel in mkdocs.yml (the `reports` option of the project's plugin, `kb`):
an e-mail address, a WhatsApp number or an SMS number. The link opens that channel on the reader's own phone with
a message already written, naming the listing and the page; she sends it or not. It is a link the reader follows
(navigation), not a request the page makes: no form on another host, nothing loaded, and the pages' Content-
Security-Policy (which governs what a page loads) is unchanged. Without a channel there is no link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import phonenumbers

from scripts.plugin.config import option_line
from scripts.project import CONFIG, read_config, relative
from scripts.sources.contactlinks import check_mailto

CHANNELS = ("email", "whatsapp", "sms")


class ChannelError(ValueError):
    """The configured channel is not a usable address or number; the text is `mkdocs.yml:line: what (fix)`."""


@dataclass(frozen=True)
class Channel:
    kind: str  # one of CHANNELS
    address: str  # an e-mail address, or a number in E.164


def configured(options: Mapping | None, config_path: Path = CONFIG) -> Channel | None:
    """The channel of the plugin's `reports` option (None when none is set), checked: one of e-mail, WhatsApp or
    SMS, a valid e-mail address or a valid international number (libphonenumber). Raises ChannelError with
    mkdocs.yml:line. `options` are the kb plugin's (loaded by MkDocs, or read from mkdocs.yml as plain data)."""
    reports = (options or {}).get("reports")
    if not reports:
        return None
    raw = read_config(config_path) if Path(config_path).exists() else {}
    where = relative(config_path)
    if not isinstance(reports, Mapping) or len(reports) != 1 or next(iter(reports)) not in CHANNELS:
        line = option_line(raw, "reports", path=config_path)
        raise ChannelError(f"{where}:{line}: `reports` must name one channel (write one line under "
                           "it: `email: <address>`, `whatsapp: \"+<number>\"` or `sms: \"+<number>\"`)")
    kind, value = next(iter(reports.items()))
    value = str(value or "").strip()
    line = f"{where}:{option_line(raw, 'reports', kind, path=config_path)}"
    if kind == "email":
        problem = check_mailto(f"mailto:{value}")  # the link checker's own test of an address, one home for it
        if problem or "," in value or "?" in value:
            raise ChannelError(f"{line}: {value!r} is not an e-mail address (write one, like reports@example.org)")
        return Channel(kind, value)
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not value.startswith("+") or not phonenumbers.is_valid_number(parsed):
        raise ChannelError(f"{line}: {kind} number {value!r} is not a valid international number (write it in E.164, "
                           "+ then the country code and the number, in quotes, e.g. \"+9611234567\")")
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if value != e164:
        raise ChannelError(f"{line}: {kind} number {value!r} is not written in E.164 (write \"{e164}\")")
    return Channel(kind, e164)


def report_href(channel: Channel, message: str, subject: str = "") -> str:
    """The link that opens the channel with `message` prefilled (RFC 6068 mailto:, wa.me's click-to-chat, RFC 5724
    sms:)."""
    if channel.kind == "email":
        query = (f"subject={quote(subject, safe='')}&" if subject else "") + f"body={quote(message, safe='')}"
        return f"mailto:{channel.address}?{query}"
    if channel.kind == "whatsapp":
        return f"https://wa.me/{channel.address.lstrip('+')}?text={quote(message, safe='')}"
    return f"sms:{channel.address}?body={quote(message, safe='')}"


def report_link(channel: Channel | None, t, page: str):
    """A function giving, for a listing id, the href of its report link on the page at address `page` (in the
    reader's language through `t`), or None when no channel is set."""
    if channel is None:
        return None

    def href(listing_id: str) -> str:
        message = t("sheet.report_message").replace("{id}", listing_id).replace("{page}", page)
        return report_href(channel, message, subject=t("sheet.report"))

    return href
