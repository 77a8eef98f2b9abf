"""Anyone sends a need, suggestion or question in their own language; nothing they type is lost."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from commonhome.core.models import AuditEntry, Translation
from commonhome.participation import identity, services
from commonhome.participation.constants import Channel, Level, Phase
from commonhome.participation.models import Contribution, Participant
from tests.factories import PlaceFactory, member
from tests.participation.factories import ConsultationFactory, ParticipantFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def contribute_url(consultation):
    return reverse("participation:contribute", args=[consultation.place.slug, consultation.slug])


def form(**changes):
    data = {
        "kind": "need",
        "domain": "language",
        "title": "Evening English classes",
        "body": "I work during the day and cannot go to the morning classes.",
        "language": "en",
        "location_label": "",
        "latitude": "",
        "longitude": "",
        "author_name": "",
        "email": "",
        "homepage": "",
    }
    data.update(changes)
    return data


def submit(participant, consultation, **changes):
    fields = {
        "kind": "need",
        "title": "Evening English classes",
        "body": "I work during the day and cannot go to the morning classes.",
        "language": "en",
    }
    fields.update(changes)
    return services.submit_contribution(participant, consultation, **fields)


# --- The service ---------------------------------------------------------------------------


def test_contribution_is_saved_in_the_chosen_language_audited_and_announced(
    consultation, django_capture_on_commit_callbacks
):
    from commonhome.core import events

    seen = []
    events.subscribe(
        "participation.contribution_submitted", lambda contribution: seen.append(contribution)
    )
    participant = ParticipantFactory(place=consultation.place)
    with django_capture_on_commit_callbacks(execute=True):
        contribution = submit(participant, consultation, language="ar", title="دروس مسائية")
    assert contribution.source_language == "ar"
    assert contribution.place == consultation.place and contribution.channel == Channel.WEB
    assert AuditEntry.objects.filter(
        action="participation.contribution.submit", object_id=str(contribution.pk)
    ).exists()
    assert seen == [contribution]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "ab"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": "too short"}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"kind": "complaint"}, "kind"),
        ({"domain": "work"}, "domain"),
        ({"language": "de"}, "language"),
        ({"latitude": 52.4}, "latitude"),
        ({"latitude": 95.0, "longitude": 1.0}, "latitude"),
    ],
)
def test_invalid_contribution_names_the_field_and_writes_nothing(consultation, changes, field):
    with pytest.raises(ValidationError) as error:
        submit(ParticipantFactory(place=consultation.place), consultation, **changes)
    assert field in error.value.message_dict
    assert not Contribution.objects.exists()


def test_point_outside_the_place_bounds_is_refused(consultation):
    place = consultation.place
    place.bounds = [52.3, -1.7, 52.5, -1.4]
    with pytest.raises(ValidationError) as error:
        submit(None, consultation, latitude=48.85, longitude=2.35)
    assert "latitude" in error.value.message_dict
    inside = submit(None, consultation, latitude=52.40, longitude=-1.52)
    assert (inside.latitude, inside.longitude) == (52.40, -1.52)


def test_contribution_is_refused_once_the_consultation_is_evaluating(consultation):
    consultation.phase = Phase.EVALUATING
    with pytest.raises(identity.ActionRefused):
        submit(None, consultation)


def test_machine_translation_fills_the_other_languages_labelled_machine(settings, consultation):
    settings.MACHINE_TRANSLATION_PROVIDER = "fake"
    contribution = submit(None, consultation, language="ar", title="دروس مسائية")
    # The immediate task backend runs on commit; tests run inside a transaction, so run it.
    services.translate_contribution.call(str(contribution.pk))
    languages = set(
        Translation.objects.filter(object_id=contribution.pk).values_list("language", flat=True)
    )
    assert languages == set(consultation.place.content_languages) - {"ar"}
    english = Translation.objects.get(object_id=contribution.pk, language="en")
    assert english.origin == "machine" and english.fields["title"] == "[en] دروس مسائية"


def test_failing_machine_translation_loses_nothing(settings, consultation, monkeypatch):
    from commonhome.core import translation

    def broken(*args, **kwargs):
        raise OSError("translation server down")

    settings.MACHINE_TRANSLATION_PROVIDER = "fake"
    monkeypatch.setattr(translation.FakeProvider, "translate", broken)
    contribution = submit(None, consultation)
    assert services.translate_contribution.call(str(contribution.pk)) == 0
    assert Contribution.objects.filter(pk=contribution.pk).exists()


def test_desk_records_for_someone_without_internet(consultation):
    place = consultation.place
    staff = member(place, "moderator")
    contribution = services.record_at_desk(
        staff,
        consultation,
        display_name="Mr K.",
        contact="Calls the library on Tuesdays",
        language="fa",
        kind="need",
        title="Help with forms",
        body="I cannot read the letters from the council.",
    )
    person = contribution.participant
    assert person.desk_assisted and person.level == Level.DESK and person.recorded_by == staff
    assert contribution.channel == Channel.DESK and contribution.recorded_by == staff
    assert contribution.author_name == "Mr K."
    entry = AuditEntry.objects.get(action="participation.contribution.desk")
    assert entry.actor == staff


def test_desk_recording_needs_staff(consultation):
    from django.core.exceptions import PermissionDenied

    outsider = member(PlaceFactory(), "admin")
    with pytest.raises(PermissionDenied):
        services.record_at_desk(
            outsider,
            consultation,
            display_name="",
            contact="",
            language="en",
            kind="need",
            title="Help with forms",
            body="I cannot read the letters.",
        )


# --- The form ------------------------------------------------------------------------------


def test_anonymous_newcomer_submits_in_arabic_and_lands_on_the_trail_page(client, consultation):
    with translation.override("ar"):
        url = contribute_url(consultation)
    response = client.post(
        url,
        form(
            language="ar",
            title="دروس مسائية",
            body="أعمل طوال اليوم ولا أستطيع حضور الدروس الصباحية.",
        ),
    )
    contribution = Contribution.objects.get()
    assert response.status_code == 302
    with translation.override("ar"):
        assert response["Location"] == reverse(
            "participation:contribution", args=[consultation.place.slug, contribution.pk]
        )
    assert contribution.source_language == "ar"
    assert contribution.participant is not None and contribution.participant.level == Level.NONE
    page = client.get(response["Location"])
    assert "دروس مسائية" in page.content.decode()
    assert '<html lang="ar" dir="rtl">' in page.content.decode()


def test_form_language_defaults_to_the_page_language(client, consultation):
    with translation.override("uk"):
        url = contribute_url(consultation)
    page = client.get(url).content.decode()
    assert re.search(r'<option value="uk"[^>]*selected', page)


def test_form_errors_name_the_field_and_keep_the_text(client, consultation):
    response = client.post(
        contribute_url(consultation), form(title="ab", body="My whole story stays here")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "My whole story stays here" in page
    assert re.search(r'id="id_title"[^>]*aria-invalid="true"', page) or "errorlist" in page
    assert not Contribution.objects.exists()


def test_honeypot_keeps_nothing(client, consultation):
    response = client.post(contribute_url(consultation), form(homepage="http://spam.example"))
    assert response.status_code == 302
    assert not Contribution.objects.exists()
    assert not Participant.objects.exists()


def test_one_flooding_client_is_limited_without_affecting_another(client, consultation):
    settings = identity.settings_for(consultation.place)
    settings.anonymous_per_hour = 2
    settings.save()
    for n in range(2):
        ok = client.post(
            contribute_url(consultation), form(title=f"Need {n}"), REMOTE_ADDR="10.0.0.1"
        )
        assert ok.status_code == 302
    blocked = client.post(
        contribute_url(consultation),
        form(title="The third one", body="Every word of this must come back to me."),
        REMOTE_ADDR="10.0.0.1",
    )
    page = blocked.content.decode()
    assert blocked.status_code == 429 and blocked["Retry-After"]
    assert "Every word of this must come back to me." in page and "The third one" in page
    assert Contribution.objects.count() == 2
    from django.test import Client

    other = Client().post(
        contribute_url(consultation), form(title="Someone else"), REMOTE_ADDR="10.0.0.2"
    )
    assert other.status_code == 302
    assert Contribution.objects.count() == 3


def test_sign_in_requirement_keeps_the_text_for_after_sign_in(client, consultation):
    settings = identity.settings_for(consultation.place)
    settings.contribute_level = Level.EMAIL
    settings.save()
    refused = client.post(contribute_url(consultation), form(body="Kept for after the sign in."))
    page = refused.content.decode()
    assert refused.status_code == 403
    assert "Sign in with an e-mail code" in page
    assert "Kept for after the sign in." in page
    assert reverse("participation:sign-in", args=[consultation.place.slug]) in page
    assert not Contribution.objects.exists()

    identity.send_code(consultation.place, "amal@example.org", "en")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    client.post(
        reverse("participation:sign-in-code", args=[consultation.place.slug]),
        {"email": "amal@example.org", "code": code},
    )
    again = client.get(contribute_url(consultation)).content.decode()
    assert "Kept for after the sign in." in again
    sent = client.post(contribute_url(consultation), form(body="Kept for after the sign in."))
    assert sent.status_code == 302
    assert Contribution.objects.get().participant.email == "amal@example.org"


def test_closed_consultation_says_so_instead_of_a_form(client, consultation):
    consultation.phase = Phase.CLOSED
    consultation.save()
    page = client.get(contribute_url(consultation)).content.decode()
    assert "no longer open for new input" in page
    assert 'name="title"' not in page


def test_e_mail_to_hear_back_needs_consent_and_is_kept_with_its_purpose(client, consultation):
    refused = client.post(contribute_url(consultation), form(email="amal@example.org"))
    assert refused.status_code == 200 and "Tick the box" in refused.content.decode()
    sent = client.post(contribute_url(consultation), form(email="Amal@example.org", consent="on"))
    assert sent.status_code == 302
    person = Contribution.objects.get().participant
    assert person.email == "amal@example.org" and person.email_verified_at is None
    assert person.consented_at is not None and person.consent_purpose == identity.HEAR_BACK_PURPOSE
    assert len(mail.outbox) == 1


def test_unpublished_consultation_is_not_found(client, place):
    hidden = ConsultationFactory(place=place, is_published=False)
    assert client.get(contribute_url(hidden)).status_code == 404
