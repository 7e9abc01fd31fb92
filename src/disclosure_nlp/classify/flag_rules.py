"""Rules for red-flag status: the zero-tolerance guard against "observed" on prohibition sentences.

A false "forced labour observed" is the costliest error a buyer can get, and the commonest way to
make it is a policy sentence that names the practice ("Suppliers must not retain passports"). The
trained status model gets most of these right; this guard makes the rest impossible: a sentence
that reads as a norm (prohibits, must not, shall not, zero tolerance, ...) and carries no finding
cue (observed, found that, workers said, records showed, non-compliance, ...) can never be
`observed`. These rules are tested like the models (tests/test_red_flags.py) on a dedicated set of
prohibition-only sentences with zero tolerance, and on findings they must not block.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Normative wording: the sentence states a rule. "not permitted / not allowed" count only in the
# present ("is not permitted"), because "workers were not allowed to leave" is a finding.
_NORM = re.compile(
    r"""\b(
        prohibit(s|ed|ing|ion)?\b | forbid(s|den|ding)?\b | bans?\b | banning\b | barred\b | bars\b |
        must\s+(not|never)\b | shall\s+(not|never)\b | may\s+(not|never)\b | may\s+make\s+no\b |
        should\s+(not|never)\b | (do|does)\s+not\s+engage\s+in |
        \bno\s+(one|body|supplier|employer|agent|agency|contractor|subcontractor|worker|person)s?\b[^.;]{0,60}?\b(may|shall|can|should|will)\b | will\s+(not|never)\b | cannot\s+be\s+tolerated |
        (is|are|be)\s+(not|never)\s+(permitted|allowed|tolerated|accepted|acceptable) |
        (do|does|will)\s+not\s+tolerate | zero[\s-]tolerance | not\s+tolerated |
        (is|are)\s+unacceptable | against\s+(our|the|its)\s+(policy|code|rules) |
        strictly\s+prohibited |
        (never|not)\s+(to\s+)?(hire|employ|retain|hold|charge|withhold|confiscate|use)\b(?=.*\b(policy|code|standard|contract|agreement|procedure|rules?)\b) |
        (policy|code|standard|procedure|agreement|handbook|contract|rules|terms|laws?|regulations?)\s+
            ((also|further|clearly|expressly|explicitly)\s+)?(states?|requires?|guarantees?|sets?|says|limits|protects|makes\s+clear|bar|ban|forbid|prohibit) |
        (do|does)\s+not\s+allow |
        (require|requires|required)\s+(that\s+)?(all\s+|every\s+|our\s+)?(suppliers?|employers?|workers?|agenc(y|ies)) |
        must\s+(keep|be\s+paid|be\s+free|receive|verify|ensure|have|meet|bear|protect|provide) |
        guarantee[sd]?\b | commit(s|ted)?\s+(in\s+writing\s+)?(that|to\s+not|not\s+to) |
        grounds?\s+for\s+(immediate\s+)?termination | material\s+breach | (is|are)\s+a\s+breach\s+of
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Finding / incident wording: something was seen, reported, recorded or admitted.
_FINDING = re.compile(
    r"""\b(
        observed | noted\s+that | found\s+that |
        (auditors?|assessors?|inspectors?|investigators?|we|team|investigation|review|audit|interviews?)\s+(found|identified|confirmed|noted|saw)\b | was\s+found | were\s+found | revealed | uncovered |
        discovered | (learned|learnt)\s+(that|of)\b | (became|were|was)\s+(made\s+)?aware\s+(of|that)\b |
        identified\s+(that|two|\d+|a\s+case|one\s+case|an?\s+instance|cases?\s+(of|where|in)) |
        established\s+that | confirmed\s*(that|:) | show(s|ed)?\s+that | showed\s+\w+ | indicated\s+that |
        stated\s+that | reported\s+(that|being|having) | said\s+(that|they|the|he|she) | told\s+(that|them|us|workers|the\s+auditor) |
        described | admitted | complain(ed|ts?\s+of) | according\s+to | records?\s+(showed|show|indicated) |
        non[\s-]?complian(ce|t) | issues?\s+identified | identified\s*: | \bNCs?\b | finding\b | critical\s+issue | issue\s+raised | evidence\s+obtained |
        (were|was)\s+(held|kept|retained|paid|not\s+paid|withheld|deducted|locked|padlocked|beaten|
            hit|slapped|threatened|working|employed|seen|housed|told|made|forced|fined|not\s+allowed|
            not\s+permitted|collected|moved|given|recruited|promised|charged|exposed|blocked) |
        had\s+(been|not\s+been|paid|borrowed|handed|signed|no\s+way|not\s+received|not\s+left) |
        at\s+the\s+time\s+of\s+the\s+(audit|visit) | during\s+the\s+(site\s+tour|audit|visit)\b(?!.*\bno\b)
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def is_norm(text: str) -> bool:
    """The sentence states a rule, policy or requirement (prohibits, must not, zero tolerance...)."""
    return bool(_NORM.search(text))


def has_finding_cue(text: str) -> bool:
    """The sentence reports something seen, said, recorded or admitted (an audit finding, a case)."""
    return bool(_FINDING.search(text))


def prohibition_only(text: str) -> bool:
    """True when the sentence only prohibits or requires: it must never yield an observed flag."""
    return is_norm(text) and not has_finding_cue(text)


# Absence wording: the sentence reports that something was NOT found ("no evidence of...", "no
# findings related to ... were raised", "did not identify ..."). A sentence that only reports an
# absence is never `observed`; and `none_found` needs such wording ("passports were found in the
# safe" is a finding, not an absence, however much "were found" looks like "none were found").
_ABSENCE = re.compile(
    r"""\b(
        no\s+(evidence|findings?|indications?|instances?|cases?|incidents?|signs?|reports?|issues?|
              concerns?|non[\s-]?conformit(y|ies)|non[\s-]?complian\w+|violations?|breaches|allegations?|
              occurrences?)\b |
        (found|identified|revealed|detected|observed|noted|reported|recorded|showed|raised|uncovered)\s+
            (no|none|nothing)\b |
        (not|never)\s+(been\s+)?(found|identified|observed|detected|noted|reported|recorded|uncovered|seen)\b |
        (did|does|do|has|have|had)\s+not\s+(find|identify|reveal|observe|detect|see|uncover|record|indicate|show)\b |
        (is|are|was|were|not)\s+(not\s+)?aware\s+of\s+(any|no)\b | none\s+of\s+the\b | nothing\s+(was|were|to\s+suggest)\b |
        no\s+[\w\s'-]{1,60}?\b(was|were|has\s+been|have\s+been)\s+(found|identified|observed|detected|noted|
            raised|reported|recorded|seen|uncovered)\b |
        free\s+(of|from)\b | conforms?\b | compliant\s*: | (zero|nil)\s+(cases|instances|incidents|findings)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_NEGATION = re.compile(r"\b(no|not|none|never|nothing|without|neither|nor|zero|nil|free\s+(of|from))\b|n't\b",
                       re.IGNORECASE)


# finding verbs that survive an absence elsewhere in the sentence ("no action was taken after the
# auditor found that passports were held" still reports the passports)
_POSITIVE_FINDING = re.compile(
    r"\b(found|noted|established|confirmed|showed|revealed|stated|reported|admitted|discovered)\s+that\b(?![^.;]{0,40}\b(no|not|none)\b)",
    re.IGNORECASE)


def reports_absence(text: str) -> bool:
    """The sentence says a practice was not found ("no evidence of ...", "did not identify ...")."""
    return bool(_ABSENCE.search(text))


def absence_only(text: str) -> bool:
    """Reports an absence and no finding with a positive verb: it must never yield `observed`."""
    return reports_absence(text) and not _POSITIVE_FINDING.search(text)


def guard_status(text: str, status: str, absence: bool = True) -> str:
    """The two zero-tolerance rules on a predicted status: `observed` becomes `prohibited` on a
    sentence that only states a rule, and (with `absence`) `none_found` on one that only reports an
    absence."""
    if status != "observed":
        return status
    if prohibition_only(text):
        return "prohibited"
    if absence and absence_only(text):
        return "none_found"
    return status


# Mention wording: the sentence names a practice as a topic, not as something that happened - a
# training or workshop subject, awareness material ("posters explain how to recognise ..."), a
# questionnaire item, a risk, something that may happen, a reporting channel ("our hotline is open
# 24 hours a day"), a procedure for "if X is found".
_MENTION = re.compile(
    r"""\b(
        training | trained\s+(on|in|to) | workshops?\s+(for|on|about|with|covering) | modules? | courses? |
        e-learning | webinars? | case\s+stud(y|ies) | curricul(um|a) | toolbox\s+talks? | induction\s+(training|sessions?) |
        awareness[\s-]+(raising|sessions?|training|campaigns?) | questionnaires? | self-assessments? |
        asks?\s+(our\s+)?(suppliers?\s+)?(whether|if|to\s+confirm) |
        (high|higher|elevated|increased|salient|inherent)[\s-]+risks? | risks?\s+(of|assessments?) | at\s+risk\b |
        vulnerable\s+to | hotlines? | helplines? | whistle-?blow\w* | speak[\s-]up |
        how\s+to\s+(recogni[sz]e|identify|spot|detect|report) |
        (alert|reporting|grievance|complaints?)\s+(systems?|channels?|mechanisms?|procedures?|lines?) |
        (may|might|could|can)\s+(happen|occur|arise|take\s+place) |
        (if|where|should|whenever)\s+[^.;]{0,80}?\b(is|are|be)\s+(found|identified|detected|suspected|confirmed)
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def mention_only(text: str) -> bool:
    """Names a practice as a topic (training subject, questionnaire item, risk, "if X is found")
    and reports no finding: it must never yield `observed`."""
    return bool(_MENTION.search(text)) and not has_finding_cue(text)


def is_fragment(text: str) -> bool:
    """Fewer than three words ("Based", "The U.S"): an extraction fragment, not a sentence that can
    report a finding ("Passports were held." has three)."""
    return len(re.findall(r"[A-Za-z]{2,}", text)) < 3


# Words that name a forced-labour topic at all (broader than the indicator lexicon: "slavery",
# "wages", "working hours"). The hand-labelled real sample was drawn from sentences that match
# (corpora/real/select_sample.py); real sentences that do not match cannot report a finding, so
# an `observed` there is a false alarm (the policy choice's check on real prose, train_flags).
_RED_FLAG_TOPIC = re.compile(
    r"forced labou?r|child labou?r|passports?|identity (documents?|cards?|papers)|wages?|salar|debts?|bonded|"
    r"recruitment fees?|overtime|working hours|threat|intimidat|violen|harass|abuse|isolat|freedom of movement|"
    r"deceptive|decept|vulnerab|trafficking|slavery|servitude|withh|confiscat|underage|minimum age|"
    r"living conditions|dormitor", re.I)


def names_red_flag_topic(text: str) -> bool:
    return bool(_RED_FLAG_TOPIC.search(text))


# Negations that describe the abuse itself ("no rest day", "received no pay", "could not leave",
# "no drinking water"): they make a finding, not an absence, so they do not count for `none_found`.
_DESCRIBED_LACK = re.compile(
    r"""\b(
        (no|without(\s+a|\s+any)?)\s+(weekly\s+)?(rest(\s+days?)?|days?\s+off|day\s+of\s+rest|breaks?|holidays?|leave)\b |
        (no|without(\s+any)?)\s+(drinking\s+|running\s+|clean\s+|piped\s+)?water\b |
        (no|without(\s+any)?)\s+(ventilation|heating|cooling|air[\s-]conditioning|fans?|windows?|toilets?|showers?|
            electricity|beds?|mattress(es)?|protective|PPE|gloves|masks|helmets|gas\s+detectors?|(fire|emergency)\s+exits?|
            lockers?|individual\s+lockers?|access\s+log|first\s+aid|shade)\b |
        (no|without(\s+any)?)\s+(pay|wages?|salar(y|ies)|money|payments?|transfers?|payslips?|receipts?|overtime\s+premium)\b |
        (received|receive|got|get|given|earned|earn|had)\s+(no|nothing|not\s+(a|any|been))\b | nothing\s+(at\s+all|for)\b |
        (not|never)\s+(been\s+|being\s+)?(paid|given\s+any|received|returned|given\s+back|told|informed|explained) |
        (could|can|may|did|do|does|would)\s*(not|n't)\s+(leave|go|quit|return|contact|call|speak|read|write|understand|risk|
            dare|afford|see|get|refuse|say\s+no|rest|stop|change|move|know|find|open|keep)\b | cannot\s+\w+ |
        (not|never)\s+(allowed|permitted|free|able)\s+to\b | unable\s+to\b |
        (no|without(\s+any)?)\s+(mobile\s+|phone\s+|internet\s+)?(signal|coverage|reception|contact|phones?|internet|transport|
            way\s+(out|of\s+(leaving|getting)|to\s+(leave|get))|idea|choice|option|say|papers|passports?|tickets?|
            documents?|residence|visa|written\s+contracts?|contracts?|copy|copies|days?)\b |
        had\s+not\s+(set\s+foot|been\s+ashore|spoken|seen|had) | none\s+of\s+(the\s+)?(crew|men|women|them)\s+had\s+been |
        no\s+one\s+(had\s+)?(told|explained)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A positively worded absence: the compliant state itself ("held their own passports", "came and
# went freely", "paid at or above the minimum wage") reports that the practice was not found.
_COMPLIANT_STATE = re.compile(
    r"""\b(
        (in|within)\s+(their|his|her)\s+own\s+(possession|custody|hands|lockers?) |
        (held|kept|keep|hold|retained|retain|had)\s+(their|his|her)\s+own\s+(passports?|documents?|ID|identity|papers|cards?) |
        freely\b | free\s+to\s+(leave|go|come|move|resign|quit|change|refuse|decline) |
        (at|above|or\s+above)\s+(the\s+)?(legal\s+|national\s+|regional\s+|statutory\s+|local\s+)?minimum\s+wage |
        paid\s+(in\s+full|on\s+time|at\s+the\s+(legal|agreed|premium|overtime)\s+rate) |
        matched\s+(the\s+)?(time|payroll|attendance|wage|gate|bank)\s+records? | within\s+(the\s+)?(legal|code|permitted)\s+limits? |
        (aged|over|above)\s+18\b | (18|eighteen)\s+(years\s+)?or\s+(over|older|above) |
        in\s+good\s+(repair|condition|order) | voluntar(y|ily)\b | (was|were)\s+returned\s+to\s+(him|her|them|the\s+worker) |
        handed\s+(it|them)\s+back
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def describes_lack(text: str) -> bool:
    """The sentence's negation describes the abuse ("no rest day", "received no pay")."""
    return bool(_DESCRIBED_LACK.search(text))


def states_compliance(text: str) -> bool:
    """The sentence states a compliant condition ("held their own passports", "came and went freely")."""
    return bool(_COMPLIANT_STATE.search(text))


def can_be_none_found(text: str) -> bool:
    """`none_found` needs some negation in the sentence (no, not, none, never, without, free of)
    other than one that describes the abuse itself ("no rest day", "could not leave"), or wording
    that states the compliant condition ("held their own passports")."""
    return bool(_NEGATION.search(_DESCRIBED_LACK.sub(" ", text))) or states_compliance(text)


# Indicator lexicon, written from the ILO indicator definitions. It only *rescues* a sentence the
# trained topic model assigns to no indicator (see red_flags.decide): the trained model knows the
# phrasing it has seen; the lexicon covers vocabulary it has not. Status still comes from the
# status model, so a lexicon hit on a risk description or a corrective action raises nothing.
_LEXICON_SRC: dict[str, str] = {
    "abuse_of_vulnerability": r"undocumented|without (valid )?(work |residence )?permits?|irregular (immigration )?status|"
                              r"visas? (sponsorship|tied|depend)|tied to (the|their) employer|refugees?|vulnerab\w*|"
                              r"dependen(ce|t|cy) on|could not (read|write|speak)|illitera\w*|took advantage|take advantage|exploit\w*|"
                              r"(little|no) (formal )?(schooling|education)|did not (speak|understand|read) the|"
                              r"(poverty|impoverished|destitute|disabilit\w*|disabled)|in(to)? debt|without (papers|documents)|"
                              r"nowhere else to (live|go|stay)|(women'?s |homeless )?shelters?\b|blank (forms?|papers|contracts?)",
    "deception": r"promis\w*|mislead\w*|misled|deceiv\w*|decept\w*|contract substitution|(replaced|different|substituted) contracts?|"
                 r"differed from|not (been )?told (about|of|that|the)|recruited for .{0,40} but|unlicensed agenc\w+|"
                 r"false (information|job|promises?)|lied|told (workers|them|him|her) that .{0,80}\b(yet|but|whereas)|"
                 r"\btold [^.;]{0,80}\b(while|whereas)\b|advertis\w* [^.;]{0,60}\b(then|but|instead)\b|never (filed|applied|arranged|issued)",
    "restriction_of_movement": r"not (allowed|permitted|free) to (leave|go out|go ashore|go to town)|lock(ed)? (in|inside)|padlock\w*|"
                               r"curfews?|escort\w*|confine\w*|(gate|exit) pass\w*|permission to (leave|go out)|"
                               r"freedom of movement|go(ing)? ashore|could not leave|prevented from leaving|"
                               r"(to|could not|cannot|unable to) leave the (site|premises|compound|dormitory|factory|farm|camp|vessel|hostel)|"
                               r"kept the keys|(gates?|doors?) (were|was) (kept )?locked|guards? (at|on) the (gate|exit)|fenced|"
                               r"(approval|permission)\b[^.;]{0,60}\b(to leave|to go|to visit|be back)|go out only|"
                               r"only (go|went|leave|left) (out )?(on|once)|be back (with)?in",
    "isolation": r"isolat\w*|remote (site|camp|farm|location|area)s?|mobile phones?|(phones?|handsets?) (were|was) (taken|collected|confiscated)|"
                 r"no (phone|mobile) (signal|access)|contact (with )?(their )?famil\w*|cut off|visits? (by|from) relatives|"
                 r"not told where|could not (name|give the address)|outside world|no (means of )?transport|"
                 r"no contact with|SIM cards?|for weeks at a time",
    "physical_and_sexual_violence": r"slap\w*|\bhit\b|hitting|beat(en|ing|ings)?\b|kick\w*|punch\w*|assault\w*|violen\w*|sexual\w*|"
                                    r"harass\w*|unwanted touch\w*|corporal|physical(ly)? (abuse|punish\w*|disciplin\w*)|rape|"
                                    r"dragg(ed|ing)|shov\w*|pushed|struck|(made|forced) to (stand|kneel|squat)|humiliat\w*",
    "intimidation_and_threats": r"threat\w*|intimidat\w*|coach(ed|ing)|retaliat\w*|warned|blacklist\w*|"
                                r"reported to (immigration|the police|the authorities)|denounc\w*|shouted|insult\w*|"
                                r"would (be )?(lose|lost|fired|dismissed|sacked|sent home|deported|blacklisted)|"
                                r"(no|never) [^.;]{0,30}\b(hire|employ) (them|him|her) again",
    "retention_of_identity_documents": r"passports?|identity (cards?|documents?|papers|books?)|\bID (cards?|documents?|papers)|"
                                      r"work permits?|residence permits?|travel documents?|personal documents?|national ID",
    "withholding_of_wages": r"unpaid|not (been )?paid|withh(e|o)ld\w* (wages|pay|salar\w*)|wages? (were |was )?(delayed|withheld|held back)|"
                            r"(late|delayed|non-)payment|wage deposits?|deducti\w+|back pay|outstanding (wages|salar\w*)|"
                            r"paid (only )?(every|once) \w+ months|months? of (wages|salary|pay)|vouchers?|paid in kind|"
                            r"(bank|ATM|debit|salary) cards|PIN (numbers?|codes?)|bank accounts? (opened|controlled|held) by|"
                            r"(wages|salar\w*|pay) (were |was )?paid to (the )?(labour |recruitment )?(agent|broker|recruiter|agency)",
    "debt_bondage": r"\bdebts?\b|indebted|\bloans?\b|\bowe[ds]?\b|owing|salary advances?|\badvances\b|recruitment fees?|"
                    r"agent'?s? fees?|fees? (paid|charged)|moneylenders?|bonded|repa(y|id|yment)",
    "abusive_working_and_living_conditions": r"overcrowd\w*|ventilation|toilets?|drinking water|fire exits?|protective equipment|"
                                             r"\bPPE\b|gloves|masks|solvents?|chemicals?|sanitation|unsanitary|hygien\w*|"
                                             r"running water|sleeping quarters|slept in|living conditions|spoiled food|"
                                             r"degrading|hazardous (work|conditions)|fumes?\b|(fume|dust) extraction|headaches?|breathing (problems|difficult\w*)|"
                                             r"dizz\w*|faint(ed|ing)|heat ?stroke",
    "excessive_overtime": r"overtime|working hours|hours (a|per) week|\d+-hour|consecutive days|double shifts?|"
                          r"shifts? of (up to |over |more than )?\d+ hours|working weeks?|days? without (a )?(rest|break)|until \d+ ?(am|pm)|"
                          r"\d+ hours (a|per) (day|shift)|rest periods?",
    "child_labour": r"\bchild(ren)?\b|under-?age|minimum (working |legal )?age|\baged? 1[0-7]\b|under (the age of )?1[4-8]\b|"
                    r"\b1[0-7]-year-olds?\b|young workers?|juvenile|school (hours|age)|age verification|below the (legal )?(minimum )?age|"
                    r"(appeared|looked|seemed) to be (about |around |aged )?1[0-7]\b|(about|around) 1[0-7] years|\bminors?\b",
}
# Decisive vocabulary: wording that settles the indicator whatever else the sentence mentions. By
# the ILO definitions, unpaid overtime is a wage finding (not an hours one), a 16-year-old on night
# shifts with chemicals is child labour (not only a conditions finding), being let out only once a
# month is restricted movement, and a wage promise that was broken is deception.
_STRONG_SRC: dict[str, str] = {
    "child_labour": r"\bchild(ren)?\b|under-?age|\baged? 1[0-7]\b|\b([5-9]|1[0-7])-year-olds?\b|\bminors?\b|"
                    r"\b(boy|girl)s? (of|aged) ([5-9]|1[0-7])\b|"
                    r"below the (legal )?(minimum )?(working )?age|under (the age of )?1[4-8]\b|"
                    r"(appeared|looked|seemed) to be (about |around |aged )?1[0-7]\b|(about|around) 1[0-7] years",
    "withholding_of_wages": r"unpaid|(had|has|have) not (been )?paid|(was|were|had|has|have) not been paid|"
                            r"withh(e|o)ld\w* (their |the |workers' )?(wages|pay|salar\w*)|"
                            r"(wages|pay|salar\w*) (were |was |had been )?(delayed|withheld|held back|not paid)|"
                            r"months? of (unpaid )?(wages|salary|pay)|back pay|outstanding (wages|salar\w*)",
    "restriction_of_movement": r"not (allowed|permitted|free) to (leave|go out|go ashore|go to town)|"
                               r"(allowed|permitted) (to leave|out|into town|to go (out|into town|to town))\b[^.;]{0,30}\bonly\b|"
                               r"only (allowed|permitted) (to leave|out|into town|to go)|lock(ed)? (in|inside)|"
                               r"prevented from leaving|could not leave the",
    "deception": r"(were|was) (told|promised) [^.;]{0,100}\bbut\b|promised [^.;]{0,80}\b(but|instead|yet)\b|"
                 r"contract substitution|(replaced|substituted) contracts?|differed from what",
    "abuse_of_vulnerability": r"(spoke|speak|speaking) only \w+|only spoke \w+|no information (about|on) their rights|"
                              r"undocumented|without (valid )?(work |residence )?permits?|irregular (immigration )?status",
}
# Weak vocabulary: words that name an indicator only when nothing more specific is there ("on their
# day off" is about a rest day when the sentence is about hours, about leaving when it is about a gate).
_WEAK_SRC: dict[str, str] = {
    "excessive_overtime": r"rest days?|days? off",
}
LEXICON: dict[str, re.Pattern] = {k: re.compile(rf"\b({v})", re.IGNORECASE) for k, v in _LEXICON_SRC.items()}
STRONG_LEXICON: dict[str, re.Pattern] = {k: re.compile(rf"\b({v})", re.IGNORECASE) for k, v in _STRONG_SRC.items()}
WEAK_LEXICON: dict[str, re.Pattern] = {k: re.compile(rf"\b({v})", re.IGNORECASE) for k, v in _WEAK_SRC.items()}


def lexicon_indicators(text: str) -> list[str]:
    """Indicators whose vocabulary appears in the sentence (ILO-definition lexicon): the decisive
    vocabulary when any is there, else the ordinary one; the weak vocabulary counts only when no
    indicator's specific vocabulary does."""
    return list(_lexicon_hits(text))


@lru_cache(maxsize=8192)  # the policy grid of train_flags decides the same dev sentences many times
def _lexicon_hits(text: str) -> tuple[str, ...]:
    strong = tuple(k for k, rx in STRONG_LEXICON.items() if rx.search(text))
    if strong:
        return strong
    hits = tuple(k for k, rx in LEXICON.items() if rx.search(text))
    return hits or tuple(k for k, rx in WEAK_LEXICON.items() if rx.search(text))
