"""The local preview: a static server with the host's headers and live reload."""
