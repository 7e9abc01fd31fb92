"""Entities and high-risk matching on the bundled example and on hand-written sentences."""

from __future__ import annotations

from pathlib import Path

import disclosure_nlp
from disclosure_nlp.entities import document_entities, high_risk_goods

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "example-statement.pdf"


def test_example_statement_entities_with_evidence():
    doc = disclosure_nlp.read(EXAMPLE)
    report = document_entities(doc)
    codes = {c.value for c in report.countries}
    assert {"AU", "NZ", "TH", "VN", "MY", "CN"} <= codes
    malaysia = next(c for c in report.countries if c.value == "MY")
    assert malaysia.extra["alpha3"] == "MYS"
    assert all("Malaysia" in doc.sentences[i].text or "Malaysian" in doc.sentences[i].text for i in malaysia.sentences)
    assert {"fishing", "manufacturing", "agriculture"} <= {s.value for s in report.sectors}
    assert [(w.extra["number"], w.extra["unit"]) for w in report.worker_counts][:1] == [(1450.0, "people")]
    assert [a.extra["number"] for a in report.audit_counts] == [38.0]
    assert "Southern Harvest Foods Pty Ltd." in {o.value for o in report.organisations}
    pairs = {(m.good, m.country, m.forced_labour) for m in report.high_risk_matches}
    assert ("fish", "TH", True) in pairs and ("rubber gloves", "MY", True) in pairs
    # a table row pairs only its own cells: seafood is not matched with the next row's China
    assert ("fish", "CN", True) not in pairs


def test_high_risk_pairs_from_prose_and_neighbouring_sentence():
    doc = disclosure_nlp.read(
        "We buy cotton yarn from spinning mills. The mills are in Turkmenistan and Türkiye.\n\n"
        "Our cocoa comes from cooperatives in Côte d'Ivoire. Our coffee is roasted in Italy."
    )
    report = document_entities(doc)
    pairs = {(m.good, m.country, m.child_labour, m.forced_labour) for m in report.high_risk_matches}
    assert ("cotton", "TM", False, True) in pairs
    assert ("cotton", "TR", True, False) in pairs
    assert ("cocoa", "CI", True, True) in pairs
    assert not any(m.country == "IT" for m in report.high_risk_matches)


def test_reference_table_is_well_formed():
    table = high_risk_goods()
    assert len(table) > 150
    assert table[("polysilicon", "CN")] == (False, True)
    assert all(len(code) == 2 and code.isupper() for _, code in table)
    assert all(child or forced for child, forced in table.values())
