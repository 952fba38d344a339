"""spaCy's attribute ruler and rule lemmatizer, run as look-up tables with the same output.

In en_core_web_sm the attribute ruler (the tag map and its exceptions, 179 rules) runs spaCy's Matcher over
every token, and the lemmatizer visits every token as a Python object. The two took a fifth of the parse:
21.6 and 13.1 ms an article of PolNeAR train, where the entity recogniser took 76. Neither needs to: a
rule looks at one token (eight at two) and names few words, and a lemma depends only on the word, its part
of speech and its morphology. So each distinct token, as the rules see it, is worked out once per process,
and the articles' attributes are read and written as arrays: together about 4 ms an article. The tags,
parts of speech, morphology, lemmas and dependency labels come out the same as the stock components'
(tests/test_nlp.py compares them). A model whose rules test something these tables do not model keeps
its stock components."""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, replace

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.language import Language
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc

# What a rule may test.
READ = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE, "ORTH": ORTH, "NORM": NORM}
# What a rule may set.
WRITE = (TAG, POS, MORPH, LEMMA, DEP)
MAX_KEPT = 500_000  # distinct tokens remembered, so a long-running process does not grow without end
OTHER = 2**64 - 1  # stands for every word no rule names (a string's hash that is not expected to occur)


@dataclass(frozen=True)
class Test:
    """One condition of a pattern token: the value of the token's `attr` is (or, negated, is not) in
    `values`, or its string has a match of `regex` (the Matcher's REGEX)."""

    attr: int
    values: frozenset[int] = frozenset()
    negated: bool = False
    regex: re.Pattern | None = None
    strings: StringStore | None = field(default=None, compare=False)
    col: int = 0  # where `attr` is in the token table; set by AttributeTable
    found: dict[int, bool] = field(default_factory=dict, compare=False)  # the regex's answer for each string

    def holds(self, row: tuple[int, ...]) -> bool:
        if self.regex is None:
            return (row[self.col] in self.values) != self.negated
        return self.searched(row[self.col])

    def searched(self, value: int) -> bool:
        """Whether the regex finds a match in the string `value` hashes, remembered per string."""
        if value == OTHER:
            return False
        got = self.found.get(value)
        if got is None:
            if len(self.found) > MAX_KEPT:
                self.found.clear()
            got = self.found[value] = bool(self.regex.search(self.strings[value]))
        return got

    def holds_all(self, table: np.ndarray) -> np.ndarray:
        """holds() for every row of a token table, at once."""
        if self.regex is not None:
            column = table[:, self.col]
            yes = [v for v in np.unique(column).tolist() if self.searched(v)]
            return np.isin(column, np.array(yes, dtype=np.uint64))
        values = np.fromiter(self.values, np.uint64, len(self.values))
        return np.isin(table[:, self.col], values) != self.negated


@dataclass(frozen=True)
class Rule:
    """One pattern of an attribute-ruler rule: its tests for each token, which token takes the attributes,
    and the attributes as (column in WRITE, value)."""

    order: int  # the rule's place in the ruler: a later rule overrides an earlier one
    tokens: tuple[tuple[Test, ...], ...]
    target: int
    sets: tuple[tuple[int, int], ...]

    def matches(self, row: tuple[int, ...]) -> bool:
        """Whether a one-token rule matches this token."""
        return all(t.holds(row) for t in self.tokens[0])

    def starts(self, table: np.ndarray) -> np.ndarray:
        """The token positions where the rule's match starts."""
        n = len(table) - len(self.tokens) + 1
        if n <= 0:
            return np.zeros(0, dtype=np.int64)
        hit = np.ones(n, dtype=bool)
        for k, tests in enumerate(self.tokens):
            for t in tests:
                hit &= t.holds_all(table[k:k + n])
        return np.flatnonzero(hit)


def _test(key: str, spec, strings: StringStore) -> Test | None:
    attr = READ.get(key)
    if attr is None:
        return None
    if key == "IS_SPACE":
        return Test(attr, frozenset({int(spec)})) if isinstance(spec, bool) else None
    if isinstance(spec, str):
        return Test(attr, frozenset({get_string_id(spec)}))
    if isinstance(spec, dict) and len(spec) == 1:
        (op, values), = spec.items()
        if op in ("IN", "NOT_IN") and isinstance(values, list) and all(isinstance(v, str) for v in values):
            return Test(attr, frozenset(get_string_id(v) for v in values), negated=op == "NOT_IN")
        if op == "REGEX" and isinstance(values, str):
            return Test(attr, regex=re.compile(values), strings=strings)
    return None


def compile_rules(ruler) -> list[Rule] | None:
    """The ruler's patterns as Rules, or None where one tests or sets what the tables do not model."""
    rules: list[Rule] = []
    for order, (spec, attrs) in enumerate(zip(ruler.patterns, ruler.attrs)):
        if set(attrs) - set(WRITE):
            return None
        sets = tuple((WRITE.index(a), int(v)) for a, v in attrs.items())
        for pattern in spec["patterns"]:
            tokens = []
            for token in pattern:
                tests = tuple(_test(k.upper(), v, ruler.vocab.strings) for k, v in token.items())
                if None in tests:
                    return None
                tokens.append(tests)
            index = spec.get("index", 0)
            if not tokens or not -len(tokens) <= index < len(tokens):
                return None
            rules.append(Rule(order, tuple(tokens), index % len(tokens), sets))
    return rules


class AttributeTable:
    """The attribute ruler's rules, applied to each distinct token once: a token is read as the values of
    the attributes the rules test, and what the one-token rules give it is kept for the next like it."""

    def __init__(self, rules: list[Rule]):
        tested = sorted({t.attr for r in rules for tests in r.tokens for t in tests} | {TAG})
        self.read = tested
        rules = [replace(r, tokens=tuple(tuple(replace(t, col=tested.index(t.attr)) for t in tests)
                                         for tests in r.tokens)) for r in rules]
        self.multi = [r for r in rules if len(r.tokens) > 1]
        # One-token rules by the tag they require, so a new token is tried against a few dozen, not all.
        self.tag_col = tested.index(TAG)
        self.by_tag: dict[int, list[Rule]] = {}
        self.any_tag: list[Rule] = []
        for r in (r for r in rules if len(r.tokens) == 1):
            tag = next((t for t in r.tokens[0] if t.attr == TAG and not t.negated and t.regex is None), None)
            if tag is None:
                self.any_tag.append(r)
            for value in tag.values if tag else ():
                self.by_tag.setdefault(value, []).append(r)
        # Words matter only where a rule names them, so every other word is read as OTHER: a few
        # thousand distinct tokens are worked out, not one per word of the language.
        self.word_col = tested.index(LOWER) if LOWER in tested else None
        word_tests = [t for r in rules for tests in r.tokens for t in tests if t.attr == LOWER]
        self.named = frozenset().union(*(t.values for t in word_tests if t.regex is None))
        self.word_regexes = [t for t in word_tests if t.regex is not None]
        self.word_of: dict[int, int] = {}
        self.seen: dict[tuple[int, ...], int] = {}  # a token's values -> its row in `given`
        # The web app and its feed watcher parse in threads of their own: a token's row in `given` must not
        # be read before it is in the arrays.
        self.lock = threading.Lock()
        self.given: list[dict[int, tuple[int, int]]] = []
        self.values = np.zeros((0, len(WRITE)), dtype=np.uint64)  # `given` as arrays
        self.sets = np.zeros((0, len(WRITE)), dtype=bool)

    def _word(self, value: int) -> int:
        """The word as the rules see it: itself where a rule names it or its pattern matches, else OTHER."""
        named = value in self.named or any(t.searched(value) for t in self.word_regexes)
        return value if named else OTHER

    def _single(self, row: tuple[int, ...]) -> dict[int, tuple[int, int]]:
        """For one token: each attribute the one-token rules set, as (rule order, value) of the last."""
        out: dict[int, tuple[int, int]] = {}
        for rule in sorted(self.by_tag.get(row[self.tag_col], []) + self.any_tag, key=lambda r: r.order):
            if rule.matches(row):
                for col, value in rule.sets:
                    out[col] = (rule.order, value)
        return out

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        with self.lock:
            self._annotate(doc)
        return doc

    def _annotate(self, doc: Doc) -> None:
        table = doc.to_array(self.read)
        if len(self.seen) > MAX_KEPT:
            self.seen.clear()
            self.given.clear()
            self.values, self.sets = self.values[:0], self.sets[:0]
        seen, new = self.seen, []
        ids = []
        rows = table.tolist()
        if self.word_col is not None:
            if len(self.word_of) > MAX_KEPT:
                self.word_of.clear()
            c, word_of = self.word_col, self.word_of
            for row in rows:
                word = word_of.get(row[c])
                if word is None:
                    word = word_of[row[c]] = self._word(row[c])
                row[c] = word
        for row in map(tuple, rows):
            at = seen.get(row)
            if at is None:
                at = seen[row] = len(self.given)
                self.given.append(self._single(row))
                new.append(at)
            ids.append(at)
        if new:
            self._arrays(new)
        ids = np.array(ids, dtype=np.int64)
        values, sets = self.values[ids], self.sets[ids]
        for rule in self.multi:  # rare: matched where they apply, against what one-token rules gave
            for start in rule.starts(table).tolist():
                at = start + rule.target
                for col, value in rule.sets:
                    if self.given[ids[at]].get(col, (-1, 0))[0] <= rule.order:
                        values[at, col], sets[at, col] = value, True
        out = doc.to_array(list(WRITE))
        doc.from_array(list(WRITE), np.where(sets, values, out))

    def _arrays(self, new: list[int]) -> None:
        """Rows `new` of `given` into the arrays, which grow by doubling."""
        if len(self.given) > len(self.values):
            filled = len(self.given) - len(new)
            size = max(1024, 2 * len(self.given))
            values, sets = np.zeros((size, len(WRITE)), dtype=np.uint64), np.zeros((size, len(WRITE)), dtype=bool)
            values[:filled], sets[:filled] = self.values[:filled], self.sets[:filled]
            self.values, self.sets = values, sets
        for i in new:
            for col, (_, value) in self.given[i].items():
                self.values[i, col], self.sets[i, col] = value, True


class LemmaTable:
    """The rule lemmatizer, each (word, part of speech, morphology) lemmatised once by the stock one. Its
    word lists become sets: a new word's lemma was looked for in a list of 57,528 nouns, word by word."""

    def __init__(self, lemmatizer):
        self.lemmatizer = lemmatizer
        index = lemmatizer.lookups.get_table("lemma_index", {})
        for pos, words in list(index.items()):
            index[pos] = frozenset(words)  # only ever asked `form in index`
        self.seen: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        overwrite, seen, strings = self.lemmatizer.overwrite, self.seen, doc.vocab.strings
        if len(seen) > MAX_KEPT:
            seen.clear()
        lemmas = rows[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not overwrite:
                continue
            got = seen.get((orth, pos, morph))
            if got is None:
                got = seen[(orth, pos, morph)] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = got
        doc.from_array([LEMMA], lemmas)
        return doc


# The stock components are handed over when these are made (install), not rebuilt from a config.
_handover: dict[str, object] = {}


@Language.factory("attribute_table")
def _attribute_table(nlp: Language, name: str) -> AttributeTable:
    return _handover.pop(name)


@Language.factory("lemma_table")
def _lemma_table(nlp: Language, name: str) -> LemmaTable:
    return _handover.pop(name)


def install(nlp: Language) -> list[str]:
    """Put the tables in place of the stock attribute ruler and rule lemmatizer, where they reproduce
    them; the names of the components replaced."""
    replaced = []
    if "attribute_ruler" in nlp.pipe_names:
        rules = compile_rules(nlp.get_pipe("attribute_ruler"))
        if rules is not None:
            _handover["attribute_table"] = AttributeTable(rules)
            nlp.add_pipe("attribute_table", after="attribute_ruler")
            nlp.remove_pipe("attribute_ruler")
            replaced.append("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names:
        stock = nlp.get_pipe("lemmatizer")
        if getattr(stock, "mode", None) == "rule":
            _handover["lemma_table"] = LemmaTable(stock)
            nlp.add_pipe("lemma_table", after="lemmatizer")
            nlp.remove_pipe("lemmatizer")
            replaced.append("lemmatizer")
    return replaced
