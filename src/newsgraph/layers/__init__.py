"""The layer registry: every layer declares what it reads, what it writes, what it needs, its store
tables and its UI entry; the pipeline, the store writer, the exports, the summary and the article page
loop over it. The mechanism is ``_registry.py``; the built-in layers' declarations, in pipeline order,
are ``_builtin.py``; each layer's code is its own module here, imported only when the pipeline runs it.
Importing this package never imports spaCy.
"""

from __future__ import annotations

from newsgraph.layers import _builtin  # noqa: F401  (registers the built-in layers, in order)
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
]
