"""What runs inside MkDocs: the plugin and the renderers it calls (pages from data, chrome, search)."""
