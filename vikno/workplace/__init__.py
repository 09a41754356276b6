"""The staff workplace (owner: workplace): the page every staff member lands on after logging in.

It shows, for the user's scope, what waits today and links each count to the list that holds it:

- front office (administrator, center head): online applications to accept, cases to send, clarifications,
  results and refusals to hand out (and those not collected), the term lists (due today, within two working
  days, overdue), today's registrations, issues and consultations, and the visitors waiting in the user's
  offices;
- СНАП officer: the provider's inbox by status and the term lists;
- oblast monitor and system administrator: the term lists over the region (or the country) and the centers
  with the most overdue cases.

The counts come from ``vikno.cases.services.workload`` / ``workload_by_center`` and
``vikno.queue.services.waiting_by_office``; this room only composes them. It holds no models.
"""
