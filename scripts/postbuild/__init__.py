"""Steps over the built site: optimised pages and assets, open data, printable sheets, offline copies."""
