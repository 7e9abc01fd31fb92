"""Generated test inputs: statement-like PDFs (good and bad) built with reportlab and pypdfium2.

Tests and benchmarks build every PDF they need from here — no fixture is downloaded. Needs the
`[dev]` extra (reportlab, pillow); pypdfium2 is a core dependency.
"""

from disclosure_nlp.testing.pdfs import (
    LAYOUTS,
    PATHOLOGICAL_KINDS,
    SECTORS,
    Statement,
    blocks_text,
    corpus_pdfs,
    empty_pdf_bytes,
    encrypted_pdf,
    garbage_pdf,
    image_only_pdf,
    many_pages_pdf,
    mixed_pdf,
    pathological_pdf,
    rasterize_pdf,
    render_pdf,
    sample_statement,
    sample_statement_blocks,
    scanned_pdf,
    truncated_pdf,
    zero_page_pdf,
)

__all__ = [
    "LAYOUTS",
    "PATHOLOGICAL_KINDS",
    "SECTORS",
    "Statement",
    "blocks_text",
    "corpus_pdfs",
    "empty_pdf_bytes",
    "encrypted_pdf",
    "garbage_pdf",
    "image_only_pdf",
    "many_pages_pdf",
    "mixed_pdf",
    "pathological_pdf",
    "rasterize_pdf",
    "render_pdf",
    "sample_statement",
    "sample_statement_blocks",
    "scanned_pdf",
    "truncated_pdf",
    "zero_page_pdf",
]
