"""Telling the world about an alert's new matches: a JSON line each in a file (``--matches FILE.jsonl``),
and a command run for each (``--on-match CMD``).

The command is split into words as a POSIX shell would (``shlex``) once, when it is given, and run without a
shell: nothing from a match ever reaches a command line. Each run gets the match as one JSON object on its
standard input and as environment variables (``MATCH_ENV``: NEWSGRAPH_ALERT, NEWSGRAPH_DOC_ID, NEWSGRAPH_TITLE,
NEWSGRAPH_URL, NEWSGRAPH_PUBLISHED, NEWSGRAPH_SOURCE, NEWSGRAPH_PATH). A command that fails, hangs past
``COMMAND_TIMEOUT_S`` or cannot be started is one line on stderr; the match counts as reported all the same
(the JSON Lines file is the record to replay from).
"""

from __future__ import annotations

import json
import os
import shlex
import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from newsgraph.errors import InputError
from newsgraph.store.alerts import Alert, list_alerts, take_new
from newsgraph.store.watch_state import now

COMMAND_TIMEOUT_S = 60.0
MATCH_ENV = {
    "NEWSGRAPH_ALERT": "alert",
    "NEWSGRAPH_DOC_ID": "id",
    "NEWSGRAPH_TITLE": "title",
    "NEWSGRAPH_URL": "url",
    "NEWSGRAPH_PUBLISHED": "published",
    "NEWSGRAPH_SOURCE": "source",
    "NEWSGRAPH_PATH": "path",
}


def match_record(alert: Alert, row: dict[str, Any]) -> dict[str, Any]:
    """One new match as written and piped: the alert, its search, the document and its page's path."""
    return {
        "alert": alert.name,
        "search": alert.search(),
        "matched_at": now(),
        **row,
        "path": f"/documents/{row['id']}",
    }


def parse_command(command: str) -> list[str]:
    """``--on-match``'s words (InputError when it has none or an unclosed quote)."""
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise InputError("--on-match", f"cannot split {command!r} into words ({exc})") from None
    if not words:
        raise InputError("--on-match", "no command given")
    return words


@dataclass
class Notifier:
    """Where new matches go: ``matches`` (a JSON Lines file, appended to), ``command`` (argv), both or none."""

    matches: Path | None = None
    command: list[str] | None = None
    errors: TextIO = field(default_factory=lambda: sys.stderr)
    timeout: float = COMMAND_TIMEOUT_S
    failures: int = 0

    def send(self, alert: Alert, rows: Iterable[dict[str, Any]]) -> int:
        """Report each row; how many."""
        records = [match_record(alert, row) for row in rows]
        if records and self.matches is not None:
            try:
                with self.matches.open("a", encoding="utf-8") as out:
                    for record in records:
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
            except OSError as exc:
                self._failed(f"--matches {self.matches}: cannot write ({exc.strerror})")
        if self.command is not None:
            for record in records:
                self._run(record)
        return len(records)

    def _run(self, record: dict[str, Any]) -> None:
        assert self.command is not None
        env = dict(os.environ)
        for var, key in MATCH_ENV.items():
            value = record.get(key)
            env[var] = "" if value is None else str(value).replace("\x00", "")
        data = json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
        name = self.command[0]
        try:
            done = subprocess.run(self.command, input=data, env=env, timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:
            self._failed(f"--on-match {name}: still running after {self.timeout:g} s, stopped ({record['id']})")
        except OSError as exc:
            self._failed(f"--on-match {name}: cannot run ({exc.strerror or exc})")
        else:
            if done.returncode != 0:
                self._failed(f"--on-match {name}: exit status {done.returncode} ({record['id']})")

    def _failed(self, line: str) -> None:
        self.failures += 1
        print(f"newsgraph: {line}", file=self.errors)


def run_alerts(conn: sqlite3.Connection, notifier: Notifier, names: Iterable[str] | None = None) -> dict[str, int]:
    """Take each alert's new matches (``names``: only these) and report them; new matches per alert."""
    wanted = set(names) if names is not None else None
    out = {}
    for alert in list_alerts(conn):
        if wanted is None or alert.name in wanted:
            out[alert.name] = notifier.send(alert, take_new(conn, alert))
    return out
