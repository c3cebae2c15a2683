"""Read and check the inputs: pages, country data, interface strings, sources. Never imports MkDocs."""
