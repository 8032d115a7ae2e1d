"""Every default the library and the command line share, in one place, so the CLI owns none of its own.

Standard library only (the CLI builds its parser from these without loading spaCy or httpx).
"""

from __future__ import annotations

import os

BATCH_SIZE = 16  # articles parsed together (spaCy's nlp.pipe)
ARTICLE_TIMEOUT_S = 120.0  # one article's parse and layers in ingest; a long news article takes a few seconds
FETCH_TIMEOUT_S = 20.0  # for connecting, and for the whole download of a URL
FETCH_MAX_BYTES = 10 * 1024 * 1024  # the largest page fetched; a news page is rarely over 2 MiB
FEED_MAX_ITEMS = 1000  # items fetched from one feed; a news feed lists tens, a sitemap-sized one is cut here
DB_FILE = "newsgraph.db"  # the store, when neither --db nor $NEWSGRAPH_DB names one
DB_ENV = "NEWSGRAPH_DB"
HOST = "127.0.0.1"  # newsgraph serve: this machine only, unless told otherwise
PORT = 8000


def db_path() -> str:
    """``$NEWSGRAPH_DB`` when set, else ``./newsgraph.db``."""
    return os.environ.get(DB_ENV) or DB_FILE
