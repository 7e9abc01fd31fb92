from __future__ import annotations

import pytest

from disclosure_nlp.taxonomy import (
    AIMS_CRITERIA,
    SHARED_CRITERIA,
    TaxonomyError,
    load_taxonomy,
)


def test_aims_criteria_are_coverage_labels_with_definitions():
    tax = load_taxonomy()
    assert tax.label_ids("coverage")[: len(AIMS_CRITERIA)] == list(AIMS_CRITERIA)
    for lab in AIMS_CRITERIA:
        label = tax.label(lab)
        assert label.group == "coverage"
        assert len(label.definition) > 40 and label.name
    assert len(SHARED_CRITERIA) == 9
    assert "c1_reporting_entity" not in SHARED_CRITERIA and "c6_consultation" not in SHARED_CRITERIA


@pytest.mark.parametrize(
    "jurisdiction, citations",
    [
        ("uk", [f"s54(5)({x})" for x in "abcdef"] + ["s54(6)(a)"]),
        ("au", [f"s16(1)({x})" for x in "abcdefg"] + ["s16(2)"]),
        ("ca", [f"s11(3)({x})" for x in "abcdefg"]),
        ("us_ca", [f"1714.43(c)({x})" for x in "12345"]),
    ],
)
def test_crosswalk_covers_each_act(jurisdiction, citations):
    tax = load_taxonomy()
    j = tax.jurisdiction(jurisdiction)
    have = {r.citation for r in j.requirements}
    assert set(citations) <= have
    for r in j.requirements:
        assert r.text and r.match in ("any", "all", "optional")
        assert all(lab in tax for lab in r.labels)
        assert r.labels or r.match == "optional"


def test_uk_and_au_need_board_approval_and_signature():
    tax = load_taxonomy()
    for jid in ("uk", "au"):
        labels = {lab for r in tax.jurisdiction(jid).requirements for lab in r.labels}
        assert {"approval", "signature"} <= labels


def test_every_aims_criterion_maps_to_some_requirement():
    tax = load_taxonomy()
    for lab in AIMS_CRITERIA:
        assert tax.requirements_satisfied_by(lab), lab
    assert ("au", tax.jurisdiction("au").requirement("au_s16_1_f")) in tax.requirements_satisfied_by("c6_consultation")


def test_unknown_label_in_requirement_is_rejected(tmp_path):
    bad = tmp_path / "tax.yaml"
    bad.write_text(
        "labels:\n  - {id: a, name: A, group: coverage, definition: d}\n"
        "jurisdictions:\n  - id: x\n    name: X\n    act: Act\n    section: s1\n"
        "    requirements:\n      - {id: r1, citation: s1(a), text: t, labels: [b]}\n"
    )
    with pytest.raises(TaxonomyError, match="unknown labels"):
        load_taxonomy(bad)


def test_bad_group_and_duplicates_are_rejected(tmp_path):
    f = tmp_path / "tax.yaml"
    f.write_text("labels:\n  - {id: a, name: A, group: colour, definition: d}\n")
    with pytest.raises(TaxonomyError, match="unknown group"):
        load_taxonomy(f)
    f.write_text("labels:\n  - {id: a, name: A, group: coverage, definition: d}\n"
                 "  - {id: a, name: A, group: coverage, definition: d}\n")
    with pytest.raises(TaxonomyError, match="duplicate"):
        load_taxonomy(f)


def test_unknown_ids_raise_clear_errors():
    tax = load_taxonomy()
    with pytest.raises(KeyError, match="unknown label"):
        tax.label("nope")
    with pytest.raises(KeyError, match="unknown jurisdiction"):
        tax.jurisdiction("mars")
