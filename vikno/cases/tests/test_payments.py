"""Fee payments: POS, bank, exemption with a legal ground; is_paid; bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vikno.cases import services
from vikno.core.audit import Actor
from vikno.core.errors import DomainError, NotFound
from vikno.core.models import AuditEvent
from vikno.payments.models import Payment
from vikno.payments.services import is_paid, paid_total

from .core_factories import ApiCaller, make_service, register


@pytest.mark.django_db
def test_partial_payments_add_up(world):
    admin = Actor(user=world.admin_a)
    case = register(world, make_service(fee="85"))
    assert not is_paid(case)
    services.record_payment(case, method="pos", amount="50", receipt_number="R-1", actor=admin)
    assert not is_paid(case)
    services.record_payment(case, method="bank", amount="35,00", receipt_number="B-2", actor=admin)
    assert is_paid(case) and paid_total(case) == Decimal("85.00")
    assert AuditEvent.objects.filter(action="payment.recorded").count() == 2
    assert case.events.filter(action="payment_recorded").count() == 2


@pytest.mark.django_db
def test_exemption_needs_a_legal_ground(world):
    admin = Actor(user=world.admin_a)
    case = register(world, make_service(fee="85"))
    with pytest.raises(DomainError) as exc:
        services.record_payment(case, method="exemption", actor=admin)
    assert exc.value.code == "exemption_ground_required"
    services.record_payment(case, method="exemption", exemption_ground="п. 11 ст. 4 Декрету КМУ № 7-93", actor=admin)
    assert is_paid(case)


@pytest.mark.django_db
def test_free_and_variable_fees_count_as_paid(world):
    assert is_paid(register(world, make_service()))


@pytest.mark.django_db
def test_bad_payments_are_refused_without_a_row(world):
    admin = Actor(user=world.admin_a)
    case = register(world, make_service(fee="85"))
    for kwargs, code in [
        ({"method": "pos", "amount": "-5", "receipt_number": "R"}, "invalid_amount"),
        ({"method": "pos", "amount": "abc", "receipt_number": "R"}, "invalid_amount"),
        ({"method": "pos", "amount": "85"}, "receipt_number_required"),
        ({"method": "cash", "amount": "85", "receipt_number": "R"}, "invalid_method"),
    ]:
        with pytest.raises(DomainError) as exc:
            services.record_payment(case, actor=admin, **kwargs)
        assert exc.value.code == code
    assert Payment.objects.count() == 0
    with pytest.raises(NotFound):
        services.record_payment(case, method="pos", amount="85", receipt_number="R", actor=Actor(user=world.admin_b))


@pytest.mark.django_db
def test_payment_api(client, world):
    case = register(world, make_service(fee="85"))
    api = ApiCaller(client, world.admin_a)
    response = api.post(f"/cases/{case.number}/payments", {"method": "pos", "amount": "85.00", "receipt_number": "R-9"})
    assert response.status_code == 201, response.content
    assert api.get(f"/cases/{case.number}").json()["paid"] is True
    bad = api.post(f"/cases/{case.number}/payments", {"method": "exemption"})
    assert bad.status_code == 400 and "правову підставу" in bad.json()["message"]
