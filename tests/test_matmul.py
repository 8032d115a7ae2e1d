"""newsgraph.matmul: the parse's matrix products through numpy's BLAS on one thread give the products and
the annotation that thinc's own operations give."""

from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.attrs import IDS  # type: ignore[import-not-found]
from thinc.api import NumpyOps
from threadpoolctl import threadpool_info

from bench import corpus, harness
from newsgraph import nlp
from newsgraph.clean import clean_article
from newsgraph.matmul import MatmulOps

ATTRS = [IDS[a] for a in ("ORTH", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START")]


def test_gemm_is_thincs_product_with_its_flags_and_out() -> None:
    rng = numpy.random.default_rng(7)
    x = rng.random((37, 19), dtype=numpy.float32)
    y = rng.random((23, 19), dtype=numpy.float32)
    ours, thincs = MatmulOps(), NumpyOps()
    for args, kwargs in [((x, y), {"trans2": True}), ((x.T.copy(), y), {"trans1": True, "trans2": True})]:
        got = ours.gemm(*args, **kwargs)
        assert got.dtype == numpy.float32 and got.shape == (37, 23)
        numpy.testing.assert_allclose(got, thincs.gemm(*args, **kwargs), rtol=1e-5)
    out = numpy.zeros((37, 23), dtype=numpy.float32)
    assert ours.gemm(x, y.T.copy(), out=out) is out
    numpy.testing.assert_allclose(out, x @ y.T, rtol=1e-5)


def test_the_blas_threads_are_put_back_after_a_product() -> None:
    before = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    x = numpy.ones((64, 64), dtype=numpy.float32)
    MatmulOps().gemm(x, x)
    assert [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"] == before


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_layer_of_the_parse_computes_with_matmul(language: str) -> None:
    if not nlp.installed(language):
        pytest.skip(f"no {language} model")
    models = [getattr(proc, "model", None) for _, proc in nlp.load(language).pipeline]
    layers = [node for model in models if model is not None for node in model.walk()]
    assert layers and all(isinstance(node.ops, MatmulOps) for node in layers)


@pytest.mark.skipif(not (harness.SHARED / corpus.POLNEAR).exists(), reason="the throughput corpus is missing")
def test_corpus_articles_annotated_as_by_the_model_as_shipped() -> None:
    plain = spacy.load(nlp.MODEL)
    plain.add_pipe("newsgraph_paragraphs", before="parser")
    texts = [nlp.matching_form(clean_article(raw).text) for raw in corpus.articles(harness.SHARED)[::50]]
    assert len(texts) >= 25
    ours = list(nlp.load().pipe(texts, batch_size=16))
    theirs = list(plain.pipe(texts, batch_size=16))
    assert sum(len(d) for d in ours) > 10_000
    for a, b in zip(ours, theirs, strict=True):
        assert (a.to_array(ATTRS) == b.to_array(ATTRS)).all()
