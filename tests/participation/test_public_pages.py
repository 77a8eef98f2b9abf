"""Public participation pages: for everyone, in every language, safe with whatever people type."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commonhome.core.constants import TranslationOrigin
from commonhome.core.translation import save_translation
from commonhome.participation import services
from commonhome.participation.constants import AnswerState, Phase, Visibility
from commonhome.participation.models import Answer, CustomAnswerState
from tests.factories import ROLES, PlaceFactory, user_for_role
from tests.participation.factories import (
    ConsultationFactory,
    ContributionFactory,
    MilestoneFactory,
    ResultFactory,
    VerifiedParticipantFactory,
)

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def contribution(consultation):
    return ContributionFactory(consultation=consultation, author_name="Amal")


def page_urls(place, consultation, contribution):
    slug = place.slug
    return {
        "home": reverse("participation:home", args=[slug]),
        "consultation": reverse("participation:consultation", args=[slug, consultation.slug]),
        "contribute": reverse("participation:contribute", args=[slug, consultation.slug]),
        "contribution": reverse("participation:contribution", args=[slug, contribution.pk]),
        "report": reverse("participation:report", args=[slug, contribution.pk]),
        "sign-in": reverse("participation:sign-in", args=[slug]),
        "sign-in-code": reverse("participation:sign-in-code", args=[slug]),
        "sign-out": reverse("participation:sign-out", args=[slug]),
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_role_and_anonymous_see_the_public_pages(
    client, place, consultation, contribution, role
):
    user = user_for_role(role, place)
    if user is not None:
        client.force_login(user)
    for name, url in page_urls(place, consultation, contribution).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert len(response.content) < 30_000, name
        assert "style=" not in response.content.decode(), name


@pytest.mark.parametrize("role", ROLES)
def test_non_public_place_is_not_found_except_for_its_staff(client, db, role):
    place = PlaceFactory(is_public=False)
    consultation = ConsultationFactory(place=place)
    contribution = ContributionFactory(consultation=consultation)
    user = user_for_role(role, place)
    if user is not None:
        client.force_login(user)
    expected = 200 if role in ("moderator", "admin") else 404
    for name, url in page_urls(place, consultation, contribution).items():
        assert client.get(url).status_code == expected, (name, role)


def test_home_lists_open_consultations_with_phase_dates_and_counts(client, place, consultation):
    consultation.answer_by = timezone.localdate()
    consultation.save()
    ContributionFactory(consultation=consultation)
    answered = ContributionFactory(consultation=consultation)
    answered.public_state = answered.public_state_group = AnswerState.ACCEPTED
    answered.save()
    ContributionFactory(consultation=consultation, visibility=Visibility.HIDDEN)
    ConsultationFactory(place=place, is_published=False, title="Secret draft")
    page = client.get(reverse("participation:home", args=[place.slug])).content.decode()
    assert consultation.title in page
    assert "Open for input" in page and "What happens next" in page
    assert "Contributions: 2" in page and "Answered: 1" in page
    assert "Secret draft" not in page
    assert reverse("participation:trail", args=[place.slug]) in page


def test_consultation_page_shows_which_actions_are_open(client, consultation):
    consultation.phase = Phase.EVALUATING
    consultation.save()
    url = reverse("participation:consultation", args=[consultation.place.slug, consultation.slug])
    page = client.get(url).content.decode()
    assert "Phase: Evaluating" in page
    assert "Sign in with an e-mail code to comment" in page
    assert (
        reverse("participation:contribute", args=[consultation.place.slug, consultation.slug])
        not in page
    )


def test_consultation_page_filters_and_pages(client, place, consultation):
    for n in range(23):
        ContributionFactory(consultation=consultation, title=f"Need number {n:02d}")
    ContributionFactory(
        consultation=consultation, kind="question", title="Where is the GP?", domain="health"
    )
    ContributionFactory(consultation=consultation, title="بالعربية", source_language="ar")
    url = reverse("participation:consultation", args=[place.slug, consultation.slug])
    first = client.get(url).content.decode()
    assert first.count('class="p-item"') == 20 and "Page 1 of 2" in first
    assert client.get(url + "?page=2").content.decode().count('class="p-item"') == 5
    questions = client.get(url + "?kind=question").content.decode()
    assert "Where is the GP?" in questions and "Need number" not in questions
    health = client.get(url + "?topic=health").content.decode()
    assert health.count('class="p-item"') == 1
    arabic = client.get(url + "?language=ar").content.decode()
    assert "بالعربية" in arabic and arabic.count('class="p-item"') == 1


def test_user_text_is_rendered_inert(client, place, consultation):
    person = VerifiedParticipantFactory(place=place, display_name=XSS[:80])
    contribution = services.submit_contribution(
        person,
        consultation,
        kind="need",
        title=XSS[:200],
        body=XSS,
        language="en",
        author_name=XSS[:80],
    )
    services.add_comment(person, contribution, XSS, "en")
    urls = [
        reverse("participation:consultation", args=[place.slug, consultation.slug]),
        reverse("participation:contribution", args=[place.slug, contribution.pk]),
        reverse("participation:report", args=[place.slug, contribution.pk]),
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url


def test_e_mail_addresses_and_desk_contacts_never_appear(client, place, consultation):
    from tests.factories import member

    person = VerifiedParticipantFactory(place=place, email="amal.secret@example.org")
    mine = services.submit_contribution(
        person,
        consultation,
        kind="need",
        title="Evening classes",
        body="I work all day long.",
        language="en",
    )
    services.add_comment(person, mine, "Me again", "en")
    desk = services.record_at_desk(
        member(place, "moderator"),
        consultation,
        display_name="Mr K.",
        contact="07700 900123, flat 4",
        email="k.private@example.org",
        language="en",
        kind="need",
        title="Help with letters",
        body="I cannot read the council letters.",
    )
    for url in [
        reverse("participation:home", args=[place.slug]),
        reverse("participation:consultation", args=[place.slug, consultation.slug]),
        reverse("participation:contribution", args=[place.slug, mine.pk]),
        reverse("participation:contribution", args=[place.slug, desk.pk]),
    ]:
        page = client.get(url).content.decode()
        for secret in ("amal.secret@", "k.private@", "07700 900123"):
            assert secret not in page, (url, secret)


def test_contribution_page_shows_answer_services_results_and_labels(
    client, place, consultation, service
):
    contribution = ContributionFactory(consultation=consultation)
    contribution.public_state = contribution.public_state_group = AnswerState.ALREADY_OFFERED
    contribution.save()
    answer = Answer.objects.create(
        contribution=contribution,
        state=AnswerState.ALREADY_OFFERED,
        state_group=AnswerState.ALREADY_OFFERED,
        text="The library runs free evening classes.",
        published_at=timezone.now(),
    )
    answer.services.add(service)
    result = ResultFactory(place=place, progress=40)
    result.contributions.add(contribution)
    MilestoneFactory(result=result, title="Teachers hired")
    ResultFactory(place=place, is_published=False, title="Unpublished plan").contributions.add(
        contribution
    )
    url = reverse("participation:contribution", args=[place.slug, contribution.pk])
    page = client.get(url).content.decode()
    assert "Already offered" in page
    assert "The library runs free evening classes." in page
    assert reverse("directory:service", args=[place.slug, service.pk]) in page
    assert result.title in page and 'value="40"' in page and "<progress" in page
    assert "Teachers hired" in page
    assert "Unpublished plan" not in page
    assert "Anonymous" in page


def test_draft_answer_is_not_shown(client, place, contribution):
    Answer.objects.create(contribution=contribution, state="accepted", text="Draft words")
    url = reverse("participation:contribution", args=[place.slug, contribution.pk])
    page = client.get(url).content.decode()
    assert "Draft words" not in page and "No answer published yet." in page


def test_custom_answer_state_is_labelled_by_its_name(client, place, contribution):
    CustomAnswerState.objects.create(place=place, key="referred", name="Referred to the county")
    contribution.public_state = "referred"
    contribution.public_state_group = AnswerState.EVALUATING
    contribution.save()
    url = reverse("participation:contribution", args=[place.slug, contribution.pk])
    assert "Referred to the county" in client.get(url).content.decode()


def test_machine_translation_is_labelled_with_the_original_one_click_away(
    client, place, consultation
):
    contribution = ContributionFactory(
        consultation=consultation, source_language="ar", title="دروس مسائية"
    )
    save_translation(
        contribution,
        "en",
        {"title": "Evening classes", "body": "I work all day."},
        origin=TranslationOrigin.MACHINE,
        provider="fake",
    )
    url = reverse("participation:contribution", args=[place.slug, contribution.pk])
    page = client.get(url).content.decode()
    assert "Evening classes" in page and "Machine translation" in page
    assert f"{url}?original=1" in page
    original = client.get(url + "?original=1").content.decode()
    assert 'lang="ar" dir="rtl">دروس مسائية' in original


@pytest.mark.parametrize("state", [Visibility.PENDING, Visibility.HIDDEN])
@pytest.mark.parametrize("role", ROLES)
def test_hidden_contributions_are_for_staff_only(client, place, consultation, state, role):
    contribution = ContributionFactory(consultation=consultation, visibility=state)
    user = user_for_role(role, place)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("participation:contribution", args=[place.slug, contribution.pk]))
    if role in ("moderator", "admin"):
        assert response.status_code == 200
        assert "Only staff see this contribution" in response.content.decode()
    else:
        assert response.status_code == 404


def test_erased_contribution_leaves_a_tombstone_and_keeps_the_answer(client, place, consultation):
    contribution = ContributionFactory(
        consultation=consultation, visibility=Visibility.ERASED, title="Gone title"
    )
    Answer.objects.create(
        contribution=contribution, state="accepted", text="We did it.", published_at=timezone.now()
    )
    response = client.get(reverse("participation:contribution", args=[place.slug, contribution.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Removed at its author&#x27;s request" in page or "Removed at its author's request" in page
    )
    assert "Gone title" not in page and "We did it." in page


def test_contribution_of_another_place_is_not_found(client, place):
    other = ContributionFactory()
    url = reverse("participation:contribution", args=[place.slug, other.pk])
    assert client.get(url).status_code == 404


# --- Query counts --------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_consultation_page_query_count_does_not_grow(
    client, place, consultation, django_assert_num_queries
):
    url = reverse("participation:consultation", args=[place.slug, consultation.slug])
    ContributionFactory(consultation=consultation)
    client.get(url)  # settles the session and the settings row
    one = _queries(client, url)
    for _ in range(9):
        ContributionFactory(consultation=consultation)
    assert _queries(client, url) == one
    # place, consultation + translations, count, page + translations, settings (no session
    # yet: nobody took part from this browser).
    with django_assert_num_queries(7):
        client.get(url)


def test_contribution_page_query_count_does_not_grow(
    client, place, consultation, django_assert_num_queries
):
    contribution = ContributionFactory(consultation=consultation)
    person = VerifiedParticipantFactory(place=place)
    result = ResultFactory(place=place)
    result.contributions.add(contribution)
    MilestoneFactory(result=result)
    services.add_comment(person, contribution, "First", "en")
    url = reverse("participation:contribution", args=[place.slug, contribution.pk])
    client.post(reverse("participation:follow", args=[place.slug, contribution.pk]))
    client.get(url)  # warms the content type cache
    one = _queries(client, url)
    for n in range(9):
        top = services.add_comment(person, contribution, f"Comment {n}", "en")
        services.add_comment(person, contribution, f"Reply {n}", "en", parent=top)
        more = ResultFactory(place=place)
        more.contributions.add(contribution)
        MilestoneFactory(result=more)
    assert _queries(client, url) == one
    # place, session, contribution + translations, answer, results + translations,
    # milestones + translations, comments, participant, support, follow, settings.
    with django_assert_num_queries(14):
        client.get(url)
