"""Countries, sectors, goods, named suppliers/sites, worker and audit counts — and high-risk matches.

Everything here is lexicon and pattern matching over the document's sentences: cheap (a few ms per
statement), explainable (each entity lists the sentences it came from) and testable. High-risk
matches pair a good and a country named in the same sentence (a table row counts), or in a
neighbouring sentence when the good's own sentence names no country,
against `data/high_risk_goods.csv` (a subset of the U.S. DOL list; see `data/high_risk_goods.md`).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .document import Document, Sentence

HIGH_RISK_SECTORS = {
    "construction", "agriculture", "manufacturing", "fishing", "mining", "domestic work", "garments",
    "electronics", "cleaning", "hospitality", "security services", "logistics",
}

# sector -> patterns (lower-case, matched on word boundaries)
SECTOR_TERMS: dict[str, list[str]] = {
    "agriculture": [r"agricultur\w*", r"farm(?:s|ing|ers?)?", r"harvest\w*", r"horticultur\w*", r"plantations?", r"growers?", r"fruit pick\w*", r"crops?"],
    "fishing": [r"fishing", r"fisher(?:y|ies|men)", r"fishing vessels?", r"aquaculture", r"seafood"],
    "construction": [r"construction", r"building sites?", r"civil works"],
    "manufacturing": [r"manufactur\w*", r"factor(?:y|ies)", r"processing plants?", r"assembly lines?"],
    "mining": [r"mining", r"mines?", r"quarr(?:y|ies)", r"smelt\w*", r"minerals?"],
    "domestic work": [r"domestic work\w*", r"domestic staff", r"housekeepers?"],
    "garments": [r"garments?", r"apparel", r"textiles?", r"clothing", r"footwear", r"uniforms?"],
    "electronics": [r"electronics?", r"semiconductors?", r"solar (?:panels?|modules?)", r"laptops?", r"it hardware", r"electronic components?"],
    "cleaning": [r"cleaning services?", r"cleaners?", r"janitorial"],
    "hospitality": [r"hospitality", r"hotels?", r"catering"],
    "security services": [r"security (?:services?|guards?|staff)"],
    "logistics": [r"logistics", r"warehous\w*", r"freight", r"transport(?:ation)? services?", r"delivery drivers?"],
    "healthcare": [r"healthcare", r"hospitals?", r"medical (?:supplies|devices|gloves)"],
    "financial services": [r"financial services", r"banking", r"insurance"],
    "retail": [r"retail\w*", r"supermarkets?", r"stores"],
}

# good (as in high_risk_goods.csv) -> patterns
GOOD_TERMS: dict[str, list[str]] = {
    "bricks": [r"bricks?", r"brick kilns?"],
    "cotton": [r"cotton"],
    "cocoa": [r"cocoa", r"cacao"],
    "coffee": [r"coffee"],
    "fish": [r"fish", r"seafood", r"tuna", r"squid"],
    "shrimp": [r"shrimps?", r"prawns?"],
    "garments": [r"garments?", r"apparel", r"clothing", r"uniforms?", r"textiles?"],
    "gold": [r"gold"],
    "diamonds": [r"diamonds?"],
    "cobalt": [r"cobalt"],
    "tantalum ore (coltan)": [r"coltan", r"tantalum"],
    "tin ore": [r"tin(?: ore)?(?= (?:ore|mining|mines|smelter))", r"cassiterite"],
    "mica": [r"mica"],
    "palm oil": [r"palm oil", r"palm fruit", r"palm kernels?"],
    "rubber gloves": [r"(?:rubber|nitrile|latex|disposable|medical) gloves", r"gloves"],
    "electronics": [r"electronics?", r"electronic components?", r"laptops?", r"mobile phones?", r"semiconductors?"],
    "polysilicon": [r"polysilicon", r"solar (?:panels?|modules?|cells?)"],
    "sugarcane": [r"sugar ?cane", r"sugar"],
    "tobacco": [r"tobacco"],
    "cattle": [r"cattle", r"beef", r"leather"],
    "carpets": [r"carpets?", r"rugs?"],
    "timber": [r"timber", r"wood", r"logging"],
    "stones": [r"granite", r"sandstone", r"stone"],
    "tomatoes": [r"tomato(?:es)?"],
    "hair products": [r"wigs?", r"hair (?:products|extensions)"],
}

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s?(?:million|thousand))?)"
_WORKERS = re.compile(
    _NUMBER + r"\s+(?:[A-Za-z-]+\s+){0,3}?(workers|employees|staff|people|persons|contractors|labourers|laborers|migrant workers|team members)\b",
)
_AUDITS = re.compile(
    _NUMBER + r"\s+(?:[A-Za-z-]+\s+){0,3}?(audits|site visits|assessments|inspections|social audits)\b", re.IGNORECASE
)
_ORG_SUFFIX = (
    r"(?:Pty\.? Ltd\.?|Co\.,? Ltd\.?|Sdn\.? Bhd\.?|Ltd\.?|Limited|Inc\.?|Incorporated|Corp\.?|Corporation|PLC|plc|LLC|LLP|"
    r"GmbH|AG|S\.A\.|SA|S\.p\.A\.|B\.V\.|N\.V\.|JSC|PT|Group)"
)
_SITE_SUFFIX = r"(?:Factory|Mill|Mills|Plant|Farm|Farms|Estate|Plantation|Mine|Warehouse|Processing Centre|Processing Center)"
_CAP = r"[A-Z][\w&'’.-]*"
_ORG = re.compile(rf"\b((?:{_CAP}\s+){{0,5}}?{_CAP}\s+{_ORG_SUFFIX})(?![\w])")
_SITE = re.compile(rf"\b((?:{_CAP}\s+){{0,4}}{_SITE_SUFFIX})\b")
_ORG_STOP = {"The", "Our", "This", "We", "All", "Each", "Its", "A", "An", "In", "By", "For", "Signed", "Approved"}


@dataclass
class Country:
    code: str  # ISO 3166-1 alpha-2
    alpha3: str
    name: str


@dataclass
class Found:
    """One entity and the sentences (indices) where it was found."""

    value: str
    kind: str = ""
    sentences: list[int] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


@dataclass
class HighRiskMatch:
    good: str
    country: str  # alpha-2
    child_labour: bool
    forced_labour: bool
    sentence: int  # index of the sentence naming the good


@dataclass
class EntityReport:
    countries: list[Found]  # value = alpha-2 code, extra = {"name", "alpha3"}
    sectors: list[Found]  # extra = {"high_risk": bool}
    goods: list[Found]
    organisations: list[Found]  # kind = "organisation" | "site"
    worker_counts: list[Found]  # value = the number as written, extra = {"number": float, "unit"}
    audit_counts: list[Found]
    high_risk_matches: list[HighRiskMatch]


def _data_file(name: str):
    return resources.files("disclosure_nlp").joinpath("data", name)


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    out: dict[str, Country] = {}
    with _data_file("countries.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            out[parts[0]] = Country(parts[0], parts[1], parts[2])
    return out


@lru_cache(maxsize=1)
def _country_pattern() -> tuple[re.Pattern, dict[str, str]]:
    names: dict[str, str] = {}
    with _data_file("countries.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            names[parts[2]] = parts[0]
            for alias in (parts[3].split(";") if len(parts) > 3 and parts[3] else []):
                names[alias] = parts[0]
    alternatives = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in alternatives) + r")(?![\w-])")
    return pattern, names


@lru_cache(maxsize=1)
def high_risk_goods() -> dict[tuple[str, str], tuple[bool, bool]]:
    with _data_file("high_risk_goods.csv").open(encoding="utf-8") as fh:
        return {
            (row["good"], row["country"]): (row["child_labour"] == "1", row["forced_labour"] == "1")
            for row in csv.DictReader(fh)
        }


def _compile(terms: dict[str, list[str]]) -> list[tuple[str, re.Pattern]]:
    return [(key, re.compile(r"\b(?:" + "|".join(pats) + r")\b", re.IGNORECASE)) for key, pats in terms.items()]


_SECTORS = _compile(SECTOR_TERMS)
_GOODS = _compile(GOOD_TERMS)


def _to_number(text: str) -> float:
    value = text.replace(",", "").lower()
    scale = 1.0
    if value.endswith("million"):
        scale, value = 1e6, value.removesuffix("million").strip()
    elif value.endswith("thousand"):
        scale, value = 1e3, value.removesuffix("thousand").strip()
    try:
        return float(value) * scale
    except ValueError:
        return float("nan")


def find_entities(sentences: list[Sentence]) -> EntityReport:
    pattern, names = _country_pattern()
    table = countries()
    found_countries: dict[str, Found] = {}
    sectors: dict[str, Found] = {}
    goods: dict[str, Found] = {}
    orgs: dict[str, Found] = {}
    workers: list[Found] = []
    audits: list[Found] = []
    per_sentence_countries: dict[int, set[str]] = defaultdict(set)
    per_sentence_goods: dict[int, set[str]] = defaultdict(set)

    for pos, s in enumerate(sentences):
        text = s.text
        for m in pattern.finditer(text):
            code = names[m.group(1)]
            c = table[code]
            entry = found_countries.setdefault(code, Found(code, "country", [], {"name": c.name, "alpha3": c.alpha3}))
            if s.index not in entry.sentences:
                entry.sentences.append(s.index)
            per_sentence_countries[pos].add(code)
        for sector, rx in _SECTORS:
            if rx.search(text):
                entry = sectors.setdefault(sector, Found(sector, "sector", [], {"high_risk": sector in HIGH_RISK_SECTORS}))
                entry.sentences.append(s.index)
        for good, rx in _GOODS:
            if rx.search(text):
                goods.setdefault(good, Found(good, "good")).sentences.append(s.index)
                per_sentence_goods[pos].add(good)
        for rx, kind in ((_ORG, "organisation"), (_SITE, "site")):
            for m in rx.finditer(text):
                name = m.group(1).strip()
                words = name.split()
                while words and words[0] in _ORG_STOP:
                    words = words[1:]
                if len(words) < 2:
                    continue
                name = " ".join(words)
                entry = orgs.setdefault(name, Found(name, kind))
                if s.index not in entry.sentences:
                    entry.sentences.append(s.index)
        for rx, out in ((_WORKERS, workers), (_AUDITS, audits)):
            for m in rx.finditer(text):
                out.append(Found(m.group(1), "count", [s.index], {"number": _to_number(m.group(1)), "unit": m.group(2).lower()}))

    reference = high_risk_goods()
    matches: list[HighRiskMatch] = []
    seen: set[tuple[str, str]] = set()
    for pos, goods_here in sorted(per_sentence_goods.items()):
        nearby = per_sentence_countries.get(pos, set())
        if not nearby:  # "We buy cotton. It comes from Uzbekistan." - but not across table rows
            nearby = per_sentence_countries.get(pos + 1, set()) | per_sentence_countries.get(pos - 1, set())
        for good in sorted(goods_here):
            for code in sorted(nearby):
                flags = reference.get((good, code))
                if flags and (good, code) not in seen:
                    seen.add((good, code))
                    matches.append(HighRiskMatch(good, code, flags[0], flags[1], sentences[pos].index))
    return EntityReport(
        countries=sorted(found_countries.values(), key=lambda f: (-len(f.sentences), f.value)),
        sectors=sorted(sectors.values(), key=lambda f: (-len(f.sentences), f.value)),
        goods=sorted(goods.values(), key=lambda f: (-len(f.sentences), f.value)),
        organisations=sorted(orgs.values(), key=lambda f: (-len(f.sentences), f.value)),
        worker_counts=workers,
        audit_counts=audits,
        high_risk_matches=matches,
    )


def document_entities(doc: Document) -> EntityReport:
    return find_entities(doc.sentences)
