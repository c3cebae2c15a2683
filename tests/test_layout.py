"""The tooling's shape (issue 17): the pipeline's folders import each other without a cycle, nothing keeps a cache
for the life of the process at module level, and the default edition and an edition's URL prefix are written only
in the project model (scripts/project.py). Read from the source with `ast`, so a new module is covered as it lands."""

from __future__ import annotations

import ast
from pathlib import Path

from scripts.project import ROOT

PACKAGE = ROOT / "scripts"
MODEL = PACKAGE / "project.py"


def _modules(root: Path = PACKAGE) -> dict[str, ast.Module]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        if "node_modules" in path.parts:
            continue
        name = ".".join(path.relative_to(root.parent).with_suffix("").parts).removesuffix(".__init__")
        found[name] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return found


def imports(modules: dict[str, ast.Module]) -> dict[str, set[str]]:
    """Which of the package's modules each module imports, at the top or inside a function."""
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, tree in modules.items():
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and target != "scripts":
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each once, as the list of modules along it."""
    found, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                found.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def module_caches(modules: dict[str, ast.Module]) -> list[str]:
    """Module-level functions decorated with functools' caches, and module-level dicts or lists filled at run time."""
    found = []
    for name, tree in modules.items():
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    called = decorator.func if isinstance(decorator, ast.Call) else decorator
                    label = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
                    if label in {"cache", "lru_cache"}:
                        found.append(f"{name}.{node.name}")
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                empty = (isinstance(node.value, ast.Dict) and not node.value.keys) or (
                    isinstance(node.value, ast.List) and not node.value.elts)
                if empty and isinstance(target, ast.Name):  # filled while the process runs
                    found.append(f"{name}.{target.id}")
    return found


def default_edition_literals(modules: dict[str, ast.Module]) -> list[str]:
    """Places outside the project model that spell out an edition's URL prefix (`"" if lang == DEFAULT else
    f"{lang}/"`) instead of asking the model (project.prefix)."""
    found = []
    for name, tree in modules.items():
        if name == "scripts.project":
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.IfExp) and isinstance(node.body, ast.Constant) and node.body.value == ""
                    and isinstance(node.orelse, ast.JoinedStr) and isinstance(node.test, ast.Compare)
                    and any(isinstance(side, ast.Name) and side.id == "DEFAULT"
                            for side in [node.test.left, *node.test.comparators])):
                found.append(f"{name}:{node.lineno}")
    return found


def test_the_tooling_has_no_import_cycle() -> None:
    assert cycles(imports(_modules())) == []


def test_a_planted_cycle_is_found(tmp_path: Path) -> None:
    package = tmp_path / "scripts"
    (package / "a").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a" / "__init__.py").write_text("", encoding="utf-8")
    (package / "a" / "one.py").write_text("def f():\n    from scripts.b import two\n", encoding="utf-8")
    (package / "b.py").write_text("from scripts.a import one\n", encoding="utf-8")
    found = cycles(imports(_modules(package)))
    assert found and set(found[0]) == {"scripts.a.one", "scripts.b"}


# Caches that remain at module level, each keyed by what it reads and the same for the life of the process: the
# fonts installed on the machine, WeasyPrint's font configuration, a stylesheet parsed from its own text. A cache
# of the sources (pages, data, interface strings) would go stale in a long-running preview: the build reads those
# through the plugin's per-build state (scripts/sources/reading.py).
KEYED_BY_WHAT_THEY_READ = {"scripts.postbuild.pdf.installed_charset", "scripts.postbuild.pdf._parsed_css",
                           "scripts.postbuild.pdf._font_config",
                           "scripts.yamlfile._tree"}  # keyed by the YAML text itself: an edit is a new key


def test_no_module_keeps_a_cache_of_the_sources() -> None:
    assert set(module_caches(_modules())) <= KEYED_BY_WHAT_THEY_READ


def test_a_planted_module_cache_is_found(tmp_path: Path) -> None:
    package = tmp_path / "scripts"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "x.py").write_text("from functools import cache\n_seen = {}\n\n@cache\ndef load():\n    return 1\n",
                                  encoding="utf-8")
    assert sorted(module_caches(_modules(package))) == ["scripts.x._seen", "scripts.x.load"]


def test_only_the_project_model_spells_out_an_edition_prefix(tmp_path: Path) -> None:
    assert default_edition_literals(_modules()) == []
    package = tmp_path / "scripts"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "y.py").write_text('DEFAULT = "en"\ndef p(lang):\n    return "" if lang == DEFAULT else f"{lang}/"\n',
                                  encoding="utf-8")
    assert default_edition_literals(_modules(package)) == ["scripts.y:3"]


def test_mkdocs_yml_marks_the_project_models_default_edition() -> None:
    from scripts.project import DEFAULT, configured_languages, read_config

    raw = read_config()
    entries = next(entry["i18n"]["languages"] for entry in raw["plugins"] if isinstance(entry, dict) and "i18n" in entry)
    assert [entry["locale"] for entry in entries if entry.get("default")] == [DEFAULT]
    assert configured_languages(raw)[0] == DEFAULT


# One YAML reader (scripts/yamlfile.py: YAML 1.2, lines per key, no key twice). The directory's verify command also
# writes YAML, with ruamel's round trip, so that the comments and layout people wrote survive the edit.
YAML_READER, YAML_WRITERS = "scripts.yamlfile", {"scripts.directory.verify"}


def yaml_imports(modules: dict[str, ast.Module]) -> list[str]:
    """Modules other than the one reader that import a YAML library (PyYAML or ruamel.yaml) themselves."""
    found = []
    for name, tree in modules.items():
        for node in ast.walk(tree):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "yaml" or n.startswith(("yaml.", "ruamel")) for n in names):
                found.append(f"{name}:{node.lineno}")
    return found


def test_yaml_is_read_in_one_place(tmp_path: Path) -> None:
    allowed = {YAML_READER, *YAML_WRITERS}
    assert [place for place in yaml_imports(_modules()) if place.split(":")[0] not in allowed] == []
    package = tmp_path / "scripts"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "z.py").write_text("def f(text):\n    import yaml\n    return yaml.safe_load(text)\n", encoding="utf-8")
    assert yaml_imports(_modules(package)) == ["scripts.z:2"]
