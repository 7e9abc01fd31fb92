"""Document / Page / Sentence: the one object that flows through the pipeline.

Extraction fills `pages` and `text`; segmentation fills `sentences`. Every sentence keeps its
page and character offsets into `Document.text`, so any later claim can be traced back to a quote
and a page.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    page: int  # 1-based
    start: int  # char offset into Document.text
    end: int
    heading: str | None
    index: int


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    start: int  # char offsets of this page's text in Document.text
    end: int
    method: str  # "text" | "ocr" | "none" (no usable text and no OCR available)
    chars: int = 0


@dataclass(slots=True)
class Block:
    """A cleaned paragraph, heading or bullet item, located in Document.text."""

    kind: str  # "heading" | "paragraph" | "bullet"
    start: int
    end: int
    page: int


@dataclass(slots=True)
class ExtractionInfo:
    extractor: str
    source_type: str  # "pdf" | "txt" | "html" | "docx"
    ocr_pages: list[int] = field(default_factory=list)
    empty_pages: list[int] = field(default_factory=list)  # no usable text even after OCR (or OCR absent)
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    text: str
    pages: list[Page]
    blocks: list[Block]
    info: ExtractionInfo
    sha256: str
    name: str | None = None
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.sha256[:16]

    @staticmethod
    def hash_bytes(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def page_of(self, offset: int) -> int:
        """1-based page number holding character `offset` of the document text."""
        lo, hi = 0, len(self.pages) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.pages[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.pages[lo].number if self.pages else 1

    def context(self, index: int, words: int = 100) -> tuple[str, str]:
        """Up to `words` words before and after sentence `index`, never crossing the document."""
        sent = self.sentences[index]
        left = _WORD.findall(self.text[max(0, sent.start - words * 20) : sent.start])[-words:] if words else []
        right = _WORD.findall(self.text[sent.end : sent.end + words * 20])[:words] if words else []
        return " ".join(left), " ".join(right)

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "sha256": self.sha256,
            "name": self.name,
            "n_pages": len(self.pages),
            "n_sentences": len(self.sentences),
            "extraction": asdict(self.info),
            "pages": [asdict(p) for p in self.pages],
            "sentences": [asdict(s) for s in self.sentences],
        }
        if with_text:
            out["text"] = self.text
        return out
