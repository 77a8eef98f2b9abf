"""A synthetic place with a busy participation trail, for ``commonhome bench participation``.

``N`` contributions in several languages, kinds and topics; about 70 % with a published answer
in each state (some "already offered", linking directory services); ``N/10`` results with
parents, children, statuses and milestones, answering about 60 % of the contributions; and
``5 N`` supports from a crowd of participants. Written with ``bulk_create`` in batches.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from commonhome.core.constants import PlaceKind, TranslationOrigin
from commonhome.core.models import Place, Translation
from commonhome.core.places import PlaceInput, create_place
from commonhome.directory.models import Organization, Service
from commonhome.participation.constants import DEFAULT_RESULT_STATUSES, AnswerState, Kind
from commonhome.participation.models import (
    Answer,
    Consultation,
    Contribution,
    Milestone,
    Participant,
    Result,
    ResultStatus,
    Support,
)

BATCH = 2000
LANGUAGES = ["en", "ar", "fa", "uk", "fr", "es"]
LANGUAGE_WEIGHTS = [40, 25, 12, 10, 7, 6]
TOPICS = ["housing", "health", "language", "work", "rights", "education", "community", "digital"]
# (English title, Arabic title)
SAID = [
    ("Evening English classes", "دروس إنجليزية مسائية"),
    ("Help to find a flat", "مساعدة في إيجاد شقة"),
    ("Interpreters at the GP", "مترجمون عند الطبيب"),
    ("Childcare during courses", "رعاية الأطفال أثناء الدورات"),
    ("Advice on work permits", "استشارة حول تصاريح العمل"),
    ("A place to meet neighbours", "مكان للقاء الجيران"),
    ("Forms in my language", "استمارات بلغتي"),
    ("Free wifi at the library", "إنترنت مجاني في المكتبة"),
]
STATES = [
    (AnswerState.ACCEPTED, 30),
    (AnswerState.EVALUATING, 20),
    (AnswerState.REJECTED, 15),
    (AnswerState.ALREADY_OFFERED, 25),
    (AnswerState.NOT_ANSWERED, 10),
]


@dataclass
class Generated:
    place: Place
    contributions: int
    results: int
    supports: int


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def generate(
    contributions: int,
    *,
    seed: int = 1,
    slug: str = "bench-trail",
    progress: Callable[[str], None] | None = None,
) -> Generated:
    rng = random.Random(seed)
    say = progress or (lambda _line: None)
    place = create_place(
        PlaceInput(
            slug=slug,
            name="Trail Town",
            kind=PlaceKind.CITY,
            languages=LANGUAGES,
            center_lat=52.4,
            center_lon=-1.5,
        )
    )
    with transaction.atomic():
        figures = _fill(place, contributions, rng, say)
    return Generated(place, *figures)


def _fill(
    place: Place, n: int, rng: random.Random, say: Callable[[str], None]
) -> tuple[int, int, int]:
    now = timezone.now()
    today = timezone.localdate()
    org = Organization.objects.create(place=place, name="Trail Town Welcome Centre")
    services = Service.objects.bulk_create(
        Service(
            id=_uuid(rng),
            place=place,
            organization=org,
            name=f"{SAID[i % len(SAID)][0]} – service {i + 1}",
            description="Already offered in town.",
        )
        for i in range(20)
    )
    consultations = Consultation.objects.bulk_create(
        Consultation(
            id=_uuid(rng),
            place=place,
            slug=f"round-{i + 1}",
            title=f"What would make Trail Town more welcoming? Round {i + 1}",
            description="Tell us what you need.",
            what_happens_next="Every contribution gets an answer.",
            domains=TOPICS,
        )
        for i in range(3)
    )
    statuses = ResultStatus.objects.bulk_create(
        ResultStatus(id=_uuid(rng), place=place, key=key, name=str(label), progress=pct, position=i)
        for i, (key, label, pct) in enumerate(DEFAULT_RESULT_STATUSES)
    )
    people = Participant.objects.bulk_create(
        (
            Participant(id=_uuid(rng), place=place, language=rng.choice(LANGUAGES))
            for _ in range(max(10, n // 5))
        ),
        batch_size=BATCH,
    )
    say(f"  {len(people)} participants, {len(services)} services")

    contribution_ct = ContentType.objects.get_for_model(Contribution)
    rows: list[Contribution] = []
    translations: list[Translation] = []
    answers: list[Answer] = []
    answer_services = []
    state_keys = [s for s, _w in STATES]
    state_weights = [w for _s, w in STATES]
    for i in range(n):
        language = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        english, arabic = rng.choice(SAID)
        title = arabic if language == "ar" else f"{english} ({language}) #{i + 1}"
        # The newest contribution carries every kind of link, so the first page always
        # exercises the whole chain, whatever the size.
        state = (
            AnswerState.ALREADY_OFFERED
            if i == n - 1
            else (rng.choices(state_keys, state_weights)[0] if rng.random() < 0.78 else None)
        )
        c = Contribution(
            id=_uuid(rng),
            place=place,
            consultation=rng.choice(consultations),
            kind=rng.choice(Kind.values),
            domain=rng.choice(TOPICS),
            title=title,
            body=f"{english}. I would come twice a week if it were near the station.",
            source_language=language,
            participant=rng.choice(people),
            public_state=state or AnswerState.NOT_ANSWERED,
            public_state_group=state or AnswerState.NOT_ANSWERED,
            created_at=now - dt.timedelta(minutes=(n - i) * 7),
        )
        rows.append(c)
        if rng.random() < 0.3 and language != "en":
            translations.append(
                Translation(
                    content_type=contribution_ct,
                    object_id=c.pk,
                    language="en",
                    fields={"title": f"{english} #{i + 1}", "body": english},
                    source_version=1,
                    origin=TranslationOrigin.MACHINE,
                    provider="fake",
                )
            )
        if state is not None:
            answer = Answer(
                id=_uuid(rng),
                contribution=c,
                state=state,
                state_group=state,
                text="Thank you. Here is what we can do about it.",
                reason="Not within the city's powers." if state == AnswerState.REJECTED else "",
                answered_at=c.created_at + dt.timedelta(days=3),
                published_at=c.created_at + dt.timedelta(days=4),
            )
            answers.append(answer)
            if state == AnswerState.ALREADY_OFFERED:
                for service in rng.sample(services, rng.choice((1, 1, 2))):
                    answer_services.append(
                        Answer.services.through(answer_id=answer.pk, service_id=service.pk)
                    )
    # Supports are drawn first so each contribution is written with its count.
    wanted = 5 * n
    pairs: set[tuple[int, int]] = set()
    limit = len(rows) * len(people)
    while len(pairs) < min(wanted, limit):
        pairs.add((rng.randrange(len(rows)), rng.randrange(len(people))))
    supports = []
    for ci, pi in pairs:
        rows[ci].support_count += 1
        supports.append(Support(contribution_id=rows[ci].pk, participant_id=people[pi].pk))
    Contribution.objects.bulk_create(rows, batch_size=BATCH)
    Support.objects.bulk_create(supports, batch_size=BATCH)
    Translation.objects.bulk_create(translations, batch_size=BATCH)
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    Answer.services.through.objects.bulk_create(answer_services, batch_size=BATCH)
    say(f"  {len(rows)} contributions, {len(answers)} answers, {len(supports)} supports")

    result_count = max(1, n // 10)
    results: list[Result] = []
    parents: list[Result] = []
    for i in range(result_count):
        status = rng.choice(statuses)
        is_parent = i < result_count // 10
        r = Result(
            id=_uuid(rng),
            place=place,
            consultation=rng.choice(consultations),
            parent=rng.choice(parents) if parents and not is_parent else None,
            title=f"{rng.choice(SAID)[0]}: what we do, part {i + 1}",
            description="Planned with the people who asked for it.",
            domain=rng.choice(TOPICS),
            status=status,
            progress=100.0 if i == 0 else float(status.progress or rng.randrange(0, 100)),
            start_date=today - dt.timedelta(days=rng.randrange(30, 400)),
            created_at=now - dt.timedelta(days=rng.randrange(0, 400)),
        )
        results.append(r)
        if is_parent:
            parents.append(r)
    Result.objects.bulk_create(results, batch_size=BATCH)
    milestones = [
        Milestone(
            id=_uuid(rng),
            result=r,
            date=today - dt.timedelta(days=rng.randrange(0, 300)),
            title=rng.choice(("Plan agreed", "First session held", "Venue found", "Funding")),
        )
        for j, r in enumerate(results)
        for _ in range(3 if j == 0 else rng.choice((0, 1, 2, 3)))
    ]
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    links = {(results[0].pk, rows[-1].pk)}
    for c in rows:
        if rng.random() < 0.6:
            links.add((rng.choice(results).pk, c.pk))
            if rng.random() < 0.1:
                links.add((rng.choice(results).pk, c.pk))
    Result.contributions.through.objects.bulk_create(
        (Result.contributions.through(result_id=r, contribution_id=c) for r, c in links),
        batch_size=BATCH,
    )
    say(f"  {len(results)} results, {len(milestones)} milestones, {len(links)} links")

    return len(rows), len(results), len(supports)
