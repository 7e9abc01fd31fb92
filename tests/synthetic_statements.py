"""Small generated modern-slavery-statement sentences with criteria labels, for fast tests.

Not real data and not a benchmark: just enough signal for a classifier to learn something, so
the test suite runs where ../shared/data/aims is absent.
"""

from __future__ import annotations

import random
from pathlib import Path

from disclosure_nlp.corpus import AnnotatedSentence

COMPANIES = ["Acme Foods", "Borealis Mining", "Cedar Apparel", "Delta Logistics", "Evergreen Retail",
             "Fjord Energy", "Granite Construction", "Harbour Textiles", "Ionic Electronics",
             "Juniper Health", "Kestrel Farms", "Lumen Software"]
PEOPLE = ["Jane Smith", "Ravi Patel", "Marie Dubois", "Tom Nguyen", "Ana Costa", "Lee Wong"]
COUNTRIES = ["China", "Malaysia", "India", "Brazil", "Vietnam", "Turkey", "Bangladesh"]
GOODS = ["cotton", "electronics components", "palm oil", "seafood", "solar panels", "uniforms"]

TEMPLATES: dict[str, list[str]] = {
    "approval": ["This statement was approved by the Board of Directors of {c} on {d}",
                 "The Board of {c} approved this modern slavery statement at its meeting on {d}"],
    "signature": ["Signed by {p}, Director of {c}", "{p}, Chief Executive Officer and Director, signed this statement"],
    "c1_reporting_entity": ["This statement is made by {c} Pty Ltd (ABN 12 345 678 901) for the year ended {d}",
                            "The reporting entity is {c} Limited and its wholly owned subsidiaries"],
    "c2_structure": ["{c} is a private company with {n} employees and its head office in Sydney",
                     "The {c} group consists of {n} subsidiaries owned by {c} Holdings"],
    "c2_operations": ["{c} operates {n} stores and two distribution centres across Australia",
                      "Our operations include manufacturing sites in {k} and offices in Toronto"],
    "c2_supply_chains": ["We purchase {g} from around {n} direct suppliers located mainly in {k}",
                         "Our supply chain includes tier one suppliers of {g} in {k}"],
    "c3_risk_description": ["The production of {g} in {k} carries a high risk of forced labour",
                            "Migrant workers in our {g} supply chain in {k} may be exposed to debt bondage"],
    "c4_risk_mitigation": ["All suppliers of {g} must sign our Supplier Code of Conduct prohibiting forced labour",
                           "We conducted {n} social audits of {g} suppliers in {k} and trained our buyers"],
    "c4_remediation": ["Where forced labour is found we work with the supplier on a corrective action plan and support affected workers",
                       "We repaid recruitment fees of {n} workers identified at a {g} supplier in {k}"],
    "c5_effectiveness": ["We track the number of audits completed and corrective actions closed as key performance indicators",
                         "The effectiveness of our actions is reviewed annually by the risk committee against {n} indicators"],
    "c6_consultation": ["We consulted each of our {n} controlled entities in preparing this statement",
                        "The subsidiaries of {c} were consulted through their managing directors when drafting this statement"],
    "": ["Thank you for reading this report", "Modern Slavery Statement {d}", "Our values guide everything we do",
         "For more information visit our website", "Table of contents"],
}


def make_corpus(n_docs: int = 12, seed: int = 0, labels: list[str] | None = None) -> list[AnnotatedSentence]:
    rng = random.Random(seed)
    keys = [k for k in TEMPLATES if k and (labels is None or k in labels)]
    records = []
    for d in range(n_docs):
        company = COMPANIES[d % len(COMPANIES)]
        sents: list[tuple[str, list[str]]] = []
        for key in rng.sample(keys, len(keys)) + ["", ""]:
            tpl = rng.choice(TEMPLATES[key])
            text = tpl.format(c=company, p=rng.choice(PEOPLE), k=rng.choice(COUNTRIES),
                              g=rng.choice(GOODS), n=rng.randint(2, 900),
                              d=f"{rng.randint(1, 28)} May 202{rng.randint(0, 4)}")
            sents.append((text, [key] if key else []))
        records.extend(
            AnnotatedSentence(doc_id=f"SYN-{d:02d}", index=i, text=t, labels=lab, source="synthetic")
            for i, (t, lab) in enumerate(sents)
        )
    return records


AIMS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "aims"
