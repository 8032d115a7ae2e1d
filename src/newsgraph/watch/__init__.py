"""Continuous monitoring: ``newsgraph watch`` polls feeds and sitemaps into the store (``poll``), politely
(``polite``: a pause between requests to one host, robots.txt), keeping what it knows in the store
(``state``: each feed's validators and last poll, each item seen) so that a restart fetches nothing twice;
saved searches (``alerts``) report the documents stored since they last ran (``notify``: JSON Lines, a
command) and are feeds of their own (``atom``)."""
