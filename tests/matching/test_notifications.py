"""E-mails to people taking part: who hears what, in which language, with which link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from commonhome.matching import services
from commonhome.matching.constants import ConsentPurpose, ProfileStatus
from commonhome.matching.models import Profile
from commonhome.matching.runner import run_matching
from tests.matching.factories import ALL_CONSENTS, offerer, proposal, seeker

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
EMAILS = (*ALL_CONSENTS, ConsentPurpose.EMAIL_UPDATES)
LINK = re.compile(r"(?:https?://[^/\s]+)?(/\S+/me/\S+/)")


def mails_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [address]]


def link_in(message: mail.EmailMessage) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def test_a_run_mails_each_person_once_in_their_language_with_a_working_link(
    programme, client, on_commit
):
    newcomer = seeker(programme, consents=EMAILS, language="fa", languages=["fa", "en"])
    second = seeker(programme, consents=EMAILS, languages=["en"])
    quiet = seeker(programme, languages=["en"])  # did not ask for e-mails
    volunteer = offerer(programme, consents=EMAILS, languages=["fa", "en"], capacity=3)
    with on_commit():
        run = run_matching(programme, now=NOW)
    assert run.stats["matched"] == 3

    assert mails_to(quiet.email) == []
    assert len(mails_to(second.email)) == 1
    # Three proposals for the volunteer, one e-mail.
    assert len(mails_to(volunteer.email)) == 1
    [farsi] = mails_to(newcomer.email)
    assert farsi.subject.startswith("برای شما کسی را پیدا کردیم"), farsi.subject
    assert programme.name in farsi.subject
    path = link_in(farsi)
    assert path.startswith("/fa/")
    # The link opens the person's own page, with the proposal on it.
    page = client.get(path)
    assert page.status_code == 200
    assert newcomer.display_name in page.content.decode()
    # Nobody's contact travels by e-mail.
    assert volunteer.email not in farsi.body
    assert newcomer.email not in mails_to(volunteer.email)[0].body


def test_the_emailed_link_is_stable_until_a_new_one_is_asked_for(programme, client, on_commit):
    person = seeker(programme, consents=EMAILS)
    partner = offerer(programme, consents=EMAILS)
    made = proposal(person, partner)
    with on_commit():
        services.respond(partner, made, False)
    [declined] = mails_to(person.email)
    old = link_in(declined)
    with on_commit():
        assert services.send_link(programme, person.email.upper()) == 1
    [_, fresh] = mails_to(person.email)
    new = link_in(fresh)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    # The link given at sign-up keeps working.
    assert client.get(new.replace(new.split("/")[-2], person.token)).status_code == 200
    # Later e-mails carry the new link, not the old one.
    other = offerer(programme)
    with on_commit():
        services.respond(other, proposal(person, other), False)
    assert link_in(mails_to(person.email)[-1]) == new


def test_asking_for_a_link_reveals_nothing_and_skips_people_who_left(programme, on_commit):
    gone = seeker(programme, email="gone@example.org")
    services.leave(gone)
    with on_commit():
        assert services.send_link(programme, "nobody@example.org") == 0
        assert services.send_link(programme, "gone@example.org") == 0
        assert services.send_link(programme, "") == 0
    assert mail.outbox == []
    # A link is sent even without the e-mail consent: the person asked for it.
    seeker(programme, email="asks@example.org")
    with on_commit():
        assert services.send_link(programme, "asks@example.org") == 1
    [sent] = mails_to("asks@example.org")
    assert "withdraw" not in sent.body


def test_reminder_goes_to_whoever_has_not_answered_and_expiry_to_both(programme, on_commit):
    late = seeker(programme, consents=EMAILS)
    keen = offerer(programme, consents=EMAILS)
    made = proposal(late, keen, now=NOW)
    services.respond(keen, made, True, now=NOW)
    with on_commit():
        services.expire_and_remind(NOW + dt.timedelta(days=5))
    assert [m.subject.split(" · ")[0] for m in mails_to(late.email)] == [
        "A proposal is waiting for your answer"
    ]
    assert mails_to(keen.email) == []
    with on_commit():
        services.expire_and_remind(NOW + dt.timedelta(days=14))
    assert mails_to(late.email)[-1].subject.startswith("A proposal has lapsed")
    assert mails_to(keen.email)[-1].subject.startswith("A proposal has lapsed")


def test_both_hear_of_a_match_and_of_its_end_but_not_who_ended_it(programme, on_commit):
    person = seeker(programme, consents=EMAILS, phone="+44 7700 900123")
    partner = offerer(programme, consents=EMAILS)
    made = proposal(person, partner)
    with on_commit():
        services.respond(person, made, True)
    assert mail.outbox == []  # one yes is not news yet
    with on_commit():
        services.respond(partner, made, True)
    for profile in (person, partner):
        [matched] = mails_to(profile.email)
        assert matched.subject.startswith("You have a match")
    assert "7700" not in mails_to(partner.email)[0].body
    with on_commit():
        services.end_match(made, reason="moved to another city", profile=partner)
    ended = mails_to(person.email)[-1]
    assert ended.subject.startswith("A match has ended")
    assert "moved" not in ended.body


def test_leaving_tells_the_partner_and_ends_the_emailed_link(programme, client, on_commit):
    person = seeker(programme, consents=EMAILS)
    partner = offerer(programme, consents=EMAILS)
    with on_commit():
        services.respond(partner, proposal(person, partner), False)
    path = link_in(mails_to(person.email)[0])
    with on_commit():
        services.respond(person, proposal(person, offerer(programme)), True)
        services.leave(person)
    assert client.get(path).status_code == 404
    person.refresh_from_db()
    assert person.mail_token_hash == "" and person.status == ProfileStatus.LEFT


def test_partner_of_someone_who_pauses_hears_the_proposal_will_not_go_ahead(programme, on_commit):
    person = seeker(programme)
    partner = offerer(programme, consents=EMAILS)
    proposal(person, partner)
    with on_commit():
        services.pause(person)
    [told] = mails_to(partner.email)
    assert told.subject.startswith("A proposal will not go ahead")


def test_withdrawing_the_email_consent_stops_the_emails(programme, on_commit):
    person = seeker(programme, consents=EMAILS)
    services.set_consent(person, ConsentPurpose.EMAIL_UPDATES, False)
    partner = offerer(programme)
    with on_commit():
        services.respond(partner, proposal(Profile.objects.get(pk=person.pk), partner), False)
    assert mail.outbox == []


def test_emails_need_an_address_and_clearing_it_withdraws_the_consent(programme):
    no_address = seeker(programme, email="", phone="+44 7700 900456")
    with pytest.raises(ValidationError, match="e-mail address"):
        services.set_consent(no_address, ConsentPurpose.EMAIL_UPDATES, True)
    person = seeker(programme, consents=EMAILS, phone="+44 7700 900457")
    changed = services.update_profile(person, person.version, email="")
    assert not changed.has_consent(ConsentPurpose.EMAIL_UPDATES)
    assert changed.has_consent(ConsentPurpose.MATCHING)
