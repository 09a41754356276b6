"""Rating a visit: 1–5 stars and 0–10, once per ticket, linked to visit, window and service; loyalty index."""

from datetime import timedelta

import pytest
from django.utils import timezone

from vikno.core.errors import DomainError
from vikno.queue import ratings, services
from vikno.queue.models import Rating
from vikno.queue.tests.booking_world import SYSTEM, hand_ticket, open_office


@pytest.fixture
def finished(world):
    open_office(world.office_a)
    queue = services.create_queue(world.office_a, name="Реєстрація", prefix="Р", actor=SYSTEM)
    window = services.create_workplace(world.office_a, name="Вікно 3", queues=[queue], actor=SYSTEM)
    return hand_ticket(queue, timezone.now() - timedelta(minutes=5), number=7, workplace=window)


def test_a_finished_visit_is_rated_once(world, finished):
    rating = ratings.rate(finished, stars="5", recommend="9", comment=" Дякую! ", channel="sms", actor=SYSTEM)
    assert (rating.stars, rating.recommend, rating.comment, rating.channel) == (5, 9, "Дякую!", "sms")
    assert (rating.office_id, rating.workplace_id, rating.center_id) == (
        world.office_a.pk,
        finished.workplace_id,
        world.center_a.pk,
    )
    with pytest.raises(DomainError) as again:
        ratings.rate(finished, stars=1)
    assert again.value.code == "already_rated"
    assert Rating.objects.count() == 1


@pytest.mark.parametrize(
    ("stars", "recommend", "field"), [(0, None, "stars"), (6, None, "stars"), ("", None, "stars"), (3, 11, "recommend")]
)
def test_scores_out_of_range_are_refused(finished, stars, recommend, field):
    with pytest.raises(DomainError) as refused:
        ratings.rate(finished, stars=stars, recommend=recommend)
    assert refused.value.field == field
    assert not Rating.objects.exists()


def test_only_finished_recent_visits_can_be_rated(finished):
    finished.status = "waiting"
    finished.save()
    with pytest.raises(DomainError) as waiting:
        ratings.rate(finished, stars=4)
    assert waiting.value.code == "not_finished"
    finished.status = "done"
    finished.save()
    with pytest.raises(DomainError) as late:
        ratings.rate(finished, stars=4, now=timezone.now() + timedelta(days=ratings.RATING_DAYS + 1))
    assert late.value.code == "too_late"


def test_loyalty_index():
    # 3 promoters (9, 10, 10), 2 passives (7, 8), 3 detractors (0, 5, 6) of 8 answers: (3 − 3) / 8 = 0.
    assert ratings.loyalty_index([9, 10, 10, 7, 8, 0, 5, 6, None]) == 0.0
    assert ratings.loyalty_index([10, 10, 9, 8]) == 75.0
    assert ratings.loyalty_index([0, 6]) == -100.0
    assert ratings.loyalty_index([None]) is None


def test_rating_pages_by_link_and_tablet(client, world, finished):
    page = client.get(f"/queue/rate/{finished.token}/?via=sms")
    assert page.status_code == 200 and "id_stars_0" in page.content.decode()
    bad = client.post(f"/queue/rate/{finished.token}/?via=sms", {"recommend": "8", "comment": "Довго"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Довго" in body and 'value="8"' in body and "checked" in body  # what was typed is kept
    done = client.post(f"/queue/rate/{finished.token}/?via=sms", {"stars": "4", "recommend": "8"})
    assert done.status_code == 200 and Rating.objects.get().channel == "sms"
    assert client.get("/queue/rate/no-such-token/").status_code == 404

    tablet = client.get(f"/queue/rate/workplace/{finished.workplace_id}/")
    assert tablet.status_code == 200 and "Р-007" not in tablet.content.decode()  # already rated


def test_tablet_offers_the_visit_just_finished(client, world, finished):
    page = client.get(f"/queue/rate/workplace/{finished.workplace_id}/")
    assert finished.code in page.content.decode()
    saved = client.post(f"/queue/rate/workplace/{finished.workplace_id}/", {"ticket": finished.pk, "stars": "5"})
    assert saved.status_code == 200
    assert Rating.objects.get().channel == "tablet"


def test_rating_api(client, finished):
    answer = client.post(
        "/api/v1/queue/ratings",
        {"token": finished.token, "stars": 5, "recommend": 10},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    again = client.post("/api/v1/queue/ratings", {"token": finished.token, "stars": 5}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_rated"
