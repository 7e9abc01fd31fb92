"""Limits on untrusted input, with defaults a statement registry will rarely hit.

Override per call (`Limits(max_pages=2000)`) or through the environment
(`DISCLOSURE_NLP_MAX_BYTES`, `..._MAX_PAGES`, `..._TIMEOUT_S`, `..._MEMORY_MB`, `..._OCR_MAX_PAGES`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env(name: str, default: float) -> float:
    value = os.environ.get(f"DISCLOSURE_NLP_{name}")
    return type(default)(value) if value else default


@dataclass(frozen=True)
class Limits:
    max_bytes: int = field(default_factory=lambda: int(_env("MAX_BYTES", 50 * 1024 * 1024)))
    max_pages: int = field(default_factory=lambda: int(_env("MAX_PAGES", 500)))
    # wall-clock seconds for parsing one file (OCR is budgeted separately, per page)
    timeout_s: float = field(default_factory=lambda: float(_env("TIMEOUT_S", 60.0)))
    # address-space cap of the parsing child process
    memory_mb: int = field(default_factory=lambda: int(_env("MEMORY_MB", 2048)))
    ocr_max_pages: int = field(default_factory=lambda: int(_env("OCR_MAX_PAGES", 100)))
    ocr_page_timeout_s: float = field(default_factory=lambda: float(_env("OCR_PAGE_TIMEOUT_S", 60.0)))
