"""Nothing from outside the repository is published: symlinks under the sources are refused before a build."""

from __future__ import annotations

from pathlib import Path

from scripts.sources.preflight import escapes


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "repo"
    (root / "docs" / "en").mkdir(parents=True)
    (root / "docs" / "en" / "index.md").write_text("# Home\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret\n", encoding="utf-8")
    return root, outside


def test_clean_tree_passes(tmp_path):
    root, _ = _tree(tmp_path)
    assert escapes(root, [root / "docs", root / "data"]) == []


def test_symlinked_file_outside_is_refused(tmp_path):
    root, outside = _tree(tmp_path)
    (root / "docs" / "en" / "passwd.md").symlink_to(outside / "secret.txt")
    assert escapes(root, [root / "docs"]) == [
        "docs/en/passwd.md: is a symbolic link; nothing outside the repository is published"
        " (replace it with the file itself)"
    ]


def test_symlinked_folder_is_refused_once_not_entered(tmp_path):
    root, outside = _tree(tmp_path)
    (root / "docs" / "en" / "linked").symlink_to(outside, target_is_directory=True)
    assert escapes(root, [root / "docs"]) == [
        "docs/en/linked: is a symbolic link; nothing outside the repository is published"
        " (replace it with the file itself)"
    ]


def test_the_repository_sources_have_no_links():
    from scripts.project import DATA, DOCS, LOCALES, OVERRIDES, ROOT

    assert escapes(ROOT, [DOCS, DATA, LOCALES, OVERRIDES]) == []


def test_invalid_utf8_is_one_line_with_file_and_line(tmp_path):
    from scripts.sources.content import check_docs

    page = tmp_path / "docs" / "en" / "bad.md"
    page.parent.mkdir(parents=True)
    page.write_bytes(b"---\ntitle: Bad\n---\n\n# Bad\n\nCaf\xe9 here.\n")
    problems = [str(p) for p in check_docs(tmp_path / "docs")]
    assert [p for p in problems if "UTF-8" in p] == [
        f"{tmp_path / 'docs' / 'en' / 'bad.md'}:7: not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    ]


def test_duplicate_front_matter_key_is_refused_at_its_line():
    import pytest

    from scripts.sources.frontmatter import FrontMatterError, split

    with pytest.raises(FrontMatterError) as error:
        split("---\ntitle: One\ndescription: x\ntitle: Two\n---\n# Body\n", "docs/en/x.md")
    assert str(error.value).startswith("docs/en/x.md:4: front matter: `title` is given twice in this block (keep one")


def test_duplicate_locale_key_is_refused_at_its_line(tmp_path):
    import pytest

    from scripts.sources.locales import LocaleError, load

    path = tmp_path / "xx.yml"
    path.write_text("site:\n  name: A\n  name: B\n", encoding="utf-8")
    with pytest.raises(LocaleError) as error:
        load(path)
    assert str(error.value).endswith("xx.yml:3: `name` is given twice in this block (keep one of them: YAML would "
                                     "silently use only one)")


def test_repository_locales_have_no_duplicate_keys():
    from scripts.project import LOCALES
    from scripts.sources.locales import load

    for path in sorted(LOCALES.glob("*.yml")):
        load(path)
