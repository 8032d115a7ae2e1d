"""The layer registry: every layer declares what it reads, what it writes, what it needs, its store
tables and its UI entry; the pipeline, the store writer, the exports, the summary and the article page
loop over it. The mechanism is ``_registry.py``; the built-in layers' declarations, in pipeline order,
are ``_builtin.py``; each layer's code is its own module here, imported only when the pipeline runs it.
Importing this package never imports spaCy.
"""

from __future__ import annotations

from newsgraph.layers._builtin import SPEAKER_COLOURS, speaker_classes, speaker_of  # registers the built-ins
from newsgraph.layers._registry import (
    BASE_FIELDS,
    REGISTRY,
    RESOURCES,
    SPAN,
    Column,
    Highlight,
    Layer,
    LayerError,
    Registry,
    RowContext,
    Table,
    UiEntry,
    check_order,
    register,
    registered,
)

__all__ = [
    "BASE_FIELDS",
    "REGISTRY",
    "RESOURCES",
    "SPAN",
    "SPEAKER_COLOURS",
    "Column",
    "Highlight",
    "Layer",
    "LayerError",
    "Registry",
    "RowContext",
    "Table",
    "UiEntry",
    "check_order",
    "register",
    "registered",
    "speaker_classes",
    "speaker_of",
]
