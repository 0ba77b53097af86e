"""Parses a feed with feedparser (the parser most feed readers and services
are built on) and prints what it understood as JSON, for tests/outputs.rs.

    python feedcheck.py path/to/feed.xml
"""
import json
import sys

import feedparser

parsed = feedparser.parse(sys.argv[1])
entry_keys = ["id", "title", "link", "published", "updated", "summary", "tags"]
print(json.dumps({
    "bozo": bool(parsed.bozo),
    "bozo_exception": str(parsed.get("bozo_exception", "")),
    "version": parsed.version,
    "feed": {k: parsed.feed.get(k) for k in ["id", "title", "link", "updated", "subtitle", "author", "language"]},
    "links": [dict(link) for link in parsed.feed.get("links", [])],
    "entries": [
        dict(
            {k: e.get(k) for k in entry_keys},
            content=[{"type": c.type, "base": c.base, "value": c.value} for c in e.get("content", [])],
        )
        for e in parsed.entries
    ],
}, default=str))
