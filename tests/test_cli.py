"""The `disclosure-nlp` command, run as a user runs it (a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from disclosure_nlp.testing import pdfs

EXE = [sys.executable, "-m", "disclosure_nlp.cli"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run([*EXE, *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def statement_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "statement.pdf"
    path.write_bytes(pdfs.render_pdf(pdfs.sample_statement_blocks(seed=5, n_paragraphs=12), layout="two_column"))
    return path


def test_help_lists_subcommands_and_each_has_help():
    top = run("--help")
    assert top.returncode == 0 and "extract" in top.stdout
    sub = run("extract", "--help")
    assert sub.returncode == 0 and "--extractor" in sub.stdout and "--ocr" in sub.stdout


def test_extract_json_has_pages_sentences_and_metadata(statement_pdf, tmp_path):
    out = tmp_path / "out.json"
    done = run("extract", str(statement_pdf), "--format", "json", "--out", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    assert data["n_pages"] == len(data["pages"]) >= 2
    assert "pypdfium2" in data["extraction"]["extractor"].split("+")
    assert data["extraction"]["ocr_pages"] == []
    assert "parse_s" in data["extraction"]["timings"]
    for s in data["sentences"]:
        assert data["text"][s["start"] : s["end"]] == s["text"]
        assert 1 <= s["page"] <= data["n_pages"]


def test_extract_text_to_stdout(statement_pdf):
    done = run("extract", str(statement_pdf), "--extractor", "pdfplumber")
    assert done.returncode == 0, done.stderr
    assert "modern slavery" in done.stdout.lower()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (pdfs.encrypted_pdf(), "encrypted"),
        (pdfs.truncated_pdf(), "not a readable PDF"),
        (b"", "the file is empty"),
        (pdfs.garbage_pdf("html"), "named .pdf but the content is HTML"),
    ],
    ids=["encrypted", "truncated", "empty", "html-named-pdf"],
)
def test_bad_files_give_one_line_and_exit_2(tmp_path, content, expected):
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    done = run("extract", str(path))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert done.stderr.startswith("error: bad.pdf: ") and expected in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_file_and_directory(tmp_path):
    done = run("extract", str(tmp_path / "nope.pdf"))
    assert done.returncode == 2 and "no such file" in done.stderr
    done = run("extract", str(tmp_path))
    assert done.returncode == 2 and "is a directory" in done.stderr
