"""`./kb new-translation LANG PAGE`: start a translation of an English page, metadata included.

The new page is the English page with a `translation:` block added to its front matter: the hash of the
English text it starts from, the commit (when Git has that text committed), and status draft. The
volunteer then translates the title, summary and body in place.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from scripts import project
from scripts.project import DEFAULT, languages
from scripts.sources.frontmatter import FrontMatterError, split
from scripts.sources.source_hash import source_hash
from scripts.translation import coverage

STATUS_COMMENT = "# machine | draft | reviewed (reviewed also needs reviewed_by and reviewed_on)"


def translation_text(english: str, hash_: str, commit: str | None = None, status: str = "draft") -> str:
    """The first version of a translated page: the English front matter as written (title and summary to
    translate; audience, reviewed and sources kept), a `translation:` block, then the English body."""
    _, body, body_line = split(english)
    kept = english.removeprefix("\ufeff").splitlines()[1:body_line - 2] if body_line > 1 else []
    block = ["translation:", f"  source_hash: {hash_}"]
    block += [f"  source_commit: {commit}"] if commit else []
    block += [f"  status: {status}  {STATUS_COMMENT}"]
    return "\n".join(["---", *kept, *block, "---", ""]) + body


def committed_source(root: Path, page: str, hash_: str) -> str | None:
    """`git rev-parse HEAD` when HEAD holds docs/en/<page> with this hash (committed, unchanged since)."""
    head = (coverage.git(root, "rev-parse", "--verify", "--quiet", "HEAD") or "").strip()
    if not head:
        return None  # not a Git repository, or no commit yet
    text = coverage.git_blobs(root, [f"{head}:docs/{DEFAULT}/{page}"])[0]
    try:
        return head if text is not None and source_hash(text) == hash_ else None
    except FrontMatterError:
        return None


def create_translation(root: Path, lang: str, page: str) -> tuple[Path, str, str | None]:
    """Write docs/<lang>/<page> from docs/en/<page>; returns (path, source_hash, source_commit).

    Raises FileExistsError when the translation exists and FileNotFoundError when the English page does not.
    """
    docs = coverage.under(root, project.DOCS)
    english_path, target = docs / DEFAULT / page, docs / lang / page
    if target.exists():
        raise FileExistsError(target)
    if not english_path.is_file():
        raise FileNotFoundError(english_path)
    english = english_path.read_text(encoding="utf-8")
    hash_ = source_hash(english, f"docs/{DEFAULT}/{page}")
    commit = committed_source(root, page, hash_)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite, even in a race
        handle.write(translation_text(english, hash_, commit))
    return target, hash_, commit


def configure_parser(p: argparse.ArgumentParser) -> None:
    """Arguments of `./kb new-translation`."""
    p.add_argument("lang", metavar="LANG", help="edition code, e.g. ne")
    p.add_argument("page", metavar="PAGE", help="English page inside docs/en, e.g. kafala.md or countries/lb.md")
    p.add_argument("--root", type=Path, default=project.ROOT, help=argparse.SUPPRESS)  # for tests


def run(args: argparse.Namespace) -> int:
    """Create the translation; 0 done, 1 it exists already, 2 unknown language or page."""
    root = Path(getattr(args, "root", None) or project.ROOT)
    try:
        editions = languages(coverage.under(root, project.CONFIG))
    except (OSError, ValueError) as error:
        print(f"mkdocs.yml: cannot read the editions ({error})", file=sys.stderr)
        return 2
    if message := coverage.language_error(args.lang, editions):
        print(f"kb new-translation: {message}", file=sys.stderr)
        return 2
    page, lang = coverage.page_path(args.page), args.lang
    target = f"docs/{lang}/{page}"
    try:
        _, hash_, commit = create_translation(root, lang, page)
    except FileExistsError:
        print(f"kb new-translation: {target} already exists; it is not overwritten. To see what changed in English "
              f"since it was translated: ./kb coverage --diff {page} --lang {lang}", file=sys.stderr)
        return 1
    except FileNotFoundError:
        pages = sorted(coverage.markdown_pages(coverage.under(root, project.DOCS) / DEFAULT))
        close = difflib.get_close_matches(page, pages, n=5, cutoff=0.6)
        hint = f"close matches: {', '.join(close)}" if close else f"English pages: {', '.join(pages)}"
        print(f"kb new-translation: there is no English page docs/{DEFAULT}/{page} ({hint})", file=sys.stderr)
        return 2
    except FrontMatterError as error:
        print(f"{error}", file=sys.stderr)
        return 1
    print(f"Created {target} from docs/{DEFAULT}/{page} (status: draft, source_hash {hash_}"
          f"{', source_commit ' + commit[:12] if commit else ''}).\n"
          "Next: translate the title, the summary and the text. Keep heading ids {#...}, numbers, phone numbers "
          "and links exactly as they are. Then run ./kb check and ./kb serve, and open a pull request.")
    return 0


if __name__ == "__main__":
    _parser = argparse.ArgumentParser(prog="kb new-translation")
    configure_parser(_parser)
    sys.exit(run(_parser.parse_args()))
