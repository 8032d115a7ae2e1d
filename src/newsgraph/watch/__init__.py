"""Continuous monitoring: ``newsgraph watch`` polls feeds and sitemaps into the store (``poll``), politely
(``polite``: a pause between requests to one host, robots.txt), and reports the saved searches' new matches
(``notify``: JSON Lines, a command). What it keeps lives in the store, where the web reads it too:
``store.watch_state`` (each feed's validators and last poll, each item seen, so that a restart fetches
nothing twice) and ``store.alerts`` (the saved searches); ``web.atom`` makes an alert a feed of its own."""
