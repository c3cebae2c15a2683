"""The project's tooling: one command-line entry point (`./kb`), small modules with one job each."""
