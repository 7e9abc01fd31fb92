"""Keyword rules for the finer due-diligence labels, combined with the trained model.

Written from the label definitions (taxonomy: policies, training, ...). A sentence gets a label
when the trained model passes its threshold, or when the rule matches and the model gives it at
least a fraction of its threshold (`RULE_SUPPORT`); the fraction was chosen on the dev documents.
"""

from __future__ import annotations

import re

RULES_SRC: dict[str, str] = {
    "policies": r"polic(y|ies)|code of (conduct|practice)|\bcode\b|standards? (on|for)|handbook|"
                r"principles? (on|for)|commitments? in (our|the) .{0,30}(policy|manual)|sourcing (code|manual|standard)",
    "training": r"train(ed|ing|s)?\b|e-?learning|awareness (sessions?|raising|training)|workshops?|"
                r"briefed|briefings?|coach(ed|ing)|induction|course|educat\w+",
    "audits_monitoring": r"audit\w*|assess\w*|questionnaires?|screen(ed|ing)|(site|farm|factory) visits?|visited|"
                         r"monitor\w*|verif\w+|inspect\w*|worker[- ]voice|surveys?|due diligence|traceab\w+|compliance (checks?|reviews?)|risk matrix|track\w*",
    "grievance_mechanism": r"grievances?|whistle-?blow\w*|hotlines?|helplines?|speak up|complaints?|"
                           r"suggestion box\w*|reporting (app|channel|line)|raise (a )?concerns?|worker committees?|toll-free",
    "supplier_contract_clauses": r"contracts?\b|contractual\w*|clauses?|purchase (orders?|terms)|terms of (business|purchase)|"
                                 r"(framework|supplier|agency) agreements?|tenders?|warrant\w*|condition of (contract|supply)",
    "supply_chain_disclosure": r"(names?|list|addresses?) (of|and addresses of) (our )?(\w+ )?(suppliers?|factories|sites|mills|smelters|agencies)|"
                               r"factory lists?|supplier lists?|(publish|disclos|shar|releas|nam)\w* .{0,40}(suppliers?|factories|mills|sites|smelters|refiners|plantations)|"
                               r"open supply|located (in|at)|tier-?[12] suppliers? (are|include)",
    "recruitment_fees": r"recruitment (fees?|costs?)|employer pays|fee-?free|no(-| )fees?|fees? (paid|charged)|"
                        r"recruitment (agenc\w+|corridors?)|pre-departure fees|zero recruitment",
}
RULES: dict[str, re.Pattern] = {k: re.compile(rf"\b({v})", re.IGNORECASE) for k, v in RULES_SRC.items()}
RULE_SUPPORT = 0.25


def rule_labels(text: str) -> set[str]:
    return {k for k, rx in RULES.items() if rx.search(text)}
