"""Document -> sentences with page, offsets and heading.

A blank spaCy English pipeline (tokenizer only, no model download) plus one rule component,
`disclosure_sentences`, that knows the abbreviations of statements and legal text ("Pty Ltd.",
"No. 5", "s. 54", "approx.", "e.g.") and never splits before a lower-case word. Headings, bullet
items and table rows are already separate blocks, so each is at least its own sentence. spaCy's
stock `sentencizer` is kept selectable (`splitter="sentencizer"`) so the benchmark can compare.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .document import Document, Sentence

TERMINALS = {".", "!", "?", "...", "…", "!?", "?!"}
CLOSERS = {'"', "'", "”", "’", ")", "]", "»"}
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
# Can end a sentence ("... supplied by Acme Pty Ltd. The ..."), so split only before a word that
# typically opens one.
SOFT_ABBREVIATIONS = {"ltd", "inc", "plc", "llc", "corp", "co", "etc", "al", "bros", "limited", "cie", "ag", "gmbh", "bv", "nv", "sa"}
SENTENCE_OPENERS = {
    "the", "we", "our", "this", "these", "that", "those", "it", "its", "in", "as", "they", "their",
    "all", "each", "there", "a", "an", "for", "to", "during", "since", "following", "further",
    "furthermore", "additionally", "also", "however", "any", "where", "if", "when", "while", "no",
    "none", "since", "such", "some", "many", "most", "further", "moreover", "accordingly", "through",
    "with", "by", "at", "on", "from", "after", "before", "between", "under", "over", "both", "one",
    "two", "three", "several", "other", "in", "i", "you", "he", "she", "his", "her", "what", "how",
}


def _abbreviation_before(doc: Doc, i: int) -> str | None:
    """The word a period at token i belongs to, lower-cased without the period, if any."""
    token = doc[i]
    if token.text != "." and token.text.endswith("."):
        return token.text[:-1].lower()
    if token.text == "." and i > 0 and not doc[i - 1].whitespace_:
        return doc[i - 1].text.lower()
    return None


@Language.component("disclosure_sentences")
def disclosure_sentences(doc: Doc) -> Doc:
    """Rule-based sentence boundaries for statement prose (see module docstring)."""
    n = len(doc)
    for token in doc:
        token.is_sent_start = token.i == 0
    i = 0
    while i < n:
        token = doc[i]
        text = token.text
        is_abbrev_token = text.endswith(".") and len(text) > 1
        if text not in TERMINALS and not is_abbrev_token:
            i += 1
            continue
        j = i + 1
        while j < n and doc[j].text in CLOSERS and not doc[j - 1].whitespace_:
            j += 1
        if j >= n:
            break
        nxt = doc[j].text
        first = nxt[0]
        if not (first.isupper() or first.isdigit() or first in "\"“‘'([•"):
            i = j
            continue
        if text in (".",) or is_abbrev_token:
            word = _abbreviation_before(doc, i)
            if word is not None:
                if word in HARD_ABBREVIATIONS:
                    i = j
                    continue
                if word in NUMBER_ABBREVIATIONS and (first.isdigit() or nxt[:1] in "(#"):
                    i = j
                    continue
                if word in SOFT_ABBREVIATIONS and nxt.lower() not in SENTENCE_OPENERS:
                    i = j
                    continue
                if len(word) == 1 and word.isalpha() and doc[j].is_title:
                    # an initial: "J. Smith" (a one-letter word before a period is rarely a sentence end)
                    i = j
                    continue
                if "." in word and word.replace(".", "").isalpha() and len(word) <= 5 and not text == ".":
                    # dotted acronym token like "U.K." followed by a capital: usually mid-sentence
                    if nxt.lower() not in SENTENCE_OPENERS:
                        i = j
                        continue
        doc[j].is_sent_start = True
        i = j
    return doc


@lru_cache(maxsize=None)
def _pipeline(splitter: str) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("disclosure_sentences" if splitter == "rules" else "sentencizer")
    return nlp


SPLITTERS = ("rules", "sentencizer")
_lock = threading.Lock()


def split_sentences(texts: list[str], splitter: str = "rules") -> list[list[tuple[int, int]]]:
    """Character spans of the sentences of each text."""
    if splitter not in SPLITTERS:
        raise ValueError(f"splitter must be one of {SPLITTERS}")
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
