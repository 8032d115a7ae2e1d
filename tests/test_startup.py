"""What a command's start-up imports: the parser reads its defaults without loading the library's heavy
dependencies, and the model's own imports leave spaCy's and httpx's command lines out. Each check runs
in a fresh interpreter (``sys.modules`` of this one holds whatever other tests imported)."""

from __future__ import annotations

import json
import subprocess
import sys

from .helpers import ROOT

HEAVY = ("spacy", "datasketch", "scipy", "pyarrow", "fastapi", "numpy", "httpx", "trafilatura", "uvicorn")


def _loaded(code: str, names: tuple[str, ...]) -> list[str]:
    """The ``names`` (top-level packages) that running ``code`` in a fresh interpreter imported."""
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, cwd=ROOT, capture_output=True, text=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    return sorted(set(names) & loaded)


def test_building_the_parser_imports_no_heavy_dependency() -> None:
    code = "import newsgraph.cli\nnewsgraph.cli.build_parser().parse_args(['export', '--format', 'csv'])"
    assert _loaded(code, HEAVY) == []


def test_the_help_of_every_command_needs_no_heavy_dependency() -> None:
    code = (
        "import contextlib, io, newsgraph.cli\n"
        "p = newsgraph.cli.build_parser()\n"
        "for cmd in ('analyze', 'ingest', 'serve', 'export', 'eval'):\n"
        "    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "        p.parse_args([cmd, '--help'])"
    )
    assert _loaded(code, HEAVY) == []


def test_the_model_module_leaves_the_command_lines_of_spacy_and_httpx_out() -> None:
    code = "import newsgraph.nlp, newsgraph.sources.urls, newsgraph.analysis"
    assert _loaded(code, ("spacy",)) == ["spacy"]
    assert _loaded(code, ("typer", "rich", "click", "weasel", "requests", "pygments", "trafilatura")) == []


def test_spacy_info_and_httpx_main_still_answer() -> None:
    """The stand-ins used at import are gone afterwards: ``spacy.info`` and ``import spacy.cli`` reach
    the real command line, ``httpx`` is whole, and the catalogue's entry points answer as before."""
    code = (
        "import importlib.metadata as md, sys, newsgraph.nlp, newsgraph.sources.urls, catalogue, spacy, httpx\n"
        "assert spacy.info()['spacy_version'] == spacy.__version__\n"
        "import spacy.cli\n"
        "assert callable(spacy.cli.download) and sys.modules['spacy.cli.info'].info is spacy.cli.info\n"
        "assert 'httpx._main' not in sys.modules or sys.modules['httpx._main'] is not None\n"
        "assert httpx.Client and callable(httpx.main)\n"
        "for group in ('spacy_factories', 'srsly_msgpack_decoders', 'thinc_layers', 'nothing_here'):\n"
        "    ours = catalogue.AVAILABLE_ENTRY_POINTS.select(group=group)\n"
        "    assert sorted(e.name for e in ours) == sorted(e.name for e in md.entry_points().select(group=group))\n"
        "    assert ours is catalogue.AVAILABLE_ENTRY_POINTS.select(group=group)\n"
    )
    _loaded(code, ())
