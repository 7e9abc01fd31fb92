"""OCR of page images with the Tesseract command-line tool (Debian: tesseract-ocr).

One tesseract process per page, `OMP_THREAD_LIMIT=1`, as many at once as there are cores: measured
faster than letting tesseract thread itself. Tesseract being absent is not an error: the caller
records the pages as having no text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor


def tesseract_path() -> str | None:
    return shutil.which(os.environ.get("DISCLOSURE_NLP_TESSERACT", "tesseract"))


def ocr_png(png: bytes, timeout_s: float, lang: str = "eng") -> str:
    """Text of one PNG page image; raises subprocess.TimeoutExpired / CalledProcessError."""
    exe = tesseract_path()
    if exe is None:
        raise FileNotFoundError("tesseract")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    done = subprocess.run(
        [exe, "stdin", "stdout", "-l", lang, "--psm", "3"],
        input=png,
        capture_output=True,
        timeout=timeout_s,
        env=env,
        check=True,
    )
    return done.stdout.decode("utf-8", errors="replace")


def ocr_pages(images: dict[int, bytes], timeout_s: float) -> tuple[dict[int, str], dict[int, str]]:
    """OCR several pages in parallel. Returns (texts by page, errors by page)."""
    texts: dict[int, str] = {}
    errors: dict[int, str] = {}
    if not images:
        return texts, errors
    workers = max(1, min(len(images), os.cpu_count() or 1))

    def run(item: tuple[int, bytes]) -> tuple[int, str | None, str | None]:
        number, png = item
        try:
            return number, ocr_png(png, timeout_s), None
        except subprocess.TimeoutExpired:
            return number, None, f"OCR of page {number} took longer than {timeout_s:g} s"
        except (subprocess.CalledProcessError, OSError) as exc:
            return number, None, f"OCR of page {number} failed: {exc}"

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for number, text, error in pool.map(run, sorted(images.items())):
            if text is not None:
                texts[number] = text
            else:
                errors[number] = error or "OCR failed"
    return texts, errors
