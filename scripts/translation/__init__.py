"""Translation work: coverage of each edition, scaffolding of new pages, country texts."""
