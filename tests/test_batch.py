"""Registry batch runs: real generated PDFs (good, corrupt, encrypted, scanned), real worker processes,
a real kill of the `disclosure-nlp batch` process and its resume, a real local Dask cluster, the report.

The Analyzer is the shipped one (plain `Analyzer()`; DISCLOSURE_NLP_MODELS points elsewhere during
development). Registries are small so the module stays near two minutes on two cores.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from disclosure_nlp.batch import (
    BatchError,
    analyze_payload,
    discover,
    read_journal,
    read_manifest,
    read_results,
    run_batch,
)
from disclosure_nlp.schema import DocumentScore
from disclosure_nlp.testing import pdfs

EXE = [sys.executable, "-m", "disclosure_nlp.cli"]
HAS_TESSERACT = shutil.which("tesseract") is not None
# columns that legitimately differ between two runs of the same documents
RUN_COLUMNS = {"elapsed_s", "worker", "analyzed_at"}


@pytest.fixture(scope="module", autouse=True)
def shipped_models():
    from disclosure_nlp.pipeline import Analyzer, AnalyzerError

    try:
        Analyzer()
    except AnalyzerError as exc:
        pytest.skip(f"no criteria model to run batches with: {exc}")


def _good(seed: int) -> bytes:
    return pdfs.render_pdf(pdfs.sample_statement_blocks(seed, n_paragraphs=4))


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Path:
    """Six good statements, an exact duplicate, a truncated and an encrypted PDF, a scan, a stray file."""
    root = tmp_path_factory.mktemp("registry")
    for i in range(6):
        sub = root / ("2023" if i % 2 else "2024")
        sub.mkdir(exist_ok=True)
        (sub / f"statement_{i}.pdf").write_bytes(_good(100 + i))
    (root / "2024" / "statement_0_copy.pdf").write_bytes((root / "2024" / "statement_0.pdf").read_bytes())
    (root / "truncated.pdf").write_bytes(pdfs.truncated_pdf(0.3, seed=1))
    (root / "encrypted.pdf").write_bytes(pdfs.encrypted_pdf())
    (root / "scanned.pdf").write_bytes(pdfs.scanned_pdf(pdfs.sample_statement_blocks(7, n_paragraphs=2), dpi=100))
    (root / "README.xlsx").write_bytes(b"not a statement")
    return root


@pytest.fixture(scope="module")
def local_run(registry, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "results.parquet"
    summary = run_batch(registry, out, workers=2)
    return summary, out


def _by_source(rows: list[dict]) -> dict[str, dict]:
    sources = [r["source"] for r in rows]
    assert len(sources) == len(set(sources)), "duplicate rows"
    return {r["source"]: r for r in rows}


def test_folder_batch_gives_one_complete_row_per_document(local_run, registry):
    summary, out = local_run
    rows = _by_source(read_results(out))
    assert set(rows) == {
        "2024/statement_0.pdf", "2023/statement_1.pdf", "2024/statement_2.pdf", "2023/statement_3.pdf",
        "2024/statement_4.pdf", "2023/statement_5.pdf", "2024/statement_0_copy.pdf",
        "truncated.pdf", "encrypted.pdf", "scanned.pdf",
    }
    assert summary.ignored_files == 1 and summary.duplicates == 1
    assert rows["truncated.pdf"]["status"] == "failed" and rows["truncated.pdf"]["error_code"] == "corrupt"
    assert rows["encrypted.pdf"]["status"] == "failed" and rows["encrypted.pdf"]["error_code"] == "encrypted"
    assert rows["truncated.pdf"]["error"]  # the reason, in one line
    scan = rows["scanned.pdf"]
    if HAS_TESSERACT:
        assert scan["status"] == "ok" and scan["ocr_pages"] >= 1 and scan["sentences"] > 5
    else:
        assert scan["status"] == "failed" and scan["error_code"] == "empty"
    good = [r for s, r in rows.items() if s.startswith("20")]
    for r in good:
        assert r["status"] == "ok", r
        assert r["pages"] >= 1 and r["sentences"] > 10
        assert 0 <= r["risk_score"] <= 100 and r["risk_band"] in ("low", "medium", "high")
        assert r["model_sha"] == summary.model["sha"]
        assert any(k.startswith("cov_") for k in r) and any(k.startswith("conf_") for k in r)
        if r["jurisdiction"]:  # a statement citing an act gets that act's verdicts
            assert r["verdicts_met"] + r["verdicts_partial"] + r["verdicts_missing"] > 0
    copy, orig = rows["2024/statement_0_copy.pdf"], rows["2024/statement_0.pdf"]
    assert copy["sha256"] == orig["sha256"]
    assert {k: v for k, v in copy.items() if k not in ("source", "name")} == {k: v for k, v in orig.items() if k not in ("source", "name")}
    assert summary.ok == sum(r["status"] == "ok" for r in rows.values())
    assert summary.pages > 0 and summary.seconds > 0


def test_scores_jsonl_holds_one_full_documentscore_per_analysed_document(local_run, registry):
    from disclosure_nlp.pipeline import Analyzer

    summary, out = local_run
    lines = out.with_name("results.scores.jsonl").read_text().splitlines()
    scores = [DocumentScore.model_validate_json(line) for line in lines]
    shas = [s.document.sha256 for s in scores]
    assert len(shas) == len(set(shas)) == summary.ok - 1  # the duplicate is analysed once
    # the batch result is what the Analyzer gives for the same file
    direct = Analyzer().analyze(registry / "2023" / "statement_3.pdf")
    batch = next(s for s in scores if s.document.sha256 == direct.document.sha256)
    assert batch.risk.score == direct.risk.score
    assert [c.covered for c in batch.criteria] == [c.covered for c in direct.criteria]
    assert [v.verdict for v in batch.jurisdictions] == [v.verdict for v in direct.jurisdictions]


def test_rerun_refuses_without_resume_and_resume_skips_everything(local_run, registry):
    summary, out = local_run
    with pytest.raises(BatchError, match="--resume"):
        run_batch(registry, out, workers=1)
    before = out.with_name("results.journal.jsonl").read_bytes()
    again = run_batch(registry, out, workers=1, resume=True)
    assert again.analysed == 0 and again.skipped == summary.analysed
    assert out.with_name("results.journal.jsonl").read_bytes() == before
    assert len(read_results(out)) == 10


# --- manifest -------------------------------------------------------------------------------------------

UK_HEADER = [
    "StatementID", "OrganisationName", "CompaniesHouseNumber", "SectorDescription", "Turnover",
    "StatementURL", "StatementStartDate", "StatementEndDate", "IsPublished", "Path",
]


def _write_manifest(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(UK_HEADER)
        w.writerows(rows)
    return path


def test_manifest_keeps_uk_registry_metadata(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.pdf").write_bytes(b"%PDF-1.4 placeholder")
    manifest = _write_manifest(tmp_path / "registry.csv", [
        ["S-1", "Acme Foods Ltd", "01234567", "Food & Beverage", "£36m - £60m", "https://x/1", "01/04/2022", "31/03/2023", "TRUE", "docs/a.pdf"],
        ["S-2", "Missing plc", "07654321", "Retail", "£500m+", "", "", "", "TRUE", "docs/gone.pdf"],
    ])
    items = read_manifest(manifest)
    a, missing = items
    assert a.path == tmp_path / "docs" / "a.pdf" and a.error is None
    assert a.metadata["statement_id"] == "S-1" and a.metadata["organisation_name"] == "Acme Foods Ltd"
    assert a.metadata["organisation_id"] == "01234567" and a.metadata["sector"] == "Food & Beverage"
    assert a.metadata["turnover_band"] == "£36m - £60m" and a.metadata["year"] == 2023
    assert a.metadata["meta_ispublished"] == "TRUE"
    assert missing.error[0] == "not_found"
    with pytest.raises(BatchError, match="no column of local file paths"):
        read_manifest(_write_csv(tmp_path / "bad.csv", [["OrganisationName"], ["x"]]))


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_zip_input_lists_documents(tmp_path):
    z = tmp_path / "registry.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("2024/a.pdf", _good(1))
        zf.writestr("__MACOSX/2024/._a.pdf", b"junk")
        zf.writestr("notes.txt", "Our modern slavery statement.")
        zf.writestr("data.json", "{}")
    items, ignored = discover(z)
    assert [i.source for i in items] == ["2024/a.pdf", "notes.txt"] and ignored == 1
    assert items[0].read_bytes()[:5] == b"%PDF-"


# --- kill and resume, through the command line --------------------------------------------------------

def _cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*EXE, *args], capture_output=True, text=True, timeout=timeout, env=dict(os.environ))


def test_killed_cli_run_resumes_without_loss_or_duplicates_and_reports(registry, tmp_path):
    docs = sorted(p for p in registry.rglob("*.pdf"))
    rows = [[f"S-{i}", f"Org {i}", f"0{i}", ["Retail", "Mining", "Apparel"][i % 3], "£36m - £60m", "",
             "", f"31/03/{2022 + i % 2}", "TRUE", str(p)] for i, p in enumerate(docs)]
    rows.append(["S-99", "Gone Ltd", "099", "Retail", "", "", "", "31/03/2023", "TRUE", "nowhere.pdf"])
    manifest = _write_manifest(tmp_path / "manifest.csv", rows)
    out = tmp_path / "results.csv"
    journal = tmp_path / "results.journal.jsonl"

    proc = subprocess.Popen([*EXE, "batch", str(manifest), "--out", str(out), "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_bytes().count(b"\n") >= 2:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed: " + proc.stderr.read().decode()
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    done_before = journal.read_bytes().count(b"\n")
    assert 2 <= done_before < 9 and not out.exists()
    with open(journal, "ab") as fh:  # as if the kill had also torn a line mid-write
        fh.write(b'{"key": "torn')

    refused = _cli("batch", str(manifest), "--out", str(out), "--workers", "1")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "--resume" in refused.stderr

    resumed = _cli("batch", str(manifest), "--out", str(out), "--workers", "1", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "skipped" in resumed.stderr and "pages/s" in resumed.stderr
    lines = journal.read_bytes().splitlines()
    keys = [json.loads(line)["key"] for line in lines]  # the torn line is gone
    assert len(keys) == len(set(keys)) == 9  # 10 files, one an exact copy: 9 analyses
    scores = out.with_name("results.scores.jsonl").read_text().splitlines()
    shas = [json.loads(s)["document"]["sha256"] for s in scores]
    assert len(shas) == len(set(shas))

    table = _by_source(read_results(out))
    assert len(table) == len(rows)
    gone = table["nowhere.pdf"]
    assert gone["status"] == "failed" and gone["error_code"] == "not_found"
    first = table[str(docs[0])]
    assert first["organisation_name"] == "Org 0" and first["statement_id"] == "S-0" and first["year"] in (2022, 2023)
    assert first["sector"] in ("Retail", "Mining", "Apparel") and first["turnover_band"] == "£36m - £60m"
    assert sum(r["status"] == "ok" for r in table.values()) >= 7

    report = tmp_path / "report.html"
    done = _cli("batch-report", str(out), "--out", str(report))
    assert done.returncode == 0, done.stderr
    page = report.read_text()
    for heading in ("Coverage rate per criterion", "Verdict rates per jurisdiction", "Red flags found",
                    "Risk distribution", "By sector", "By year", "Failures"):
        assert heading in page, heading
    assert page.count("data:image/png;base64,") >= 4
    assert "Retail" in page and "2023" in page and "not_found" in page and "Board approval" in page
    bad = _cli("batch-report", str(manifest), "--out", str(tmp_path / "x.html"))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_cli_input_errors_are_one_line_exit_2(tmp_path):
    missing = _cli("batch", str(tmp_path / "nope"), "--out", str(tmp_path / "r.parquet"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "no such" in missing.stderr
    nocol = _cli("batch", str(_write_csv(tmp_path / "m.csv", [["Name"], ["x"]])), "--out", str(tmp_path / "r.parquet"))
    assert nocol.returncode == 2 and nocol.stderr.count("\n") == 1 and "file paths" in nocol.stderr
    report = _cli("batch-report", str(tmp_path / "none.parquet"), "--out", str(tmp_path / "r.html"))
    assert report.returncode == 2 and report.stderr.count("\n") == 1


# --- crashes, hangs and memory exhaustion in a worker -----------------------------------------------------

def faulty_payload(data, name, jurisdiction=None, document_type="auto", ocr="auto", extractor="auto"):
    """The real analysis, except for documents named to crash, hang or eat memory (runs in the worker)."""
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("hang"):
        time.sleep(600)
    if name.startswith("bloat"):
        hog = b"x" * (1500 * 2**20)  # touched pages: resident, not just reserved
        time.sleep(600)
        del hog
    return analyze_payload(data, name, jurisdiction, document_type, ocr, extractor)


def test_crash_hang_and_memory_blowup_are_recorded_and_the_run_goes_on(tmp_path):
    reg = tmp_path / "reg"
    reg.mkdir()
    for name, seed in (("crash.pdf", 1), ("hang.pdf", 2), ("bloat.pdf", 3), ("ok_a.pdf", 4), ("ok_b.pdf", 5), ("ok_c.pdf", 6)):
        (reg / name).write_bytes(_good(seed))
    out = tmp_path / "r.parquet"
    summary = run_batch(reg, out, workers=2, timeout_s=5, max_worker_memory_mb=1200,
                        work="test_batch:faulty_payload")
    rows = _by_source(read_results(out))
    assert rows["crash.pdf"]["error_code"] == "worker_died" and "SIGSEGV" in rows["crash.pdf"]["error"]
    assert rows["hang.pdf"]["error_code"] == "task_timeout"
    assert rows["bloat.pdf"]["error_code"] == "resources_exhausted"
    assert all(rows[n]["status"] == "ok" for n in ("ok_a.pdf", "ok_b.pdf", "ok_c.pdf"))
    assert summary.replaced_workers == 3
    # a plain resume leaves failures alone (test_rerun_...); --retry-failed analyses them again
    retried = run_batch(reg, out, workers=1, resume=True, retry_failed=True)
    assert retried.analysed == 3 and retried.ok == 6
    assert len(read_journal(out.with_name("r.journal.jsonl"))) == 6


# --- a real Dask cluster --------------------------------------------------------------------------------

def test_dask_cluster_run_matches_the_local_run(local_run, registry, tmp_path):
    distributed = pytest.importorskip("distributed")
    _, local_out = local_run
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None, silence_logs=40) as cluster:
        out = tmp_path / "dask.parquet"
        summary = run_batch(registry, out, scheduler=cluster.scheduler_address)
    assert summary.analysed == 9 and summary.workers == 2
    local = _by_source(read_results(local_out))
    remote = _by_source(read_results(out))
    assert set(local) == set(remote)
    for source, row in local.items():
        other = remote[source]
        assert {k: v for k, v in row.items() if k not in RUN_COLUMNS} == \
               {k: v for k, v in other.items() if k not in RUN_COLUMNS}, source
    workers = {r["worker"] for r in remote.values() if r["worker"]}
    assert len(workers) >= 1
    scores = out.with_name("dask.scores.jsonl").read_text().splitlines()
    assert len(scores) == summary.ok - 1


def test_unreachable_scheduler_is_an_input_error(registry, tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr("disclosure_nlp.batch.DASK_CONNECT_TIMEOUT_S", 2.0)
    with pytest.raises(BatchError, match="cannot reach the Dask scheduler"):
        run_batch(registry, tmp_path / "r.parquet", scheduler="tcp://127.0.0.1:9")
