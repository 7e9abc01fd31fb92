"""Writes examples/example-statement.pdf: a fictional modern slavery statement (our own text).

    .venv/bin/python examples/make_example.py

The company, people and figures are invented. The statement deliberately covers most of the
Australian Act's mandatory criteria, leaves some gaps, and includes a supplier table, so the
product's output on it is worth reading.
"""

from pathlib import Path

from disclosure_nlp.testing.pdfs import render_pdf

BLOCKS = [
    ("heading", "Modern Slavery Statement 2024", 1),
    ("para", "This statement is made by Southern Harvest Foods Pty Ltd. (ABN 12 345 678 901) and its wholly owned "
             "subsidiaries for the financial year ended 30 June 2024, under s. 16 of the Modern Slavery Act 2018 (Cth)."),
    ("heading", "Our structure, operations and supply chains"),
    ("para", "Southern Harvest Foods is a privately owned food manufacturer headquartered in Melbourne, Victoria. "
             "The group employs approx. 1,450 people across four processing plants in Victoria, Queensland and "
             "New Zealand, and two distribution centres."),
    ("para", "We buy fresh produce, seafood, packaging and labour-hire services from 612 direct suppliers in 14 "
             "countries. Our largest sourcing countries by spend are Australia, Thailand, Vietnam and Malaysia."),
    ("table", [["Category", "Main countries", "Share of spend"],
               ["Fresh produce", "Australia, New Zealand", "41%"],
               ["Seafood", "Thailand, Vietnam", "18%"],
               ["Packaging", "Malaysia, China", "12%"],
               ["Labour hire", "Australia", "9%"]]),
    ("heading", "Risks of modern slavery in our operations and supply chains"),
    ("para", "Seasonal harvest work in Australian horticulture relies on labour-hire providers and temporary visa "
             "holders, who face a higher risk of debt bondage and underpayment. Seafood processing in Thailand has "
             "documented cases of forced labour on fishing vessels, and some rubber gloves we buy are made in "
             "Malaysian factories where recruitment fees have been reported."),
    ("heading", "Actions taken to assess and address those risks"),
    ("bullets", [
        "All 612 direct suppliers signed our Supplier Code of Conduct, which prohibits forced labour, child labour and the retention of identity documents.",
        "We completed 38 independent social audits of high-risk sites; auditors found that workers at one packaging site in Malaysia had paid recruitment fees.",
        "We introduced a modern slavery clause into all new labour-hire contracts.",
        "Our procurement team of 24 people completed modern slavery training in March 2024.",
        "Workers can raise concerns in 9 languages through an independent grievance hotline.",
    ]),
    ("para", "Where a case is found we investigate, require a corrective action plan, and ensure affected workers are "
             "repaid. In 2024 the Malaysian supplier reimbursed recruitment fees of AUD 86,000 to 112 workers."),
    ("pagebreak",),
    ("heading", "How we assess the effectiveness of our actions"),
    ("para", "We track the share of high-risk suppliers audited, the number of corrective actions closed within 90 "
             "days, and grievance cases resolved. In FY2024, 87 per cent of corrective actions were closed on time. "
             "We will commission an external review of our programme next year."),
    ("heading", "Consultation"),
    ("para", "This statement was prepared in consultation with the boards and managers of each subsidiary, who "
             "reviewed the risk assessment and the actions described here."),
    ("heading", "Approval and signature"),
    ("para", "This statement was approved by the Board of Directors of Southern Harvest Foods Pty Ltd. on "
             "12 September 2024."),
    ("para", "Signed: Margaret Chen, Managing Director, 12 September 2024."),
]


def main() -> None:
    out = Path(__file__).with_name("example-statement.pdf")
    out.write_bytes(render_pdf(BLOCKS, header="Southern Harvest Foods Pty Ltd. | Modern Slavery Statement 2024"))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
