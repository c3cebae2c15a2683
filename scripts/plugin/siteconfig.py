"""Load mkdocs.yml for a build: fill what is generated (language names from CLDR) and check what is configured.

mkdocs.yml lists each edition once, by code. The i18n plugin wants a display name for each; we give it the
language's own name from CLDR (Babel) so nobody types a table of names by hand.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

from scripts.languages import direction, native_name
from scripts.plugin.config import NAME, raw_options
from scripts.project import CONFIG, config_line, read_config, relative

# Material prints an end-of-life banner on import; its documented switch silences it in build output.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


class ConfigError(ValueError):
    """A configuration mistake, with the file and line to fix."""


def i18n_plugin(raw: dict) -> dict:
    """The i18n plugin's options in a raw mkdocs.yml mapping."""
    for plugin in raw.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            return plugin["i18n"]
    raise ConfigError(f"{relative(CONFIG)}:1: the `i18n` plugin is missing from `plugins`")


def resolved_plugins(raw: dict, config_path: Path = CONFIG, only: tuple[str, ...] | None = None) -> list:
    """Return the `plugins` list with each language's name filled in from CLDR.

    `only` limits the build to those editions (the default language is always built: others fall back to it).
    Raises ConfigError naming mkdocs.yml and the line of an unknown language code.
    """
    plugins = copy.deepcopy(raw.get("plugins", []))
    options = i18n_plugin({"plugins": plugins})
    at = next(n for n, entry in enumerate(plugins) if isinstance(entry, dict) and "i18n" in entry)
    for number, entry in enumerate(options.get("languages", [])):
        code = entry.get("locale", "")
        line = config_line("plugins", at, "i18n", "languages", number, "locale", path=config_path)
        try:
            cldr = native_name(code)
            direction(code)
        except ValueError as error:
            raise ConfigError(f"{relative(config_path)}:{line}: {error}") from None
        # The name is written in mkdocs.yml only because the i18n plugin requires it there (so that plain
        # `mkdocs build` works); CLDR stays the one truth, and a name that drifts from it is an error.
        if entry.setdefault("name", cldr) != cldr:
            name_line = config_line("plugins", at, "i18n", "languages", number, "name", path=config_path)
            raise ConfigError(f"{relative(config_path)}:{name_line}: the name of {code!r} is {entry['name']!r}, but "
                              f"CLDR calls it {cldr!r} (write `name: {cldr}`)")
        if only is not None and not entry.get("default") and code not in only:
            entry["build"] = False
    return plugins


def load(site_dir: Path | None = None, only: tuple[str, ...] | None = None, config_path: Path = CONFIG,
         post_steps: list[str] | None = None):
    """Load the MkDocs configuration ready to build (optional edition subset, site_dir, post-build steps)."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    raw = read_config(config_path)
    overrides: dict = {"plugins": resolved_plugins(raw, config_path, only)}
    if site_dir is not None:
        overrides["site_dir"] = str(site_dir)
    if post_steps is not None:  # the plugin's option, as mkdocs.yml would give it
        plugins = overrides["plugins"]
        index, options = raw_options({"plugins": plugins})
        if index is None:
            raise ConfigError(f"{relative(config_path)}:1: the project's plugin is not listed (add `- kb` under plugins)")
        plugins[index] = {NAME: {**options, "post_steps": list(post_steps)}}
    try:
        return load_config(config_file=str(config_path), **overrides)
    except ConfigurationError as error:
        raise ConfigError(f"{relative(config_path)}: {error}") from None
