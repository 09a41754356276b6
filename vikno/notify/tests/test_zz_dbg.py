import pytest
from django.db import transaction, connection
from vikno.notify import services
from vikno.notify.models import Notification, Status
from vikno.testing.fakes import run_worker_until
from .conftest import CONTEXT
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_job_queue")]

def test_dbg(settings, turbosms_gateway):
    settings.NOTIFY_MAX_ATTEMPTS = 50
    turbosms_gateway.stop()
    with transaction.atomic():
        for i in range(8):
            services.enqueue(event="result_ready", context={**CONTEXT, "case_number": f"A-2025-{i:06d}"}, phone=f"+38050123450{i}", sms_allowed=True)
    run_worker_until(lambda: not Notification.objects.filter(attempts=0).exists(), timeout=20)
    turbosms_gateway.start()
    try:
        run_worker_until(lambda: Notification.objects.filter(status=Status.SENT).count() == 8, timeout=10)
    finally:
        print(list(Notification.objects.values_list("id", "status", "attempts", "last_error", "next_attempt_at")))
        with connection.cursor() as c:
            c.execute("select id, task_name, status, attempts, scheduled_at, now(), args from procrastinate_jobs order by id")
            for r in c.fetchall(): print(r)
        print(turbosms_gateway.requests, len(turbosms_gateway.received))
