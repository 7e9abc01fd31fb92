"""End to end with the shipped models: generated PDFs with known content -> DocumentScore.

Asserts verdicts, statuses and evidence pages, not just that JSON came out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from disclosure_nlp.pipeline import Analyzer
from disclosure_nlp.testing import pdfs


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


# Covers approval, signature, structure and operations; says nothing of supply chains, risks,
# actions, remediation, effectiveness or consultation.
NARROW_STATEMENT = [
    ("heading", "Modern Slavery Statement"),
    ("para", "This statement is published by Kestrel Engineering Limited under section 54 of the Modern Slavery Act 2015 for the year ended 31 December 2024."),
    ("heading", "About us"),
    ("para", "Kestrel Engineering Limited is a private limited company registered in England with 420 employees."),
    ("para", "We design and install ventilation systems for hospitals and schools across the United Kingdom."),
    ("pagebreak",),
    ("heading", "Approval"),
    ("para", "This statement was approved by the Board of Directors of Kestrel Engineering Limited on 14 March 2025."),
    ("para", "Signed by Daniel Okafor, Director, on behalf of the Board."),
]


def test_statement_covering_only_some_criteria(analyzer):
    score = analyzer.analyze(pdfs.render_pdf(NARROW_STATEMENT), name="kestrel.pdf")
    assert score.document.jurisdiction == "uk" and score.document.document_type == "statement"
    covered = {c.label for c in score.criteria if c.covered}
    assert {"approval", "signature", "c2_structure", "c2_operations"} <= covered
    assert not covered & {"c3_risk_description", "c4_remediation", "c5_effectiveness", "c6_consultation"}
    verdicts = {v.requirement: v for v in score.jurisdictions}
    approval = verdicts["uk_s54_6_approval"]
    assert approval.verdict == "met"
    assert approval.evidence[0].page == 2 and "approved by the Board" in approval.evidence[0].text
    assert verdicts["uk_s54_6_signature"].verdict == "met"
    assert verdicts["uk_s54_5_e"].verdict == "missing"  # effectiveness
    assert verdicts["uk_s54_5_d"].verdict == "missing"  # risks
    assert score.risk.components[0].name == "coverage_gaps" and score.risk.components[0].value > 0.3
    assert score.red_flags == [] or all(f.status != "observed" for f in score.red_flags)


AUDIT_REPORT = [
    ("heading", "Social Compliance Audit Report"),
    ("para", "Audit standard: SMETA 4-pillar. Site: Lotus Garments Ltd, Gazipur, Bangladesh. Audit date: 12 March 2025."),
    ("para", "The audit team conducted worker interviews, a site tour and a document review."),
    ("heading", "Findings"),
    ("para", "Non-compliance: the auditor observed that 12 of 40 migrant workers' passports were held by the dormitory manager and were not returned on request."),
    ("pagebreak",),
    ("heading", "Policies reviewed"),
    ("para", "The factory's code of conduct prohibits the employment of children under 15 years of age."),
    ("heading", "Corrective action plan"),
    ("para", "The factory must return all passports to the workers within 7 days and provide lockable storage."),
]


def test_audit_report_passport_finding_observed_and_child_labour_policy_prohibited(analyzer):
    score = analyzer.analyze(pdfs.render_pdf(AUDIT_REPORT), name="lotus-audit.pdf")
    assert score.document.document_type == "audit_report"
    flags = {f.indicator: f for f in score.red_flags}
    passport = flags["retention_of_identity_documents"]
    assert passport.status == "observed" and passport.severity == "high"
    assert passport.evidence[0].page == 1 and "passports were held" in passport.evidence[0].text
    assert "child_labour" in flags and flags["child_labour"].status == "prohibited"
    assert flags["child_labour"].evidence[0].page == 2
    assert all(f.status != "observed" or f.indicator != "child_labour" for f in score.red_flags)
    assert score.risk.band == "high"
    assert ("garments", "BD") in {(m.good, m.country) for m in score.entities.high_risk_matches}


def test_same_analyzer_is_reusable_and_deterministic(analyzer):
    data = pdfs.render_pdf(NARROW_STATEMENT)
    a = analyzer.analyze(data)
    b = analyzer.analyze(data)
    assert a.model_dump(exclude={"created_at"}) == b.model_dump(exclude={"created_at"})
    assert a.model.sha == analyzer.model_info.sha and len(a.model.sha) == 16


def test_analyze_cli_three_formats(tmp_path):
    pdf = tmp_path / "audit.pdf"
    pdf.write_bytes(pdfs.render_pdf(AUDIT_REPORT))
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    run = lambda *args: subprocess.run([sys.executable, "-m", "disclosure_nlp.cli", "analyze", str(pdf), *args],
                                       capture_output=True, text=True, timeout=600, env=env)
    done = run("--format", "json", "--out", str(tmp_path / "s.json"))
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "s.json").read_text())
    assert data["document"]["document_type"] == "audit_report"
    done = run("--format", "html", "--out", str(tmp_path / "r.html"))
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "r.html").read_text()
    assert "<svg" in html and "passports were held" in html and "p. 1" in html and "<script" not in html
    done = run()  # rich table on stdout
    assert done.returncode == 0 and "Red flags" in done.stdout and "retention_of_identity_documents" in done.stdout
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    done = subprocess.run([sys.executable, "-m", "disclosure_nlp.cli", "analyze", str(bad)], capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 2 and done.stderr.startswith("error: bad.pdf:")


def test_compare_two_statements(tmp_path, analyzer):
    from disclosure_nlp.compare import compare_scores

    old = analyzer.analyze(pdfs.render_pdf(NARROW_STATEMENT))
    richer = NARROW_STATEMENT[:5] + [
        ("heading", "Risks and actions"),
        ("para", "Our highest risk is cotton workwear made in Turkmenistan, where state-imposed forced labour has been reported."),
        ("para", "In 2025 we audited all 14 workwear suppliers and terminated one that refused an audit."),
    ] + NARROW_STATEMENT[5:]
    new = analyzer.analyze(pdfs.render_pdf(richer))
    diff = compare_scores(old, new)
    assert "c3_risk_description" in diff.criteria_gained
    assert diff.criteria_lost == []
    assert any(v["citation"] == "s54(5)(d)" and v["old"] == "missing" for v in diff.verdicts_changed)
