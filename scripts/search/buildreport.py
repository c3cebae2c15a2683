"""The build's line about search: how long writing each edition's search text took, and its size as served."""

from __future__ import annotations

import gzip


def served_size(text: str) -> int:
    """Bytes of `text` gzipped as a host serves it (level 6)."""
    return len(gzip.compress(text.encode("utf-8"), compresslevel=6))


def line(figures: dict[str, tuple[float, int]]) -> str:
    """One summary line from {edition: (seconds, gzipped bytes)}, editions in build order."""
    total = sum(seconds for seconds, _ in figures.values())
    sizes = ", ".join(f"{lang} {size / 1000:.0f}" for lang, (_, size) in figures.items())
    return (f"  search: {len(figures)} editions' text in {total:.1f} s (each phone builds its lunr index from it); "
            f"KB gzipped: {sizes}")
