"""Red flags, evidence status and finer due-diligence labels: the shipped models and their rules.

Real behaviour on real inputs: the models in models/ are loaded and run; the zero-tolerance set is
sentences written for this test (not from the corpus templates) that only prohibit a practice.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosure_nlp.classify.flag_rules import has_finding_cue, lexicon_indicators, prohibition_only
from disclosure_nlp.classify.red_flags import (
    DUE_DILIGENCE_LABELS,
    RED_FLAGS,
    SentenceFlagger,
    load_flagger,
    predict_sentences,
)

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"

# Prohibition-only sentences, in many styles (policy, code, contract, audit "facility policy",
# questionnaire answers). Zero tolerance: none may come out as `observed`.
PROHIBITION_ONLY = [
    "Our supplier code forbids the confiscation of passports, visas or any other identity papers.",
    "Employers must never hold a worker's passport, not even at the worker's request.",
    "The company does not permit any of its agents to keep workers' identity cards.",
    "Child labour is strictly prohibited at all our sites and at our suppliers.",
    "We will not accept products made with the labour of children under 15.",
    "No worker under the age of 18 may be assigned to night shifts or hazardous tasks.",
    "Suppliers shall not charge recruitment fees to workers under any circumstances.",
    "Our Employer Pays policy bans any fee or deposit being taken from job seekers.",
    "Workers may not be required to pay for their own visas, medical checks or travel.",
    "Overtime must be voluntary and must not exceed 12 hours per week.",
    "Our code bans working weeks of more than 60 hours and requires one day off in seven.",
    "The factory's policy says that no worker shall be locked inside the premises.",
    "Dormitory doors must never be locked from the outside.",
    "Curfews for workers living in company housing are not allowed under our standards.",
    "Suppliers are forbidden to restrict workers' freedom to leave at the end of a shift.",
    "Physical punishment of workers is prohibited.",
    "Any form of sexual harassment is forbidden and will lead to dismissal.",
    "Supervisors shall never strike, push or verbally abuse a worker.",
    "Threats of deportation or dismissal to discourage complaints are forbidden by our code.",
    "The supplier agreement prohibits retaliation against workers who speak to auditors.",
    "Wages must be paid directly to workers, in full and at least once a month.",
    "Our standard forbids holding back wages as a deposit or security.",
    "Employers may not delay salary payments or make unauthorised deductions.",
    "Recruitment agencies must not deceive workers about the job, the pay or the location.",
    "Changing a worker's contract on arrival is prohibited by our Responsible Recruitment Standard.",
    "Job offers must describe wages and hours truthfully; misleading advertisements are banned.",
    "Employers must not confiscate mobile phones or prevent contact with family.",
    "The code of conduct forbids isolating workers in remote camps without transport.",
    "Housing provided to workers must be safe, clean and not overcrowded.",
    "Suppliers must provide protective equipment and may not expose workers to chemicals without it.",
    "Taking advantage of a migrant worker's irregular status is prohibited under our policy.",
    "Suppliers may not exploit workers whose visas are tied to their employer.",
    "Debt bondage is not tolerated in any part of our supply chain.",
    "We have zero tolerance for forced labour, child labour and human trafficking.",
    "Under clause 7 of our purchase terms, use of bonded labour is a material breach.",
    "Our policy is that no employee may hold another person's identity documents.",
    "Labour providers are prohibited from charging workers for uniforms, tools or training.",
    "The Code prohibits excessive working hours and forced overtime.",
    "Hiring children, or allowing them on the production floor, is forbidden.",
    "Under no circumstances may a supplier withhold a worker's passport or residence permit.",
    "The employee handbook states that overtime can always be refused without penalty.",
    "The facility's rules state that workers keep their own identity documents at all times.",
    "Our Human Rights Policy prohibits all forms of modern slavery, including debt bondage.",
    "Suppliers must ensure that no worker is threatened, intimidated or harassed.",
    "Corporal punishment, intimidation and threats are banned by the facility's disciplinary policy.",
    "It is against our policy to pay wages to agents instead of to the workers themselves.",
    "Agencies must not recruit anyone under the legal minimum working age.",
    "Holding workers' passports for safekeeping is not permitted, even with written consent.",
    "We do not tolerate the retention of workers' identity documents by suppliers or agents.",
    "Compulsory overtime is prohibited, and all overtime must be paid at a premium.",
    "The site may not impose fines on workers or deduct wages as a disciplinary measure.",
    "Contractors are not allowed to house workers in warehouses or production areas.",
    "Suppliers must never use violence or the threat of violence against workers.",
    "The policy forbids employers to prevent workers from leaving their accommodation.",
    "No supplier may require workers to lodge a deposit or surrender documents as a condition of employment.",
    "Our procurement contracts prohibit child and forced labour and allow us to terminate for breach.",
    "Labour agents shall not make false promises about wages or working conditions.",
    "Recruitment fees, whether charged in the home country or on arrival, are prohibited.",
    "Workers must be free to end their employment with reasonable notice and without penalty.",
    "Exits must remain unlocked and unobstructed during working hours.",
    # a rule stated as a duty, with an adverb between ("rules also require"): found on a blind set
    "The country's labour law also requires wages to be paid every month into the worker's own account.",
    "Provincial regulations further require that overtime be voluntary and paid at a premium.",
    # a law or rule that bars a practice ("rules bar"): found on a blind set
    "State labour laws bar children under 16 from night shifts in the packing sheds.",
    "Federal farm rules also ban anyone under 18 from mixing or spraying pesticides.",
]

# Findings the guard must not block (they contain normative-looking words).
FINDINGS = [
    "Auditor observed that 12 of 40 workers' passports were held by the dormitory manager.",
    "Workers were not allowed to leave the dormitory without the supervisor's permission.",
    "Crew members were not permitted to go ashore, according to interviews.",
    "Despite the code's ban, the auditor found that 3 workers aged 14 were working in packing.",
    "Non-compliance: wages for March had not been paid to 25 workers.",
    "Interviews revealed that workers had paid recruitment fees of USD 1,500 to agents in Nepal.",
]


@pytest.fixture(scope="module")
def flagger() -> SentenceFlagger:
    return load_flagger(MODELS)


def test_shipped_models_exist_and_are_small():
    for name in ("red_flags", "evidence_status", "due_diligence"):
        d = MODELS / name
        assert (d / "MODEL_CARD.md").is_file() and (d / "metrics.json").is_file(), name
        for f in d.rglob("*"):
            if f.is_file():
                assert f.stat().st_size < 50 * 2**20, f


def test_zero_tolerance_prohibition_sentences_never_observed(flagger):
    out = flagger.predict_sentences(PROHIBITION_ONLY)
    observed = [(s, f.red_flags) for s, f in zip(PROHIBITION_ONLY, out)
                if any(st == "observed" for st, _ in f.red_flags.values())]
    assert observed == []
    # most of them are recognised as prohibitions (not just silently dropped): 52 of 64 with the
    # model of 2026-12-01, 51 with the finding member (it denies the lexical `observed` of "State
    # labour laws bar children under 16 from night shifts ..." before the norm rule could turn it
    # into `prohibited`; `prohibited` F1 on the held-out corpus and the 16 held-out sets unchanged)
    prohibited = sum(any(st == "prohibited" for st, _ in f.red_flags.values()) for f in out)
    assert prohibited >= 0.75 * len(PROHIBITION_ONLY)


def test_guard_rule_on_prohibitions_and_findings():
    assert sum(prohibition_only(s) for s in PROHIBITION_ONLY) >= 0.85 * len(PROHIBITION_ONLY)
    for s in FINDINGS:
        assert not prohibition_only(s), s
        assert has_finding_cue(s), s


def decide_as_if_observed(flagger, sentences):
    """The models' worst case: every sentence on every indicator, "observed" with certainty."""
    import numpy as np

    from disclosure_nlp.classify.red_flags import decide

    n = len(sentences)
    P_topic = np.full((n, len(RED_FLAGS)), 0.99)
    P_status = np.tile([1.0, 0.0, 0.0], (n, 1))
    m = flagger.red_flags
    return decide(sentences, P_topic, P_status, m.topic.thresholds, m.status.thresholds)


def test_guard_holds_even_when_status_model_says_observed(flagger):
    for s, flags in zip(PROHIBITION_ONLY, decide_as_if_observed(flagger, PROHIBITION_ONLY)):
        if prohibition_only(s):
            assert all(st != "observed" for st, _ in flags.values()), s


def test_a_rule_stated_as_a_duty_is_a_norm_and_a_finding_that_cites_it_is_not():
    """'Labour rules also require wages to be paid monthly' or 'rules bar children from night work'
    forbids as much as 'must not' does (a blind set's prohibition-only sentence was `observed` before
    the adverb was allowed, another one before 'bar' after a rule-giver counted)."""
    for s in PROHIBITION_ONLY[-4:]:
        assert prohibition_only(s), s
    assert not prohibition_only("The audit found that wages were paid two months late, although the law "
                                "requires monthly payment.")
    assert not prohibition_only("Two boys of 15 were found spraying pesticides, which state rules bar "
                                "for anyone under 18.")


def test_lexicon_names_the_right_indicator():
    assert "retention_of_identity_documents" in lexicon_indicators("The HR office kept the passports.")
    assert "child_labour" in lexicon_indicators("Two 14-year-olds were working in the packing area.")
    assert "excessive_overtime" in lexicon_indicators("Workers had no rest day for 21 consecutive days.")
    assert lexicon_indicators("We sell frozen vegetables in Canada.") == []


@pytest.mark.parametrize("text, indicator, status", [
    ("Auditor observed that 12 of 40 workers' passports were held by the dormitory manager.",
     "retention_of_identity_documents", "observed"),
    ("Time records showed that sewing operators worked 78 hours in the week before shipment.",
     "excessive_overtime", "observed"),
    ("No child labour was found.", "child_labour", "none_found"),
    ("We found no evidence of debt bondage at the farms we visited.", "debt_bondage", "none_found"),
    ("Our Supplier Code of Conduct prohibits child labour.", "child_labour", "prohibited"),
    ("Suppliers must not retain workers' passports.", "retention_of_identity_documents", "prohibited"),
])
def test_red_flag_status(flagger, text, indicator, status):
    flags = flagger.predict_sentences([text])[0].red_flags
    assert indicator in flags, flags
    assert flags[indicator][0] == status
    assert 0 < flags[indicator][1] <= 1


@pytest.mark.parametrize("text", [
    "The garment sector carries a risk of excessive overtime.",
    "Migrant workers in palm oil plantations are particularly exposed to debt bondage.",
    "Our training explains how to recognise passport retention and recruitment fees.",
    "Corrective action: return all passports to workers within 14 days.",
    "We sell frozen vegetables to supermarkets in Canada and the United States.",
])
def test_mentions_are_not_observed(flagger, text):
    flags = flagger.predict_sentences([text])[0].red_flags
    assert all(st != "observed" for st, _ in flags.values()), flags


@pytest.mark.parametrize("text, status, label", [
    ("In 2023 we trained 140 buyers on forced-labour indicators.", "implemented", "training"),
    ("We will roll out forced-labour training to all buyers by 2026.", "commitment", "training"),
    ("We do not currently have a grievance mechanism for supplier workers.", "negative", "grievance_mechanism"),
    ("We have robust policies in place to address modern slavery.", "vague", "policies"),
    ("We publish the names and addresses of our 212 tier-1 factories on our website.", "implemented",
     "supply_chain_disclosure"),
    ("All new supplier contracts now include modern slavery clauses and audit rights.", "implemented",
     "supplier_contract_clauses"),
    pytest.param("We have adopted the Employer Pays Principle, so no worker pays recruitment fees.",
                 "implemented", "recruitment_fees",
                 marks=pytest.mark.xfail(strict=True, reason="known weakness since corpus v2: a measure "
                                         "stated with 'no' reads as negative evidence (issue 4 note)")),
])
def test_evidence_status_and_finer_labels(flagger, text, status, label):
    f = flagger.predict_sentences([text])[0]
    assert f.evidence_status == status, (f.evidence_status, f.evidence_probabilities)
    assert label in f.labels, f.coverage
    assert set(f.coverage) == set(DUE_DILIGENCE_LABELS)


def test_predict_sentences_api_and_batch_consistency(flagger):
    texts = FINDINGS + PROHIBITION_ONLY[:5]
    batch = predict_sentences(texts, models_dir=MODELS)
    single = [predict_sentences([t], models_dir=MODELS)[0] for t in texts]
    assert [b.red_flags.keys() for b in batch] == [s.red_flags.keys() for s in single]
    assert predict_sentences([], models_dir=MODELS) == []
    js = batch[0].to_json()
    assert js["red_flags"]["retention_of_identity_documents"]["status"] == "observed"


def test_audit_report_pdf_end_to_end(flagger):
    """A generated audit-report PDF through extraction and segmentation, then the models."""
    import disclosure_nlp
    from disclosure_nlp.testing.pdfs import render_pdf

    filler = ("The audit was conducted over two days and covered production, warehouse and dormitory "
              "areas of the site. ")
    blocks = [
        ("heading", "Social compliance audit report"),
        ("para", "Site: Lotus Apparel Factory, Ho Chi Minh City, Vietnam. Audit type: semi-announced."),
        ("para", filler * 6),
        ("pagebreak",),
        ("heading", "Freely chosen employment"),
        ("para", "Auditor observed that 12 of 40 workers' passports were held by the dormitory manager. "
                 "Corrective action: return all passports to workers within 14 days."),
        ("pagebreak",),
        ("heading", "Child labour"),
        ("para", "The facility's recruitment policy prohibits the employment of children under 16. "
                 "No child labour was found during the audit."),
    ]
    doc = disclosure_nlp.read(render_pdf(blocks, title="Audit report"))
    texts = [s.text for s in doc.sentences]
    flags = flagger.predict_sentences(texts)
    by_text = {s.text: (s, f) for s, f in zip(doc.sentences, flags)}

    passport = [t for t in texts if "passports were held" in t]
    assert passport, texts
    s, f = by_text[passport[0]]
    assert s.page == 2
    assert f.red_flags.get("retention_of_identity_documents", (None,))[0] == "observed"

    policy = [t for t in texts if "policy prohibits" in t]
    assert policy, texts
    s, f = by_text[policy[0]]
    assert s.page == 3
    assert f.red_flags.get("child_labour", (None,))[0] == "prohibited"

    none = [t for t in texts if t.startswith("No child labour")]
    assert by_text[none[0]][1].red_flags.get("child_labour", (None,))[0] == "none_found"
    # the corrective action names the practice but reports nothing observed
    cap = [t for t in texts if t.startswith("Corrective action")]
    assert all(st != "observed" for st, _ in by_text[cap[0]][1].red_flags.values())
    # nowhere in the report is anything observed except the passport finding
    observed = [t for t, f in zip(texts, flags) if any(st == "observed" for st, _ in f.red_flags.values())]
    assert observed == passport


def _forced(n: int, observed: float = 1.0):
    """Topic probabilities flat at 0.5 and the status model saying `observed` with `observed`."""
    import numpy as np

    return np.full((n, len(RED_FLAGS)), 0.5), np.tile([observed, 0.0, 0.0], (n, 1))


def test_guard_holds_under_the_shipped_decision_policy(flagger):
    from disclosure_nlp.classify.red_flags import decide

    m = flagger.red_flags
    assert set(m.info.get("policy", {})) >= {"split_additive", "observed_min", "observed_min_without_lexicon"}
    P_topic, P_status = _forced(len(PROHIBITION_ONLY))
    for pol in (m.info["policy"], {"split_additive": True, "observed_min": 0.0,
                                   "observed_min_without_lexicon": 0.0}):
        for s, flags in zip(PROHIBITION_ONLY, decide(PROHIBITION_ONLY, P_topic, P_status, m.topic.thresholds,
                                                      m.status.thresholds, policy=pol)):
            if prohibition_only(s):
                assert all(st != "observed" for st, _ in flags.values()), (s, pol)


def test_policy_minimum_probabilities_for_observed():
    import numpy as np

    from disclosure_nlp.classify.red_flags import decide

    t_topic, t_status = np.full(len(RED_FLAGS), 0.3), np.full(3, 0.3)
    text = ["Auditor observed that 7 workers' passports were kept in the HR office safe."]
    P_topic, P_status = _forced(1, observed=0.6)
    assert decide(text, P_topic, P_status, t_topic, t_status)[0] == {
        "retention_of_identity_documents": ("observed", 0.6 * 0.5)}
    assert decide(text, P_topic, P_status, t_topic, t_status, policy={"observed_min": 0.7})[0] == {}
    # no lexicon hit: the topic model alone must clear the stricter bar for `observed`
    vague = ["Auditor observed several issues in the packing hall."]
    assert decide(vague, P_topic, P_status, t_topic, t_status)[0]
    assert decide(vague, P_topic, P_status, t_topic, t_status,
                  policy={"observed_min_without_lexicon": 0.7})[0] == {}
    # the reported flag probability (topic x status = 0.3 here) must reach `observed_flag_min`
    assert decide(text, P_topic, P_status, t_topic, t_status, policy={"observed_flag_min": 0.31})[0] == {}
    assert decide(text, P_topic, P_status, t_topic, t_status, policy={"observed_flag_min": 0.29})[0]
    # ... which bars weak `observed` flags only: a prohibition keeps its flag
    rule = ["The code of conduct prohibits holding workers' passports."]
    P_topic_r, P_status_r = np.full((1, len(RED_FLAGS)), 0.5), np.array([[0.0, 0.6, 0.0]])
    assert decide(rule, P_topic_r, P_status_r, t_topic, t_status, policy={"observed_flag_min": 0.9})[0] == {
        "retention_of_identity_documents": ("prohibited", 0.6 * 0.5)}


def test_policy_split_additive_names_one_indicator_per_finding():
    import numpy as np

    from disclosure_nlp.classify.red_flags import decide

    t_topic, t_status = np.full(len(RED_FLAGS), 0.3), np.full(3, 0.3)
    text = ["Non-compliance: 4 of 30 workers' passports were held by the agent; in addition, "
            "the toilets in the dormitory had no running water."]
    P_topic, P_status = _forced(1)
    one = decide(text, P_topic, P_status, t_topic, t_status)[0]
    two = decide(text, P_topic, P_status, t_topic, t_status, policy={"split_additive": True})[0]
    assert len(one) == 1
    assert set(two) == {"retention_of_identity_documents", "abusive_working_and_living_conditions"}
    # without an additive connector a sentence keeps one indicator
    single = ["Non-compliance: the agent held 4 passports, and workers paid for their own visas."]
    assert len(decide(single, P_topic, P_status, t_topic, t_status, policy={"split_additive": True})[0]) == 1


def test_lexicon_weak_words_give_way_to_specific_ones():
    # "day off" alone is about rest days; next to leaving the premises it is about movement
    assert lexicon_indicators("Workers had no day off in March.") == ["excessive_overtime"]
    hits = lexicon_indicators("Workers needed a signed pass to leave the dormitory on their day off.")
    assert "restriction_of_movement" in hits and "excessive_overtime" not in hits
    assert "child_labour" in lexicon_indicators("One packer appeared to be about 14 years old.")


# Sentences that only report an absence: never `observed`, whatever the status model says.
ABSENCE_ONLY = [
    "No findings related to bonded labour were raised.",
    "No evidence of child labour was found.",
    "The accommodation met local housing standards, and no health and safety hazards were noted.",
    "Worker interviews did not reveal any deception about wages.",
    "None of the workers interviewed reported threats from supervisors.",
    "The auditor found no indication that passports were retained.",
    "Checks in 2024 did not identify forced overtime at any tier-1 supplier.",
    "We are not aware of any debt bondage in our supply chain.",
]
# Findings that contain a negation or a "found": they stay findings.
FINDINGS_WITH_NEGATION = [
    "Passports were found in the HR office safe, and workers said they did not know how to get them back.",
    "The auditor found that no worker had received a payslip for three months.",
    "Workers were not allowed to leave the dormitory after 9 pm.",
]


def test_absence_guard_on_absences_and_findings():
    from disclosure_nlp.classify.flag_rules import absence_only, guard_status

    for s in ABSENCE_ONLY:
        assert absence_only(s), s
        assert guard_status(s, "observed") == "none_found", s
        assert guard_status(s, "prohibited") == "prohibited", s
    for s in FINDINGS + FINDINGS_WITH_NEGATION:
        assert guard_status(s, "observed") == "observed", s


def test_absence_guard_holds_even_when_status_model_says_observed(flagger):
    for s, flags in zip(ABSENCE_ONLY, decide_as_if_observed(flagger, ABSENCE_ONLY)):
        assert flags and all(st == "none_found" for st, _ in flags.values()), (s, flags)


def test_none_found_needs_negation_when_the_policy_says_so():
    import numpy as np

    from disclosure_nlp.classify.red_flags import decide

    texts = ["Passports were found in the HR office safe.",  # finding cue, no negation
             "Passports are kept in the HR office safe.",  # neither
             "No passports were found in the HR office safe."]  # a real absence
    P_topic = np.zeros((3, len(RED_FLAGS)))
    P_topic[:, RED_FLAGS.index("retention_of_identity_documents")] = 0.9
    P_status = np.tile([0.1, 0.0, 0.95], (3, 1))  # the status model says none_found
    t_topic, t_status = np.full(len(RED_FLAGS), 0.5), np.full(3, 0.5)
    off = decide(texts, P_topic, P_status, t_topic, t_status, policy={"none_found_check": "off"})
    assert [f["retention_of_identity_documents"][0] for f in off] == ["none_found"] * 3
    on = decide(texts, P_topic, P_status, t_topic, t_status, policy={"none_found_check": "negation"})
    assert on[0]["retention_of_identity_documents"][0] == "observed"
    assert on[1] == {}
    assert on[2]["retention_of_identity_documents"][0] == "none_found"
    # a positively worded absence has no negation either; with `none_found_veto_observed` off a
    # vetoed none_found never turns into a finding (the next status, else no flag)
    # (one the compliant-state wording of flag_rules does not know)
    free = ["Workers said the dormitory gate stood open day and night, and auditors saw it open throughout the visit."]
    pol = {"none_found_check": "negation", "none_found_veto_observed": False}
    assert decide(texts[:1] + free, P_topic[:2], P_status[:2], t_topic, t_status, policy=pol) == [{}, {}]
    both = np.array([[0.6, 0.0, 0.95]])  # observed also passes its threshold: still not taken
    assert decide(free, P_topic[:1], both, t_topic, t_status, policy=pol) == [{}]
    assert decide(free, P_topic[:1], both, t_topic, t_status,
                  policy={"none_found_check": "negation"})[0]["retention_of_identity_documents"][0] == "observed"
    prohibited = np.array([[0.1, 0.6, 0.95]])
    assert decide(free, P_topic[:1], prohibited, t_topic, t_status,
                  policy=pol)[0]["retention_of_identity_documents"][0] == "prohibited"


def test_none_found_negation_must_be_about_the_finding_not_the_abuse():
    """A negation that describes the abuse ("no rest day", "received no pay", "could not leave")
    is a finding, not an absence; stating the compliant condition ("kept their own passports") is an
    absence without a negation word."""
    import numpy as np

    from disclosure_nlp.classify.flag_rules import can_be_none_found, describes_lack, states_compliance
    from disclosure_nlp.classify.red_flags import decide

    findings = [
        "Pickers said they had worked 19 days in a row with no rest day during the harvest.",
        "Two drivers told the auditor they had received no wages since March.",
        "The cooks said their employer kept the gate key, so they could not leave the compound at night.",
        "The bunkhouse had no running water and no toilets for 38 residents.",
        "Women interviewed said their phones were taken and they had no way of contacting home.",
    ]
    absences = [
        "No evidence of passport retention was found.",
        "None of the 30 workers interviewed reported being threatened.",
        "Interviewed workers kept their own passports and residence cards.",
        "Staff said they came and went freely outside working hours.",
        "Payroll showed every employee was paid at or above the legal minimum wage.",
        "Drivers confirmed that their work permits were in their own possession.",
        "All pickers were aged 18 or over according to the age records.",
        "Workers said they had no complaints about the canteen and no worker reported unpaid wages.",
    ]
    for s in findings:
        assert describes_lack(s) and not can_be_none_found(s), s
    for s in absences:
        assert can_be_none_found(s), s
    assert all(states_compliance(s) for s in absences[2:7])
    assert not any(states_compliance(s) for s in findings)
    # under the policy: the status model says none_found; the described lack vetoes it, and the
    # finding cue makes it `observed`; the compliant state keeps `none_found`
    texts = [findings[0], absences[2]]
    P_topic = np.zeros((2, len(RED_FLAGS)))
    P_topic[0, RED_FLAGS.index("excessive_overtime")] = 0.9
    P_topic[1, RED_FLAGS.index("retention_of_identity_documents")] = 0.9
    P_status = np.tile([0.1, 0.0, 0.95], (2, 1))
    t_topic, t_status = np.full(len(RED_FLAGS), 0.5), np.full(3, 0.5)
    out = decide(texts, P_topic, P_status, t_topic, t_status, policy={"none_found_check": "negation"})
    assert out[0]["excessive_overtime"][0] == "observed"
    assert out[1]["retention_of_identity_documents"][0] == "none_found"


def test_decisive_vocabulary_settles_the_indicator():
    # unpaid overtime is a wage finding; a 16-year-old handling chemicals is child labour
    assert lexicon_indicators("Payroll records showed that overtime of 12 hours had not been paid.") \
        == ["withholding_of_wages"]
    assert lexicon_indicators("Workers aged 16 and 17 were working night shifts and handling chemicals.") \
        == ["child_labour"]
    # without decisive words, every indicator whose vocabulary appears is proposed
    hits = lexicon_indicators("Workers slept in an overcrowded dormitory after 14-hour shifts of overtime.")
    assert "abusive_working_and_living_conditions" in hits and "excessive_overtime" in hits


# Topics, not findings: a training subject, a risk, a questionnaire item, a reporting channel, a
# procedure for "if X is found". Written for this test (not corpus templates).
MENTION_ONLY = [
    "The workshop for our buyers included a case study on the withholding of wages.",
    "Our e-learning module explains how passport retention and recruitment fees trap workers.",
    "Cocoa farms in the region carry a high risk of child labour.",
    "The supplier questionnaire asks whether workers' identity documents are held by the employer.",
    "Our whistleblowing hotline is open 24 hours a day, seven days a week, in 12 languages.",
    "If debt bondage is identified at a supplier, we will require the debts to be cancelled.",
    "Leaflets handed out at induction show workers how to spot debt bondage and whom to call.",
    "Forced labour can occur several tiers down a supply chain, for example where a supplier subcontracts.",
    "Staff may raise concerns about withheld wages through our confidential grievance channel.",
]


def test_mention_guard_on_topics_and_findings():
    import numpy as np

    from disclosure_nlp.classify.flag_rules import mention_only
    from disclosure_nlp.classify.red_flags import decide

    for s in MENTION_ONLY:
        assert mention_only(s), s
    # findings that also name training, risks or the hotline keep their status
    findings = ["Auditors found that workers had received no training and that 6 passports were held in the office.",
                "A call to our helpline revealed that a recruiter had charged 14 workers fees of USD 900 each.",
                "Interviews showed that workers at high risk had been locked in the dormitory at night.",
                "Through our grievance mechanism we learned that a labour agent held 30 workers' passports."]
    for s in findings:
        assert not mention_only(s), s
    t_topic, t_status = np.full(len(RED_FLAGS), 0.3), np.full(3, 0.3)
    P_topic, P_status = _forced(len(MENTION_ONLY))
    on = decide(MENTION_ONLY, P_topic, P_status, t_topic, t_status, policy={"mention_guard": True})
    off = decide(MENTION_ONLY, P_topic, P_status, t_topic, t_status, policy={"mention_guard": False})
    assert all(not any(st == "observed" for st, _ in f.values()) for f in on), on
    assert sum(any(st == "observed" for st, _ in f.values()) for f in off) >= len(MENTION_ONLY) - 1
    P_topic, P_status = _forced(len(findings))
    kept = decide(findings, P_topic, P_status, t_topic, t_status, policy={"mention_guard": True})
    assert all(any(st == "observed" for st, _ in f.values()) for f in kept), kept


def test_shipped_mention_guard_holds(flagger):
    for s in MENTION_ONLY:
        flags = flagger.predict_sentences([s])[0].red_flags
        assert all(st != "observed" for st, _ in flags.values()), (s, flags)


def test_semantic_member_names_indicators_and_moves_status():
    """decide() with the semantic member's probabilities: a confident semantic indicator names the
    indicator of a finding with no indicator vocabulary; NaN rows (gated out) change nothing; the
    status is the weighted mix of lexical and semantic status probabilities."""
    import numpy as np

    from disclosure_nlp.classify.red_flags import SEMANTIC_LABELS, decide

    text = ["Footage from the loading bay showed a guard hauling a cleaner along the floor by his collar."]
    t_topic, t_status = np.full(len(RED_FLAGS), 0.6), np.full(3, 0.5)
    P_topic, P_status = np.full((1, len(RED_FLAGS)), 0.2), np.array([[0.9, 0.05, 0.05]])
    P_sem = np.zeros((1, len(SEMANTIC_LABELS)))
    P_sem[0, RED_FLAGS.index("physical_and_sexual_violence")] = 0.95
    P_sem[0, len(RED_FLAGS):] = [0.9, 0.0, 0.0]
    pol = {"semantic_topic_min": 0.8, "semantic_weight": 0.5}
    assert decide(text, P_topic, P_status, t_topic, t_status, policy=pol) == [{}]  # lexical alone: no indicator
    got = decide(text, P_topic, P_status, t_topic, t_status, policy=pol, P_sem=P_sem)[0]
    assert list(got) == ["physical_and_sexual_violence"] and got["physical_and_sexual_violence"][0] == "observed"
    assert decide(text, P_topic, P_status, t_topic, t_status, policy={**pol, "semantic_topic_min": 0.99},
                  P_sem=P_sem) == [{}]
    assert decide(text, P_topic, P_status, t_topic, t_status, policy=pol,
                  P_sem=np.full_like(P_sem, np.nan)) == [{}]
    # status mix, `observed` only: lexical says observed 0.6 (none_found 0.45), semantic says observed
    # 0.05 -> at w=0.7 observed falls to 0.215 and none_found (untouched) wins
    passports = ["Workers' passports were in the HR office."]
    t_status2 = np.full(3, 0.4)
    P_topic2, P_status2 = np.full((1, len(RED_FLAGS)), 0.5), np.array([[0.6, 0.0, 0.45]])
    P_sem2 = np.zeros((1, len(SEMANTIC_LABELS)))
    P_sem2[0, len(RED_FLAGS):] = [0.05, 0.9, 0.0]
    lex_only = decide(passports, P_topic2, P_status2, t_topic, t_status2, P_sem=P_sem2)[0]
    mixed = decide(passports, P_topic2, P_status2, t_topic, t_status2, policy={"semantic_weight": 0.7},
                   P_sem=P_sem2)[0]
    assert lex_only["retention_of_identity_documents"][0] == "observed"
    # the semantic "prohibited" 0.9 is ignored; the topic counts at its threshold (lexicon hit: 0.6)
    assert mixed["retention_of_identity_documents"] == ("none_found", pytest.approx(0.6 * 0.45))


def test_lexicon_covers_ilo_vocabulary_beyond_the_obvious_words():
    cases = {
        "Pickers were paid in vouchers that only the farm shop accepted.": "withholding_of_wages",
        "The agency kept the workers' bank cards and PIN numbers.": "withholding_of_wages",
        "Drivers spent weeks on the road with no contact with their families.": "isolation",
        "A supervisor was seen shoving a packer into a pallet.": "physical_and_sexual_violence",
        "Workers needed written permission from the warden to leave the hostel.": "restriction_of_movement",
        "Sprayers complained of headaches and dizziness after mixing pesticides.": "abusive_working_and_living_conditions",
        "Crews worked up to 20 hours a day during the catch season.": "excessive_overtime",
        "A girl of 11 was sorting shells at the back of the shed.": "child_labour",
        "Workers who arrived without papers were hired off the books at half the legal rate.": "abuse_of_vulnerability",
    }
    for text, ind in cases.items():
        assert ind in lexicon_indicators(text), (text, lexicon_indicators(text))
    assert lexicon_indicators("Our mining operations cover extraction and processing of copper ore.") == []


def test_semantic_topic_weight_mixes_indicator_probabilities():
    """With `semantic_topic_weight`, the semantic member's indicator probabilities are mixed into the
    lexical topic model's: they rank the lexicon's candidates (here: passports vs wages)."""
    import numpy as np

    from disclosure_nlp.classify.red_flags import SEMANTIC_LABELS, decide

    text = ["The agent kept the passports and the bank cards of 14 workers."]
    t_topic, t_status = np.full(len(RED_FLAGS), 0.3), np.full(3, 0.3)
    P_topic = np.full((1, len(RED_FLAGS)), 0.1)
    P_topic[0, RED_FLAGS.index("withholding_of_wages")] = 0.6
    P_topic[0, RED_FLAGS.index("retention_of_identity_documents")] = 0.5
    P_status = np.array([[0.9, 0.0, 0.0]])
    P_sem = np.zeros((1, len(SEMANTIC_LABELS)))
    P_sem[0, RED_FLAGS.index("retention_of_identity_documents")] = 0.95
    P_sem[0, len(RED_FLAGS)] = 0.9
    alone = decide(text, P_topic, P_status, t_topic, t_status, P_sem=P_sem)[0]
    mixed = decide(text, P_topic, P_status, t_topic, t_status, policy={"semantic_topic_weight": 0.5}, P_sem=P_sem)[0]
    assert set(alone) == {"withholding_of_wages"} and set(mixed) == {"retention_of_identity_documents"}


def test_fragments_never_raise_observed():
    import numpy as np

    from disclosure_nlp.classify.flag_rules import is_fragment
    from disclosure_nlp.classify.red_flags import decide

    frags = ["Based", "The U.S", "Passports"]
    assert all(is_fragment(t) for t in frags) and not is_fragment("Passports were held.")
    P_topic, P_status = _forced(len(frags))
    out = decide(frags, P_topic, P_status, np.full(len(RED_FLAGS), 0.3), np.full(3, 0.3))
    assert out == [{}, {}, {}]
    P_topic, P_status = _forced(1)
    assert decide(["Passports were held."], P_topic, P_status, np.full(len(RED_FLAGS), 0.3), np.full(3, 0.3))[0]


def test_semantic_member_overrides_a_lexicon_indicator_only_when_confident():
    """`semantic_override_min`: where the lexicon names one indicator, a confident semantic
    indicator replaces it; below the bar (or with the default 1.01) the lexicon's stays."""
    import numpy as np

    from disclosure_nlp.classify.flag_rules import lexicon_indicators
    from disclosure_nlp.classify.red_flags import SEMANTIC_LABELS, decide

    text = ["Auditors found that the HR officer kept the workers' passports in a locked drawer."]
    assert list(lexicon_indicators(text[0])) == ["retention_of_identity_documents"]
    t_topic, t_status = np.full(len(RED_FLAGS), 0.6), np.full(3, 0.5)
    P_topic, P_status = np.full((1, len(RED_FLAGS)), 0.3), np.array([[0.9, 0.05, 0.05]])
    P_sem = np.zeros((1, len(SEMANTIC_LABELS)))
    P_sem[0, RED_FLAGS.index("restriction_of_movement")] = 0.85
    P_sem[0, len(RED_FLAGS):] = [0.9, 0.0, 0.0]

    def named(pol):
        return list(decide(text, P_topic, P_status, t_topic, t_status, policy=pol, P_sem=P_sem)[0])

    assert named({}) == ["retention_of_identity_documents"]  # default: never overrides
    assert named({"semantic_override_min": 0.9}) == ["retention_of_identity_documents"]
    assert named({"semantic_override_min": 0.8}) == ["restriction_of_movement"]
    # a semantic member that agrees with the lexicon changes nothing
    P_sem[0, RED_FLAGS.index("retention_of_identity_documents")] = 0.95
    assert named({"semantic_override_min": 0.8}) == ["retention_of_identity_documents"]


def test_policy_choice_breaks_near_ties_on_the_other_statuses():
    """Dev F0.5 differences under F05_TIE are noise: among such policies the one that keeps
    `prohibited` / `none_found` better wins; zero tolerance always comes first."""
    from disclosure_nlp.train_flags import F05_TIE, pick_policy

    strict = (0.0,)
    scores = [(True, 0.874, 0.70, strict), (True, 0.872, 0.85, strict), (True, 0.860, 0.95, strict),
              (False, 0.990, 0.99, strict)]
    assert F05_TIE >= 0.002
    assert pick_policy(scores) == 1  # 0.872 ties 0.874; 0.860 does not; #3 breaks zero tolerance
    assert pick_policy(scores[:1] + scores[2:]) == 0
    assert pick_policy([(True, 0.87, 0.8, (0.3,)), (True, 0.87, 0.8, (0.5,))]) == 1  # then stricter


def test_policy_choice_keeps_within_the_false_alarm_budget_on_real_text():
    """A policy that gains dev recall by raising `observed` on real prose loses to one within the
    false-alarm budget; without the check the lenient one wins."""
    import numpy as np

    from disclosure_nlp.classify.red_flags import FLAG_STATUSES, RED_FLAGS
    from disclosure_nlp.corpus import AnnotatedSentence
    from disclosure_nlp.train_flags import FalseAlarmText, choose_policy, pick_policy

    ind, obs = RED_FLAGS.index("retention_of_identity_documents"), FLAG_STATUSES.index("observed")
    dev = [AnnotatedSentence("d1", 0, "The auditor found that the workers' passports were held by the dormitory manager.",
                             red_flags={"retention_of_identity_documents": "observed"}),
           AnnotatedSentence("d1", 1, "Passports of 12 workers were kept in a locked safe by the labour agent.",
                             red_flags={"retention_of_identity_documents": "observed"}),
           AnnotatedSentence("d1", 2, "The factory employs 300 workers on two shifts.")]
    real = ["Passports of our travelling staff were renewed by the travel desk in 2021."]

    def probs(p_obs):
        Pt, Ps = np.full((len(p_obs), len(RED_FLAGS)), 0.05), np.full((len(p_obs), len(FLAG_STATUSES)), 0.05)
        Pt[:, ind], Ps[:, obs] = 0.9, p_obs
        return Pt, Ps

    t_topic, t_status = np.full(len(RED_FLAGS), 0.5), np.full(len(FLAG_STATUSES), 0.3)
    Pt, Ps = probs([0.45, 0.9, 0.1])
    texts = [r.text for r in dev]
    lenient, _ = choose_policy(dev, texts, Pt, Ps, t_topic, t_status)
    assert lenient["observed_min"] < 0.45  # both findings: the best dev F0.5
    fPt, fPs = probs([0.45])
    strict, info = choose_policy(dev, texts, Pt, Ps, t_topic, t_status,
                                 false_alarm=FalseAlarmText(real, fPt, fPs, None, 0, len(real)))
    assert strict["observed_min"] >= 0.5
    assert info["false_alarm_check"] == {"sentences": 1, "budget": 0, "chosen_observed": 0}
    assert info["chosen_dev"]["per_status"]["observed"]["recall"] == 0.5
    # a policy fixed by the config is scored, not searched
    fixed, info = choose_policy(dev, texts, Pt, Ps, t_topic, t_status, fixed={"observed_min": 0.7})
    assert fixed["observed_min"] == 0.7 and info["objective"].startswith("none: fixed") and not info["grid"]
    assert info["chosen_dev"]["per_status"]["observed"]["recall"] == 0.5
    # the budget ranks after zero tolerance: a policy meeting both beats one meeting zero tolerance only
    assert pick_policy([(1, 0.95, 0.9, (0.0,)), (2, 0.80, 0.5, (0.0,)), (0, 0.99, 0.9, (0.0,))]) == 1


def test_a_config_policy_must_name_known_policy_keys(tmp_path):
    from disclosure_nlp.train_flags import FlagTrainingError, load_flag_config

    cfg = tmp_path / "red_flags.yaml"
    body = "task: red_flags\ndata:\n  train: [x.jsonl]\n"
    cfg.write_text(body + "policy: {observed_min: 0.7}\n")
    assert load_flag_config(cfg).policy == {"observed_min": 0.7}
    cfg.write_text(body + "policy: {observed_minimum: 0.7}\n")  # a typo must not pass silently
    with pytest.raises(FlagTrainingError, match="observed_min"):
        load_flag_config(cfg)


def test_a_finding_member_needs_another_member(tmp_path):
    from disclosure_nlp.train_flags import FlagTrainingError, load_flag_config

    cfg = tmp_path / "red_flags.yaml"
    body = "task: red_flags\ndata:\n  train: [x.jsonl]\nfinding: {name: minilm_tuned, params: {none_class: true}}\n"
    cfg.write_text(body)
    with pytest.raises(FlagTrainingError, match="'finding' member needs"):
        load_flag_config(cfg)
    cfg.write_text(body + "indicator: {name: minilm_tuned}\n")
    assert load_flag_config(cfg).finding == {"name": "minilm_tuned", "params": {"none_class": True}}
    assert load_flag_config(Path(__file__).parents[1] / "configs" / "red_flags.yaml").finding


def test_a_config_may_not_train_on_a_set_it_scores(tmp_path):
    from disclosure_nlp.train_flags import FlagTrainingError, load_flag_config

    cfg = tmp_path / "red_flags.yaml"
    cfg.write_text("task: red_flags\ndata:\n  train: [a.jsonl, ind/b.jsonl]\n  independent: [ind/c.jsonl]\n")
    assert [f.name for f in load_flag_config(cfg).independent_files] == ["c.jsonl"]
    cfg.write_text("task: red_flags\ndata:\n  train: [a.jsonl, ind/b.jsonl]\n  independent: [ind/b.jsonl]\n")
    with pytest.raises(FlagTrainingError, match="ind/b.jsonl in both 'data.train' and 'data.independent'"):
        load_flag_config(cfg)


def test_the_false_alarm_text_is_real_prose_without_red_flag_vocabulary(tmp_path):
    """The policy choice's false-alarm check reads the AIMS test sentences with no forced-labour
    topic word and no indicator-lexicon word (they cannot report a finding): the real false alarms
    it is there for are in it; findings, and the sentences the hand-labelled sample is drawn from,
    are not."""
    from disclosure_nlp.classify.flag_rules import lexicon_indicators, names_red_flag_topic
    from disclosure_nlp.train_flags import real_texts_without_topic

    garbage = ["(TYO: 6718), based in Japan", "For our clients, that means we were invested and loyal.",
               "To support the policy, a Compliance Alert System has been established."]
    findings = ["Passports of 12 workers were kept in the manager's safe.",
                "Workers said their wages for March were never paid.",
                "Two children aged 13 worked on the packing line.", "Recruitment fees of USD 1,200 were charged."]
    # topic words the sample's selection regex misses still keep a sentence out
    missed = ["News reports said the gang trafficked 90 women through the port each month.",
              "We do not use forced or compulsory workers in our operations."]
    assert not any(names_red_flag_topic(t) or lexicon_indicators(t) for t in garbage + missed)
    assert all(names_red_flag_topic(t) or lexicon_indicators(t) for t in findings)
    assert real_texts_without_topic(tmp_path) == []  # no AIMS files: no check, no error
    for name, texts in (("au_test.csv", garbage[:2] + findings[:2] + missed[:1]),
                        ("ca_test.csv", garbage[2:] + findings[2:] + missed[1:])):
        rows = "".join(f'S{name[:2]},{i},"{t}",0,0\n' for i, t in enumerate(texts))
        (tmp_path / name).write_text("statement_id,sentence_index,sentence,approval,signature\n" + rows)
    assert real_texts_without_topic(tmp_path) == garbage


def test_a_sentence_gets_the_same_flags_alone_and_inside_its_document(flagger):
    """A sentence's red flags must not depend on the other sentences scored with it: the API scores
    one sentence, the reviewer page a whole document. (The int8 encoders quantise activations per
    batch, so the members that use one run a sentence at a time.)"""
    from disclosure_nlp.train_flags import read_files

    recs = read_files([ROOT / "corpora" / "independent" / "redflags_independent_a.jsonl",
                       ROOT / "corpora" / "redflags_dev_blind.jsonl"])
    docs: dict[str, list[str]] = {}
    for r in recs:
        docs.setdefault(r.doc_id, []).append(r.text)
    model = flagger.red_flags
    differ = []
    for texts in docs.values():
        together = model.predict(texts)
        for text, flags in zip(texts, together):
            alone = model.predict([text])[0]
            if {k: s for k, (s, _) in alone.items()} != {k: s for k, (s, _) in flags.items()} or any(
                    abs(alone[k][1] - flags[k][1]) > 1e-6 for k in alone):
                differ.append((text, flags, alone))
    assert len(recs) > 400 and not differ, differ[:3]


def test_finding_gate_and_veto():
    """`finding_gate`: the members also run where the lexical `observed` passes its threshold with no
    indicator vocabulary or finding cue; there an `observed` flag needs the finding member's
    `observed` probability >= `finding_observed_min` (the weakest lexical findings on real statement
    prose were false alarms: 'materials like plumbing ...'); elsewhere nothing changes."""
    import numpy as np

    from disclosure_nlp.classify.flag_rules import has_finding_cue, lexicon_indicators
    from disclosure_nlp.classify.red_flags import SEMANTIC_LABELS, decide, member_gates

    texts = ["The crew leader collected the pay and workers received 60% of the agreed daily rate.",
             "Auditors found that the HR officer kept the workers' passports in a locked drawer."]
    assert not lexicon_indicators(texts[0]) and not has_finding_cue(texts[0]) and lexicon_indicators(texts[1])
    t_topic, t_status = np.full(len(RED_FLAGS), 0.5), np.array([0.45, 0.5, 0.3])
    P_topic = np.full((2, len(RED_FLAGS)), 0.1)
    P_status = np.array([[0.9, 0.0, 0.05], [0.9, 0.0, 0.05]])
    narrow, extra = member_gates(texts, P_status, t_status)
    assert narrow.tolist() == [False, True]
    assert (narrow | extra).tolist() == [True, True]
    assert np.logical_or(*member_gates(texts, np.array([[0.2, 0.0, 0.9]] * 2), t_status)).tolist() == [False, True]
    P_sem = np.zeros((2, len(SEMANTIC_LABELS)))
    P_sem[0, RED_FLAGS.index("withholding_of_wages")] = 0.95  # the indicator member names it
    P_sem[1, RED_FLAGS.index("retention_of_identity_documents")] = 0.97
    pol = {"semantic_topic_min": 0.9, "finding_observed_min": 0.8}

    def flags(obs_finding):
        P = P_sem.copy()
        P[:, len(RED_FLAGS)] = obs_finding
        return decide(texts, P_topic, P_status, t_topic, t_status, policy=pol, P_sem=P)

    confirmed = flags(0.9)
    assert confirmed[0] == {"withholding_of_wages": ("observed", confirmed[0]["withholding_of_wages"][1])}
    assert confirmed[1] and set(confirmed[1]) == {"retention_of_identity_documents"}
    doubted = flags(0.3)
    assert doubted[0] == {}  # vetoed outside the narrow gate ...
    assert set(doubted[1]) == {"retention_of_identity_documents"}  # ... never inside it
    # without the knob (default 0) the finding member only mixes into `observed`
    P = P_sem.copy()
    P[:, len(RED_FLAGS)] = 0.3
    assert decide(texts, P_topic, P_status, t_topic, t_status, policy={"semantic_topic_min": 0.9}, P_sem=P)[0]


def test_indicator_member_stays_silent_where_the_finding_member_vetoes(flagger):
    """The shipped model: on a sentence only the wide gate passes (lexical `observed`, no indicator
    vocabulary or finding cue) whose `observed` the finding member doubts, the indicator member does
    not run and names nothing; on a sentence of the narrow gate it runs as before."""
    import numpy as np

    from disclosure_nlp.classify.red_flags import FLAG_STATUSES, any_observed, member_gates

    model = flagger.red_flags
    assert model.finding is not None and model.info["policy"]["finding_gate"]
    texts = ["PA 13 – Ethical business behaviour: no findings.",
             "Auditors found that the HR officer kept the workers' passports in a locked drawer.",
             "The canteen serves lunch at noon."]
    P_status = model.status.predict_proba(texts)
    narrow, extra = member_gates(texts, P_status, model.status.thresholds)
    assert extra.tolist() == [True, False, False] and narrow.tolist() == [False, True, False]
    seen: list[str] = []
    real = model.indicator.predict_proba
    model.indicator.predict_proba = lambda t, *a, **k: (seen.extend(t), real(t, *a, **k))[1]
    try:
        P_sem = model.semantic_probabilities(texts, P_status)
    finally:
        del model.indicator.predict_proba
    n = len(RED_FLAGS)
    q = model.info["policy"]["finding_observed_min"]
    assert P_sem[0, n + FLAG_STATUSES.index("observed")] < q  # doubted by the finding member ...
    assert seen == [texts[1]] and (P_sem[0, :n] == 0).all()  # ... so the indicator member stays out
    assert P_sem[1, :n].argmax() == RED_FLAGS.index("retention_of_identity_documents") and np.isnan(P_sem[2]).all()
    assert flagger.predict_sentences(texts[:1])[0].red_flags == {}
    assert any_observed(flagger.predict_sentences(texts[1:2])[0].red_flags)
