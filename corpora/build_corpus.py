"""Build the red-flag / evidence-status / due-diligence corpus this project writes itself.

    python corpora/build_corpus.py            # writes corpora/redflags_{train,dev,test}.jsonl

Every sentence comes from templates and slot fillers written by this team for this file (no text
copied from real statements or audit reports). Documents are generated whole, sentences in reading
order, in two registers:

* ``statement`` - modern slavery statement prose (UK / Australia / Canada / California style);
* ``audit`` - social-audit reports in the manner of common schemes: scope and method, findings
  (non-compliances, observations), facility policies, corrective-action plans.

Held-out generalisation: every template list and every slot-value list is cut into disjoint pools
(`pool_of`): pool ``a`` (3 of every 5 items) writes the train documents, pool ``c`` (1 of 5) the dev
documents and pool ``b`` (1 of 5) the test documents. A test sentence never uses a frame, a finding
clause, a practice phrase, a measure phrase, a country, sector, role or site name that a training or
dev sentence uses (short lists of 3-4 items keep only their last item for test), so the test score
measures generalisation to new wording rather than template recall; dev does the same for choosing
thresholds.

Deterministic: one seed, no clock, no set iteration order.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

SEED = 20240611
HERE = Path(__file__).resolve().parent

RED_FLAGS = (
    "abuse_of_vulnerability", "deception", "restriction_of_movement", "isolation",
    "physical_and_sexual_violence", "intimidation_and_threats", "retention_of_identity_documents",
    "withholding_of_wages", "debt_bondage", "abusive_working_and_living_conditions",
    "excessive_overtime", "child_labour",
)
FINER = (
    "policies", "training", "audits_monitoring", "grievance_mechanism",
    "supplier_contract_clauses", "supply_chain_disclosure", "recruitment_fees",
)
P, T, A, G, S, D, R = FINER  # short names used in the template tables below

# =================================================================================================
# slot fillers
# =================================================================================================

SLOTS: dict[str, list[str]] = {
    "country": ["Bangladesh", "Vietnam", "India", "Malaysia", "Thailand", "China", "Turkey", "Mexico",
                "Brazil", "Indonesia", "Pakistan", "Cambodia", "Sri Lanka", "Myanmar", "Ethiopia",
                "Morocco", "Guatemala", "Honduras", "the Philippines", "Ghana", "Côte d'Ivoire", "Peru",
                "Poland", "Romania", "Kenya", "Qatar", "the United Arab Emirates", "Jordan",
                "South Africa", "Spain", "Italy", "Egypt", "Ecuador", "Tanzania", "Colombia", "Laos"],
    "origin": ["Nepal", "Myanmar", "Bangladesh", "Indonesia", "the Philippines", "Cambodia", "Laos",
               "Ethiopia", "Uganda", "India", "Vietnam", "Sri Lanka", "Pakistan", "Kenya", "Ukraine",
               "Moldova"],
    "sector": ["garment", "electronics", "seafood processing", "fishing", "palm oil", "cocoa",
               "construction", "fresh produce", "poultry processing", "cleaning services", "logistics",
               "solar panel", "rubber glove", "footwear", "furniture", "toy", "mining", "hospitality",
               "food packaging", "cotton spinning", "horticulture", "meat processing", "security services",
               "tea", "coffee", "brick making", "leather tanning", "auto parts", "timber", "sugar cane"],
    "role": ["dormitory manager", "HR officer", "line supervisor", "security guard", "labour agent",
             "recruitment agent", "production manager", "factory owner", "site foreman", "labour broker",
             "canteen manager", "shift leader", "farm manager", "vessel captain", "subcontractor",
             "administration clerk", "compliance officer", "general manager", "crew boss", "plant director"],
    "site_a": ["Golden River", "Sunrise", "Blue Harbour", "Green Valley", "Eastern Star", "Pacific Rim",
               "Lotus", "Silver Bay", "Phoenix", "Evergreen", "Northern Light", "Jade Mountain", "Crown",
               "Orchid", "Summit", "Delta", "Meridian", "Red Lantern", "Coral", "Highland", "Twin Peaks",
               "Morning Dew", "Riverside", "Oceanic"],
    "site_b": ["Garments Ltd", "Textiles Co.", "Apparel Factory", "Electronics Co., Ltd", "Components",
               "Foods", "Seafood Processing", "Packaging", "Plastics", "Metalworks", "Furniture",
               "Farms", "Logistics", "Knitwear", "Agro Industries", "Manufacturing", "Tannery",
               "Precision Parts", "Poultry", "Estates"],
    "org": ["Northwind Retail", "Harbourview Group", "Calder Foods", "Ashgrove Holdings", "Bellmont Apparel",
            "Corvane Technologies", "Dunmore Logistics", "Elmstead Health", "Farrow & Lyle", "Glenrock Mining",
            "Hartwell Construction", "Ironbridge Engineering", "Juniper Home", "Kestrel Outdoor",
            "Larchfield Hospitality", "Merrow Pharmaceuticals", "Nettlebed Brewing", "Oakhurst Furniture",
            "Pemberton Energy", "Quillan Education", "Rowanby Supermarkets", "Saltmarsh Seafoods",
            "Thistledown Fashion", "Upwell Water", "Vantor Automotive", "Wexcombe Telecom",
            "Yarrow Agriculture", "Zennor Cosmetics", "Alder & Finch", "Brackenhurst Council"],
    "product": ["cotton T-shirts", "denim", "printed circuit boards", "frozen shrimp", "canned tuna",
                "palm oil", "cocoa beans", "steel fixings", "fresh berries", "chicken fillets",
                "solar modules", "nitrile gloves", "leather shoes", "wooden furniture", "plastic toys",
                "copper cathode", "uniforms", "cardboard packaging", "tea", "coffee", "bricks",
                "car seats", "cut flowers", "sugar", "timber", "laptops", "mobile phone chargers",
                "bed linen", "canned tomatoes", "rice"],
    "city": ["Dhaka", "Ho Chi Minh City", "Tiruppur", "Penang", "Bangkok", "Dongguan", "Izmir", "Monterrey",
             "Sao Paulo", "Surabaya", "Karachi", "Phnom Penh", "Colombo", "Yangon", "Hawassa", "Tangier",
             "Guatemala City", "San Pedro Sula", "Cebu", "Kumasi", "Abidjan", "Lima", "Lodz", "Cluj",
             "Nairobi", "Doha", "Dubai", "Amman", "Durban", "Murcia", "Prato", "Alexandria"],
    "person": ["Jane Okafor", "Daniel Reyes", "Priya Natarajan", "Tomás Herrera", "Mei Lin Tan",
               "Ahmed Karimi", "Sofia Lindqvist", "Oliver Brennan", "Grace Mwangi", "Lukas Novak",
               "Hannah Whitfield", "Ravi Menon", "Claire Dubois", "Samuel Adeyemi", "Yuki Sato",
               "Isabel Moreno"],
    "lang": ["Burmese", "Nepali", "Khmer", "Bengali", "Hindi", "Tamil", "Vietnamese", "Bahasa Indonesia",
             "Amharic", "Tagalog", "Urdu", "Thai"],
    "month": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"],
    "team": ["procurement team", "ethical trade team", "sustainability team", "compliance function",
             "supply chain team", "human rights working group", "sourcing office", "legal team"],
}
# numeric slots are not pooled: numbers are not what a template holds out
NUMERIC = {
    "n": (2, 19), "m": (20, 480), "k": (2, 9), "pct": (5, 95), "hours": (66, 88), "days": (14, 42),
    "age": (12, 15), "km": (25, 140), "weeks": (2, 12), "amount_num": (300, 4800), "year": (2021, 2025),
}
CURRENCY = ["USD", "US$", "EUR", "GBP", "MYR", "THB", "QAR", "AED"]


def pool_of(i: int, n: int) -> str:
    """Pool of item i in a list of n: a (train) 3 of 5, c (dev) 1 of 5, b (test) 1 of 5.

    Lists of 3 or 4 items keep their last item for b and share the rest between a and c; lists of
    fewer than 3 items are shared by all pools.
    """
    if n < 3:
        return "abc"
    if n < 5:
        return "b" if i == n - 1 else "ac"
    return {0: "a", 1: "a", 2: "a", 3: "c", 4: "b"}[i % 5]


def pools(items: list, pool: str) -> list:
    return [x for i, x in enumerate(items) if pool in pool_of(i, len(items))]


class Filler:
    """Fills {slot} names in a template; one value per slot name within a sentence."""

    _SLOT = re.compile(r"\{(\w+)\}")

    def __init__(self, rng: random.Random, pool: str, doc: dict):
        self.rng, self.pool, self.doc = rng, pool, doc
        self.values = {k: pools(v, pool) for k, v in SLOTS.items()}

    def value(self, name: str, cache: dict) -> str:
        if name in cache:
            return cache[name]
        r = self.rng
        base = name.rstrip("0123456789") if name[-1:].isdigit() and name.rstrip("0123456789") in (
            *SLOTS, "site") else name
        if name in self.doc:  # document-level constants (reporting entity, audited site, year...)
            v = self.doc[name]
        elif base == "site":
            v = f"{r.choice(self.values['site_a'])} {r.choice(self.values['site_b'])}"
        elif base in SLOTS:
            v = r.choice(self.values[base])
        elif name == "n_of_m":
            m = r.randrange(12, 60)
            v = f"{r.randrange(2, m // 2)} of {m}"
        elif name == "amount":
            v = f"{r.choice(CURRENCY)} {r.randrange(*NUMERIC['amount_num']):,}"
        elif name == "next_year":
            v = str(int(self.doc.get("year", 2023)) + 1)
        elif name == "date":
            v = f"{r.randrange(1, 29)} {r.choice(self.values['month'])} {int(self.doc.get('year', 2023)) + 1}"
        elif name in NUMERIC:
            lo, hi = NUMERIC[name]
            v = str(r.randrange(lo, hi + 1))
        else:
            raise KeyError(f"unknown slot {name!r}")
        cache[name] = v
        return v

    def fill(self, template: str, cache: dict | None = None) -> str:
        cache = {} if cache is None else cache
        return self._SLOT.sub(lambda m: self.value(m.group(1), cache), template)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


# =================================================================================================
# red flags: per indicator, observed finding clauses, practice noun phrases (bare, no article),
# prohibition verb phrases, indicator-specific prohibited / none_found sentences, corrective actions
# =================================================================================================

FLAGS: dict[str, dict[str, list[str]]] = {
    "abuse_of_vulnerability": {
        "obs": [
            "workers from {origin} without valid work permits were paid {pct}% less than local workers for the same job because management knew they could not complain",
            "the {role} hired undocumented workers from {origin} on the understanding that they would accept unpaid cleaning duties after their shifts",
            "migrant workers whose visas were tied to the employer were given the most hazardous tasks and told that changing jobs was impossible",
            "workers who could not read the local language had signed blank forms that management later used to impose unpaid duties",
            "{n} refugee workers supplied by an informal broker were paid below the legal minimum wage and had no written contracts",
            "management took advantage of workers' dependence on company housing by raising rent whenever workers asked for higher pay",
            "pregnant migrant workers were moved to night work and told they would lose their visa sponsorship if they refused",
            "the {role} kept workers' residence permits expired so that they depended on him for protection from the police",
            "workers recruited from remote villages in {origin} with little schooling were made to accept wage rates far below what they had agreed",
            "seasonal workers who spoke only {lang} were given no information about their rights and were paid piece rates below the minimum wage",
        ],
        "np": ["abuse of workers' vulnerability", "exploitation of migrant workers' irregular immigration status",
               "taking advantage of workers' lack of legal status or language skills",
               "exploitation of workers whose visas depend on their employer",
               "abuse of a position of vulnerability", "exploiting the dependency of migrant workers on their employer"],
        "vp": ["take advantage of workers' immigration status, poverty or lack of local language",
               "exploit workers whose visa, housing or income depends on the employer",
               "use a worker's irregular status or dependency to impose worse terms"],
        "pro": [
            "Suppliers must ensure that migrant workers enjoy the same terms as local workers and that nobody's immigration status is used against them.",
            "The facility's migrant worker policy guarantees that workers without local language skills receive contracts and training in their own language.",
            "Our Code states that a worker's dependence on the employer for a visa or housing must never be used to impose worse terms.",
            "Labour providers may not treat workers differently because of their nationality, visa status or language.",
            "Management confirmed in a signed policy that workers' immigration status will not be used to lower wages or working conditions.",
        ],
        "nf": [
            "Migrant workers interviewed were on the same pay scales and contracts as local workers, and no abuse of their status was identified.",
            "All foreign workers held valid permits in their own possession, and no worker reported being exploited because of their immigration status.",
            "Interviews in {lang} with {n} migrant workers found no sign that management was exploiting their visa dependency.",
            "We found no case in which a supplier took advantage of workers' vulnerability during the reporting period.",
        ],
        "cap": ["pay migrant workers at the same rates as local workers and back-pay the difference",
                "provide contracts in {lang} and explain them to every migrant worker",
                "regularise the work permits of all foreign workers at the employer's cost"],
    },
    "deception": {
        "obs": [
            "{n} workers recruited in {origin} had been promised a monthly wage of {amount} but received about half that amount on arrival",
            "the contracts workers signed in {origin} were replaced with different contracts, on worse terms, when they arrived in {country}",
            "workers had been recruited for hotel jobs but were sent to work on {sector} sites",
            "the recruitment agent told workers that accommodation and meals were free, yet the costs were deducted from their wages",
            "workers were given contracts only in a language they could not read, and the terms differed from what the agent had described",
            "job advertisements placed by the labour agent promised overtime premiums and paid leave that the facility never provided",
            "{n_of_m} interviewed workers said they had not been told before departure that they would work night shifts seven days a week",
            "workers believed they were employed by the factory, but records showed they were engaged by an unlicensed agency on daily rates",
            "the {role} told new recruits that the contract length was one year, while the signed contract bound them for three years",
            "workers were told their wages would be paid in US dollars but were paid in local currency at a rate set by the {role}",
        ],
        "np": ["deceptive recruitment", "contract substitution", "false promises about wages or working conditions",
               "misleading job offers", "deception about the nature and terms of the work",
               "recruitment based on false information"],
        "vp": ["make false promises to workers about pay, hours or the type of work",
               "replace a worker's agreed contract with one on worse terms",
               "mislead workers about their terms of employment during recruitment"],
        "pro": [
            "Workers must receive a written contract in a language they understand before they leave their home country, and its terms may not be changed on arrival.",
            "Our Responsible Recruitment Standard requires that job offers describe pay, hours and location truthfully.",
            "The agency agreement forbids any change to the terms agreed with workers at the point of recruitment.",
            "The facility's recruitment procedure requires that the contract signed in the sending country is the one applied on arrival.",
        ],
        "nf": [
            "Contracts signed in {origin} matched the contracts held at the factory for all {n} migrant workers sampled.",
            "Workers confirmed that the job, pay and hours matched what they had been told during recruitment.",
            "No evidence was found that workers had been misled about their terms of employment.",
            "Our review of recruitment files for {n} agencies found no case of contract substitution.",
        ],
        "cap": ["issue contracts that match the terms offered at recruitment and compensate affected workers",
                "stop using the unlicensed agency and employ all agency workers directly",
                "translate all employment contracts into {lang} and have them explained to workers"],
    },
    "restriction_of_movement": {
        "obs": [
            "workers were not allowed to leave the dormitory compound outside working hours without the {role}'s permission",
            "the factory gates were locked during shifts and workers needed a pass signed by the {role} to go out",
            "security guards escorted migrant workers between the dormitory and the production floor",
            "workers had to submit a written request {k} days in advance to leave the site on their day off",
            "{n_of_m} interviewed workers said they could not leave the plantation unless a supervisor went with them",
            "the exit doors of the sewing hall were padlocked from the outside during the night shift",
            "workers living in the hostel had a 7 pm curfew and were fined for returning late",
            "crew members were not permitted to go ashore when the vessel docked in port",
            "workers said the {role} kept the keys to the accommodation block and opened it only for shifts",
            "female workers were allowed into town only once a month, in a group supervised by the {role}",
        ],
        "np": ["restrictions on workers' freedom of movement", "locking workers in workplaces or dormitories",
               "confining workers to the premises", "curfews and movement controls on workers",
               "unreasonable restrictions on leaving the workplace or accommodation"],
        "vp": ["restrict workers' freedom to leave the workplace or their accommodation",
               "lock workers inside workplaces or dormitories",
               "require workers to ask permission to leave the premises outside working hours"],
        "pro": [
            "Workers must be free to leave the workplace at the end of their shift and to come and go from their accommodation at any time.",
            "Our Code requires that dormitory residents can enter and leave freely, and that exits are never locked.",
            "The facility's handbook states that workers do not need permission to leave the site outside working hours.",
            "Suppliers may not impose curfews or movement controls on workers living in employer-provided housing.",
        ],
        "nf": [
            "Workers confirmed that they could leave the dormitory freely after work and on rest days.",
            "Gates were open during the shift change and workers were seen leaving the site without restriction.",
            "No restrictions on workers' movement were observed at the site or in the dormitory.",
            "None of the {n} crew members interviewed reported being prevented from going ashore.",
        ],
        "cap": ["remove the padlocks from exit doors and keep all exits unlocked during working hours",
                "abolish the dormitory curfew and the exit pass system",
                "allow workers to leave the premises freely outside working hours and inform them of this in writing"],
    },
    "isolation": {
        "obs": [
            "crew on the longline vessel had no way to contact their families during {n} months at sea",
            "mobile phones were collected by the {role} at the start of each week and returned only on rest days",
            "the workers' camp was {km} km from the nearest town and no transport was provided",
            "interviewed workers could not name the town or give the address of the farm where they lived and worked",
            "visits by relatives, unions or NGO staff were not allowed at the dormitory",
            "domestic workers placed by the agency said they were not allowed to speak to anyone outside the household",
            "workers were housed inside the factory compound and had not left it since arriving {n} months earlier",
            "the site had no phone signal, and the only telephone was in the {role}'s office",
            "workers were moved between remote sites at night and were not told where they were going",
        ],
        "np": ["isolation of workers from family and the outside world", "confiscation of workers' mobile phones",
               "cutting workers off from communication with family and support services",
               "housing workers in remote places without any means of communication",
               "keeping workers isolated from the local community"],
        "vp": ["isolate workers from their families, communities or support organisations",
               "take away workers' phones or block their contact with the outside world",
               "house workers in remote sites without transport or means of communication"],
        "pro": [
            "Workers living at remote sites must have free access to telephones, internet and transport to the nearest town.",
            "Our Code requires that vessel crews can contact their families at least weekly while at sea.",
            "The facility policy states that workers keep their mobile phones and may receive visitors in common areas of the dormitory.",
            "Employers must not prevent workers from communicating with family members, unions or NGOs.",
        ],
        "nf": [
            "Workers kept their own mobile phones and the dormitory had free Wi-Fi.",
            "All crew members interviewed said they could call their families through the vessel's satellite link.",
            "No indication was found that workers were cut off from their families or the local community.",
            "Workers travelled to town on the daily shuttle bus and could receive visitors, so no isolation was identified.",
        ],
        "cap": ["return mobile phones to workers and stop collecting them",
                "provide a daily shuttle bus to the nearest town",
                "install free phone and internet access for crew and dormitory residents"],
    },
    "physical_and_sexual_violence": {
        "obs": [
            "{n} workers reported being slapped or pushed by a line supervisor when production targets were missed",
            "a female worker reported sexual harassment by the {role} and said no action was taken on her complaint",
            "interviewed workers described the {role} hitting a worker with a metal ruler in front of the line",
            "the grievance log recorded {n} complaints of physical assault by supervisors in the last year",
            "workers said the security guards beat a worker who tried to leave before the end of his contract",
            "two women described unwanted touching by a supervisor in the packing area",
            "crew members showed the auditor injuries they said were caused by beatings from the boatswain",
            "workers reported that the {role} demanded sexual favours in exchange for overtime or lighter tasks",
            "a worker who fell asleep on the night shift was kicked by the shift leader, according to {k} witnesses",
        ],
        "np": ["physical violence against workers", "sexual harassment and abuse", "corporal punishment",
               "physical or sexual violence", "beatings and other physical abuse of workers",
               "sexual abuse of workers"],
        "vp": ["use physical punishment or violence against workers",
               "subject workers to sexual harassment or abuse",
               "hit, push or otherwise physically discipline workers"],
        "pro": [
            "Any form of physical punishment, harassment or sexual abuse of workers is grounds for immediate termination of the supplier relationship.",
            "The facility's anti-harassment policy, signed by all supervisors, bans physical discipline and sexual harassment.",
            "Our Code requires suppliers to protect workers from violence and harassment of any kind, including by agents and security staff.",
            "Supervisors must never use force, threats of force or sexual advances towards workers.",
        ],
        "nf": [
            "Workers interviewed in private described supervisors as respectful, and no physical or sexual abuse was reported.",
            "The grievance log for the past {k} months contained no complaints of violence or harassment.",
            "No evidence of physical punishment or sexual harassment was identified during the assessment.",
            "Female workers interviewed separately reported no harassment by supervisors or security staff.",
        ],
        "cap": ["dismiss the supervisor involved and report the assault to the police",
                "set up an anti-harassment committee with elected women representatives",
                "train all supervisors on the ban on physical discipline and harassment"],
    },
    "intimidation_and_threats": {
        "obs": [
            "workers were told they would be dismissed and reported to immigration if they complained to the auditors",
            "the {role} threatened to withhold wages from workers who refused overtime",
            "workers appeared coached, and several said managers had warned them about what to say to auditors",
            "{n_of_m} workers said they were threatened with fines for taking sick leave",
            "union members reported being threatened with dismissal after a meeting with management",
            "workers said the labour agent threatened their families in {origin} when they asked to go home",
            "the {role} told workers that anyone who spoke to the auditors would be put on the first flight home",
            "workers reported that supervisors shouted insults and threatened to report them to the police",
            "crew members said the captain threatened to leave them at sea if they refused to continue working",
        ],
        "np": ["intimidation and threats against workers", "threats of dismissal or denunciation to the authorities",
               "threats of violence against workers or their families", "coercion through threats",
               "intimidation of workers who raise complaints"],
        "vp": ["threaten workers with dismissal, violence or denunciation to the authorities",
               "intimidate workers who raise complaints or speak to auditors",
               "use threats to make workers accept work they have not freely agreed to"],
        "pro": [
            "Retaliation against any worker who raises a concern or speaks to an auditor is a breach of our Code and will be investigated.",
            "The facility's grievance policy protects workers from threats and retaliation when they raise complaints.",
            "Suppliers must ensure that nobody threatens workers with dismissal, violence or reporting to the authorities.",
            "Our agreements with labour agents forbid any threat against workers or their families.",
        ],
        "nf": [
            "Workers spoke openly during interviews and none reported threats or intimidation by management.",
            "No sign of coaching or intimidation of workers was observed during the audit.",
            "Interviews with {n} workers, held off-site, found no evidence of threats or retaliation.",
            "We received no reports of workers being threatened at any of our supplier sites in {year}.",
        ],
        "cap": ["issue a written non-retaliation commitment to all workers and post it in {lang}",
                "stop the practice of fining workers and refund fines deducted",
                "hold a meeting with all workers to confirm that no one will be punished for speaking to auditors"],
    },
    "retention_of_identity_documents": {
        "obs": [
            "{n_of_m} workers' passports were held by the {role}",
            "the {role} kept the original identity cards of all migrant workers in a locked cabinet",
            "workers could get their passports back only by submitting a written request approved by the {role}",
            "the labour agent retained the work permits of {n} workers",
            "passports were found in the HR office safe, and workers said they did not know how to get them back",
            "the original ID cards of {n} workers were kept as security for recruitment loans",
            "workers had handed over their passports on arrival for 'safekeeping' and had no access to them",
            "the facility kept the passports of all {m} foreign workers and gave them photocopies instead",
            "seafarers' identity books were held by the vessel owner for the length of the contract",
            "new recruits had to leave their national ID cards with the {role} until the end of probation",
        ],
        "np": ["retention of workers' identity documents", "confiscation of passports or work permits",
               "holding workers' passports or ID cards", "withholding of identity documents",
               "employer custody of workers' passports", "retention of passports and other personal documents"],
        "vp": ["hold or retain workers' passports, identity cards or work permits",
               "confiscate workers' identity documents",
               "keep workers' original passports or ID cards, even for safekeeping"],
        "pro": [
            "Workers must keep their own passports and identity documents at all times; employers may hold only photocopies.",
            "The facility provides lockable lockers so that workers can keep their own passports.",
            "Our agency agreement states that the agency will never take custody of workers' passports or work permits.",
            "Under our Code, holding a worker's passport, even with the worker's consent, is not permitted.",
            "The factory's HR procedure limits document handling to taking copies and returning originals the same day.",
        ],
        "nf": [
            "All workers interviewed confirmed that they keep their own passports, and lockable storage is provided in the dormitory.",
            "The auditor checked the HR office and found only photocopies of identity documents, with originals held by workers.",
            "No evidence of passport retention was found.",
            "Each of the {n} migrant workers interviewed showed the auditor their own passport.",
            "There was no indication that the employer or agents held any worker's identity documents.",
        ],
        "cap": ["return all passports and ID cards to workers and provide lockable storage",
                "hand back the original identity documents to every worker within {k} days",
                "keep only photocopies of workers' identity documents from now on"],
    },
    "withholding_of_wages": {
        "obs": [
            "wages for {month} had not been paid to {n} workers at the time of the audit",
            "the first {k} months of wages were held back as a deposit payable at the end of the contract",
            "workers who resigned lost their last month's wages",
            "wages were paid to the labour agent rather than to workers, who received only part of them",
            "payroll records showed that overtime of up to {n} hours per month had not been paid",
            "{n} workers had not received two months of salary and their year-end bonus",
            "the employer paid wages only every three months, and workers had to borrow money to buy food",
            "{pct}% of each worker's monthly pay was withheld as a 'guarantee' against leaving early",
            "wage slips showed unexplained deductions, and workers said part of their pay was kept until the harvest ended",
            "crew members had not been paid for {k} months and were told they would receive all wages at the end of the voyage",
        ],
        "np": ["withholding of wages", "delayed or unpaid wages", "wage deposits held back by employers",
               "non-payment of wages", "holding back workers' pay", "unlawful deductions from wages"],
        "vp": ["withhold or delay the payment of wages",
               "keep part of workers' wages as a deposit or guarantee",
               "pay wages to agents instead of directly to workers"],
        "pro": [
            "Wages must be paid in full, on time, at least monthly and directly to each worker's own bank account.",
            "Our Code does not allow suppliers to keep any part of a worker's pay as a deposit or bond.",
            "The facility's pay policy requires monthly payment directly to workers, with itemised payslips.",
            "Suppliers may make no deductions from wages other than those required by law.",
        ],
        "nf": [
            "Payroll records for the last {k} months showed that all workers were paid in full and on time.",
            "Workers confirmed that they receive their wages monthly into their own bank accounts.",
            "No wage deposits, unpaid wages or unlawful deductions were found.",
            "A review of {m} payslips found no delayed payments or unexplained deductions.",
        ],
        "cap": ["pay all outstanding wages to the affected workers within {k} days",
                "return wage deposits to all workers and stop collecting them",
                "pay wages directly into workers' own bank accounts"],
    },
    "debt_bondage": {
        "obs": [
            "workers had paid recruitment fees of up to {amount} to agents in {origin} and were repaying loans through monthly wage deductions",
            "{n} workers owed the {role} money for travel and visa costs and said they could not leave until the debt was repaid",
            "salary advances were deducted at rates that kept workers in debt to the employer for more than a year",
            "interviewed workers reported borrowing from moneylenders at high interest to pay the agent's fees",
            "workers at the brick kiln were working to pay off advances taken by their families",
            "{n_of_m} migrant workers had paid fees equal to several months' wages to get the job",
            "the {role} charged workers for housing, tools and uniforms, and the amounts owed grew faster than their wages",
            "workers said they could not resign because their recruitment debt had not yet been paid off",
            "the company store sold food on credit at inflated prices, leaving workers permanently in debt to the farm",
        ],
        "np": ["debt bondage", "recruitment debt that binds workers to the job",
               "workers paying recruitment fees to get a job", "manipulation of debt to tie workers to an employer",
               "bonded labour", "charging recruitment fees to workers"],
        "vp": ["charge workers recruitment fees or use debts to tie them to the job",
               "make workers repay loans through wage deductions that keep them in debt",
               "require workers to pay for their jobs, travel or visas"],
        "pro": [
            "No worker should pay for a job: recruitment fees and related costs must be borne by the employer.",
            "Our Code forbids suppliers and their agents to charge workers any fee, deposit or cost for recruitment.",
            "The agency agreement requires the agency to refund any fee a worker was charged, whoever charged it.",
            "Salary advances to workers are capped at one month's wages and may not carry interest, under the facility's policy.",
        ],
        "nf": [
            "None of the {n} migrant workers interviewed had paid recruitment fees or owed money to the employer or agents.",
            "Recruitment costs were paid by the employer, and workers confirmed they had no debts linked to their jobs.",
            "No evidence of debt bondage was found.",
            "Our review of recruitment records in {origin} found no fees charged to workers.",
        ],
        "cap": ["reimburse recruitment fees paid by workers in full",
                "cancel all outstanding worker debts to the employer and agents",
                "end wage deductions for recruitment costs and repay amounts already deducted"],
    },
    "abusive_working_and_living_conditions": {
        "obs": [
            "the dormitory housed {n} workers per room, with no ventilation and one toilet for {m} people",
            "workers handled solvents without gloves or masks, and no safety data sheets were available",
            "drinking water was not available on the production floor",
            "the fire exits of the dormitory were blocked by stored materials",
            "workers slept in the warehouse next to stored chemicals",
            "the accommodation had no running water, and workers bathed in an irrigation canal",
            "workers in the spray area showed skin rashes and said they had never been given protective equipment",
            "{n} workers shared a container without windows as sleeping quarters",
            "the canteen served spoiled food and workers reported frequent stomach illness",
            "workers on the fishing vessel slept in the fish hold and had no proper toilet",
        ],
        "np": ["degrading living conditions", "abusive working and living conditions",
               "unsafe and unsanitary accommodation", "hazardous working conditions without protection",
               "overcrowded worker housing", "degrading treatment at work"],
        "vp": ["subject workers to degrading working or living conditions",
               "house workers in overcrowded, unsafe or unsanitary accommodation",
               "expose workers to hazards without protective equipment"],
        "pro": [
            "Employer-provided housing must meet minimum standards on space, ventilation, sanitation and fire safety.",
            "Our Code requires suppliers to provide safe and hygienic workplaces, clean drinking water and decent accommodation.",
            "The facility's health and safety policy requires protective equipment for every worker handling chemicals.",
            "Suppliers must not house workers in production areas or warehouses.",
        ],
        "nf": [
            "Dormitory rooms housed no more than four workers each, with working showers, toilets and fire exits.",
            "Workers had protective equipment suitable for their tasks, and drinking water was available on each floor.",
            "No degrading working or living conditions were observed.",
            "The accommodation inspected met local housing standards, and no health and safety hazards were noted.",
        ],
        "cap": ["reduce dormitory occupancy and provide one toilet for every {k} residents",
                "clear all fire exits and hold an evacuation drill",
                "provide protective equipment and chemical safety training to all workers in the spray area"],
    },
    "excessive_overtime": {
        "obs": [
            "time records showed workers working up to {hours} hours a week during the peak season",
            "workers worked {days} consecutive days without a rest day",
            "{n_of_m} sampled workers exceeded 60 hours a week in {month}",
            "overtime was compulsory, and workers who refused it were fined",
            "two sets of time records were found, and the real records showed shifts of 14 hours",
            "the packing line ran double shifts for {weeks} weeks, with workers averaging {hours} hours per week",
            "workers reported working until 2 am to finish urgent orders, then starting again at 8 am",
            "drivers' logs showed {hours}-hour working weeks over the last quarter",
            "workers said they could not refuse overtime during the export season because they would lose their jobs",
            "the clock-in records showed that {pct}% of workers had no day off in {month}",
        ],
        "np": ["excessive overtime", "forced overtime", "working hours beyond legal limits",
               "compulsory overtime", "excessive working hours", "working weeks of more than 60 hours"],
        "vp": ["require workers to work excessive or compulsory overtime",
               "make workers work more than 60 hours a week or without a weekly day off",
               "force workers to accept overtime"],
        "pro": [
            "Working hours may not exceed 48 regular hours and 12 voluntary overtime hours a week, with at least one day off in seven.",
            "Our Code requires that all overtime is voluntary and paid at a premium rate.",
            "The facility's working-hours policy sets a limit of 60 hours a week and guarantees one rest day in seven.",
            "Suppliers must not make overtime compulsory or punish workers who decline it.",
        ],
        "nf": [
            "Working hours for all {n} sampled workers were within 60 hours a week, with one rest day in seven.",
            "Time records, payroll and interviews were consistent, and overtime was voluntary.",
            "No excessive or forced overtime was identified in the records reviewed.",
            "Workers confirmed that overtime is optional and that they have Sundays off.",
        ],
        "cap": ["limit weekly working hours to 60 and ensure one rest day in seven",
                "keep a single, accurate set of time records",
                "make overtime voluntary and record each worker's consent"],
    },
    "child_labour": {
        "obs": [
            "{n} workers aged {age} were found working in the packing section",
            "the auditor identified two workers under the legal minimum working age of 15, based on their ID documents",
            "children were seen harvesting on the farm during school hours",
            "a worker appeared to be about {age}; his ID card had been borrowed from an older relative",
            "workers aged 16 and 17 were working night shifts and handling chemicals",
            "{n} children of migrant workers were helping their parents sort {product} in the warehouse",
            "personnel files showed that {n} workers were under 15 when they were hired",
            "the subcontracted workshop employed children as young as {age} to stitch {product}",
            "a {age}-year-old girl was working as a domestic helper in the manager's house on the estate",
        ],
        "np": ["child labour", "employment of children", "use of workers below the minimum working age",
               "hazardous work by young workers under 18", "employment of workers under the legal minimum age",
               "the worst forms of child labour"],
        "vp": ["employ children or workers below the legal minimum age",
               "hire anyone under the age of 15, or under 18 for hazardous or night work",
               "use child labour at any stage of production"],
        "pro": [
            "The facility does not hire anyone under 18, as stated in its recruitment policy.",
            "Suppliers must verify the age of every worker with original documents before hiring.",
            "Our Code sets the minimum working age at 15, or the local legal age if higher, and bars workers under 18 from hazardous work.",
            "The recruitment procedure requires age verification and forbids hiring workers under the legal minimum age.",
            "Young workers aged 16 to 17 may not work at night or in hazardous areas under the facility's policy.",
        ],
        "nf": [
            "All {m} personnel files contained age verification documents, and every worker was over 18.",
            "Age checks confirmed that no worker at the site was younger than 16.",
            "No child labour was found.",
            "The auditor saw no children in the production areas, and ID documents confirmed workers' ages.",
            "No workers under the minimum working age were identified.",
        ],
        "cap": ["remove the under-age workers from work, keep paying their wages and support their return to school",
                "introduce age verification with original documents for every new hire",
                "stop assigning young workers to night shifts and hazardous tasks"],
    },
}

# -- status frames for red flags ------------------------------------------------------------------
# Each frame: (template, finer labels, evidence status or None). {c} = finding clause (lowercase),
# {C} = capitalised clause, {np}/{NP} = practice noun phrase, {vp} = practice verb phrase.

OBS_AUDIT = [
    ("Auditor observed that {c}.", [], None),
    ("During the site tour, the auditor noted that {c}.", [], None),
    ("Worker interviews revealed that {c}.", [], None),
    ("Non-compliance: {C}.", [], None),
    ("Finding: {C}.", [], None),
    ("Document review showed that {c}.", [], None),
    ("It was found that {c}.", [], None),
    ("The audit team confirmed that {c}.", [], None),
    ("Major non-compliance - {C}.", [], None),
    ("Interviewed workers stated that {c}.", [], None),
    ("Critical finding: {C}.", [], None),
    ("Based on interviews and a review of records, {c}.", [], None),
    ("Upon inspection of the dormitory and workshop, the auditor found that {c}.", [], None),
    ("NC {k}: {C} (confirmed by management).", [], None),
    ("The assessor verified that {c}.", [], None),
    ("Several workers confirmed that {c}.", [], None),
    ("Evidence obtained during the audit shows that {c}.", [], None),
    ("Zero-tolerance issue identified: {c}.", [], None),
    ("Cross-checking of records with worker testimony established that {c}.", [], None),
    ("Observation: {C}.", [], None),
    ("At the time of the visit, {c}.", [], None),
    ("Management admitted that {c}.", [], None),
    ("The auditor was informed by {k} workers that {c}.", [], None),
    ("Issue raised: {C}, in breach of local law and the code.", [], None),
]
OBS_STATEMENT = [
    ("In {year}, an audit of a {sector} supplier in {country} found that {c}.", [A], "implemented"),
    ("Our investigation at a tier-2 supplier confirmed that {c}.", [], None),
    ("During the reporting period we identified one case in which {c}.", [], None),
    ("A third-party assessment of {site} in {country} revealed that {c}.", [A], "implemented"),
    ("Through our grievance mechanism we learned that {c}, and we opened an investigation.", [G], "implemented"),
    ("Unannounced visits in {year} established that {c}.", [A], "implemented"),
    ("We found that {c} at a {sector} supplier in {country}, and we agreed a remediation plan with the supplier.", [], None),
    ("Our monitoring showed that, at one {sector} site in {country}, {c}.", [A], "implemented"),
    ("A case reported to us by an NGO was confirmed: {c}.", [], None),
    ("Last year our supplier audits uncovered an instance where {c}.", [A], "implemented"),
    ("At a contractor's site in {country}, our team discovered that {c}.", [], None),
    ("One of our labour-hire providers was found to have breached our Code: {c}.", [], None),
]
PRO_NP = [
    ("Our Supplier Code of Conduct prohibits {np}.", [P], "implemented"),
    ("{org} has zero tolerance for {np}.", [P], "vague"),
    ("{NP} is strictly prohibited under our Code of Conduct.", [P], "implemented"),
    ("Our Human Rights Policy explicitly forbids {np} in our own operations and supply chain.", [P], "implemented"),
    ("Under our standard supplier contract, {np} is a material breach that allows us to terminate the agreement.", [S], "implemented"),
    ("We do not tolerate {np} in any form.", [P], "vague"),
    ("The facility has a written policy prohibiting {np}.", [P], "implemented"),
    ("The employee handbook states that {np} is not permitted.", [P], "implemented"),
    ("Section {k} of the Supplier Code bans {np}.", [P], "implemented"),
    ("{org} will not do business with suppliers that engage in {np}.", [P], "implemented"),
    ("Our Responsible Sourcing Standard sets out that {np} is unacceptable.", [P], "implemented"),
    ("The Code, which every supplier must sign, forbids {np}.", [P, S], "implemented"),
    ("Labour agencies we work with must confirm in writing that they do not engage in {np}.", [S], "implemented"),
    ("{NP} is prohibited by the facility's code of conduct, which is posted in {lang} and English.", [P], "implemented"),
    ("Our purchase terms make clear that {np} will not be accepted anywhere in the supply chain.", [S], "implemented"),
    ("We expressly prohibit {np} by our suppliers, their subcontractors and agents.", [P], "implemented"),
    ("Management has signed a commitment banning {np} at the site.", [P], "implemented"),
    ("In line with ILO standards, our policy bans {np}.", [P], "implemented"),
    ("Policy review: the site's social compliance manual prohibits {np}.", [P], "implemented"),
    ("Our contracts with labour providers forbid {np} and allow unannounced checks.", [S, A], "implemented"),
]
PRO_VP = [
    ("Suppliers must not {vp}.", [P], "implemented"),
    ("Under our Code, suppliers and their labour agents shall not {vp}.", [P], "implemented"),
    ("No supplier, subcontractor or agent may {vp}.", [P], "implemented"),
    ("Our contracts require that suppliers never {vp}.", [S], "implemented"),
    ("The facility's policy states that management will not {vp}.", [P], "implemented"),
    ("We require every supplier to commit in writing that it will not {vp}.", [S], "implemented"),
    ("Our Code makes clear that no one working on our behalf may {vp}.", [P], "implemented"),
    ("Employers in our supply chain are not allowed to {vp}.", [P], "implemented"),
    ("It is against our policy to {vp}.", [P], "implemented"),
    ("The factory rules, displayed at the entrance, state that supervisors may not {vp}.", [P], "implemented"),
    ("Our standards say clearly that suppliers are never permitted to {vp}.", [P], "implemented"),
    ("Contractors on our sites are forbidden to {vp}.", [P], "implemented"),
]
NF_NP = [
    ("No evidence of {np} was found.", [], "negative"),
    ("No instances of {np} were identified during the audit.", [], "negative"),
    ("The auditor found no indication of {np}.", [], "negative"),
    ("There was no evidence of {np} at the facility.", [], "negative"),
    ("We have not identified any cases of {np} in our operations or supply chain.", [], "negative"),
    ("To date, {org} has not found any {np} in its supply chain.", [], "negative"),
    ("During the reporting period, no incidents of {np} were reported or identified.", [], "negative"),
    ("Worker interviews did not reveal any {np}.", [], "negative"),
    ("A review of {m} personnel files and {n} worker interviews found no {np}.", [A], "implemented"),
    ("Our {year} audit programme covered {m} sites and found no {np}.", [A], "implemented"),
    ("None of the workers interviewed reported {np}.", [], "negative"),
    ("No {np} was observed during the site tour.", [], "negative"),
    ("Compliant: no {np} found.", [], "negative"),
    ("{org} is not aware of any {np} in its supply chain.", [], "negative"),
    ("Checks carried out in {year} did not identify {np} at any tier-1 supplier.", [A], "implemented"),
    ("The assessment did not find {np}.", [], "negative"),
    ("We are pleased to report that no {np} was detected at our suppliers this year.", [], "negative"),
    ("Result: conforms - no {np} identified.", [], "negative"),
    ("Our supplier audits in {country} found no {np}.", [A], "implemented"),
    ("No findings related to {np} were raised.", [], "negative"),
]
# risk descriptions, training content, questionnaires, conditional procedures: the practice is
# mentioned, but nothing is reported as observed, prohibited or found absent (hard negatives)
MENTION = [
    ("The {sector} sector in {country} carries a known risk of {np}.", [], None),
    ("Migrant workers in {sector} supply chains are particularly exposed to {np}.", [], None),
    ("Industry reports have linked {sector} production in {country} to {np}.", [], None),
    ("Our risk assessment ranks {np} among the most salient risks for {sector} suppliers.", [], None),
    ("Our training helps buyers recognise the signs of {np}.", [T], "implemented"),
    ("The supplier questionnaire asks whether the site has procedures to prevent {np}.", [A], "implemented"),
    ("If {np} is identified at a supplier, we will work with the supplier on a remediation plan.", [], None),
    ("The ILO lists {np} among its indicators of forced labour.", [], None),
    ("This section explains how we assess the risk of {np} in our supply chain.", [], None),
    ("High-risk countries for {np} include {country} and {country2}.", [], None),
    ("We recognise that {np} can occur in any sector, including ours.", [], "vague"),
    ("The risk of {np} is higher where workers are hired through informal labour brokers.", [], None),
    ("Auditors are instructed to look for signs of {np} during every site visit.", [A], "implemented"),
    ("Key questions for the interview: whether workers have experienced {np}.", [], None),
    ("Our new e-learning module explains what {np} means in practice.", [T], "implemented"),
    ("The {sector} industry has faced media reports about {np} in recent years.", [], None),
    ("Where the risk of {np} is high, we prioritise suppliers for on-site assessment.", [A], "implemented"),
    ("Guidance for suppliers on preventing {np} is available on our supplier portal.", [P], "implemented"),
    ("Seasonal peaks in demand can increase the risk of {np} at our suppliers.", [], None),
    ("Stakeholders asked us to explain how we address {np}.", [], None),
]
CAP_FRAMES = [
    ("Corrective action: {cap} within {days} days.", [], "commitment"),
    ("The facility agreed to {cap} by {date}.", [], "commitment"),
    ("Management committed to {cap} before the follow-up audit.", [], "commitment"),
    ("Required action: {cap}.", [], "commitment"),
    ("CAP item {k}: {cap} (deadline {date}).", [], "commitment"),
    ("The supplier will {cap} and submit evidence within {days} days.", [], "commitment"),
    ("Recommended remediation: {cap}.", [], "commitment"),
    ("We have asked the supplier to {cap}, and we will verify this at a follow-up visit.", [], "commitment"),
    ("Root-cause analysis and plan: {cap} by {date}.", [], "commitment"),
    ("Our remediation plan requires the supplier to {cap}.", [], "commitment"),
    ("By the next visit, the site must {cap}.", [], "commitment"),
    ("Follow-up: the factory has undertaken to {cap}.", [], "commitment"),
]

# =================================================================================================
# due-diligence measures: (past, base, noun phrase) per finer label, and status frames
# =================================================================================================

MEASURES: dict[str, list[tuple[str, str, str]]] = {
    P: [
        ("adopted a modern slavery policy approved by the board", "adopt a modern slavery policy approved by the board", "a modern slavery policy approved by the board"),
        ("updated our Supplier Code of Conduct to cover forced labour and child labour", "update our Supplier Code of Conduct to cover forced labour and child labour", "a Supplier Code of Conduct that covers forced labour and child labour"),
        ("published a human rights policy that applies to all our operations", "publish a human rights policy that applies to all our operations", "a human rights policy covering all our operations"),
        ("translated our ethical trading policy into {n} languages", "translate our ethical trading policy into the languages of our suppliers' workers", "an ethical trading policy in local languages"),
        ("introduced a responsible sourcing policy for high-risk raw materials", "introduce a responsible sourcing policy for high-risk raw materials", "a responsible sourcing policy for high-risk raw materials"),
        ("approved a procurement policy that builds human-rights criteria into tenders", "approve a procurement policy that builds human-rights criteria into tenders", "a procurement policy with human-rights criteria for tenders"),
        ("issued a group-wide policy on forced labour and human trafficking", "issue a group-wide policy on forced labour and human trafficking", "a group-wide policy on forced labour and human trafficking"),
        ("revised our labour standards policy after consulting trade unions", "revise our labour standards policy with input from trade unions", "a labour standards policy agreed with trade unions"),
        ("established a written policy on working hours, wages and freedom of association at the site", "establish a written policy on working hours, wages and freedom of association", "a written labour policy covering hours, wages and freedom of association"),
        ("embedded modern slavery commitments in our ethics policy and our sourcing manual", "embed modern slavery commitments in our ethics policy and sourcing manual", "modern slavery commitments in our ethics policy and sourcing manual"),
        ("set out our expectations of suppliers in a new ethical sourcing code", "set out our expectations of suppliers in a new ethical sourcing code", "an ethical sourcing code setting out our expectations of suppliers"),
        ("aligned our human rights policy with the UN Guiding Principles", "align our human rights policy with the UN Guiding Principles", "a human rights policy aligned with the UN Guiding Principles"),
    ],
    T: [
        ("trained {m} buyers and sourcing managers on forced-labour indicators", "train all buyers and sourcing managers on forced-labour indicators", "forced-labour training for buyers and sourcing managers"),
        ("held modern slavery awareness sessions for {m} warehouse supervisors", "hold modern slavery awareness sessions for all warehouse supervisors", "modern slavery awareness sessions for supervisors"),
        ("added a mandatory e-learning module on modern slavery to staff induction", "add a mandatory e-learning module on modern slavery to staff induction", "a mandatory modern slavery e-learning module for new staff"),
        ("delivered training on ethical recruitment to {n} labour agencies", "deliver training on ethical recruitment to our labour agencies", "ethical recruitment training for labour agencies"),
        ("trained HR staff at the facility on age verification and the protection of young workers", "train HR staff on age verification and the protection of young workers", "training for HR staff on age verification"),
        ("hosted workshops on forced-labour risks for {n} key suppliers", "host workshops on forced-labour risks for key suppliers", "supplier workshops on forced-labour risks"),
        ("required procurement staff to complete annual human-rights training", "require procurement staff to complete annual human-rights training", "annual human-rights training for procurement staff"),
        ("trained {pct}% of our employees to spot the signs of modern slavery", "train every employee to spot the signs of modern slavery", "training for all employees on spotting the signs of modern slavery"),
        ("briefed the board on modern slavery risks and legal duties", "brief the board on modern slavery risks and legal duties", "board training on modern slavery risks"),
        ("coached site managers in {country} on responsible recruitment and grievance handling", "coach site managers on responsible recruitment and grievance handling", "coaching for site managers on responsible recruitment"),
        ("provided worker rights training in {lang} to {m} workers at supplier sites", "provide worker rights training in local languages at supplier sites", "worker rights training in local languages"),
        ("certified {n} members of our sourcing team through an external course on human rights due diligence", "put our sourcing team through an external course on human rights due diligence", "an external human rights due diligence course for the sourcing team"),
    ],
    A: [
        ("carried out {n} unannounced social audits at high-risk suppliers", "carry out unannounced social audits at all high-risk suppliers", "an unannounced social audit programme for high-risk suppliers"),
        ("sent self-assessment questionnaires to {m} tier-1 suppliers", "send self-assessment questionnaires to all tier-1 suppliers", "a supplier self-assessment questionnaire"),
        ("commissioned independent audits of {n} factories in {country}", "commission independent audits of our factories in {country}", "independent audits of our factories"),
        ("screened all new suppliers against a modern slavery risk matrix", "screen all new suppliers against a modern slavery risk matrix", "risk screening of new suppliers"),
        ("conducted worker-voice surveys at {n} supplier sites", "conduct worker-voice surveys at supplier sites", "worker-voice surveys at supplier sites"),
        ("verified the closure of corrective action plans at {n} sites through follow-up visits", "verify the closure of corrective action plans through follow-up visits", "follow-up verification of corrective action plans"),
        ("reviewed {n} labour providers through quarterly compliance checks", "review our labour providers through quarterly compliance checks", "quarterly compliance checks of labour providers"),
        ("assessed {m} suppliers through an online human-rights risk platform", "assess every supplier through an online human-rights risk platform", "an online human-rights risk assessment of suppliers"),
        ("visited {n} farms in {country} to check labour conditions", "visit farms in our supply chain to check labour conditions", "farm visits to check labour conditions"),
        ("tracked audit findings in a central database reviewed every month", "track audit findings in a central database reviewed every month", "a central database of audit findings"),
        ("completed human-rights due diligence on {n} new suppliers before onboarding", "complete human-rights due diligence on every new supplier before onboarding", "pre-onboarding human-rights due diligence"),
        ("ran a traceability exercise for {product} back to the processing sites", "run a traceability exercise for {product} back to the processing sites", "traceability checks for {product}"),
    ],
    G: [
        ("launched a confidential whistleblowing hotline available in {n} languages", "launch a confidential whistleblowing hotline in local languages", "a confidential whistleblowing hotline"),
        ("extended our grievance mechanism to workers at supplier sites", "extend our grievance mechanism to workers at supplier sites", "a grievance mechanism open to workers at supplier sites"),
        ("set up an anonymous worker helpline run by an independent provider", "set up an anonymous worker helpline run by an independent provider", "an independent anonymous worker helpline"),
        ("installed suggestion boxes and set up a worker committee to handle complaints", "install suggestion boxes and set up a worker committee to handle complaints", "a worker committee and suggestion boxes for complaints"),
        ("investigated all {n} reports received through our Speak Up line", "investigate every report received through our Speak Up line", "a Speak Up line for raising concerns"),
        ("introduced a mobile reporting app for migrant workers in {country}", "introduce a mobile reporting app for migrant workers", "a mobile grievance app for migrant workers"),
        ("published a procedure explaining how complaints are handled and how complainants are protected", "publish a procedure explaining how complaints are handled and how complainants are protected", "a published complaints procedure that protects complainants"),
        ("trained worker representatives to receive and escalate grievances", "train worker representatives to receive and escalate grievances", "worker representatives who receive and escalate grievances"),
        ("opened a toll-free line in {lang} for workers to report abuse", "open a toll-free line in workers' languages for reporting abuse", "a toll-free line for reporting abuse"),
        ("made our whistleblowing channel available to contractors and members of the public", "make our whistleblowing channel available to contractors and the public", "a whistleblowing channel open to contractors and the public"),
    ],
    S: [
        ("added modern slavery clauses to all new supplier contracts", "add modern slavery clauses to all new supplier contracts", "modern slavery clauses in supplier contracts"),
        ("required suppliers to sign our Code of Conduct as a condition of contract", "require suppliers to sign our Code of Conduct as a condition of contract", "a contractual requirement to sign our Code of Conduct"),
        ("included audit and termination rights in our purchase terms", "include audit and termination rights in our purchase terms", "audit and termination rights in our purchase terms"),
        ("amended our framework agreements so that suppliers must pass these obligations on to subcontractors", "amend our framework agreements so that suppliers pass these obligations on to subcontractors", "flow-down obligations in framework agreements"),
        ("inserted a clause requiring labour agencies to warrant compliance with anti-slavery laws", "insert a clause requiring labour agencies to warrant compliance with anti-slavery laws", "a contractual warranty of compliance with anti-slavery laws"),
        ("updated our tender documents so that bidders must disclose their labour practices", "update our tender documents so that bidders must disclose their labour practices", "labour-practice disclosure requirements in tender documents"),
        ("made compliance with our labour standards a condition in every purchase order", "make compliance with our labour standards a condition of every purchase order", "labour-standards conditions in purchase orders"),
        ("wrote responsible purchasing commitments on lead times and prices into supplier agreements", "write responsible purchasing commitments on lead times and prices into supplier agreements", "responsible purchasing commitments in supplier agreements"),
        ("renegotiated {n} contracts to add remediation and cooperation duties", "renegotiate key contracts to add remediation and cooperation duties", "remediation and cooperation duties in our contracts"),
        ("added a right to unannounced inspections to our contracts with {n} logistics providers", "add a right to unannounced inspections to our logistics contracts", "a contractual right to unannounced inspections"),
    ],
    D: [
        ("published the names and addresses of our {m} tier-1 factories", "publish the names and addresses of our tier-1 factories", "a public list of our tier-1 factories with names and addresses"),
        ("disclosed our tier-2 fabric mills and dye houses on our website", "disclose our tier-2 fabric mills and dye houses", "a public list of tier-2 mills and dye houses"),
        ("shared our full supplier list, with worker numbers per site, on an open supply-chain database", "share our full supplier list on an open supply-chain database", "an open-data list of supplier sites"),
        ("named our {n} largest suppliers, with their countries, in an annex to this statement", "name our largest suppliers and their countries in this statement", "a named list of our largest suppliers"),
        ("mapped and published the smelters and refiners in our metals supply chain", "map and publish the smelters and refiners in our metals supply chain", "a published list of smelters and refiners"),
        ("released a map of the mills and plantations that supply our palm oil", "release a map of the mills and plantations that supply our palm oil", "a public map of the mills and plantations we source from"),
        ("listed every processing site for our {product} with its address and product category", "list every processing site for our {product} with its address", "a site list with addresses for our {product} suppliers"),
        ("disclosed the names of the labour agencies that supply workers to our sites", "disclose the names of the labour agencies that supply workers to our sites", "a published list of our labour agencies"),
    ],
    R: [
        ("adopted the Employer Pays Principle for all recruitment in our supply chain", "adopt the Employer Pays Principle for all recruitment in our supply chain", "an Employer Pays Principle commitment"),
        ("required labour agencies to confirm that no worker paid any fee for their job", "require labour agencies to confirm that no worker paid any fee for their job", "a no-fees confirmation from labour agencies"),
        ("audited {n} recruitment agencies in {origin} for fee charging", "audit our recruitment agencies in sending countries for fee charging", "audits of recruitment agencies for fee charging"),
        ("mapped the recruitment corridor from {origin} to {country} to trace the costs workers pay", "map our recruitment corridors to trace the costs workers pay", "mapping of recruitment corridors and worker-paid costs"),
        ("budgeted for the full cost of recruiting migrant workers, including visas and travel", "budget for the full cost of recruiting migrant workers, including visas and travel", "employer-paid recruitment, visa and travel costs"),
        ("switched to a fee-free ethical recruitment partner in {origin}", "switch to fee-free ethical recruitment partners", "a fee-free ethical recruitment channel"),
        ("surveyed {m} migrant workers about fees they paid before departure", "survey migrant workers about fees paid before departure", "a survey of migrant workers on pre-departure fees"),
        ("joined an industry scheme that verifies recruitment fees are not charged to workers", "join an industry scheme that verifies no fees are charged to workers", "membership of a scheme that verifies zero recruitment fees"),
    ],
}

IMPL_PAST = [
    "In {year}, {org} {past}.", "During the reporting period, we {past}.", "Over the past year, our {team} {past}.",
    "As part of our due-diligence programme, we {past}.", "Last year we {past}.", "Since our previous statement, we have {past}.",
    "This year we {past}, which was a priority identified in our last statement.", "In {month} {year}, we {past}.",
    "Following our risk assessment, we {past}.", "Our {team} {past} in the first half of {year}.",
    "Progress in {year}: we {past}.", "{org} {past} during the financial year.",
    "To strengthen our approach, we {past}.", "Key actions this year: we {past}.",
    "Management at the facility {past}.", "In response to stakeholder feedback, we {past}.",
    "As reported in our KPIs, we {past} in {year}.", "By the end of the period, the {team} had {past}.",
]
IMPL_NP = [
    "We have {np} in place across all our sites.", "{NP} has been in operation since {year}.",
    "The facility has {np}, which was reviewed during the audit.", "{org} maintains {np}, reviewed every year.",
    "There is now {np} covering every business unit.", "We operate {np}, which applies to all our subsidiaries.",
    "Does the entity currently have {np}? Yes, since {year}.", "Our approach includes {np}, launched in {year}.",
    "The site has implemented {np} and workers confirmed they were aware of it.",
    "Since {year}, we have had {np} in place.",
]
COM_BASE = [
    "We will {base} by {next_year}.", "In {next_year}, we plan to {base}.", "Our priority for the coming year is to {base}.",
    "{org} intends to {base} during the next reporting period.", "We aim to {base} by the end of {next_year}.",
    "Next year we are going to {base}.", "Going forward, we commit to {base}.", "Over the next two years, we expect to {base}.",
    "A key objective for {next_year} is to {base}.", "Management will {base} by {date}.",
    "The facility shall {base} within {days} days.", "We are working towards a plan to {base} next year.",
    "Our roadmap includes a commitment to {base} by {next_year}.", "Looking ahead, we intend to {base}.",
    "In the next reporting period, {org} will {base}.", "We have set a target to {base} by {next_year}.",
    "Before our next statement, we will {base}.", "We are committed to {base_ing} by {next_year}.",
]
COM_NP = [
    "{NP} will be introduced in {next_year}.", "We are developing {np}, which we expect to launch in {next_year}.",
    "{NP} is planned for {next_year}.", "Plans are under way for {np}.",
    "Work has started on {np}, to be completed next year.", "We expect {np} to be in place by {date}.",
    "The board has asked management to put in place {np} by {next_year}.",
]
NEG_BASE = [
    "We did not {base} during the reporting period.", "We have not yet taken steps to {base}.",
    "At this stage, {org} has not taken steps to {base}.",
    "Given our low-risk profile, we have not considered it necessary to {base}.",
    "No steps were taken to {base} during the period.", "{org} does not currently {base}.",
    "It was not possible to {base} this year.", "The facility did not {base}.",
    "Management could not show that it had taken any steps to {base}.",
    "We have not yet been able to {base}.", "Because of limited resources, we did not {base}.",
    "As a small business, we have chosen not to {base} at this time.",
    "Has the entity taken steps to {base}? No.",
]
NEG_NP = [
    "We do not currently have {np}.", "{org} has no {np_bare} in place.", "There is no {np_bare} at this time.",
    "No {np_bare} was in place during the reporting period.", "Does the entity currently have {np}? No.",
    "The facility has no {np_bare}.", "{NP} has not been established.", "We have not yet put in place {np}.",
    "Our business does not have {np}.", "At present, there is no {np_bare} covering our supply chain.",
    "The audit found that the site has no {np_bare}.",
]
# boilerplate: vague, generic, unverifiable (by label, and unlabelled)
VAGUE_BY_LABEL = {
    P: ["We have robust policies in place to address modern slavery.",
        "Our policies reflect our commitment to acting ethically and with integrity.",
        "Our policy framework supports our values and is reviewed as appropriate.",
        "We have a range of policies that set the standards we expect.",
        "Our commitment to human rights is embedded in our policies."],
    T: ["Our people receive appropriate awareness training.",
        "We continue to raise awareness of modern slavery across the business.",
        "Relevant staff are made aware of modern slavery issues as needed.",
        "Training is provided where appropriate.",
        "We believe that awareness is key and we educate our teams accordingly."],
    A: ["We monitor our suppliers as appropriate.",
        "We work closely with our suppliers to ensure high standards are maintained.",
        "We carry out due diligence as appropriate to the level of risk.",
        "Our suppliers are regularly reviewed.",
        "We keep our supply chain under review."],
    G: ["Anyone can raise concerns with us.",
        "We encourage an open culture where people feel able to speak up.",
        "Concerns can be reported through appropriate channels.",
        "We listen to our people and act on their concerns.",
        "Employees are encouraged to raise any issues with their manager."],
    S: ["We expect our suppliers to share our values.",
        "Our terms of business reflect our ethical standards.",
        "Suppliers are expected to act responsibly.",
        "Our commercial arrangements take ethical considerations into account.",
        "We choose suppliers who uphold high standards."],
    D: ["We work with a wide range of trusted suppliers around the world.",
        "Our supply chain is diverse and global.",
        "We source from reputable suppliers in many countries.",
        "We value transparency in our supply chain.",
        "We are proud of our long-standing supplier relationships."],
    R: ["We support responsible recruitment.",
        "We believe workers should be recruited fairly.",
        "Ethical recruitment is important to us.",
        "We are mindful of recruitment practices in our industry.",
        "We seek to work with reputable recruitment partners."],
}
VAGUE_GENERIC = [
    "We are committed to acting ethically and with integrity in all our business relationships.",
    "{org} takes its responsibilities in relation to modern slavery very seriously.",
    "We believe that modern slavery has no place in our business or society.",
    "Respect for human rights is one of our core values.",
    "We strive to do the right thing in everything we do.",
    "We recognise the important role that businesses play in combating modern slavery.",
    "We are determined to play our part in eradicating modern slavery.",
    "Our values guide how we work with colleagues, customers and suppliers.",
    "We continually seek to improve our approach.",
    "We remain vigilant to the risks of modern slavery.",
    "Integrity is at the heart of everything we do at {org}.",
    "We are proud of our ethical culture.",
    "We believe in treating everyone with dignity and respect.",
    "We will continue to take appropriate steps as our business evolves.",
    "{org} is committed to high ethical standards across its operations.",
    "Human rights matter to us and to our stakeholders.",
    "We are on a journey and recognise there is more to do.",
    "Doing business responsibly is central to our strategy.",
    "We aim to be a responsible corporate citizen.",
    "Our approach is proportionate to the risks we face.",
]

# label-specific sentences that do not follow the (past, base, np) pattern
SPECIFIC = {
    ("implemented", D): [
        "Our main tier-1 suppliers are {site} ({city}, {country}) and {site2} ({city2}, {country2}).",
        "{site}, located in {city}, {country}, employs about {m} workers and makes {product} for us.",
        "Tier-2 suppliers: {site} (spinning, {country}); {site2} (dyeing, {country2}).",
        "The full list of {m} sites, with addresses and worker numbers, is in Appendix {k}.",
        "We source {product} from {n} factories, including {site} in {city}.",
        "Factory list as at {month} {year}: {site}, {city}; {site2}, {city2}.",
        "All {n} packing houses that supply us are named, with their addresses, on our website.",
        "The site audited, {site}, is a tier-1 supplier to {org} and is located in {city}, {country}.",
    ],
    ("negative", D): [
        "For commercial reasons, we do not publish the names of our suppliers.",
        "We do not currently disclose our factory list.",
        "Supplier names and locations are confidential and are not included in this statement.",
        "We have no visibility of our suppliers beyond tier 1 and do not publish supplier details.",
        "Does the entity publish a list of its suppliers? No.",
    ],
    ("commitment", D): [
        "We will publish our tier-1 factory list, with addresses, in {next_year}.",
        "Next year we plan to disclose the names of our tier-2 mills.",
        "We intend to join an open supply-chain database and upload our supplier list by {date}.",
    ],
    ("implemented", R): [
        "All {m} migrant workers recruited for the site in {year} were hired without paying any fee, as confirmed by worker interviews.",
        "The facility pays all recruitment, visa and travel costs for foreign workers, and receipts were reviewed.",
        "Our agreements with labour agencies state that the employer pays all recruitment costs.",
        "Under our Employer Pays policy, suppliers bear the full cost of recruitment.",
    ],
    ("negative", R): [
        "We have not assessed whether workers in our supply chain pay recruitment fees.",
        "The facility has no policy on recruitment fees, and agency contracts do not address them.",
        "We do not currently check whether labour agencies charge workers fees.",
    ],
    ("implemented", G): [
        "In {year}, {n} grievances were received through the worker hotline, and all were resolved within {days} days.",
        "Grievance boxes are placed in the canteen and dormitory, and the worker committee reviews them weekly.",
        "Workers interviewed knew how to use the hotline, and {k} had used it in the past year.",
    ],
    ("negative", G): [
        "The facility has no grievance mechanism, and workers did not know how to raise complaints.",
        "Workers at supplier sites have no access to our whistleblowing line.",
        "There is currently no formal way for workers in our supply chain to raise concerns with us.",
    ],
    ("implemented", A): [
        "The audit included a site tour, management interviews, a review of {m} personnel files and private interviews with {n} workers.",
        "This semi-announced audit was carried out over {k} auditor-days on {date}.",
        "Worker interviews were held in {lang} without managers present.",
        "We assessed {pct}% of our high-risk suppliers by spend in {year}.",
    ],
    ("negative", A): [
        "We do not audit our suppliers.",
        "No supplier audits were carried out during the reporting period.",
        "We have not yet assessed our suppliers for forced labour risks.",
        "Has the entity identified parts of its activities and supply chains that carry a risk of forced labour or child labour? No, we have not started this work.",
        "We have not developed a method for assessing whether our actions are effective.",
    ],
    ("negative", T): [
        "No training on forced labour or child labour was provided to employees this year.",
        "Our general compliance training does not specifically cover forced labour.",
        "Does the entity currently provide training to employees on forced labour and child labour? No.",
        "We have no staff training on modern slavery at present.",
    ],
    ("negative", P): [
        "We do not have a specific policy on forced labour or child labour.",
        "Our policies do not currently address modern slavery directly.",
        "The site had no written labour policies.",
    ],
    ("negative", S): [
        "Our supplier contracts do not contain modern slavery clauses.",
        "Existing contracts were not updated to include human-rights requirements.",
        "Purchase orders contain no requirements on labour standards.",
    ],
}
# negative evidence without a due-diligence label (remediation / incidents / risk denial)
NEG_GENERIC = [
    "Since we have not identified any forced labour or child labour in our supply chain, we have not taken any remediation measures.",
    "To date, {org} has not identified any modern slavery in its operations and therefore has not taken remedial action.",
    "We have not identified any loss of income to vulnerable families resulting from our measures.",
    "No measures have been taken to remediate forced labour because none has been found.",
    "We do not believe that forced labour exists in our supply chain.",
    "{org} has not yet identified which parts of its supply chain carry a risk of forced labour.",
    "We have not yet assessed the effectiveness of the measures described in this report.",
    "No remediation was required during the reporting period.",
    "Given the nature of our business, we have not carried out a formal modern slavery risk assessment.",
    "We are not aware of any incidents of modern slavery connected to our business.",
    "We have not received any reports of forced labour through our channels.",
    "There is currently no process to measure whether our actions are effective.",
]
# plain description (no label, no status)
DESCRIPTIVE_STATEMENT = [
    "{org} is a {sector} business headquartered in {city} with around {m} employees.",
    "We operate {n} distribution centres and {m} stores.",
    "Our products include {product}, sourced mainly from {country} and {country2}.",
    "This statement covers the financial year ending 31 March {year}.",
    "This statement was approved by the board of directors on {date}.",
    "Signed: {person}, Chief Executive Officer.",
    "We buy from around {m} suppliers in {n} countries.",
    "The group has {n} subsidiaries, all of which are covered by this statement.",
    "Our customers are mainly public-sector bodies and large retailers.",
    "{org} was founded in 19{k}5 and is privately owned.",
    "Revenue for the year was {amount} million.",
    "This report is published in accordance with the applicable legislation.",
    "The following sections describe our structure, operations and supply chains.",
    "We employ seasonal staff during the harvest from {month} to {month2}.",
    "Our head office is in {city}, and we have regional offices in {country} and {country2}.",
    "This is our annual statement for {year}.",
]
DESCRIPTIVE_AUDIT = [
    "Audit date: {date}.", "Site: {site}, {city}, {country}.", "Number of workers on site: {m}, of whom {pct}% are migrants.",
    "Products: {product}.", "Audit type: semi-announced, {k} auditor-days.", "Previous audit: {month} {year}.",
    "The site operates two shifts, from 7 am to 3 pm and from 3 pm to 11 pm.",
    "Workers are mostly women aged between 20 and 40.", "The dormitory is located {k} km from the factory.",
    "The site is a tier-1 supplier producing {product} for export.",
    "Management representatives present at the closing meeting: general manager and HR manager.",
    "The audit scope covered labour standards, health and safety, environment and business ethics.",
    "The facility was established in 20{k}0 and occupies {n} buildings.",
    "Wage level: local legal minimum wage plus attendance bonus.",
]
JURISDICTIONS = {
    "uk": "This statement is made under section 54(1) of the UK Modern Slavery Act 2015.",
    "au": "This statement is made under the Modern Slavery Act 2018 (Cth) and covers all reporting entities in the group.",
    "ca": "This report is filed under the Fighting Against Forced Labour and Child Labour in Supply Chains Act.",
    "california": "This disclosure is made under the California Transparency in Supply Chains Act.",
}
SCHEMES = ["a four-pillar ethical trade audit", "a social compliance audit against a retailer code",
           "an initial third-party labour standards assessment", "a responsible business alliance style validated audit",
           "a social accountability certification surveillance audit", "a semi-announced ethical audit"]
AUDIT_HEADINGS = {
    "retention_of_identity_documents": "Freely chosen employment", "restriction_of_movement": "Freely chosen employment",
    "deception": "Freely chosen employment", "debt_bondage": "Freely chosen employment",
    "abuse_of_vulnerability": "Freely chosen employment", "isolation": "Freely chosen employment",
    "intimidation_and_threats": "Harsh or inhumane treatment", "physical_and_sexual_violence": "Harsh or inhumane treatment",
    "withholding_of_wages": "Wages and benefits", "excessive_overtime": "Working hours",
    "abusive_working_and_living_conditions": "Health, safety and accommodation", "child_labour": "Child labour and young workers",
}


# =================================================================================================
# sentence builders
# =================================================================================================

# Second and third batches of templates (corpus v2, v3), kept as data in corpora/templates/: more
# finding clauses, none-found and policy sentences per indicator, and more frames, written later by
# other team members without looking at the models. Appended after the first batch, in this order,
# so `pool_of` spreads them over train / dev / test like the others (earlier items keep their pool).
TEMPLATES = HERE / "templates"
FLAG_BATCHES = ("red_flags_extra_a.json", "red_flags_extra_b.json", "red_flags_extra_c.json")
FRAME_BATCHES = ("frames_extra.json", "frames_extra_c.json")


def _extend_from_templates() -> None:
    for name in FLAG_BATCHES:
        for ind, parts in json.loads((TEMPLATES / name).read_text(encoding="utf-8")).items():
            for kind, items in parts.items():
                FLAGS[ind][kind].extend(items)
    for name in FRAME_BATCHES:
        frames = json.loads((TEMPLATES / name).read_text(encoding="utf-8"))
        OBS_AUDIT.extend((f, [], None) for f in frames.get("obs_audit", []))
        OBS_STATEMENT.extend((f, [], None) for f in frames.get("obs_statement", []))
        NF_NP.extend((f, [], "negative") for f in frames.get("nf_np", []))
        MENTION.extend((f, [], None) for f in frames.get("mention", []))
        DESCRIPTIVE_AUDIT.extend(frames.get("descriptive_audit", []))  # audit scope and method: hard negatives
        # measures in place stated with "no" / "now" (not negative evidence, not a plan)
        for key, items in frames.get("specific", {}).items():
            status, label = key.split("|")
            SPECIFIC.setdefault((status, label), []).extend(items)


# Fourth batch (corpus v4): finding clauses and none-found sentences written for TRAINING ONLY, so
# the dev and test documents stay exactly as in corpus v3 (their scores stay comparable). Items from
# here on in a list are drawn by train documents alone (`item_pool`).
TRAIN_ONLY_BATCHES = ("red_flags_extra_d1.json", "red_flags_extra_d2.json")
_TRAIN_ONLY_FROM: dict[int, int] = {}  # id(list) -> index of its first train-only item


def _extend_train_only() -> None:
    for name in TRAIN_ONLY_BATCHES:
        for ind, parts in json.loads((TEMPLATES / name).read_text(encoding="utf-8")).items():
            for kind, items in parts.items():
                target = FLAGS[ind][kind]
                _TRAIN_ONLY_FROM.setdefault(id(target), len(target))
                target.extend(items)


def item_pool(items: list, i: int) -> str:
    """Pool of `items[i]`: `pool_of` among the pooled items; train-only items write train alone."""
    start = _TRAIN_ONLY_FROM.get(id(items), len(items))
    return "a" if i >= start else pool_of(i, start)


_extend_from_templates()
_extend_train_only()


_NEGATED = re.compile(r"\b(no|not|none|never|nothing|without|neither|nor)\b|n't\b", re.IGNORECASE)


def _ing(base: str) -> str:
    """'train all buyers' -> 'training all buyers' (first verb only; good enough for our phrases)."""
    verb, _, rest = base.partition(" ")
    irregular = {"set": "setting", "put": "putting", "run": "running", "map": "mapping", "get": "getting",
                 "make": "making", "audit": "auditing", "visit": "visiting", "open": "opening",
                 "budget": "budgeting", "write": "writing", "issue": "issuing", "revise": "revising",
                 "approve": "approving", "introduce": "introducing", "update": "updating", "hire": "hiring",
                 "embed": "embedding", "shop": "shopping", "ship": "shipping", "switch": "switching",
                 "survey": "surveying", "share": "sharing", "release": "releasing", "name": "naming",
                 "require": "requiring", "publish": "publishing", "disclose": "disclosing", "renegotiate": "renegotiating",
                 "amend": "amending", "insert": "inserting", "include": "including", "add": "adding",
                 "screen": "screening", "commission": "commissioning", "send": "sending", "verify": "verifying",
                 "review": "reviewing", "assess": "assessing", "track": "tracking", "complete": "completing",
                 "launch": "launching", "extend": "extending", "install": "installing", "investigate": "investigating",
                 "adopt": "adopting", "join": "joining", "host": "hosting", "hold": "holding", "deliver": "delivering",
                 "train": "training", "brief": "briefing", "coach": "coaching", "provide": "providing",
                 "establish": "establishing", "translate": "translating", "align": "aligning", "carry": "carrying",
                 "conduct": "conducting", "list": "listing", "publish,": "publishing,", "translate,": "translating,"}
    return f"{irregular.get(verb, verb + 'ing')} {rest}".strip()


class Writer:
    """Writes annotated sentences for one document from one template pool."""

    def __init__(self, rng: random.Random, pool: str, doc: dict, doc_id: str, register: str):
        self.rng, self.pool, self.doc_id, self.register = rng, pool, doc_id, register
        self.filler = Filler(rng, pool, doc)
        self.records: list[dict] = []
        self.seen: set[str] = set()
        self.heading = None

    def pick(self, key: str, items: list):
        """A template from the document's pool, with its id 'key#index'."""
        idx = [i for i in range(len(items)) if self.pool in item_pool(items, i)]
        i = self.rng.choice(idx)
        return f"{key}#{i}", items[i]

    def emit(self, text: str, template: str, labels=(), status=None, flags=None, mentions=()) -> None:
        text = re.sub(r"\s+", " ", text).strip()
        text = text.replace("..", ".").replace(" ,", ",")
        if cap(text) in self.seen:  # no verbatim repeats inside one document
            return
        self.seen.add(cap(text))
        rec = {"doc_id": self.doc_id, "index": len(self.records), "text": cap(text),
               "labels": sorted(set(labels), key=FINER.index)}
        if status:
            rec["evidence_status"] = status
        if flags:
            rec["red_flags"] = dict(sorted(flags.items()))
        rec["source"] = "synthetic"
        extra = {"register": self.register, "template": template, "heading": self.heading,
                 "annotated_labels": list(FINER)}
        if mentions:
            extra["mentions"] = sorted(set(mentions))
        rec["extra"] = extra
        self.records.append(rec)

    # -- red flags ---------------------------------------------------------------------------------
    def _np(self, ind: str) -> tuple[str, str]:
        key, np_ = self.pick(f"{ind}/np", FLAGS[ind]["np"])
        return key, np_

    def observed(self, ind: str, frames: list, ind2: str | None = None) -> None:
        fkey, (frame, labels, status) = self.pick("obs_frame" if frames is OBS_AUDIT else "obs_stmt_frame", frames)
        ckey, clause = self.pick(f"{ind}/obs", FLAGS[ind]["obs"])
        cache: dict = {}
        clause = self.filler.fill(clause, cache)
        flags = {ind: "observed"}
        tkey = f"{fkey}|{ckey}"
        if ind2:
            ckey2, clause2 = self.pick(f"{ind2}/obs", FLAGS[ind2]["obs"])
            clause = f"{clause}; in addition, {self.filler.fill(clause2, cache)}"
            flags[ind2] = "observed"
            tkey += f"+{ckey2}"
        text = frame.replace("{c}", clause).replace("{C}", cap(clause))
        self.emit(self.filler.fill(text, cache), tkey, labels, status, flags, flags)

    def prohibited(self, ind: str) -> None:
        r = self.rng.random()
        if r < 0.2:
            key, sent = self.pick(f"{ind}/pro", FLAGS[ind]["pro"])
            self.emit(self.filler.fill(sent), key, [P], "implemented", {ind: "prohibited"}, [ind])
            return
        if r < 0.6:
            fkey, (frame, labels, status) = self.pick("pro_vp_frame", PRO_VP)
            pkey, vp = self.pick(f"{ind}/vp", FLAGS[ind]["vp"])
            text = frame.replace("{vp}", vp)
        else:
            fkey, (frame, labels, status) = self.pick("pro_np_frame", PRO_NP)
            pkey, np_ = self._np(ind)
            text = frame.replace("{np}", np_).replace("{NP}", cap(np_))
        labels = list(labels) + ([R] if ind == "debt_bondage" and "fee" in text else [])
        self.emit(self.filler.fill(text), f"{fkey}|{pkey}", labels, status, {ind: "prohibited"}, [ind])

    def none_found(self, ind: str) -> None:
        if self.rng.random() < 0.25:
            key, sent = self.pick(f"{ind}/nf", FLAGS[ind]["nf"])
            # "no X was identified" is negative evidence; a check stated positively ("payroll
            # records showed full and on-time payment") reports a measure carried out
            status = "negative" if _NEGATED.search(sent) else "implemented"
            self.emit(self.filler.fill(sent), key, [], status, {ind: "none_found"}, [ind])
            return
        fkey, (frame, labels, status) = self.pick("nf_frame", NF_NP)
        pkey, np_ = self._np(ind)
        text = frame.replace("{np}", np_).replace("{NP}", cap(np_))
        self.emit(self.filler.fill(text), f"{fkey}|{pkey}", labels, status, {ind: "none_found"}, [ind])

    def mention(self, ind: str) -> None:
        fkey, (frame, labels, status) = self.pick("mention_frame", MENTION)
        pkey, np_ = self._np(ind)
        text = frame.replace("{np}", np_).replace("{NP}", cap(np_))
        self.emit(self.filler.fill(text), f"{fkey}|{pkey}", labels, status, None, [ind])

    def corrective(self, ind: str) -> None:
        fkey, (frame, labels, status) = self.pick("cap_frame", CAP_FRAMES)
        ckey, act = self.pick(f"{ind}/cap", FLAGS[ind]["cap"])
        self.emit(self.filler.fill(frame.replace("{cap}", act)), f"{fkey}|{ckey}", labels, status, None, [ind])

    # -- due-diligence measures ------------------------------------------------------------------
    def measure(self, label: str, status: str) -> None:
        rng = self.rng
        spec = SPECIFIC.get((status, label))
        if spec and rng.random() < (0.45 if label in (D, R) else 0.25):
            key, sent = self.pick(f"{label}/{status}/specific", spec)
            self.emit(self.filler.fill(sent), key, [label], status)
            return
        if status == "vague":
            key, sent = self.pick(f"{label}/vague", VAGUE_BY_LABEL[label])
            self.emit(self.filler.fill(sent), key, [label], "vague")
            return
        mkey, (past, base, np_) = self.pick(f"{label}/measure", MEASURES[label])
        np_bare = re.sub(r"^(a|an) ", "", np_)
        if status == "implemented":
            use_np = rng.random() < 0.3
            fkey, frame = self.pick("impl_np" if use_np else "impl_past", IMPL_NP if use_np else IMPL_PAST)
        elif status == "commitment":
            use_np = rng.random() < 0.3
            fkey, frame = self.pick("com_np" if use_np else "com_base", COM_NP if use_np else COM_BASE)
        else:
            use_np = rng.random() < 0.45
            fkey, frame = self.pick("neg_np" if use_np else "neg_base", NEG_NP if use_np else NEG_BASE)
        text = (frame.replace("{past}", past).replace("{base_ing}", _ing(base)).replace("{base}", base)
                .replace("{NP}", cap(np_)).replace("{np_bare}", np_bare).replace("{np}", np_))
        self.emit(self.filler.fill(text), f"{fkey}|{mkey}", [label], status)

    def plain(self, key: str, items: list, status=None) -> None:
        k, sent = self.pick(key, items)
        self.emit(self.filler.fill(sent), k, [], status)


# =================================================================================================
# documents
# =================================================================================================

class Deck:
    """Balanced draws: cycles through a shuffled list so every item is used equally often."""

    def __init__(self, items, rng: random.Random):
        self.items, self.rng, self.queue = list(items), rng, []

    def draw(self):
        if not self.queue:
            self.queue = self.items[:]
            self.rng.shuffle(self.queue)
        return self.queue.pop()


def doc_constants(rng: random.Random, pool: str) -> dict:
    f = Filler(rng, pool, {})
    cache: dict = {}
    return {"org": f.value("org", cache), "year": str(rng.randrange(2021, 2025)),
            "sector": f.value("sector", cache)}


def statement_doc(w: Writer, decks: dict, rng: random.Random) -> None:
    w.heading = "Introduction"
    w.emit(JURISDICTIONS[rng.choice(sorted(JURISDICTIONS))], "jurisdiction", [], None)
    for _ in range(rng.randrange(1, 4)):
        w.plain("vague_generic", VAGUE_GENERIC, "vague")
    w.heading = "Our structure, operations and supply chains"
    for _ in range(rng.randrange(2, 6)):
        w.plain("desc_stmt", DESCRIPTIVE_STATEMENT)
    for _ in range(rng.randrange(0, 3)):
        w.measure(D, decks["status"].draw() if rng.random() < 0.4 else "implemented")
    w.heading = "Risks in our operations and supply chains"
    for _ in range(rng.randrange(2, 5)):
        w.mention(decks["mention"].draw())
    w.heading = "Policies"
    for _ in range(rng.randrange(2, 5)):
        w.prohibited(decks["prohibited"].draw())
    sections = [("Policies", [P]), ("Due diligence and supplier monitoring", [A, S]),
                ("Training", [T]), ("Grievance mechanisms", [G]), ("Responsible recruitment", [R])]
    rng.shuffle(sections)
    for heading, labels in sections[: rng.randrange(3, 6)]:
        w.heading = heading
        for _ in range(rng.randrange(2, 5)):
            w.measure(rng.choice(labels), decks["status"].draw())
        if rng.random() < 0.3:
            w.plain("vague_generic", VAGUE_GENERIC, "vague")
    w.heading = "Findings and remediation"
    for _ in range(rng.randrange(1, 4)):
        w.none_found(decks["none_found"].draw())
    for _ in range(rng.randrange(0, 3)):
        w.observed(decks["observed"].draw(), OBS_STATEMENT)
        if rng.random() < 0.5:
            w.corrective(decks["mention"].draw())
    for _ in range(rng.randrange(0, 3)):
        w.plain("neg_generic", NEG_GENERIC, "negative")
    w.heading = "Next steps"
    for _ in range(rng.randrange(1, 4)):
        w.measure(decks["label"].draw(), "commitment")
    w.heading = "Approval"
    w.emit(w.filler.fill("This statement was approved by the board of directors on {date}."), "approval", [], None)
    w.emit(w.filler.fill("Signed: {person}, Director."), "signature", [], None)


def audit_doc(w: Writer, decks: dict, rng: random.Random) -> None:
    w.heading = "Audit details"
    w.emit(w.filler.fill(f"This report presents the results of {rng.choice(SCHEMES)} of {{site}} in {{city}}, {{country}}."),
           "audit_intro", [A], "implemented")
    for _ in range(rng.randrange(2, 5)):
        w.plain("desc_audit", DESCRIPTIVE_AUDIT)
    w.measure(A, "implemented")
    n_obs = rng.randrange(3, 9)
    inds = [decks["observed"].draw() for _ in range(n_obs)]
    areas = sorted(set(AUDIT_HEADINGS.values()))
    rng.shuffle(areas)
    by_area = defaultdict(list)
    for ind in inds:
        by_area[AUDIT_HEADINGS[ind]].append(ind)
    for area in areas:
        w.heading = area
        if rng.random() < 0.6:
            w.prohibited(decks["prohibited"].draw())
        for ind in by_area.get(area, []):
            if rng.random() < 0.06:
                w.observed(ind, OBS_AUDIT, ind2=decks["observed"].draw())
            else:
                w.observed(ind, OBS_AUDIT)
            if rng.random() < 0.7:
                w.corrective(ind)
        if rng.random() < 0.75:
            w.none_found(decks["none_found"].draw())
        if rng.random() < 0.4:
            w.measure(decks["label"].draw(), decks["audit_status"].draw())
    w.heading = "Management systems"
    for _ in range(rng.randrange(1, 4)):
        w.measure(decks["label"].draw(), decks["audit_status"].draw())
    if rng.random() < 0.5:
        w.mention(decks["mention"].draw())
    w.heading = "Corrective action plan"
    for _ in range(rng.randrange(1, 3)):
        w.measure(decks["label"].draw(), "commitment")


def build(n_docs: int = 680, seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    records: list[dict] = []
    split_of = []
    for i in range(n_docs):
        u = (i * 7919 % 100) / 100  # fixed, interleaved split assignment
        split_of.append("test" if u < 0.2 else "dev" if u < 0.35 else "train")
    # decks per pool so the test pool is balanced too
    deck_sets = {}
    for pool in ("a", "b", "c"):
        drng = random.Random(f"{seed}-{pool}")
        deck_sets[pool] = {
            "observed": Deck(RED_FLAGS, drng), "prohibited": Deck(RED_FLAGS, drng),
            "none_found": Deck(RED_FLAGS, drng), "mention": Deck(RED_FLAGS, drng),
            "status": Deck(["implemented", "implemented", "commitment", "negative", "vague"], drng),
            "audit_status": Deck(["implemented", "implemented", "negative", "commitment"], drng),
            "label": Deck(FINER, drng),
        }
    for i, split in enumerate(split_of):
        pool = {"test": "b", "dev": "c", "train": "a"}[split]
        drng = random.Random(f"{seed}-doc-{i}")
        register = "audit" if i % 2 else "statement"
        consts = doc_constants(drng, pool)
        if register == "audit":  # in an audit report "the entity" is the audited site
            consts["org"] = Filler(drng, pool, {}).value("site", {})
        doc_id = f"syn-{register[:4]}-{i:04d}"
        w = Writer(drng, pool, consts, doc_id, register)
        (audit_doc if register == "audit" else statement_doc)(w, deck_sets[pool], drng)
        for rec in w.records:
            rec["split"] = split
        records.extend(w.records)
    return records


def counts(records: list[dict]) -> dict:
    out: dict = {"sentences": Counter(), "documents": Counter(), "red_flags": defaultdict(Counter),
                 "evidence_status": defaultdict(Counter), "labels": defaultdict(Counter),
                 "mention_only": defaultdict(Counter), "register": defaultdict(Counter)}
    docs = defaultdict(set)
    for r in records:
        s = r["split"]
        out["sentences"][s] += 1
        docs[s].add(r["doc_id"])
        out["register"][r["extra"]["register"]][s] += 1
        for ind, st in (r.get("red_flags") or {}).items():
            out["red_flags"][f"{ind}:{st}"][s] += 1
        for ind in r["extra"].get("mentions", []):
            if ind not in (r.get("red_flags") or {}):
                out["mention_only"][ind][s] += 1
        if r.get("evidence_status"):
            out["evidence_status"][r["evidence_status"]][s] += 1
        for lab in r["labels"]:
            out["labels"][lab][s] += 1
    out["documents"] = Counter({k: len(v) for k, v in docs.items()})
    return out


def main(argv: list[str]) -> int:
    records = build()
    for split in ("train", "dev", "test"):
        path = HERE / f"redflags_{split}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for r in records:
                if r["split"] == split:
                    fh.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    c = counts(records)
    stats = {k: (dict(v) if not isinstance(v, defaultdict) else {kk: dict(vv) for kk, vv in sorted(v.items())})
             for k, v in c.items()}
    (HERE / "redflags_counts.json").write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps({"sentences": stats["sentences"], "documents": stats["documents"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
