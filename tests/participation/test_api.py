"""The participation API: public trail only, filters, paging, languages, never an e-mail."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.translation import override

from commonhome.core import translation
from commonhome.core.constants import TranslationOrigin
from commonhome.participation.constants import AnswerState, Visibility
from commonhome.participation.models import Answer
from tests.factories import ROLES, PlaceFactory, user_for_role
from tests.participation.factories import (
    ConsultationFactory,
    ContributionFactory,
    MilestoneFactory,
    ResultFactory,
    VerifiedParticipantFactory,
)

BASE = "/api/v1/participation/places"
EMAIL = "secret.person@example.org"


@pytest.fixture(autouse=True)
def _english():
    """URLs and texts in English unless a test says otherwise (requests may leave another
    language active)."""
    with override("en"):
        yield


@pytest.fixture
def trail_data(place, consultation, service):
    author = VerifiedParticipantFactory(place=place, email=EMAIL, desk_contact="07700 900123")
    offered = ContributionFactory(
        consultation=consultation, participant=author, title="Legal help", author_name="Amal"
    )
    translation.save_translation(
        offered, "ar", {"title": "مساعدة قانونية"}, origin=TranslationOrigin.MACHINE
    )
    answer = Answer.objects.create(
        contribution=offered,
        state=AnswerState.ALREADY_OFFERED,
        state_group=AnswerState.ALREADY_OFFERED,
        text="It exists.",
        published_at=timezone.now(),
    )
    answer.services.add(service)
    offered.public_state = offered.public_state_group = AnswerState.ALREADY_OFFERED
    offered.save()
    accepted = ContributionFactory(consultation=consultation, participant=author, title="Classes")
    parent = ResultFactory(place=place, title="Welcome plan", progress=50)
    result = ResultFactory(place=place, title="Evening classes", parent=parent, progress=50)
    result.contributions.add(accepted)
    MilestoneFactory(result=result, title="First class")
    ContributionFactory(consultation=consultation, title="HIDDEN-ONE", visibility=Visibility.HIDDEN)
    ResultFactory(place=place, title="DRAFT-RESULT", is_published=False, parent=parent)
    ConsultationFactory(place=place, is_published=False, slug="draft-consultation")
    return {
        "offered": offered,
        "accepted": accepted,
        "result": result,
        "parent": parent,
        "service": service,
    }


def urls(place, data):
    return [
        f"{BASE}/{place.slug}/consultations",
        f"{BASE}/{place.slug}/contributions",
        f"{BASE}/{place.slug}/contributions/{data['offered'].pk}",
        f"{BASE}/{place.slug}/results",
        f"{BASE}/{place.slug}/results/{data['result'].pk}",
        f"{BASE}/{place.slug}/trail/summary",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_is_public_and_never_shows_an_email(
    client, place, organization, trail_data, role
):
    user = user_for_role(role, place, organization)
    if user is not None:
        client.force_login(user)
    for url in urls(place, trail_data):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in (EMAIL, "07700 900123", "HIDDEN-ONE", "DRAFT-RESULT", "draft-consultation"):
            assert secret not in body, (url, secret)


def test_private_place_is_404(client, db):
    place = PlaceFactory(is_public=False)
    assert client.get(f"{BASE}/{place.slug}/contributions").status_code == 404


def test_contributions_payload_filters_and_paging(client, place, trail_data):
    body = client.get(f"{BASE}/{place.slug}/contributions").json()
    assert body["total"] == 2
    assert body["numbers"] == {"heard": 2, "answered": 1, "acted_on": 1, "done": 0}
    ids = {r["id"] for r in body["results"]}
    assert ids == {str(trail_data["offered"].pk), str(trail_data["accepted"].pk)}
    offered = client.get(
        f"{BASE}/{place.slug}/contributions", {"state": AnswerState.ALREADY_OFFERED}
    ).json()
    assert [r["id"] for r in offered["results"]] == [str(trail_data["offered"].pk)]
    paged = client.get(f"{BASE}/{place.slug}/contributions", {"page_size": 1, "page": 2}).json()
    assert (paged["pages"], paged["page"], len(paged["results"])) == (2, 2, 1)
    assert client.get(f"{BASE}/{place.slug}/contributions", {"page_size": 0}).status_code == 422
    assert client.get(f"{BASE}/{place.slug}/contributions", {"lang": "xx"}).status_code == 422


def test_one_contribution_in_arabic_with_its_answer(client, place, trail_data):
    c = trail_data["offered"]
    body = client.get(f"{BASE}/{place.slug}/contributions/{c.pk}", {"lang": "ar"}).json()
    assert body["texts"]["title"] == "مساعدة قانونية"
    assert body["text_languages"]["title"] == "ar"
    assert body["translation"] == "machine"
    assert body["author_name"] == "Amal"
    assert body["answer"]["state"] == AnswerState.ALREADY_OFFERED
    assert body["answer"]["services"] == [
        {"id": str(trail_data["service"].pk), "name": trail_data["service"].name}
    ]
    hidden = ContributionFactory(consultation=c.consultation, visibility=Visibility.HIDDEN)
    assert client.get(f"{BASE}/{place.slug}/contributions/{hidden.pk}").status_code == 404


def test_results_with_children_and_milestones(client, place, trail_data):
    body = client.get(f"{BASE}/{place.slug}/results").json()
    assert body["total"] == 2
    parent = next(r for r in body["results"] if r["id"] == str(trail_data["parent"].pk))
    assert [child["id"] for child in parent["children"]] == [str(trail_data["result"].pk)]
    one = client.get(f"{BASE}/{place.slug}/results/{trail_data['result'].pk}").json()
    assert one["parent"] == str(trail_data["parent"].pk)
    assert one["milestones"][0]["texts"]["title"] == "First class"
    assert one["contributions"] == [str(trail_data["accepted"].pk)]
    draft = ResultFactory(place=place, is_published=False)
    assert client.get(f"{BASE}/{place.slug}/results/{draft.pk}").status_code == 404


def test_summary(client, place, trail_data):
    body = client.get(f"{BASE}/{place.slug}/trail/summary", {"kind": "need"}).json()
    assert body == {"heard": 2, "answered": 1, "acted_on": 1, "done": 0}


def test_every_endpoint_is_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/participation/places/{slug}/consultations",
        "/api/v1/participation/places/{slug}/contributions",
        "/api/v1/participation/places/{slug}/contributions/{contribution_id}",
        "/api/v1/participation/places/{slug}/results",
        "/api/v1/participation/places/{slug}/results/{result_id}",
        "/api/v1/participation/places/{slug}/trail/summary",
    ):
        assert path in paths, path


def test_contribution_list_query_count_is_constant(
    client, place, consultation, django_assert_num_queries
):
    def fill(n):
        for _ in range(n):
            c = ContributionFactory(consultation=consultation)
            ResultFactory(place=place).contributions.add(c)

    url = f"{BASE}/{place.slug}/contributions"
    fill(1)
    client.get(url)
    # The place, the aggregate, the ids, the rows, the results, their milestones and one query
    # for all translations; answers are absent here, so is the prefetch of their services.
    with django_assert_num_queries(7) as one:
        client.get(url)
    fill(20)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)
