"""disclosure-nlp: reads modern slavery statements and social-audit reports for buyers.

    import disclosure_nlp
    doc = disclosure_nlp.read("statement.pdf")     # extract + clean + segment
    for s in doc.sentences: print(s.page, s.heading, s.text)

Imports stay light here: the sandbox worker imports this package to parse PDFs.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["read", "__version__"]


def read(source, *, extractor: str = "auto", ocr: str = "auto", limits=None, name=None, splitter: str = "rules"):
    """Extract, clean and segment a document (path, bytes or text) into a `Document`."""
    from .extract import extract
    from .segment import segment

    return segment(extract(source, extractor=extractor, ocr=ocr, limits=limits, name=name), splitter=splitter)
