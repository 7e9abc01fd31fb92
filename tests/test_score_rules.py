"""The scoring rules (score.py) on real documents with predictions set by hand.

These pin the rules themselves — verdicts, approval/signature checks, the prohibition guard, the risk
formula — independently of any model; tests/test_analysis.py runs the shipped models end to end.
"""

from __future__ import annotations

import json

import pytest

import disclosure_nlp
from disclosure_nlp.corpus import Context
from disclosure_nlp.pipeline import Analyzer
from disclosure_nlp.prediction import Prediction
from disclosure_nlp.schema import DocumentScore
from disclosure_nlp.score import RISK_WEIGHTS, detect_document_type, detect_jurisdiction, guard_prohibition
from disclosure_nlp.testing import pdfs


class KeywordAnnotator:
    """Labels a sentence when it contains a given phrase (so each test controls the predictions)."""

    name = "keywords"
    version = "test"
    context_words = 0

    def __init__(self, coverage: dict[str, str], flags: dict[str, tuple[str, str]] | None = None, status: dict[str, str] | None = None):
        self.coverage = coverage  # phrase -> label
        self.flags = flags or {}  # phrase -> (indicator, status)
        self.status = status or {}  # phrase -> evidence status
        self.coverage_labels = sorted(set(coverage.values()) | {"approval", "signature", "c1_reporting_entity",
                                                                 "c2_structure", "c2_operations", "c2_supply_chains",
                                                                 "c3_risk_description", "c4_risk_mitigation",
                                                                 "c4_remediation", "c5_effectiveness", "c6_consultation"})

    def annotate(self, texts: list[str], contexts: list[Context], preds: list[Prediction]) -> None:
        for text, pred in zip(texts, preds):
            for label in self.coverage_labels:
                pred.probabilities[label] = 0.05
            for phrase, label in self.coverage.items():
                if phrase in text:
                    pred.probabilities[label] = 0.9
                    pred.labels.add(label)
            for phrase, status in self.status.items():
                if phrase in text:
                    pred.evidence_status = status
            for phrase, (indicator, status) in self.flags.items():
                if phrase in text:
                    pred.red_flags[indicator] = (status, 0.95)


STATEMENT = [
    ("heading", "Modern Slavery Statement 2024"),
    ("para", "This statement is made by Harbour Metals Ltd under section 54 of the Modern Slavery Act 2015."),
    ("para", "Harbour Metals Ltd is a UK company with 300 employees and two smelters."),
    ("pagebreak",),
    ("heading", "Due diligence"),
    ("para", "We audited 12 suppliers of cobalt in the Democratic Republic of the Congo during 2024."),
    ("para", "We will introduce supplier training next year."),
    ("heading", "Approval"),
    ("para", "This statement was considered by the executive committee on 1 May 2024."),
]


def analyze(blocks, annotator, **kwargs) -> DocumentScore:
    analyzer = Analyzer(annotators=[annotator])
    return analyzer.analyze(pdfs.render_pdf(blocks), **kwargs)


def test_uk_verdicts_partial_and_missing_with_evidence_pages():
    annotator = KeywordAnnotator(
        {"UK company": "c2_structure", "audited 12 suppliers": "c4_risk_mitigation",
         "supplier training": "c4_risk_mitigation", "considered by the executive": "approval"},
        status={"audited 12": "implemented", "will introduce": "commitment"},
    )
    score = analyze(STATEMENT, annotator)
    assert score.document.jurisdiction == "uk" and score.document.jurisdiction_source == "detected"
    assert score.document.jurisdiction_evidence[0].page == 1
    verdicts = {v.requirement: v for v in score.jurisdictions}
    assert verdicts["uk_s54_5_a"].verdict == "partial"  # structure only; no operations or supply chains
    assert "c2_operations" in verdicts["uk_s54_5_a"].reason
    assert verdicts["uk_s54_5_e"].verdict == "missing"
    due = verdicts["uk_s54_5_c"]
    assert due.verdict == "met" and due.evidence[0].page == 2
    assert due.evidence[0].text.startswith("We audited 12 suppliers of cobalt")
    # approval by an executive committee is not approval by the board
    approval = verdicts["uk_s54_6_approval"]
    assert approval.verdict == "partial" and "governing body" in approval.reason
    assert verdicts["uk_s54_6_signature"].verdict == "missing"
    # evidence quality counts the commitment
    assert score.evidence_quality.commitment == pytest.approx(1 / 2)
    # entities: cobalt from the DRC is a listed child-labour pair
    match = score.entities.high_risk_matches[0]
    assert (match.good, match.country, match.child_labour) == ("cobalt", "CD", True)
    assert match.evidence.page == 2


def test_jurisdiction_override_and_unknown_jurisdiction():
    annotator = KeywordAnnotator({"UK company": "c2_structure"})
    score = analyze(STATEMENT, annotator, jurisdiction="au")
    assert score.document.jurisdiction == "au" and score.document.jurisdiction_source == "given"
    assert {v.jurisdiction for v in score.jurisdictions} == {"au"}
    with pytest.raises(KeyError, match="unknown jurisdiction"):
        analyze(STATEMENT, annotator, jurisdiction="mars")
    california = analyze(STATEMENT, annotator, jurisdiction="california")
    assert california.document.jurisdiction == "us_ca"
    assert {v.citation for v in california.jurisdictions} and all(v.jurisdiction == "us_ca" for v in california.jurisdictions)


AUDIT = [
    ("heading", "Social Compliance Audit Report"),
    ("para", "Audit type: SMETA 4-pillar. Auditor: independent audit firm. Site: Lotus Garments, Dhaka, Bangladesh."),
    ("heading", "Findings"),
    ("para", "Non-compliance 1: the auditor observed that 12 of 40 workers' passports were held by the dormitory manager."),
    ("para", "Observation: the site's code of conduct prohibits child labour."),
    ("pagebreak",),
    ("heading", "Corrective action plan"),
    ("para", "The factory must return all passports to workers within 7 days; the auditor will verify in a follow-up audit."),
]


def test_audit_report_red_flags_and_the_prohibition_guard():
    annotator = KeywordAnnotator(
        {}, flags={"passports were held": ("retention_of_identity_documents", "observed"),
                   # a model mistake the guard must catch: a prohibition labelled observed
                   "prohibits child labour": ("child_labour", "observed")},
    )
    score = analyze(AUDIT, annotator)
    assert score.document.document_type == "audit_report"
    assert score.jurisdictions == []  # audit reports answer no act
    flags = {f.indicator: f for f in score.red_flags}
    passport = flags["retention_of_identity_documents"]
    assert passport.status == "observed" and passport.severity == "high"
    assert passport.evidence[0].page == 1 and "12 of 40 workers" in passport.evidence[0].text
    assert flags["child_labour"].status == "prohibited" and flags["child_labour"].severity == "none"
    # audit reports are scored on findings and exposure only
    comps = {c.name: c for c in score.risk.components}
    assert comps["coverage_gaps"].weight == 0 and "not scored for audit reports" in comps["coverage_gaps"].explanation
    assert comps["observed_red_flags"].value == 0.5 and comps["observed_red_flags"].points == 35.0
    # an observed high-severity flag sets the band to high, and says so
    assert score.risk.band == "high" and score.risk.overrides == ["an observed high-severity red flag sets the band to high"]


def test_prohibition_guard_rules():
    assert guard_prohibition("Our code prohibits the retention of passports.", "observed") == "prohibited"
    assert guard_prohibition("Suppliers must not charge recruitment fees.", "observed") == "prohibited"
    assert guard_prohibition("Despite a policy that prohibits it, auditors found passports held by managers.", "observed") == "observed"
    assert guard_prohibition("No evidence of passport retention was found.", "observed") == "none_found"
    assert guard_prohibition("Workers' passports were held by the employer.", "observed") == "observed"


def test_risk_formula_is_the_documented_weighted_sum():
    annotator = KeywordAnnotator({"UK company": "c2_structure"})
    score = analyze(STATEMENT, annotator)
    comps = {c.name: c for c in score.risk.components}
    assert set(comps) == set(RISK_WEIGHTS)
    assert sum(c.weight for c in comps.values()) == pytest.approx(1.0)
    for c in comps.values():
        assert c.points == pytest.approx(100 * c.value * c.weight, abs=0.01)
    assert score.risk.score == pytest.approx(sum(c.points for c in comps.values()), abs=0.1)
    assert score.risk.band == ("low" if score.risk.score < 35 else "medium" if score.risk.score < 65 else "high")


def test_document_score_schema_round_trips_and_rejects_unknown_fields():
    score = analyze(STATEMENT, KeywordAnnotator({"UK company": "c2_structure"}))
    data = json.loads(score.model_dump_json())
    again = DocumentScore.model_validate(data)
    assert again == score
    data["unexpected"] = 1
    with pytest.raises(Exception):
        DocumentScore.model_validate(data)
    schema = DocumentScore.model_json_schema()
    for key in ("document", "criteria", "jurisdictions", "red_flags", "entities", "risk", "model", "specificity"):
        assert key in schema["properties"]


def test_detectors_on_plain_text():
    ca = disclosure_nlp.read("This report is filed under the Fighting Against Forced Labour and Child Labour in Supply Chains Act. We act.")
    assert detect_jurisdiction(ca)[0] == "ca"
    cal = disclosure_nlp.read("This disclosure is made under the California Transparency in Supply Chains Act of 2010. We act.")
    assert detect_jurisdiction(cal)[0] == "us_ca"
    none = disclosure_nlp.read("We make bread. We sell it.")
    assert detect_jurisdiction(none) == (None, [])
    assert detect_document_type(none) == "statement"


def test_a_requirement_backed_only_by_promises_is_partial_but_description_counts():
    blocks = [
        ("para", "This statement is made under section 54 of the Modern Slavery Act 2015."),
        ("para", "We will introduce supplier training next year."),
        ("para", "Harbour Metals Ltd is a UK company with 300 employees."),
        ("para", "We aim to consider a review of our supply chains in due course."),
    ]
    only_promises = analyze(blocks, KeywordAnnotator({"supplier training": "c4_risk_mitigation"},
                                                     status={"will introduce": "commitment"}))
    verdicts = {v.requirement: v for v in only_promises.jurisdictions}
    assert verdicts["uk_s54_5_f"].verdict == "partial" and "commitment" in verdicts["uk_s54_5_f"].reason
    mixed = analyze(blocks + [("para", "We trained 40 buyers on forced labour risks.")],
                    KeywordAnnotator({"supplier training": "c4_risk_mitigation", "trained 40 buyers": "c4_risk_mitigation"},
                                     status={"will introduce": "commitment"}))
    # the promise sits next to a plain report of what was done: that carries the requirement
    assert {v.requirement: v for v in mixed.jurisdictions}["uk_s54_5_f"].verdict == "met"
