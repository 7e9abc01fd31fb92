"""Extraction of generated PDFs: text, pages, offsets, headings, tables, headers and footers."""

from __future__ import annotations

import pytest

import disclosure_nlp
from disclosure_nlp.testing import pdfs

BLOCKS = [
    ("heading", "Our structure, operations and supply chains"),
    ("para", "Acme Pty Ltd. is a privately owned company with approx. 1,200 employees in Australia and New Zealand. "
             "It reports under s. 16 of the Modern Slavery Act 2018 (Cth) as reporting entity No. 5 of the group."),
    ("para", "Our suppliers provide cotton, packaging and logistics services from twelve countries."),
    ("heading", "Actions taken to assess and address risks"),
    ("bullets", [
        "We audited 14 tier-one factories in Bangladesh and Vietnam during the reporting period.",
        "All procurement staff completed modern slavery training.",
        "Supplier contracts now include a clause forbidding recruitment fees.",
    ]),
    ("pagebreak",),
    ("heading", "Effectiveness"),
    ("para", "We track the number of corrective actions closed within 90 days. In 2024, 87 per cent were closed on time."),
]


def texts(doc):
    return [s.text for s in doc.sentences]


def find(doc, fragment):
    matches = [s for s in doc.sentences if fragment in s.text]
    assert matches, f"no sentence contains {fragment!r}; sentences: {texts(doc)}"
    return matches[0]


def test_one_column_pages_offsets_and_headings():
    data = pdfs.render_pdf(BLOCKS, header="Acme Pty Ltd - Modern Slavery Statement 2024", page_numbers=True)
    doc = disclosure_nlp.read(data)
    assert len(doc.pages) == 2
    assert doc.info.source_type == "pdf" and doc.info.ocr_pages == [] and doc.info.empty_pages == []
    # offsets point into the document text, and sentences are in order with running indices
    for i, s in enumerate(doc.sentences):
        assert doc.text[s.start : s.end] == s.text
        assert s.index == i
    assert [s.start for s in doc.sentences] == sorted(s.start for s in doc.sentences)
    # abbreviations do not split sentences
    first = find(doc, "Acme Pty Ltd.")
    assert first.text.endswith("New Zealand.")
    assert "approx. 1,200" in first.text
    assert find(doc, "s. 16 of the Modern Slavery Act").text.endswith("No. 5 of the group.")
    assert first.heading == "Our structure, operations and supply chains"
    # bullets become sentences of their own, under their heading
    audit = find(doc, "We audited 14 tier-one factories")
    assert audit.text == "We audited 14 tier-one factories in Bangladesh and Vietnam during the reporting period."
    assert audit.heading == "Actions taken to assess and address risks"
    assert audit.page == 1
    eff = find(doc, "corrective actions closed")
    assert eff.page == 2 and eff.heading == "Effectiveness"
    # running header and page numbers are gone
    assert "Modern Slavery Statement 2024" not in doc.text
    assert "Page 1 of 2" not in doc.text and "Page 2" not in doc.text
    page2 = doc.pages[1]
    assert doc.text[page2.start : page2.end].startswith("Effectiveness")


def test_two_column_layout_keeps_reading_order():
    blocks = pdfs.sample_statement_blocks(seed=3, n_paragraphs=14)
    data = pdfs.render_pdf(blocks, layout="two_column")
    doc = disclosure_nlp.read(data)
    expected = [b[1] for b in blocks if b[0] == "para"]
    # every paragraph's first sentence appears, in the original order
    positions = []
    for para in expected:
        opening = para.split(". ")[0][:60]
        pos = doc.text.find(opening)
        assert pos >= 0, f"missing: {opening!r}"
        positions.append(pos)
    assert positions == sorted(positions)
    assert len(doc.pages) >= 2


def test_table_rows_become_their_own_sentences():
    blocks = [
        ("heading", "Our tier-one suppliers"),
        ("para", "The table lists the factories that made our uniforms in 2024."),
        ("table", [["Supplier", "Country", "Tier"], ["Alpha Textiles Ltd", "Bangladesh", "1"], ["Lotus Garments", "Viet Nam", "1"]]),
        ("para", "All three factories were audited in the period."),
    ]
    doc = disclosure_nlp.read(pdfs.render_pdf(blocks))
    rows = [s.text for s in doc.sentences if "|" in s.text]
    assert rows == ["Supplier | Country | Tier", "Alpha Textiles Ltd | Bangladesh | 1", "Lotus Garments | Viet Nam | 1"]
    assert doc.info.extractor == "pypdfium2+tables"
    assert find(doc, "All three factories").heading == "Our tier-one suppliers"
    # pdfplumber's own table finder reads the same rows
    plumber = disclosure_nlp.read(pdfs.render_pdf(blocks), extractor="pdfplumber")
    assert [s.text for s in plumber.sentences if "|" in s.text] == rows


def test_pdfplumber_extractor_is_selectable():
    data = pdfs.render_pdf(BLOCKS)
    a = disclosure_nlp.read(data, extractor="pypdfium2")
    b = disclosure_nlp.read(data, extractor="pdfplumber")
    assert a.info.extractor == "pypdfium2" and b.info.extractor == "pdfplumber"
    assert texts(a) == texts(b)


def test_hyphenation_ligatures_and_odd_whitespace_in_text_input():
    raw = (
        "Risk assessment\n\nWe assessed the manu-\nfacturing sites of our co-\noperative partners.\u00a0The ﬁnal "
        "report\u2009was approved.\n"
    )
    doc = disclosure_nlp.read(raw)
    assert texts(doc) == [
        "Risk assessment",
        "We assessed the manufacturing sites of our co-operative partners.",
        "The final report was approved.",
    ]
    assert doc.sentences[1].heading == "Risk assessment"


def test_numbered_lists_and_headings_without_full_stops():
    raw = "1. Introduction\nThis statement covers FY2024.\n2. Our actions\n(a) we trained 300 staff;\n(b) we audited 12 suppliers.\n"
    doc = disclosure_nlp.read(raw)
    assert texts(doc) == [
        "1. Introduction",
        "This statement covers FY2024.",
        "2. Our actions",
        "we trained 300 staff;",
        "we audited 12 suppliers.",
    ]
    assert doc.sentences[4].heading == "2. Our actions"


def test_context_window_stays_inside_the_document():
    doc = disclosure_nlp.read(pdfs.render_pdf(BLOCKS))
    left, right = doc.context(0, words=5)
    assert left == ""
    assert len(right.split()) == 5
    last = len(doc.sentences) - 1
    left, right = doc.context(last, words=1000)
    assert right == ""
    assert left.split()[-1] == doc.text[: doc.sentences[last].start].split()[-1]


def test_text_page_breaks_with_form_feeds():
    doc = disclosure_nlp.read("First page sentence here.\fSecond page sentence here.")
    assert [(s.page, s.text) for s in doc.sentences] == [(1, "First page sentence here."), (2, "Second page sentence here.")]


def test_paragraph_continues_across_a_page_break():
    import random

    rng = random.Random(7)
    places = ["Dhaka", "Ho Chi Minh City", "Shenzhen", "Chennai", "Istanbul", "Lima", "Nairobi", "Manila"]
    goods = ["cotton yarn", "cardboard packaging", "solar panels", "seafood", "uniforms", "laptops", "palm oil"]
    verbs = ["reviewed", "visited", "assessed", "surveyed", "audited"]
    sentences = [
        f"In {2000 + i} our team {rng.choice(verbs)} {rng.randint(2, 90)} suppliers of {rng.choice(goods)} near {rng.choice(places)}."
        for i in range(160)
    ]
    doc = disclosure_nlp.read(pdfs.render_pdf([("para", " ".join(sentences))], page_numbers=True))
    assert len(doc.pages) >= 2
    assert texts(doc) == sentences
    assert doc.sentences[0].page == 1 and doc.sentences[-1].page == len(doc.pages)
    pages = [s.page for s in doc.sentences]
    assert pages == sorted(pages) and len(set(pages)) == len(doc.pages)


@pytest.mark.parametrize("splitter", ["rules", "spacy-rules", "sentencizer"])
def test_splitters_are_selectable(splitter):
    doc = disclosure_nlp.read("We act. We report.", splitter=splitter)
    assert texts(doc) == ["We act.", "We report."]


def test_rules_fast_path_matches_the_spacy_component():
    from disclosure_nlp.segment import split_sentences
    from disclosure_nlp.testing.pdfs import sample_statement_blocks

    texts = []
    for seed in range(6):
        texts += [b[1] for b in sample_statement_blocks(seed=seed) if b[0] == "para"]
    texts += ["Acme Pty Ltd. ABN 12 345. Acme Ltd. The firm. See No. 5. Then etc. Nonetheless we act.", "", "One"]

    def stripped(spans, text):
        return [text[a:b].strip() for a, b in spans if text[a:b].strip()]

    fast = split_sentences(texts, "rules")
    spacy_rules = split_sentences(texts, "spacy-rules")
    assert [stripped(f, t) for f, t in zip(fast, texts)] == [stripped(s, t) for s, t in zip(spacy_rules, texts)]
    assert stripped(fast[-3], texts[-3]) == [
        "Acme Pty Ltd. ABN 12 345.", "Acme Ltd.", "The firm.", "See No. 5.", "Then etc.", "Nonetheless we act."
    ]
