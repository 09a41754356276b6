"""Case operations, from intake to issuance (owner: cases-core). Start reading here.

Contract used by views, API, portal, queue and reports:

- ``probable_duplicates(center, data) -> list[Applicant]``; ``create_applicant(center, data, *, actor)``;
  ``find_applicants(user, *, rnokpp=None, phone=None, name=None, actor)`` (each view of personal data audited)
- ``register_case(*, office, service, applicant, actor, channel, documents=(), representative=None,
  payment=None, idempotency_key="", filed_at=None) -> Case``: number unique per center per year with no
  gaps, access code, ТК tasks, due time, fee; an instant service completes at intake.
- ``transition(case, action, *, actor, comment="", **details) -> Case`` — actions in vikno/cases/workflow.py
- ``record_payment(case, *, method, amount, receipt_number="", paid_on, exemption_ground="", actor)``
- ``add_document_file(case, position, uploaded_file, *, actor)``; ``attach_result(case, uploaded_file, *, name,
  is_refusal=False, actor)``
- ``issue(case, *, actor, office, recipient_name, identity_document, to_representative=False, note="")``
- ``transfer(case, *, to_office, actor, comment="")``
- ``record_consultation(*, office, actor, service=None, topic="", channel="in_person")``
- ``search_cases(user, query) -> QuerySet`` (number, РНОКПП, phone, surname)
"""
