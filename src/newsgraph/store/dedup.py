"""Near-duplicate detection: syndicated wire copies and updated versions of one article form a story.

Each document's text is cut into word 5-gram shingles and summarised by a MinHash (datasketch); a
MinHash LSH index finds stored documents whose estimated Jaccard similarity may reach ``THRESHOLD``,
and the best candidate at or above it gives the new document its story. Signatures are stored with
the document (table ``signatures``), so the index is rebuilt from the store when ingest starts.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

THRESHOLD = 0.5  # estimated Jaccard of 5-word shingles; an edited wire copy scores 0.6-0.95, other stories < 0.1
NUM_PERM = 128
SHINGLE = 5
SCHEME = "affine32"

_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """The text's lower-cased word n-grams; a text shorter than ``size`` words is one shingle."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    m.update_batch(list(shingles(text)))
    return m


def to_blob(m: MinHash) -> bytes:
    values: np.ndarray = m.hashvalues
    return values.astype(values.dtype.newbyteorder("<")).tobytes()


def from_blob(blob: bytes, scheme: str, num_perm: int) -> MinHash:
    dtype = MinHash(num_perm=num_perm, scheme=scheme).hashvalues.dtype.newbyteorder("<")
    return MinHash(num_perm=num_perm, scheme=scheme, hashvalues=np.frombuffer(blob, dtype=dtype))


@dataclass(frozen=True)
class Match:
    doc_id: str
    story_id: str
    similarity: float


class StoryIndex:
    """The LSH index over the stored documents' signatures, with each document's story."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._entries: dict[str, tuple[str, MinHash]] = {}

    @classmethod
    def load(cls, conn: sqlite3.Connection, threshold: float = THRESHOLD) -> StoryIndex:
        index = cls(threshold)
        rows = conn.execute(
            "SELECT s.doc_id, d.story_id, s.scheme, s.num_perm, s.minhash"
            " FROM signatures s JOIN documents d ON d.id = s.doc_id"
        )
        for doc_id, story_id, scheme, num_perm, blob in rows:
            if scheme == SCHEME and num_perm == NUM_PERM:
                index.add(doc_id, story_id, from_blob(blob, scheme, num_perm))
        return index

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, doc_id: str, story_id: str, m: MinHash) -> None:
        if doc_id not in self._entries:
            self._lsh.insert(doc_id, m)
            self._entries[doc_id] = (story_id, m)

    def best_match(self, m: MinHash) -> Match | None:
        """The most similar stored document at or above the threshold (ties: the smallest id)."""
        matches = []
        for doc_id in self._lsh.query(m):
            story_id, other = self._entries[doc_id]
            sim = float(m.jaccard(other))
            if sim >= self.threshold:
                matches.append(Match(doc_id, story_id, round(sim, 4)))
        return min(matches, key=lambda x: (-x.similarity, x.doc_id), default=None)
