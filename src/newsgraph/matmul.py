"""The parse's matrix products through numpy's BLAS, on one thread.

spaCy's CPU models multiply their matrices with thinc's ``NumpyOps.gemm``, which calls the ``blis``
package; numpy's own ``matmul`` calls the OpenBLAS that numpy ships, whose kernels for this machine's
vector units are about three times faster on the shapes of a tagger's and a parser's layers (a batch's
tokens by 96-384 features). ``MatmulOps`` is ``NumpyOps`` with that one method changed: the same
products, summed in a different order, so a float may differ in its last bits; the annotation of
142,507 tokens of 184 throughput-corpus articles came out identical (``tests/test_matmul.py`` holds a sample).

One thread per product: newsgraph uses the cores with one worker per core (``batch --workers N``), and
a BLAS that spread each product over every core would fight the other workers for them. The limit is set
around each product and put back after it (a few microseconds), so nothing else in the process sees it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy
from thinc.api import NumpyOps
from threadpoolctl import ThreadpoolController


@cache
def _blas() -> Any:
    """numpy's BLAS, as threadpoolctl finds it loaded (an empty selection where it finds none)."""
    return ThreadpoolController().select(user_api="blas")


class MatmulOps(NumpyOps):  # type: ignore[misc]  # thinc's Cython class, untyped to mypy
    """thinc's NumPy operations with ``gemm`` as numpy's ``matmul`` on one BLAS thread."""

    name = "numpy-matmul"

    def gemm(self, x: Any, y: Any, out: Any = None, trans1: bool = False, trans2: bool = False) -> Any:
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        with _blas().limit(limits=1):
            if out is None:
                return numpy.matmul(a, b)
            numpy.matmul(a, b, out=out)
            return out


def use_matmul(model: Any) -> None:
    """Every thinc layer of every component of a loaded spaCy pipeline computes with ``MatmulOps`` (one
    instance); a component without a thinc model (a rule-based one) is left as it is. Only layers on
    thinc's plain NumPy operations are changed: a model on other operations (a GPU's) keeps them."""
    ops = MatmulOps()
    for _, proc in model.pipeline:
        layer = getattr(proc, "model", None)
        if layer is None or not hasattr(layer, "walk"):
            continue
        for node in layer.walk():
            if type(node.ops) is NumpyOps:
                node.ops = ops
