"""Every default the library and the command line share, in one place, so the CLI owns none of its own.

Standard library only (the CLI builds its parser from these without loading spaCy or httpx).
"""

from __future__ import annotations

import os

BATCH_SIZE = 16  # articles parsed together (spaCy's nlp.pipe)
ARTICLE_TIMEOUT_S = 120.0  # one article's parse and layers in ingest; a long news article takes a few seconds
FETCH_TIMEOUT_S = 20.0  # for connecting, and for the whole download of a URL
FEED_MAX_ITEMS = 1000  # items fetched from one feed; a news feed lists tens, a sitemap-sized one is cut here
# The largest article analysed, in characters of text (spaCy's own limit on one text; news articles are rarely
# over 50,000). Plain text over it is refused before cleaning, and so is the cleaned text of a page.
MAX_ARTICLE_CHARS = 1_000_000
# The largest HTML page cleaned, in bytes (UTF-8), refused before any parsing. Markup shrinks to text (a page
# is typically 5 to 20 times its article), so this is larger than MAX_ARTICLE_CHARS: 5 MiB. News pages are
# rarely over 2 MiB (the largest of the 1,171 pages of the extraction benchmarks is 1.6 MB); trafilatura's
# time grows faster than the page beyond that (a page of 3.8 MB of paragraphs takes 8 s, one of 15 MB 73 s).
MAX_HTML_BYTES = 5 * 1024 * 1024
FETCH_MAX_BYTES = MAX_HTML_BYTES  # the largest page or feed fetched: a bigger page would be refused at cleaning
# newsgraph batch: articles per shard (the unit a worker analyses, writes and a re-run skips once done): enough
# to batch the parse and keep the Parquet files a useful size, few enough that a killed run loses little
SHARD_ARTICLES = 200
WORKERS = 1  # processes analysing at once (batch, ingest); one model each
ENGINES = ("local", "ray")
DB_FILE = "newsgraph.db"  # the store, when neither --db nor $NEWSGRAPH_DB names one
DB_ENV = "NEWSGRAPH_DB"
WATCH_EVERY = "15m"  # newsgraph watch: the time between two polls of a feed
WATCH_HOST_DELAY_S = 1.0  # newsgraph watch: the least time between two requests to one host
HOST = "127.0.0.1"  # newsgraph serve: this machine only, unless told otherwise
PORT = 8000


def db_path() -> str:
    """``$NEWSGRAPH_DB`` when set, else ``./newsgraph.db``."""
    return os.environ.get(DB_ENV) or DB_FILE
