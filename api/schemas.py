"""Request and response bodies of the v1 API. Field names are a public contract: extend, don't rename."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from disclosure_nlp.score import normalise_jurisdiction
from disclosure_nlp.taxonomy import load_taxonomy
from disclosure_nlp.schema import DocumentScore, ModelInfo, RedFlagStatus, Risk, Severity

API_VERSION = "1"
# OCDS organisation identifier: an org-id.guide scheme (e.g. GB-COH, XI-LEI, US-EIN) and the id
# within it, joined with "-": GB-COH-09506232.
OCDS_IDENTIFIER = r"^[A-Z]{2}-[A-Z0-9]{2,}-[A-Za-z0-9][A-Za-z0-9./_-]{0,99}$"

# Jurisdiction ids come from the taxonomy (uk, au, ca, us_ca, ...): one source of truth.
# Case and common names are forgiven before the check, as on the CLI: "California" -> us_ca, "GB" -> uk.
JurisdictionId = Annotated[
    Literal[tuple(j.id for j in load_taxonomy().jurisdictions)],  # type: ignore[valid-type]
    BeforeValidator(lambda v: normalise_jurisdiction(v) if isinstance(v, str) else v),
]
DocumentTypeIn = Literal["auto", "statement", "audit_report"]
EvidenceStatusIn = Literal["implemented", "commitment", "negative", "vague"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Supplier(_In):
    name: str = Field(min_length=1, max_length=255, examples=["Acme Apparel Ltd"])
    identifier: str | None = Field(
        default=None, pattern=OCDS_IDENTIFIER, examples=["GB-COH-09506232"],
        description="OCDS organisation identifier: scheme (org-id.guide) + '-' + id",
    )


class AnalysisTextRequest(_In):
    """JSON body of POST /v1/analyses when the document is plain text."""

    text: str = Field(min_length=1, description="The document's text (form feeds separate pages)")
    name: str | None = Field(default=None, max_length=255, examples=["Acme statement 2024"])
    jurisdiction: JurisdictionId | None = Field(default=None, description="Check against this act; default: the act the document cites")
    document_type: DocumentTypeIn = "auto"
    supplier: Supplier | None = None

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "text": "This statement is made pursuant to section 54 of the Modern Slavery Act 2015. "
                "We audited 42 suppliers in Bangladesh in 2024. This statement was approved by the Board.",
        "name": "Acme statement 2024", "jurisdiction": "uk",
        "supplier": {"name": "Acme Apparel Ltd", "identifier": "GB-COH-09506232"},
    }]})


class JobError(BaseModel):
    code: str
    message: str


class AnalysisSummary(BaseModel):
    id: str = Field(description="Analysis id (use it in /v1/analyses/{id} and in /v1/score)")
    status: Literal["queued", "running", "done", "failed"]
    name: str | None = None
    sha256: str = Field(description="sha256 of the document bytes; also its upload reference")
    supplier: Supplier | None = None
    owner: str | None = Field(default=None, description="Name of the API key that created it")
    jurisdiction: str | None = Field(default=None, description="Jurisdiction asked for (null: detected)")
    document_type: str
    pages: int | None = None
    risk_score: float | None = None
    risk_band: str | None = None
    model_version: str | None = None
    reused: bool = Field(description="True when an earlier result for the same bytes and model was reused")
    created_at: datetime
    finished_at: datetime | None = None
    error: JobError | None = None
    links: dict[str, str] = Field(default_factory=dict)


class Analysis(AnalysisSummary):
    result: DocumentScore | None = Field(default=None, description="The full analysis, once status is done")


class AnalysisPage(BaseModel):
    items: list[AnalysisSummary]
    total: int
    limit: int
    offset: int
    next: str | None = Field(default=None, description="URL of the next page, if any")


class UploadedDocument(BaseModel):
    upload: str = Field(description="Upload reference to use in /v1/score (the sha256 of the bytes)")
    name: str | None
    size_bytes: int
    source_type: str = Field(description="pdf | docx | html | txt, recognised from the content")
    created: bool = Field(description="False when these exact bytes were uploaded before")


class ScoreDocument(_In):
    """One document: exactly one of upload, text, analysis_id."""

    upload: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$", description="Reference returned by POST /v1/documents")
    text: str | None = Field(default=None, min_length=1)
    analysis_id: str | None = Field(default=None, pattern=r"^[0-9a-f]{32}$", description="An earlier analysis")
    name: str | None = Field(default=None, max_length=255)
    document_type: DocumentTypeIn = "auto"

    @model_validator(mode="after")
    def _exactly_one(self) -> ScoreDocument:
        given = [k for k in ("upload", "text", "analysis_id") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of upload, text or analysis_id")
        return self


class ScoreRequest(_In):
    supplier: Supplier
    documents: list[ScoreDocument] = Field(min_length=1)
    jurisdiction: JurisdictionId | None = Field(default=None, description="Default: the act each document cites")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "supplier": {"name": "Acme Apparel Ltd", "identifier": "GB-COH-09506232"},
        "jurisdiction": "uk",
        "documents": [
            {"upload": "9f2c4b6a0d3e8f1a7b5c9d2e4f6a8b0c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a"},
            {"text": "Our SMETA audit in March 2024 found that workers' passports were retained by the employer.",
             "document_type": "audit_report"},
        ],
    }]})


class EvidenceRef(BaseModel):
    analysis_id: str
    page: int
    sentence: int
    text: str


class MissingRequirement(BaseModel):
    jurisdiction: str
    requirement: str
    citation: str
    description: str
    verdict: Literal["missing", "partial"]
    reason: str


class ObservedRedFlag(BaseModel):
    indicator: str
    name: str
    severity: Severity
    probability: float
    evidence: list[EvidenceRef]


class ScoredDocument(BaseModel):
    analysis_id: str
    sha256: str
    name: str | None
    document_type: str
    jurisdiction: str | None
    pages: int
    risk_score: float
    risk_band: str
    reused: bool


class ScoreResponse(BaseModel):
    api_version: str = API_VERSION
    supplier: Supplier
    jurisdiction: str | None = Field(description="Jurisdiction asked for, or null when each document's own was used")
    risk: Risk = Field(description="The riskiest document's risk: score 0-100, band and weighted components")
    risk_from: str = Field(description="analysis_id of the document the risk comes from")
    missing_requirements: list[MissingRequirement] = Field(
        description="Requirements no document meets (verdict: the best any document reached)")
    observed_red_flags: list[ObservedRedFlag]
    documents: list[ScoredDocument]
    model: ModelInfo
    scored_at: datetime

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "api_version": "1",
        "supplier": {"name": "Acme Apparel Ltd", "identifier": "GB-COH-09506232"},
        "jurisdiction": "uk",
        "risk": {"score": 62.5, "band": "high", "overrides": ["observed red flag: retention_of_identity_documents"],
                 "components": [{"name": "red_flags", "value": 0.8, "weight": 0.4, "points": 32.0,
                                 "explanation": "1 observed indicator (retention of identity documents)"}]},
        "risk_from": "3f0c2a9e5b7d4c1e8a6f2b9d0e3c5a7f",
        "missing_requirements": [{"jurisdiction": "uk", "requirement": "uk_s54_5_e", "citation": "s54(5)(e)",
                                  "description": "Effectiveness of the steps taken, measured against KPIs",
                                  "verdict": "missing", "reason": "no sentence covers c5_effectiveness"}],
        "observed_red_flags": [{"indicator": "retention_of_identity_documents", "name": "Retention of identity documents",
                                "severity": "high", "probability": 0.93,
                                "evidence": [{"analysis_id": "3f0c2a9e5b7d4c1e8a6f2b9d0e3c5a7f", "page": 1, "sentence": 0,
                                              "text": "Our SMETA audit in March 2024 found that workers' passports were retained by the employer."}]}],
        "documents": [{"analysis_id": "3f0c2a9e5b7d4c1e8a6f2b9d0e3c5a7f", "sha256": "…", "name": None,
                       "document_type": "audit_report", "jurisdiction": "uk", "pages": 1, "risk_score": 62.5,
                       "risk_band": "high", "reused": False}],
        "model": {"name": "disclosure-nlp", "version": "0.1.0", "sha": "59fd65b4e6b0f5e0",
                  "components": {"criteria:lexical": "1"}},
        "scored_at": "2025-01-31T12:00:00Z",
    }]})


class FeedbackRequest(_In):
    sentence: int = Field(ge=0, description="Sentence index (as in evidence[].sentence)")
    labels: dict[str, bool] = Field(
        default_factory=dict,
        description="Label id -> true (it applies to the sentence) / false (it does not)",
        examples=[{"c4_risk_mitigation": True, "c5_effectiveness": False}],
    )
    evidence_status: EvidenceStatusIn | None = None
    red_flags: dict[str, RedFlagStatus] | None = Field(default=None, examples=[{"debt_bondage": "prohibited"}])
    comment: str | None = Field(default=None, max_length=2000)
    text: str | None = Field(default=None, max_length=5000,
                             description="The sentence text, needed only for a sentence the analysis does not quote")

    @model_validator(mode="after")
    def _something(self) -> FeedbackRequest:
        if not (self.labels or self.evidence_status or self.red_flags):
            raise ValueError("give at least one of labels, evidence_status or red_flags")
        return self


class FeedbackOut(BaseModel):
    id: int
    analysis_id: str
    sentence: int
    text: str
    labels: dict[str, bool]
    evidence_status: str | None
    red_flags: dict[str, str] | None
    comment: str | None
    reviewer: str
    created_at: datetime


class ModelComponent(BaseModel):
    name: str
    version: str
    directory: str | None = None
    card: str | None = Field(default=None, description="MODEL_CARD.md, as written by the training run")
    metrics: dict | None = None


class ModelsResponse(BaseModel):
    model: ModelInfo
    components: list[ModelComponent]


class Health(BaseModel):
    status: Literal["ok", "not_ready"]
    checks: dict[str, bool | str] = Field(default_factory=dict)
