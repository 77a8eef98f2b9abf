"""The public trail: what it shows, what it never shows, its numbers, filters and query count."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from commonhome.core import translation
from commonhome.core.constants import Role, TranslationOrigin
from commonhome.participation import trail
from commonhome.participation.constants import AnswerState, Kind, Visibility
from commonhome.participation.models import Answer, CustomAnswerState
from tests.factories import ROLES, PlaceFactory, member, user_for_role
from tests.participation.factories import (
    ConsultationFactory,
    ContributionFactory,
    MeetingFactory,
    MilestoneFactory,
    ResultFactory,
    ResultStatusFactory,
)


@pytest.fixture(autouse=True)
def _english():
    """URLs and texts in English unless a test says otherwise (requests may leave another
    language active)."""
    with override("en"):
        yield


def answered(
    contribution,
    state=AnswerState.ACCEPTED,
    text="We will do it.",
    services=(),
    group=None,
    published=True,
):
    answer = Answer.objects.create(
        contribution=contribution,
        state=state,
        state_group=group or state,
        text=text,
        published_at=timezone.now() if published else None,
    )
    answer.services.set(services)
    if published:
        contribution.public_state = state
        contribution.public_state_group = group or state
        contribution.save(update_fields=["public_state", "public_state_group"])
    return answer


def linked(contributions, progress=50.0, published=True, place=None, **kwargs):
    place = place or contributions[0].place
    result = ResultFactory(place=place, progress=progress, is_published=published, **kwargs)
    result.contributions.set(contributions)
    return result


@pytest.fixture
def known(place, consultation, service):
    """A fixture whose numbers are known: 6 shown, 4 answered, 3 acted on, 1 done."""
    c = [ContributionFactory(consultation=consultation) for _ in range(6)]
    answered(c[0], AnswerState.ACCEPTED)
    answered(c[1], AnswerState.ALREADY_OFFERED, services=[service])
    answered(c[2], AnswerState.REJECTED, text="Not possible.")
    answered(c[3], AnswerState.EVALUATING)
    answered(c[4], AnswerState.ACCEPTED, published=False)  # a draft: not answered in public
    linked([c[0]], progress=100)
    linked([c[1], c[3]], progress=40)
    linked([c[4]], progress=100, published=False)  # unpublished result: not acted on
    # Never shown: hidden, pending, erased without a result, unpublished consultation.
    ContributionFactory(consultation=consultation, visibility=Visibility.HIDDEN, title="HIDDEN-1")
    ContributionFactory(consultation=consultation, visibility=Visibility.PENDING, title="PENDING-1")
    ContributionFactory(consultation=consultation, visibility=Visibility.ERASED, title="")
    ContributionFactory(
        consultation=ConsultationFactory(place=place, is_published=False), title="DRAFTCONS-1"
    )
    # Another place's contribution.
    ContributionFactory(title="OTHERPLACE-1")
    return c


def test_numbers_at_a_glance_on_a_known_fixture(place, known):
    numbers = trail.numbers(place, trail.public_contributions(place))
    assert vars(numbers) == {"heard": 6, "answered": 4, "acted_on": 3, "done": 1}


def test_numbers_are_one_query(place, known, django_assert_num_queries):
    with django_assert_num_queries(1):
        trail.numbers(place, trail.filtered(place, trail.TrailFilters(topic="language")))


def test_erased_contribution_linked_to_a_result_stays_as_removed(client, place, consultation):
    c = ContributionFactory(consultation=consultation, visibility=Visibility.ERASED, title="")
    linked([c], progress=100)
    numbers = trail.numbers(place, trail.public_contributions(place))
    assert (numbers.heard, numbers.acted_on, numbers.done) == (1, 1, 1)
    response = client.get(reverse("participation:trail", args=[place.slug]))
    assert "Removed at its author&#x27;s request" in response.content.decode()


def test_trail_page_shows_the_chain_and_never_unpublished_things(client, place, known, service):
    response = client.get(reverse("participation:trail", args=[place.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    for c in known:
        assert c.title in html
        assert reverse("participation:contribution", args=[place.slug, c.pk]) in html
    assert reverse("directory:service", args=[place.slug, service.pk]) in html
    assert "<progress" in html
    assert "Already offered" in html
    for secret in ("HIDDEN-1", "PENDING-1", "DRAFTCONS-1", "OTHERPLACE-1"):
        assert secret not in html
    # The draft answer's state is not public: the contribution reads "not answered yet".
    assert html.count("Not answered yet") >= 2
    assert len(response.content) < 30_000


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": AnswerState.ACCEPTED}, {0}),
        ({"state": AnswerState.ALREADY_OFFERED}, {1}),
        ({"state": AnswerState.NOT_ANSWERED}, {4, 5}),
        ({"kind": Kind.QUESTION}, {5}),
        ({"topic": "health"}, {2}),
        ({"language": "ar"}, {3}),
    ],
)
def test_filters(place, known, query, expected):
    known[5].kind = Kind.QUESTION
    known[2].domain = "health"
    known[3].source_language = "ar"
    for c in known:
        c.save()
    shown = set(trail.filtered(place, trail.TrailFilters(**query)).values_list("pk", flat=True))
    assert shown == {known[i].pk for i in expected}


def test_custom_state_filters_by_key_and_counts_as_its_group(place, consultation):
    CustomAnswerState.objects.create(
        place=place, key="county", name="Referred to the county", counts_as=AnswerState.EVALUATING
    )
    c = ContributionFactory(consultation=consultation)
    answered(c, "county", group=AnswerState.EVALUATING)
    other = ContributionFactory(consultation=consultation)
    answered(other, AnswerState.EVALUATING)
    by_key = trail.filtered(place, trail.TrailFilters(state="county"))
    by_group = trail.filtered(place, trail.TrailFilters(state=AnswerState.EVALUATING))
    assert list(by_key) == [c]
    assert set(by_group) == {c, other}


def test_consultation_filter_and_state_label_on_page(client, place, consultation):
    CustomAnswerState.objects.create(
        place=place, key="county", name="Referred to the county", counts_as=AnswerState.EVALUATING
    )
    c = ContributionFactory(consultation=consultation, title="Mine")
    answered(c, "county", group=AnswerState.EVALUATING)
    ContributionFactory(consultation=ConsultationFactory(place=place), title="Elsewhere")
    url = reverse("participation:trail", args=[place.slug])
    html = client.get(url, {"consultation": consultation.slug}).content.decode()
    assert "Mine" in html and "Elsewhere" not in html
    assert "Referred to the county" in html


def test_paging_20_per_page(client, place, consultation):
    for n in range(25):
        ContributionFactory(consultation=consultation, title=f"Need number {n:02d}")
    url = reverse("participation:trail", args=[place.slug])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert first.count('class="trail-row"') == 20
    assert second.count('class="trail-row"') == 5
    assert "Need number 24" in first and "Need number 00" in second
    assert client.get(url, {"page": "x"}).status_code == 200


def _fill(place, consultation, service, n):
    status = ResultStatusFactory(place=place)
    for i in range(n):
        c = ContributionFactory(consultation=consultation)
        translation.save_translation(
            c, "ar", {"title": f"حاجةرقم {i}", "body": "نص"}, origin=TranslationOrigin.MACHINE
        )
        answered(c, AnswerState.ALREADY_OFFERED, services=[service])
        result = linked([c], status=status)
        MilestoneFactory(result=result)
        MilestoneFactory(result=result)


# Session-less anonymous request: the place, the custom states, the aggregate, the page's ids,
# the rows (with answers), the answers' services, the results (with statuses), their
# milestones, one query for every translation of all of these, and the consultations (+ their
# translations) for the filter.
TRAIL_QUERIES = 11


@pytest.mark.parametrize("size", [1, 30])
def test_trail_query_count_is_constant(
    client, place, consultation, service, size, django_assert_num_queries
):
    _fill(place, consultation, service, size)
    url = reverse("participation:trail", args=[place.slug])
    with override("ar"):
        url = reverse("participation:trail", args=[place.slug])
    client.get(url)  # warms the content type cache, as any running server has
    with django_assert_num_queries(TRAIL_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("حاجةرقم") == min(size, trail.PAGE_SIZE)
    assert 'class="badge badge-machine"' in html
    assert len(response.content) < 30_000


def test_xss_payload_is_inert(client, place, consultation):
    ContributionFactory(consultation=consultation, title="<script>alert(1)</script>")
    html = client.get(reverse("participation:trail", args=[place.slug])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


VIEW = {
    "anonymous": 200,
    "contributor": 200,
    "org_editor": 200,
    "moderator": 200,
    "admin": 200,
    "other_place_admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_trail_pages_are_public_for_every_role(client, place, organization, consultation, role):
    user = user_for_role(role, place, organization)
    if user is not None:
        client.force_login(user)
    c = ContributionFactory(consultation=consultation, title="Seen by all")
    result = linked([c])
    for url in (
        reverse("participation:trail", args=[place.slug]),
        reverse("participation:result", args=[place.slug, result.pk]),
        reverse("participation:trail-json", args=[place.slug]),
    ):
        assert client.get(url).status_code == VIEW[role], url


@pytest.mark.parametrize("role", ["anonymous", "admin", "other_place_admin"])
def test_a_private_place_trail_is_for_its_staff_only(client, db, role):
    place = PlaceFactory(is_public=False)
    user = user_for_role(role, place)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("participation:trail", args=[place.slug]))
    assert response.status_code == (200 if role == "admin" else 404)


def test_result_page(client, place, consultation, service):
    parent = ResultFactory(place=place, title="Welcome plan", progress=30)
    result = ResultFactory(place=place, title="Evening classes", parent=parent, progress=60)
    ResultFactory(place=place, title="Child part", parent=result, progress=20)
    ResultFactory(place=place, title="SECRET child", parent=result, is_published=False)
    result.services.add(service)
    public = MeetingFactory(place=place, title="Open meeting", body=None)
    private = MeetingFactory(place=place, title="SECRET meeting", body=None, is_public=False)
    result.meetings.set([public, private])
    MilestoneFactory(result=result, title="First class held")
    seen = ContributionFactory(consultation=consultation, title="Evening English")
    hidden = ContributionFactory(
        consultation=consultation, title="SECRET hidden", visibility=Visibility.HIDDEN
    )
    result.contributions.set([seen, hidden])
    html = client.get(
        reverse("participation:result", args=[place.slug, result.pk])
    ).content.decode()
    for text in (
        "Evening classes",
        "Welcome plan",
        "Child part",
        "First class held",
        "Evening English",
        service.name,
        "Open meeting",
    ):
        assert text in html
    assert "SECRET" not in html
    assert reverse("participation:meeting", args=[place.slug, public.pk]) in html
    assert 'value="60"' in html


def test_unpublished_or_foreign_result_is_404(client, place):
    hidden = ResultFactory(place=place, is_published=False)
    foreign = ResultFactory()
    for r in (hidden, foreign):
        assert (
            client.get(reverse("participation:result", args=[place.slug, r.pk])).status_code == 404
        )


def test_open_data_json(client, place, known, service):
    known[0].author_name = "Amal"
    known[0].participant.email = "amal@example.org"
    known[0].participant.save()
    known[0].save()
    response = client.get(reverse("participation:trail-json", args=[place.slug]))
    data = response.json()
    assert data["schema_version"] == 1
    assert "open data" in data["license"].lower()
    assert data["totals"] == {"heard": 6, "answered": 4, "acted_on": 3, "done": 1}
    assert {c["id"] for c in data["contributions"]} == {str(c.pk) for c in known}
    offered = next(c for c in data["contributions"] if c["id"] == str(known[1].pk))
    assert offered["answer"]["state"] == AnswerState.ALREADY_OFFERED
    assert offered["answer"]["services"][0]["id"] == str(service.pk)
    assert len(offered["results"]) == 1
    assert len(data["results"]) == 2  # the unpublished result is left out
    assert data["next"] is None
    body = response.content.decode()
    assert "amal@example.org" not in body and "@" not in body.replace("@context", "")
    assert "Amal" in body
    assert "HIDDEN-1" not in body


def test_staff_role_does_not_unlock_hidden_rows(client, place, known):
    client.force_login(member(place, Role.ADMIN))
    html = client.get(reverse("participation:trail", args=[place.slug])).content.decode()
    assert "HIDDEN-1" not in html and "PENDING-1" not in html


def _result_with_parts(place, consultation, service, size):
    """A published result answering ``size`` contributions, with ``size`` parts and milestones."""
    parent = ResultFactory(place=place, consultation=consultation)
    for i in range(size):
        contribution = ContributionFactory(consultation=consultation, title=f"Need {i}")
        parent.contributions.add(contribution)
        ResultFactory(place=place, parent=parent, title=f"Part {i}", progress=10 * i)
        MilestoneFactory(result=parent, title=f"Step {i}")
    parent.services.add(service)
    return parent


# The result page and the open data read a fixed number of queries, however many parts,
# milestones and contributions they show.
RESULT_QUERIES = 11
OPEN_DATA_QUERIES = 9


@pytest.mark.parametrize("size", [1, 6])
def test_result_page_query_count_is_constant(
    client, place, consultation, service, size, django_assert_num_queries
):
    result = _result_with_parts(place, consultation, service, size)
    url = reverse("participation:result", args=[place.slug, result.pk])
    client.get(url)  # warms the content type cache, as any running server has
    with django_assert_num_queries(RESULT_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f"Part {i}" in html and f"Step {i}" in html for i in range(size))


@pytest.mark.parametrize("size", [1, 6])
def test_open_data_query_count_is_constant(
    client, place, consultation, service, size, django_assert_num_queries
):
    _result_with_parts(place, consultation, service, size)
    url = reverse("participation:trail-json", args=[place.slug])
    client.get(url)
    with django_assert_num_queries(OPEN_DATA_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["contributions"]) == size
