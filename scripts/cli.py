"""The project's one command-line entry point: `./kb <command>`.

Exit codes: 0 ok, 1 findings (a failed check or build), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from scripts.yamlfile import YAMLFileError

# command -> (module, help). Each module exposes configure_parser(parser) and run(args) -> int.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("scripts.build", "build every edition into site/ (atomic: a failed build changes nothing)"),
    "serve": ("scripts.dev.serve", "build and serve the site on http://127.0.0.1:8000, rebuilding on changes"),
    "check": ("scripts.check", "check content, data and links; exit 1 on any problem"),
    "country-texts": ("scripts.translation.countrytexts", "export or import the country data texts to translate, per language"),
    "directory": ("scripts.directory.cli", "directory upkeep: `verify` records a person's confirmation, `health` its freshness"),
    "coverage": ("scripts.translation.coverage", "translation coverage per language: missing, outdated, machine, reviewed"),
    "sheets": ("scripts.postbuild.pdf", "render the printable country sheets (PDF) into the built site"),
    "bench": ("scripts.bench.bench", "measure every edition on a throttled phone in Chromium; print the table"),
    "bench-links": ("scripts.bench.bench_links", "time the link checker against LinkChecker on the built site"),
    "headers": ("scripts.publish.headers_cli", "print the HTTP headers of the built site for netlify, nginx or caddy"),
    "zim": ("scripts.publish.zim", "write one ZIM file (Kiwix) per edition of the built site into site/downloads/"),
    "new-translation": ("scripts.translation.scaffold", "start a translation of an English page"),
}


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command."""
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="kb", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(_module=module_name)
        # Only the chosen command's module is imported: `kb coverage` must not pay for MkDocs' import.
        if argv and argv[0] == name:
            importlib.import_module(module_name).configure_parser(command)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return importlib.import_module(args._module).run(args)
    except KeyboardInterrupt:
        return 130
    except YAMLFileError as error:  # a contributor's YAML that no command could read: where, what, the fix
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
