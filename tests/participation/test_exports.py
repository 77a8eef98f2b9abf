"""Staff exports: CSV and XLSX that read back, least data, inert formulas, audited."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commonhome.core.constants import Role
from commonhome.core.models import AuditEntry
from commonhome.participation import answers, exports
from commonhome.participation.constants import AnswerState
from commonhome.participation.models import Participant
from tests.factories import PlaceFactory, member
from tests.participation.factories import (
    ContributionFactory,
    MilestoneFactory,
    ResultFactory,
    VerifiedParticipantFactory,
)


@pytest.fixture
def moderator(place):
    return member(place, Role.MODERATOR)


@pytest.fixture
def data(place, consultation, moderator, service):
    person = VerifiedParticipantFactory(place=place, email="leila@example.org")
    need = ContributionFactory(
        consultation=consultation, participant=person, title="Evening classes", author_name="Leila"
    )
    desk = ContributionFactory(
        consultation=consultation,
        participant=Participant.objects.create(
            place=place, desk_assisted=True, desk_contact="Phone 07700 900456"
        ),
        title='=HYPERLINK("http://evil.example","click")',
        body="+1 and -1 and @SUM(A1)",
    )
    second = ContributionFactory(consultation=consultation, participant=person)
    answer = answers.answer(
        moderator, need, state=AnswerState.ALREADY_OFFERED, services=[service], text="See there"
    )
    answers.publish(moderator, [answer])
    result = ResultFactory(place=place, title="Evening classes at the library", progress=40)
    result.contributions.add(need)
    MilestoneFactory(result=result)
    ContributionFactory(consultation__place=PlaceFactory(), title="Another city's need")
    return {"need": need, "desk": desk, "second": second, "person": person, "result": result}


def get_csv(client, place, what):
    response = client.get(reverse("participation:staff-export", args=[place.slug, what, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return text, list(csv.DictReader(io.StringIO(text)))


def test_contributions_csv_reads_back_with_least_data(client, place, moderator, data):
    client.force_login(moderator)
    text, rows = get_csv(client, place, "contributions")
    by_id = {row["contribution_id"]: row for row in rows}
    assert set(by_id) == {str(data[k].pk) for k in ("need", "desk", "second")}
    need = by_id[str(data["need"].pk)]
    assert need["title"] == "Evening classes"
    assert need["author_name"] == "Leila"
    assert need["public_answer_state"] == "already_offered"
    # The same person gets the same pseudonym, which is not their id.
    assert need["participant"] == by_id[str(data["second"].pk)]["participant"]
    assert need["participant"].startswith("p-")
    assert str(data["person"].pk) not in text
    assert "leila@example.org" not in text and "@example.org" not in text
    assert "07700" not in text
    assert "Another city's need" not in text


def test_formulas_are_made_inert(client, place, moderator, data):
    client.force_login(moderator)
    _text, rows = get_csv(client, place, "contributions")
    desk = next(row for row in rows if row["contribution_id"] == str(data["desk"].pk))
    assert desk["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert desk["text"] == "'+1 and -1 and @SUM(A1)"
    assert exports.inert("-3") == "'-3" and exports.inert(-3) == -3
    assert exports.inert("@x") == "'@x" and exports.inert("plain") == "plain"


def test_answers_csv_names_the_state_and_the_services(client, place, moderator, data, service):
    client.force_login(moderator)
    _text, rows = get_csv(client, place, "answers")
    assert len(rows) == 1
    row = rows[0]
    assert row["contribution_id"] == str(data["need"].pk)
    assert (row["answer_state"], row["answer_state_label"]) == (
        "already_offered",
        "Already offered",
    )
    assert row["services"] == service.name
    assert row["published"] == "yes"
    assert row["answered_by"] == moderator.get_username()


def test_results_xlsx_reads_back(client, place, moderator, data):
    client.force_login(moderator)
    response = client.get(
        reverse("participation:staff-export", args=[place.slug, "results", "xlsx"])
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    header, *rows = [list(r) for r in workbook.active.iter_rows(values_only=True)]
    assert header[:2] == ["result_id", "title"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["title"] == "Evening classes at the library"
    assert row["progress_percent"] == 40
    assert (row["contributions"], row["milestones"]) == (1, 1)


def test_contributions_xlsx_keeps_formulas_as_text(client, place, moderator, data):
    client.force_login(moderator)
    url = reverse("participation:staff-export", args=[place.slug, "contributions", "xlsx"])
    workbook = load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content)))
    sheet = workbook.active
    titles = [cell.value for cell in sheet["F"]]
    assert '\'=HYPERLINK("http://evil.example","click")' in titles
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    values = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert "@example.org" not in values and "07700" not in values


def test_each_export_is_audited_and_unknown_ones_are_not_found(client, place, moderator, data):
    client.force_login(moderator)
    client.get(reverse("participation:staff-export", args=[place.slug, "answers", "csv"]))
    entry = AuditEntry.objects.get(action="participation.export")
    assert (entry.actor, entry.place, entry.note) == (moderator, place, "answers.csv")
    for what, fmt in (("participants", "csv"), ("answers", "pdf")):
        url = reverse("participation:staff-export", args=[place.slug, what, fmt])
        assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="participation.export").count() == 1


def test_a_large_export_is_read_in_chunks(
    place, consultation, moderator, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(exports, "CHUNK", 10)
    for c in ContributionFactory.create_batch(25, consultation=consultation):
        answers.answer(moderator, c, state=AnswerState.EVALUATING)
    for what in ("contributions", "answers"):
        header, rows = exports.table(place, what)
        # One query per chunk of answers for their services, not one per row.
        with django_assert_max_num_queries(6):
            assert sum(1 for _row in rows) == 25
        assert header[0] == "contribution_id"
