"""Labels, definitions and the jurisdiction crosswalk, loaded from `taxonomy.yaml`.

The YAML file is the single source of truth: models, scoring, the API and the model cards all
read label ids and requirements from here, so adding a label is a one-file change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

GROUPS = ("coverage", "red_flag", "evidence_status")
MATCH_MODES = ("any", "all", "optional")

# The 11 AIMS.au criteria, in the order of the AIMS CSV columns. Models trained on AIMS data use
# exactly this order for their probability columns.
AIMS_CRITERIA: tuple[str, ...] = (
    "approval",
    "signature",
    "c1_reporting_entity",
    "c2_structure",
    "c2_operations",
    "c2_supply_chains",
    "c3_risk_description",
    "c4_risk_mitigation",
    "c4_remediation",
    "c5_effectiveness",
    "c6_consultation",
)
# Australian-only criteria: the Canadian gold set has no positives for them, so cross-jurisdiction
# comparisons use the other nine.
AU_ONLY_CRITERIA: tuple[str, ...] = ("c1_reporting_entity", "c6_consultation")
SHARED_CRITERIA: tuple[str, ...] = tuple(c for c in AIMS_CRITERIA if c not in AU_ONLY_CRITERIA)


class TaxonomyError(ValueError):
    """The taxonomy file is inconsistent (unknown label, duplicate id, bad group)."""


@dataclass(frozen=True, slots=True)
class Label:
    id: str
    name: str
    group: str
    definition: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    citation: str
    text: str
    labels: tuple[str, ...]
    match: str = "any"  # any: one label suffices; all: every label needed; optional: not scored


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    id: str
    name: str
    act: str
    section: str
    requirements: tuple[Requirement, ...]
    note: str = ""

    def requirement(self, requirement_id: str) -> Requirement:
        for r in self.requirements:
            if r.id == requirement_id:
                return r
        raise KeyError(f"{self.id} has no requirement {requirement_id!r}")


@dataclass(frozen=True, slots=True)
class Taxonomy:
    version: int
    labels: tuple[Label, ...]
    jurisdictions: tuple[Jurisdiction, ...]
    _by_id: dict[str, Label] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({lab.id: lab for lab in self.labels})

    def label(self, label_id: str) -> Label:
        try:
            return self._by_id[label_id]
        except KeyError:
            raise KeyError(f"unknown label {label_id!r}") from None

    def __contains__(self, label_id: object) -> bool:
        return label_id in self._by_id

    def label_ids(self, group: str | None = None) -> list[str]:
        return [lab.id for lab in self.labels if group is None or lab.group == group]

    def jurisdiction(self, jurisdiction_id: str) -> Jurisdiction:
        for j in self.jurisdictions:
            if j.id == jurisdiction_id:
                return j
        known = ", ".join(j.id for j in self.jurisdictions)
        raise KeyError(f"unknown jurisdiction {jurisdiction_id!r} (known: {known})")

    def requirements_satisfied_by(self, label_id: str) -> list[tuple[str, Requirement]]:
        """(jurisdiction id, requirement) pairs that `label_id` contributes to."""
        return [
            (j.id, r) for j in self.jurisdictions for r in j.requirements if label_id in r.labels
        ]


def _parse(data: dict) -> Taxonomy:
    labels: list[Label] = []
    seen: set[str] = set()
    for raw in data.get("labels") or []:
        lab = Label(
            id=str(raw["id"]),
            name=str(raw["name"]),
            group=str(raw["group"]),
            definition=" ".join(str(raw["definition"]).split()),
            source=raw.get("source"),
        )
        if lab.id in seen:
            raise TaxonomyError(f"duplicate label id {lab.id!r}")
        if lab.group not in GROUPS:
            raise TaxonomyError(f"label {lab.id!r} has unknown group {lab.group!r}")
        seen.add(lab.id)
        labels.append(lab)

    jurisdictions: list[Jurisdiction] = []
    req_ids: set[str] = set()
    for raw in data.get("jurisdictions") or []:
        reqs = []
        for r in raw["requirements"]:
            req = Requirement(
                id=str(r["id"]),
                citation=str(r["citation"]),
                text=" ".join(str(r["text"]).split()),
                labels=tuple(r.get("labels") or ()),
                match=str(r.get("match", "any")),
            )
            if req.id in req_ids:
                raise TaxonomyError(f"duplicate requirement id {req.id!r}")
            if req.match not in MATCH_MODES:
                raise TaxonomyError(f"requirement {req.id!r} has unknown match {req.match!r}")
            unknown = [x for x in req.labels if x not in seen]
            if unknown:
                raise TaxonomyError(f"requirement {req.id!r} refers to unknown labels {unknown}")
            req_ids.add(req.id)
            reqs.append(req)
        jurisdictions.append(
            Jurisdiction(
                id=str(raw["id"]),
                name=str(raw["name"]),
                act=str(raw["act"]),
                section=str(raw["section"]),
                requirements=tuple(reqs),
                note=" ".join(str(raw.get("note", "")).split()),
            )
        )
    return Taxonomy(version=int(data.get("version", 1)), labels=tuple(labels),
                    jurisdictions=tuple(jurisdictions))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read a taxonomy file; without a path, the packaged `taxonomy.yaml` (cached)."""
    if path is None:
        return _default_taxonomy()
    return _parse(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _default_taxonomy() -> Taxonomy:
    text = resources.files("disclosure_nlp").joinpath("taxonomy.yaml").read_text(encoding="utf-8")
    return _parse(yaml.safe_load(text))
