"""Sentence predictions -> DocumentScore: coverage, jurisdiction verdicts, red flags, risk.

Every rule here is deliberately simple and written down (README "How the scores work"), so a
reviewer can check a number against the quoted sentences that produced it.
"""

from __future__ import annotations

import re
from collections import Counter

from .document import Document
from .classify.flag_rules import guard_status
from .entities import EntityReport, countries
from .prediction import Prediction
from .schema import (
    CriterionScore,
    DocumentInfo,
    DocumentScore,
    Entities,
    EntityMention,
    Evidence,
    EvidenceQuality,
    HighRiskMatch,
    ModelInfo,
    RedFlag,
    RequirementVerdict,
    Risk,
    RiskComponent,
    Specificity,
)
from .taxonomy import Taxonomy

MAX_EVIDENCE = 5
AIMS_CRITERIA = (
    "approval", "signature", "c1_reporting_entity", "c2_structure", "c2_operations", "c2_supply_chains",
    "c3_risk_description", "c4_risk_mitigation", "c4_remediation", "c5_effectiveness", "c6_consultation",
)
HIGH_RISK_REFERENCE = (
    "disclosure-nlp high-risk goods: subset of the U.S. Department of Labor List of Goods Produced by "
    "Child Labor or Forced Labor (2024 edition), compiled 2026-11-29; high-risk sectors after the ILO"
)

# --- document type and jurisdiction ---------------------------------------------------------------

_AUDIT_CUES = re.compile(
    r"\b(audit report|social audit|auditors?|non-?conformit(?:y|ies)|non-?compliance|corrective action plan|"
    r"CAPA?|SMETA|amfori|BSCI|SA8000|RBA|VAP|findings?|observations?|audit (?:date|scope|methodology)|"
    r"worker interviews?|site tour|opening meeting|closing meeting)\b",
    re.IGNORECASE,
)
_STATEMENT_CUES = re.compile(
    r"\b(modern slavery statement|this statement|our statement|transparency statement|slavery and human "
    r"trafficking statement|annual report under|reporting entity|Modern Slavery Act|Supply Chains Act|"
    r"section 54|s\.? ?54|section 16|s\.? ?16|section 11)\b",
    re.IGNORECASE,
)
JURISDICTION_CUES: dict[str, re.Pattern] = {
    "uk": re.compile(r"Modern Slavery Act 2015|\bs(?:ection|\.)? ?54\b|\(UK\)|United Kingdom'?s? Modern Slavery Act", re.I),
    "au": re.compile(r"Modern Slavery Act 2018(?:\s*\(Cth\)|\s*\(Commonwealth\))?|\(Cth\)|Commonwealth Modern Slavery Act|\bs(?:ection|\.)? ?16\(1\)|Australian Border Force", re.I),
    "ca": re.compile(r"Fighting Against Forced Labour and Child Labour in Supply Chains Act|Bill S-211|\bS-211\b|(?<!Transparency in )Supply Chains Act|\bs(?:ection|\.)? ?11\(3\)", re.I),
    "us_ca": re.compile(r"California Transparency in Supply Chains Act|\bSB ?657\b|1714\.43|California Civil Code", re.I),
}


# Names users type for a jurisdiction -> its taxonomy id.
JURISDICTION_ALIASES = {"california": "us_ca", "us-ca": "us_ca", "gb": "uk", "aus": "au", "can": "ca"}


def normalise_jurisdiction(value: str) -> str:
    value = value.strip().lower()
    return JURISDICTION_ALIASES.get(value, value)


def detect_document_type(doc: Document) -> str:
    """statement | audit_report, from how often each kind's vocabulary appears."""
    text = doc.text[:200_000]
    audit = len(_AUDIT_CUES.findall(text))
    statement = len(_STATEMENT_CUES.findall(text))
    return "audit_report" if audit > 2 * statement + 2 else "statement"


def detect_jurisdiction(doc: Document) -> tuple[str | None, list[int]]:
    """The act the document cites most (ties go to the first cited), with the citing sentences."""
    hits: dict[str, list[int]] = {}
    for s in doc.sentences:
        for jid, rx in JURISDICTION_CUES.items():
            if rx.search(s.text):
                hits.setdefault(jid, []).append(s.index)
    if not hits:
        return None, []
    best = max(hits, key=lambda j: (len(hits[j]), -hits[j][0]))
    return best, hits[best]


# --- helpers ---------------------------------------------------------------------------------------


def _evidence(doc: Document, index: int, probability: float, status: str | None = None) -> Evidence:
    s = doc.sentences[index]
    return Evidence(
        sentence=index, text=s.text, page=s.page, heading=s.heading,
        probability=round(float(min(1.0, max(0.0, probability))), 4),
        status=status if status in ("implemented", "commitment", "negative", "vague") else None,
    )


# --- criteria ----------------------------------------------------------------------------------------

_STATUS_RANK = {"implemented": 0, None: 1, "vague": 2, "commitment": 2, "negative": 3}


def score_criteria(doc: Document, preds: list[Prediction], taxonomy: Taxonomy, labels: list[str]) -> list[CriterionScore]:
    out: list[CriterionScore] = []
    for label in labels:
        # best first: probability, then implemented before promised or vague, then reading order
        scored = sorted(
            ((p.probabilities.get(label, 0.0), i) for i, p in enumerate(preds) if label in p.probabilities),
            key=lambda item: (-item[0], _STATUS_RANK.get(preds[item[1]].evidence_status, 1), item[1]),
        )
        hits = [(prob, i) for prob, i in scored if label in preds[i].labels]
        best = scored[0][0] if scored else 0.0
        covered = bool(hits)
        lab = taxonomy.label(label) if label in taxonomy else None
        out.append(
            CriterionScore(
                label=label,
                name=lab.name if lab else label,
                group="aims" if label in AIMS_CRITERIA else "due_diligence",
                covered=covered,
                confidence=round(best if covered else 1.0 - best, 4),
                evidence=[_evidence(doc, i, prob, preds[i].evidence_status) for prob, i in hits[:MAX_EVIDENCE]],
            )
        )
    return out


# --- jurisdictions -----------------------------------------------------------------------------------

_GOVERNING_BODY = re.compile(
    r"\b(board|directors|governing body|trustees|council|partners|members of the LLP|supervisory board)\b", re.I
)
_NOT_GOVERNING = re.compile(r"\b(executive committee|management committee|leadership team|considered by|reviewed by|noted by)\b", re.I)
_RESPONSIBLE_MEMBER = re.compile(
    r"\b(director|chair(?:man|woman|person)?|chief executive|CEO|managing director|president|trustee|partner|"
    r"responsible member|designated member)\b", re.I
)
_SIGNED = re.compile(r"\b(signed|signature|sign-off|/s/)\b", re.I)


def _approval_check(text: str) -> tuple[bool, str]:
    if _GOVERNING_BODY.search(text) and not _NOT_GOVERNING.search(text):
        return True, "approved by the governing body"
    return False, "approval found, but not clearly by the board/principal governing body"


def _signature_check(text: str) -> tuple[bool, str]:
    if _RESPONSIBLE_MEMBER.search(text) or (_SIGNED.search(text) and re.search(r"[A-Z][a-z]+ [A-Z][a-z]+", text)):
        return True, "signed by a responsible member"
    return False, "a signature is mentioned, but not by a named director or responsible member"


_SPECIAL_CHECKS = {"approval": _approval_check, "signature": _signature_check}


def score_jurisdictions(
    doc: Document, criteria: list[CriterionScore], taxonomy: Taxonomy, jurisdictions: list[str]
) -> list[RequirementVerdict]:
    by_label = {c.label: c for c in criteria}
    out: list[RequirementVerdict] = []
    for jid in jurisdictions:
        j = taxonomy.jurisdiction(jid)
        for req in j.requirements:
            if req.match == "optional" or not req.labels:
                continue
            known = [l for l in req.labels if l in by_label]
            covered = [l for l in known if by_label[l].covered]
            evidence = [e for l in covered for e in by_label[l].evidence[:2]]
            if not covered:
                verdict, reason = "missing", "no sentence found for " + ", ".join(req.labels)
            elif req.match == "all" and len(covered) < len(req.labels):
                lacking = [l for l in req.labels if l not in covered]
                verdict, reason = "partial", "covers " + ", ".join(covered) + "; nothing found for " + ", ".join(lacking)
            else:
                verdict, reason = "met", "covered by " + ", ".join(covered)
                # weak only when every evidence sentence is a promise, boilerplate or a denial;
                # a plain description (no status) or an implemented measure counts as reported
                statuses = [e.status for e in evidence]
                if statuses and all(s in ("commitment", "vague", "negative") for s in statuses):
                    verdict, reason = "partial", "only commitments, vague or negative statements: " + ", ".join(sorted(set(statuses)))
                for label in covered:
                    check = _SPECIAL_CHECKS.get(label)
                    if check:
                        results = [check(e.text) for e in by_label[label].evidence]
                        if not any(ok for ok, _ in results):
                            verdict, reason = "partial", results[0][1]
                        else:
                            reason = next(msg for ok, msg in results if ok)
            out.append(
                RequirementVerdict(
                    jurisdiction=jid, act=j.act, requirement=req.id, citation=req.citation,
                    description=req.text, verdict=verdict, reason=reason, labels=list(req.labels),
                    evidence=evidence[:MAX_EVIDENCE],
                )
            )
    return out


# --- red flags ---------------------------------------------------------------------------------------

HIGH_SEVERITY = {
    "physical_and_sexual_violence", "debt_bondage", "retention_of_identity_documents", "restriction_of_movement",
    "child_labour", "isolation", "intimidation_and_threats",
}
# A sentence that forbids a practice never raises an observed red flag, whatever a model says.
def guard_prohibition(text: str, status: str) -> str:
    """The zero-tolerance rules of `classify.flag_rules` applied once more at scoring time, so a
    prediction from any model obeys them: `observed` becomes `prohibited` on a sentence that only
    states a rule, and `none_found` on one that only reports an absence."""
    return guard_status(text, status)


def score_red_flags(doc: Document, preds: list[Prediction], taxonomy: Taxonomy) -> list[RedFlag]:
    found: dict[str, dict[str, list[tuple[float, int]]]] = {}
    for i, p in enumerate(preds):
        for indicator, (status, prob) in p.red_flags.items():
            status = guard_prohibition(doc.sentences[i].text, status)
            found.setdefault(indicator, {}).setdefault(status, []).append((prob, i))
    out: list[RedFlag] = []
    for indicator, statuses in found.items():
        for status in ("observed", "none_found", "prohibited"):
            if status in statuses:
                hits = sorted(statuses[status], key=lambda item: (-item[0], item[1]))
                break
        if status == "observed":
            severity = "high" if indicator in HIGH_SEVERITY or len(hits) >= 3 else "medium"
        else:
            severity = "none"
        name = taxonomy.label(indicator).name if indicator in taxonomy else indicator.replace("_", " ")
        out.append(
            RedFlag(
                indicator=indicator, name=name, status=status, severity=severity,
                probability=round(hits[0][0], 4),
                evidence=[_evidence(doc, i, prob) for prob, i in hits[:MAX_EVIDENCE]],
            )
        )
    order = {"observed": 0, "none_found": 1, "prohibited": 2}
    sev = {"high": 0, "medium": 1, "low": 2, "none": 3}
    return sorted(out, key=lambda r: (order[r.status], sev[r.severity], r.indicator))


# --- evidence quality and specificity ----------------------------------------------------------------

_SIGNALS = {
    "number": re.compile(r"\b\d[\d,.]*\s?(?:%|per ?cent|workers|suppliers|sites|audits|factories|staff|employees|people|days|hours)?\b"),
    "date": re.compile(r"\b(?:19|20)\d{2}\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"),
    "money": re.compile(r"(?:[$£€]|AUD|USD|GBP|CAD|EUR)\s?\d"),
}


def score_evidence_quality(
    doc: Document, preds: list[Prediction], criteria: list[CriterionScore], entities: EntityReport
) -> tuple[EvidenceQuality, Specificity]:
    sentences = sorted({e.sentence for c in criteria for e in c.evidence} | {
        i for i, p in enumerate(preds) if p.labels
    })
    statuses = Counter(preds[i].evidence_status for i in sentences if preds[i].evidence_status)
    total = sum(statuses.values())
    share = {k: round(statuses.get(k, 0) / total, 4) if total else 0.0 for k in ("implemented", "commitment", "negative", "vague")}
    country_sents = {i for c in entities.countries for i in c.sentences}
    org_sents = {i for o in entities.organisations for i in o.sentences}
    signals: Counter[str] = Counter()
    concrete = 0
    for i in sentences:
        text = doc.sentences[i].text
        kinds = {name for name, rx in _SIGNALS.items() if rx.search(text)}
        if i in country_sents:
            kinds.add("country")
        if i in org_sents:
            kinds.add("named_organisation")
        signals.update(kinds)
        concrete += bool(kinds - {"date"}) or len(kinds) >= 2
    spec = Specificity(
        score=round(100.0 * concrete / len(sentences), 1) if sentences else 0.0,
        concrete_sentences=concrete,
        coverage_sentences=len(sentences),
        signals=dict(sorted(signals.items())),
    )
    return EvidenceQuality(coverage_sentences=len(sentences), **share), spec


# --- risk --------------------------------------------------------------------------------------------

RISK_WEIGHTS = {"coverage_gaps": 0.35, "observed_red_flags": 0.30, "high_risk_exposure": 0.20, "evidence_quality": 0.15}
# An audit report is not a disclosure: what it shows (findings, exposure) is all that counts.
AUDIT_RISK_WEIGHTS = {"coverage_gaps": 0.0, "observed_red_flags": 0.70, "high_risk_exposure": 0.30, "evidence_quality": 0.0}
BANDS = ((35.0, "low"), (65.0, "medium"), (101.0, "high"))


def score_risk(
    criteria: list[CriterionScore],
    verdicts: list[RequirementVerdict],
    red_flags: list[RedFlag],
    entities: EntityReport,
    quality: EvidenceQuality,
    specificity: Specificity,
    document_type: str = "statement",
) -> Risk:
    weights = AUDIT_RISK_WEIGHTS if document_type == "audit_report" else RISK_WEIGHTS
    if verdicts:
        gap = sum({"met": 0.0, "partial": 0.5, "missing": 1.0}[v.verdict] for v in verdicts) / len(verdicts)
        gap_text = f"{sum(v.verdict == 'missing' for v in verdicts)} missing and {sum(v.verdict == 'partial' for v in verdicts)} partial of {len(verdicts)} legal requirements"
    else:
        aims = [c for c in criteria if c.group == "aims"]
        gap = sum(not c.covered for c in aims) / max(1, len(aims))
        gap_text = f"{sum(not c.covered for c in aims)} of {len(aims)} reporting criteria not covered (no act cited)"
    observed = [r for r in red_flags if r.status == "observed"]
    flag_value = min(1.0, sum(0.5 if r.severity == "high" else 0.3 for r in observed))
    flag_text = f"{len(observed)} observed red flag(s)" + (": " + ", ".join(r.indicator for r in observed) if observed else "")
    high_sectors = sorted({s.value for s in entities.sectors if s.extra.get("high_risk")})
    exposure = min(1.0, 0.2 * len(entities.high_risk_matches) + 0.1 * len(high_sectors))
    exposure_text = f"{len(entities.high_risk_matches)} high-risk good/country pair(s), high-risk sectors: {', '.join(high_sectors) or 'none'}"
    weak = (quality.commitment + quality.negative + quality.vague) if quality.coverage_sentences else 1.0
    quality_value = min(1.0, 0.5 * weak + 0.5 * (1.0 - specificity.score / 100.0))
    quality_text = (
        f"{round(100 * weak)}% of coverage evidence is commitment, negative or vague; specificity {specificity.score:.0f}/100"
    )
    values = {
        "coverage_gaps": (gap, gap_text),
        "observed_red_flags": (flag_value, flag_text),
        "high_risk_exposure": (exposure, exposure_text),
        "evidence_quality": (quality_value, quality_text),
    }
    components = [
        RiskComponent(
            name=name, value=round(value, 4), weight=weights[name],
            points=round(100 * value * weights[name], 2),
            explanation=text if weights[name] else f"not scored for {document_type.replace('_', ' ')}s ({text})",
        )
        for name, (value, text) in values.items()
    ]
    score = round(sum(c.points for c in components), 1)
    band = next(b for limit, b in BANDS if score < limit)
    overrides = []
    if any(r.severity == "high" for r in observed) and band != "high":
        band = "high"
        overrides.append("an observed high-severity red flag sets the band to high")
    return Risk(score=score, band=band, components=components, overrides=overrides)


# --- entities to schema --------------------------------------------------------------------------------


def entities_to_schema(doc: Document, report: EntityReport) -> Entities:
    names = countries()

    def mentions(items, **fixed):
        return [
            EntityMention(value=f.value, kind=f.kind, sentences=f.sentences, **{k: v for k, v in f.extra.items() if k in EntityMention.model_fields})
            for f in items
        ]

    return Entities(
        countries=mentions(report.countries),
        sectors=mentions(report.sectors),
        goods=mentions(report.goods),
        organisations=mentions(report.organisations),
        worker_counts=mentions(report.worker_counts),
        audit_counts=mentions(report.audit_counts),
        high_risk_matches=[
            HighRiskMatch(
                good=m.good, country=m.country, country_name=names[m.country].name,
                child_labour=m.child_labour, forced_labour=m.forced_labour,
                evidence=_evidence(doc, m.sentence, 1.0),
            )
            for m in report.high_risk_matches
        ],
        reference=HIGH_RISK_REFERENCE,
    )


# --- the whole document ---------------------------------------------------------------------------------


def score_document(
    doc: Document,
    preds: list[Prediction],
    taxonomy: Taxonomy,
    entities: EntityReport,
    model: ModelInfo,
    *,
    coverage_labels: list[str],
    jurisdiction: str | None = None,
    document_type: str = "auto",
) -> DocumentScore:
    if len(preds) != len(doc.sentences):
        raise ValueError(f"{len(preds)} predictions for {len(doc.sentences)} sentences")
    detected, citing = detect_jurisdiction(doc)
    if jurisdiction:
        jurisdiction = normalise_jurisdiction(jurisdiction)
        taxonomy.jurisdiction(jurisdiction)  # raises KeyError for an unknown id
        jsource, jid = "given", jurisdiction
    else:
        jsource, jid = ("detected", detected) if detected else ("none", None)
    dtype = detect_document_type(doc) if document_type == "auto" else document_type
    if dtype not in ("statement", "audit_report"):
        raise ValueError("document_type must be auto, statement or audit_report")

    criteria = score_criteria(doc, preds, taxonomy, coverage_labels)
    # Statements are checked against the act they answer; audit reports answer none.
    acts = [jid] if jid and dtype == "statement" else []
    verdicts = score_jurisdictions(doc, criteria, taxonomy, acts)
    red_flags = score_red_flags(doc, preds, taxonomy)
    quality, specificity = score_evidence_quality(doc, preds, criteria, entities)
    risk = score_risk(criteria, verdicts, red_flags, entities, quality, specificity, dtype)
    info = DocumentInfo(
        id=doc.id, sha256=doc.sha256, name=doc.name, pages=len(doc.pages), sentences=len(doc.sentences),
        source_type=doc.info.source_type, extraction_method=doc.info.extractor,
        ocr_pages=doc.info.ocr_pages, empty_pages=doc.info.empty_pages, warnings=doc.info.warnings,
        document_type=dtype, document_type_source="detected" if document_type == "auto" else "given",
        jurisdiction=jid, jurisdiction_source=jsource,
        jurisdiction_evidence=[_evidence(doc, i, 1.0) for i in (citing if jid == detected else [])[:3]],
    )
    return DocumentScore(
        document=info, criteria=criteria, jurisdictions=verdicts, red_flags=red_flags,
        evidence_quality=quality, specificity=specificity, entities=entities_to_schema(doc, entities),
        risk=risk, model=model,
    )
