"""`DocumentScore`: the one result every interface returns (CLI JSON, API body, batch row source).

Every score carries the evidence that produced it: sentence index, quote and page.
Field names are part of the public contract: extend, don't rename.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Verdict = Literal["met", "partial", "missing"]
RedFlagStatus = Literal["observed", "prohibited", "none_found"]
EvidenceStatus = Literal["implemented", "commitment", "negative", "vague"]
Severity = Literal["none", "low", "medium", "high"]
Band = Literal["low", "medium", "high"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    sentence: int = Field(description="Index of the sentence in the document (0-based)")
    text: str = Field(description="The sentence, quoted from the document")
    page: int = Field(description="1-based page the sentence starts on")
    heading: str | None = Field(default=None, description="Nearest section heading")
    probability: float = Field(ge=0, le=1, description="Model probability for this label")
    status: EvidenceStatus | None = Field(default=None, description="implemented | commitment | negative | vague")


class DocumentInfo(_Model):
    id: str
    sha256: str
    name: str | None = None
    pages: int
    sentences: int
    source_type: str = Field(description="pdf | docx | html | txt")
    extraction_method: str = Field(description="Extractor(s) used, e.g. pypdfium2+tables")
    ocr_pages: list[int] = Field(default_factory=list)
    empty_pages: list[int] = Field(default_factory=list, description="Pages with no usable text even after OCR")
    warnings: list[str] = Field(default_factory=list)
    document_type: Literal["statement", "audit_report"]
    document_type_source: Literal["detected", "given"]
    jurisdiction: str | None = Field(description="uk | au | ca | california, or null when none was cited")
    jurisdiction_source: Literal["detected", "given", "none"]
    jurisdiction_evidence: list[Evidence] = Field(default_factory=list, description="Sentences citing the act")


class CriterionScore(_Model):
    label: str
    name: str
    group: str = Field(description="aims (the 11 mandatory-criteria labels) or due_diligence (finer labels)")
    covered: bool
    confidence: float = Field(ge=0, le=1, description="Probability that the document covers the criterion")
    evidence: list[Evidence] = Field(default_factory=list, description="Best first")


class RequirementVerdict(_Model):
    jurisdiction: str
    act: str
    requirement: str
    citation: str
    description: str
    verdict: Verdict
    reason: str
    labels: list[str]
    evidence: list[Evidence] = Field(default_factory=list)


class RedFlag(_Model):
    indicator: str
    name: str
    status: RedFlagStatus
    severity: Severity
    probability: float = Field(ge=0, le=1)
    evidence: list[Evidence] = Field(default_factory=list)


class EvidenceQuality(_Model):
    coverage_sentences: int = Field(description="Distinct sentences that are evidence for any criterion")
    implemented: float = Field(ge=0, le=1)
    commitment: float = Field(ge=0, le=1)
    negative: float = Field(ge=0, le=1)
    vague: float = Field(ge=0, le=1)


class Specificity(_Model):
    score: float = Field(ge=0, le=100, description="Share of coverage evidence with concrete details, 0-100")
    concrete_sentences: int
    coverage_sentences: int
    signals: dict[str, int] = Field(description="How many coverage sentences carry each kind of detail")


class EntityMention(_Model):
    value: str
    kind: str = ""
    sentences: list[int]
    name: str | None = None
    alpha3: str | None = None
    high_risk: bool | None = None
    number: float | None = None
    unit: str | None = None


class HighRiskMatch(_Model):
    good: str
    country: str
    country_name: str
    child_labour: bool
    forced_labour: bool
    evidence: Evidence


class Entities(_Model):
    countries: list[EntityMention] = Field(default_factory=list)
    sectors: list[EntityMention] = Field(default_factory=list)
    goods: list[EntityMention] = Field(default_factory=list)
    organisations: list[EntityMention] = Field(default_factory=list)
    worker_counts: list[EntityMention] = Field(default_factory=list)
    audit_counts: list[EntityMention] = Field(default_factory=list)
    high_risk_matches: list[HighRiskMatch] = Field(default_factory=list)
    reference: str = Field(description="The high-risk reference used, with its source and date")


class RiskComponent(_Model):
    name: str
    value: float = Field(ge=0, le=1, description="0 = no risk signal, 1 = strongest")
    weight: float = Field(ge=0, le=1)
    points: float = Field(description="value x weight x 100: this component's share of the score")
    explanation: str


class Risk(_Model):
    score: float = Field(ge=0, le=100)
    band: Band
    components: list[RiskComponent]
    overrides: list[str] = Field(default_factory=list, description="Rules that raised the band beyond the score")


class ModelInfo(_Model):
    name: str
    version: str
    sha: str = Field(description="Hash of the model artifacts used")
    components: dict[str, str] = Field(default_factory=dict, description="Component model -> version")


class DocumentScore(_Model):
    schema_version: str = SCHEMA_VERSION
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    document: DocumentInfo
    criteria: list[CriterionScore]
    jurisdictions: list[RequirementVerdict]
    red_flags: list[RedFlag]
    evidence_quality: EvidenceQuality
    specificity: Specificity
    entities: Entities
    risk: Risk
    model: ModelInfo
