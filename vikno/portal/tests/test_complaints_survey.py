"""The quality survey: a score from 1 to 5 and a comment."""

from __future__ import annotations

from vikno.portal.models import Survey


def test_survey_is_stored(world, client):
    response = client.post("/c/center-a/survey/", {"score": "4", "comment": "Швидко"})
    assert response.status_code == 200
    survey = Survey.objects.get()
    assert survey.center == world.center_a and survey.score == 4 and survey.comment == "Швидко"


def test_survey_without_score_is_refused_and_comment_kept(world, client):
    response = client.post("/c/center-a/survey/", {"score": "9", "comment": "Мій коментар"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_score_error"' in html and "Мій коментар" in html
    assert "?:" not in html  # the summary does not put a colon after the question's mark
    assert not Survey.objects.exists()
    assert client.get("/c/center-b/survey/").status_code == 200
    assert client.get("/c/unknown/survey/").status_code == 404
