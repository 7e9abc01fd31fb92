"""Document -> sentences with page, offsets and heading.

One rule set, registered as the spaCy component `disclosure_sentences` (use it in any blank
English pipeline: no model download), that knows the abbreviations of statements and legal text
("Pty Ltd.", "No. 5", "s. 54", "approx.", "e.g.") and never splits before a lower-case word.
Headings, bullet items and table rows are already separate blocks, so each is at least its own
sentence. `segment()` applies the rules straight to the text by default (`splitter="rules"`); the
same rules inside spaCy (`"spacy-rules"`, identical output, tested) and spaCy's stock
`"sentencizer"` are selectable so the benchmark can compare.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from functools import lru_cache

import numpy as np
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .document import Document, Sentence

# Never a sentence end when followed by a capital or a number.
HARD_ABBREVIATIONS = {
    "approx", "e.g", "eg", "i.e", "ie", "cf", "vs", "viz", "mr", "mrs", "ms", "dr", "prof", "st", "pty",
    "dept", "govt", "assoc", "ave", "est", "incl", "excl", "min", "max", "abt", "resp", "ref", "refs",
    "fig", "figs", "para", "paras", "cl", "cll", "art", "arts", "sec", "secs", "reg", "regs", "sch",
    "vol", "ch", "chap", "pt", "u.s", "u.k", "a.c.n", "a.b.n", "sr", "jr", "hon", "rev", "gen", "mt",
}
# A sentence end only when the next token is not a number ("No. 5", "s. 54", "p. 3", "Jan. 2024").
NUMBER_ABBREVIATIONS = {
    "no", "nos", "s", "ss", "p", "pp", "r", "rr", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "item", "tel", "ph",
}
# Often end a sentence ("... supplied by Acme Pty Ltd. The ..."): split before a capitalised word,
# but not before a registration number or code ("Acme Pty Ltd. ABN 12 ...", "Acme Ltd. (the Company)").
SOFT_ABBREVIATIONS = {"ltd", "inc", "plc", "llc", "corp", "co", "etc", "al", "bros", "cie", "ag", "gmbh", "bv", "nv", "sa"}
SENTENCE_OPENERS = {
    "the", "we", "our", "this", "these", "that", "those", "it", "its", "in", "as", "they", "their",
    "all", "each", "there", "a", "an", "for", "to", "during", "since", "following", "further",
    "furthermore", "additionally", "also", "however", "any", "where", "if", "when", "while", "no",
    "none", "since", "such", "some", "many", "most", "further", "moreover", "accordingly", "through",
    "with", "by", "at", "on", "from", "after", "before", "between", "under", "over", "both", "one",
    "two", "three", "several", "other", "in", "i", "you", "he", "she", "his", "her", "what", "how",
}


# terminal punctuation, optional closing quotes/brackets, whitespace, then the next token
_CANDIDATE = re.compile(r"([.!?…]+)([\"'”’)\]»]*)\s+(?=\S)")
_LAST_WORD = re.compile(r"(\S+)$")
_NEXT_WORD = re.compile(r"[^\s.,;:!?]+")
_OPENERS = "\"“‘'([•_"


def _is_boundary(text: str, punct_start: int, punct: str, next_start: int) -> bool:
    nxt_char = text[next_start]
    if not (nxt_char.isupper() or nxt_char.isdigit() or nxt_char in _OPENERS):
        return False  # never before a lower-case word ("Pty Ltd. is", "approx. half")
    if punct != ".":
        return True
    last = _LAST_WORD.search(text, max(0, punct_start - 40), punct_start)
    if last is None:
        return True
    word = last.group(1).lstrip("\"“‘'([").lower()
    nxt = _NEXT_WORD.match(text, next_start)
    nxt_raw = nxt.group(0) if nxt else ""
    nxt_word = nxt_raw.lower()
    if word in HARD_ABBREVIATIONS:
        return False
    if word in NUMBER_ABBREVIATIONS and (nxt_char.isdigit() or nxt_char in "(#"):
        return False
    if word in SOFT_ABBREVIATIONS and (nxt_char in "(" or nxt_char.isdigit() or (nxt_raw.isupper() and len(nxt_raw) <= 4)):
        return False
    if len(word) == 1 and word.isalpha() and nxt_char.isupper() and nxt_word.isalpha():
        return False  # an initial: "J. Smith"
    if "." in word and len(word) <= 5 and word.replace(".", "").isalpha() and nxt_word not in SENTENCE_OPENERS:
        return False  # a dotted acronym mid-sentence: "the U.K. Modern Slavery Act"
    return True


def rule_boundaries(text: str) -> list[int]:
    """Character offsets where a new sentence starts (after the first), by the rules above."""
    return [
        m.end() for m in _CANDIDATE.finditer(text) if _is_boundary(text, m.start(), m.group(1), m.end())
    ]


@Language.component("disclosure_sentences")
def disclosure_sentences(doc: Doc) -> Doc:
    """Rule-based sentence boundaries for statement prose (see module docstring).

    Boundaries are found on the text with one regex and a few word look-ups, then written to the
    tokens in one call (the per-token `is_sent_start` setter re-checks the doc's annotations on every
    call, which is quadratic on long paragraphs).
    """
    n = len(doc)
    if not n:
        return doc
    text = doc.text
    token_starts = doc.to_array(IDX).astype(np.int64)
    starts = np.full(n, -1, dtype=np.int64)
    starts[0] = 1
    for next_start in rule_boundaries(text):
        t = bisect_left(token_starts, next_start)
        if t < n and token_starts[t] == next_start:
            starts[t] = 1
    doc.from_array([SENT_START], starts.reshape(-1, 1).astype(np.uint64))
    return doc


@lru_cache(maxsize=None)
def _pipeline(splitter: str) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("disclosure_sentences" if splitter == "spacy-rules" else "sentencizer")
    return nlp


# rules: the disclosure_sentences rules applied straight to the text (the default: same boundaries
#        as inside spaCy, without paying for tokenisation nobody downstream uses);
# spacy-rules: the same rules as a component of a blank spaCy pipeline (for spaCy users);
# sentencizer: spaCy's stock punctuation splitter, kept for comparison.
SPLITTERS = ("rules", "spacy-rules", "sentencizer")
_lock = threading.Lock()


def split_sentences(texts: list[str], splitter: str = "rules") -> list[list[tuple[int, int]]]:
    """Character spans of the sentences of each text."""
    if splitter not in SPLITTERS:
        raise ValueError(f"splitter must be one of {SPLITTERS}")
    if splitter == "rules":
        out_fast: list[list[tuple[int, int]]] = []
        for text in texts:
            starts = [0, *rule_boundaries(text), len(text)]
            out_fast.append([(a, b) for a, b in zip(starts, starts[1:]) if a < b])
        return out_fast
    nlp = _pipeline(splitter)
    out: list[list[tuple[int, int]]] = []
    with _lock:  # spaCy's Language objects are not documented as thread-safe
        for sdoc in nlp.pipe(texts, batch_size=256):
            out.append([(s.start_char, s.end_char) for s in sdoc.sents])
    return out


def segment(doc: Document, splitter: str = "rules") -> Document:
    """Fill `doc.sentences` (in place) and return the document."""
    text = doc.text
    heading: str | None = None
    sentences: list[Sentence] = []
    prose_blocks = [b for b in doc.blocks if b.kind != "heading"]
    spans = iter(split_sentences([text[b.start : b.end] for b in prose_blocks], splitter))
    for block in doc.blocks:
        if block.kind == "heading":
            heading = " ".join(text[block.start : block.end].split())
            parts = [(0, block.end - block.start)]
        else:
            parts = next(spans)
        for s, e in parts:
            start, end = block.start + s, block.start + e
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            piece = text[start:end]
            if not any(ch.isalnum() for ch in piece):
                continue
            sentences.append(
                Sentence(text=piece, page=doc.page_of(start), start=start, end=end, heading=heading, index=len(sentences))
            )
    doc.sentences = sentences
    return doc
