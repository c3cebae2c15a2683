"""Search on the phone: lunr.js and its stemmers (vendored from npm, recorded in vendor.json), and the site's
own search script that builds each edition's index from the text the edition ships (scripts/plugin/search_index.py)."""
