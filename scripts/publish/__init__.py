"""Publishing: the site's address, the host's headers, and the copies passed on without the internet (ZIM)."""
