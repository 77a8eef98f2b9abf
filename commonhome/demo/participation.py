"""Demo participation content for Coventry: consultations, needs, answers, results, a council.

Every person, group and text here is invented for the demonstration. Contributions are written
in the language their authors would use (English, Arabic, Farsi, Ukrainian), with English
translations labelled as machine-made, so the trail shows each translation state.

Records are written directly (the directory demo does the same): the load announces nothing
and notifies nobody. Ids come from stable keys, and a new load first removes the previous
demo records of these ids, so loading twice leaves exactly one copy.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from commonhome.core.constants import TranslationOrigin
from commonhome.core.models import Place, User
from commonhome.core.translation import save_translation
from commonhome.participation.constants import AnswerState, Channel, Kind, MeetingMode, Phase
from commonhome.participation.models import (
    Answer,
    Body,
    BodyMember,
    Consultation,
    Contribution,
    Meeting,
    Milestone,
    Participant,
    Result,
    Support,
)
from commonhome.participation.results import compute_progress, ensure_statuses

NAMESPACE = uuid.UUID("0d7f3c1e-5b0a-4a43-9c3e-3f1f6b2a9e21")
CITY = "coventry"
DEMO_NOTE = "Demo content: invented for the demonstration."


def demo_id(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(parts))


# --- Content ------------------------------------------------------------------------------

CONSULTATIONS = {
    "settling-in": {
        "title": "Settling in: what would help?",
        "description": (
            "You arrived in Coventry in the last few years, or you help people who did. What "
            "made the first months hard, and what would have helped? Tell us in your own "
            f"language. {DEMO_NOTE}"
        ),
        "what_happens_next": (
            "The integration team reads every contribution and answers each one within eight "
            "weeks of the consultation closing. The Newcomers' Council discusses the answers "
            "before they are published."
        ),
        "phase": Phase.OPEN,
        "domains": ["language", "health", "housing", "work", "community", "education"],
        "opens": -30,
        "closes": 45,
        "answer_by": 100,
        "translations": {
            "ar": {
                "title": "الاستقرار: ما الذي قد يساعدك؟",
                "description": "وصلت إلى كوفنتري في السنوات الأخيرة، أو تساعد من وصلوا. ما الذي "
                "جعل الأشهر الأولى صعبة، وما الذي كان سيساعد؟ أخبرنا بلغتك. محتوى تجريبي: "
                "أُنشئ للعرض التوضيحي.",
            },
            "fa": {
                "title": "جا افتادن: چه چیزی کمک می‌کند؟",
                "description": "در چند سال اخیر به کاونتری آمده‌اید، یا به کسانی که آمده‌اند کمک "
                "می‌کنید. چه چیزی ماه‌های اول را سخت کرد و چه چیزی کمک می‌کرد؟ به زبان خودتان "
                "بنویسید. محتوای آزمایشی: فقط برای نمایش ساخته شده است.",
            },
            "uk": {
                "title": "Облаштування: що допомогло б?",
                "description": "Ви приїхали до Ковентрі за останні роки або допомагаєте тим, хто "
                "приїхав. Що ускладнило перші місяці і що допомогло б? Напишіть своєю мовою. "
                "Демонстраційний вміст: вигаданий для демонстрації.",
            },
        },
    },
    "finding-your-way": {
        "title": "Finding your way: information for new arrivals",
        "description": (
            "Which information was hardest to find when you arrived: doctors, rights at work, "
            f"school places, where to learn English? {DEMO_NOTE}"
        ),
        "what_happens_next": (
            "All contributions have been answered. Follow the results on the “You said, we "
            "did” page."
        ),
        "phase": Phase.ANSWERED,
        "domains": ["rights", "health", "language", "digital"],
        "opens": -200,
        "closes": -120,
        "answer_by": -60,
        "translations": {},
    },
}


@dataclass
class DemoContribution:
    key: str
    consultation: str
    language: str
    kind: str
    domain: str
    title: str
    body: str
    english: tuple[str, str] = ("", "")
    author: str = ""
    days_ago: int = 10
    # (state, answer text, reason, published, service keys)
    answer: tuple[str, str, str, bool, tuple[str, ...]] | None = None
    meeting: str = ""
    desk: bool = False
    supporters: int = 0


CONTRIBUTIONS = [
    DemoContribution(
        "evening-english",
        "settling-in",
        "en",
        Kind.NEED,
        "language",
        "English classes after work",
        "I work in a warehouse from seven until four. Every free English class I found is in "
        "the morning. Is there anything after work, even one evening a week?",
        author="Bilal",
        days_ago=21,
        answer=(
            AnswerState.ALREADY_OFFERED,
            "Yes: Coventry's ESOL centre runs free evening classes focused on English for work, "
            "on Tuesday and Thursday evenings. You can join at any time of the term.",
            "",
            True,
            ("cov-esol-work",),
        ),
        supporters=4,
    ),
    DemoContribution(
        "gp-registration",
        "finding-your-way",
        "ar",
        Kind.NEED,
        "health",
        "مساعدة في التسجيل لدى طبيب عام",
        "وصلت مع عائلتي قبل شهرين ولا نعرف كيف نسجّل لدى طبيب. قالوا لنا في العيادة إننا "
        "نحتاج إلى إثبات عنوان، ونحن نسكن مؤقتاً عند أقارب.",
        english=(
            "Help registering with a GP",
            "I arrived with my family two months ago and we do not know how to register with "
            "a doctor. The surgery told us we need proof of address, and we are staying with "
            "relatives for now.",
        ),
        author="أم يوسف",
        days_ago=150,
        answer=(
            AnswerState.ALREADY_OFFERED,
            "You do not need proof of address or immigration status to register with a GP. "
            "Health champions explain how to register, in Arabic, and the one-stop information "
            "point can go with you to the surgery.",
            "",
            True,
            ("cov-sisters-health", "cov-weavers-onestop"),
        ),
        supporters=7,
    ),
    DemoContribution(
        "housing-advice-arabic",
        "settling-in",
        "ar",
        Kind.NEED,
        "housing",
        "استشارات سكنية باللغة العربية",
        "المالك لا يصلح الرطوبة في شقتنا منذ ستة أشهر. أريد أن أفهم حقوقي، لكن جلسات "
        "الاستشارة السكنية بالإنجليزية فقط ولا أستطيع أن أشرح المشكلة جيداً.",
        english=(
            "Housing advice in Arabic",
            "Our landlord has not fixed the damp in our flat for six months. I want to "
            "understand my rights, but the housing advice sessions are in English only and I "
            "cannot explain the problem well.",
        ),
        author="",
        days_ago=18,
        answer=(
            AnswerState.ACCEPTED,
            "We will ask the housing rights surgery to offer an Arabic-speaking adviser once a "
            "month, starting in the spring.",
            "",
            True,
            (),
        ),
        supporters=9,
    ),
    DemoContribution(
        "childcare-during-classes",
        "settling-in",
        "fa",
        Kind.NEED,
        "education",
        "نگهداری از بچه‌ها هنگام کلاس زبان",
        "دو بچهٔ کوچک دارم و نمی‌توانم سر کلاس انگلیسی بروم چون کسی نیست از آن‌ها نگهداری کند. "
        "اگر کنار کلاس مهدکودک بود، خیلی از مادرها می‌آمدند.",
        english=(
            "Childcare during English classes",
            "I have two small children and cannot go to English classes because nobody can "
            "look after them. If there were a crèche next to the class, many mothers would "
            "come.",
        ),
        author="",
        days_ago=25,
        desk=True,
        answer=(
            AnswerState.ACCEPTED,
            "Accepted. We are looking for crèche places beside the weekday ESOL classes.",
            "",
            True,
            (),
        ),
        supporters=12,
    ),
    DemoContribution(
        "qualification-recognition",
        "settling-in",
        "uk",
        Kind.NEED,
        "work",
        "Визнання моєї кваліфікації медсестри",
        "Я медсестра з п'ятнадцятирічним досвідом з Харкова. Тут я працюю прибиральницею, бо не "
        "знаю, з чого почати визнання диплома. Потрібна людина, яка пояснить кроки.",
        english=(
            "Recognition of my nursing qualification",
            "I am a nurse from Kharkiv with fifteen years of experience. Here I work as a "
            "cleaner because I do not know where to start having my diploma recognised. I need "
            "someone who can explain the steps.",
        ),
        author="Олена",
        days_ago=14,
        answer=(
            AnswerState.EVALUATING,
            "We are talking with the hospital trust and the college about a guidance session "
            "for health professionals trained abroad.",
            "",
            True,
            (),
        ),
        supporters=6,
    ),
    DemoContribution(
        "quiet-room",
        "settling-in",
        "en",
        Kind.SUGGESTION,
        "community",
        "A quiet room to pray and meet",
        "Raised at the Newcomers' Council: people who come to the hub for appointments ask for "
        "a quiet room where they can pray or sit together between appointments.",
        days_ago=21,
        meeting="past",
        answer=(AnswerState.EVALUATING, "", "", False, ()),
    ),
    DemoContribution(
        "rights-at-work",
        "finding-your-way",
        "ar",
        Kind.QUESTION,
        "rights",
        "أين أجد معلومات عن حقوقي في العمل؟",
        "صاحب العمل يدفع لي أقل من الحد الأدنى للأجور ويقول إن هذا طبيعي في الأشهر الأولى. "
        "هل هذا صحيح؟",
        english=(
            "Where can I find information about my rights at work?",
            "My employer pays me less than the minimum wage and says this is normal in the "
            "first months. Is that true?",
        ),
        days_ago=160,
        answer=(
            AnswerState.ALREADY_OFFERED,
            "No, it is not true: the minimum wage applies from your first day. The Know Your "
            "Rights session on work and wages explains what to do, with interpreters.",
            "",
            True,
            ("cov-canal-kyr-work",),
        ),
        supporters=5,
    ),
    DemoContribution(
        "english-for-mothers",
        "finding-your-way",
        "fa",
        Kind.SUGGESTION,
        "language",
        "کلاس انگلیسی آخر هفته برای پدر و مادرها",
        "کلاس‌های انگلیسی در روزهای کاری است. اگر شنبه‌ها کلاسی با مهدکودک باشد، پدر و مادرهایی "
        "که در طول هفته کار می‌کنند هم می‌توانند یاد بگیرند.",
        english=(
            "Weekend English classes for parents",
            "English classes are on weekdays. If there were a Saturday class with a crèche, "
            "parents who work during the week could learn too.",
        ),
        author="Parisa",
        days_ago=170,
        answer=(
            AnswerState.ACCEPTED,
            "Accepted: Saturday classes with a crèche started at the library.",
            "",
            True,
            (),
        ),
        supporters=11,
    ),
    DemoContribution(
        "ukrainian-app",
        "finding-your-way",
        "uk",
        Kind.SUGGESTION,
        "digital",
        "Окремий застосунок міста українською",
        "Було б добре мати окремий мобільний застосунок міста українською мовою з усією "
        "інформацією для новоприбулих.",
        english=(
            "A separate city app in Ukrainian",
            "It would be good to have a separate city mobile app in Ukrainian with all the "
            "information for new arrivals.",
        ),
        author="Андрій",
        days_ago=165,
        answer=(
            AnswerState.REJECTED,
            "We will not build a separate app.",
            "A separate app per language would be hard to keep up to date. Instead, this "
            "website and its directory are available in Ukrainian and work offline on a phone.",
            True,
            (),
        ),
        supporters=2,
    ),
    DemoContribution(
        "school-forms",
        "settling-in",
        "en",
        Kind.NEED,
        "education",
        "Help filling in the school place application",
        "The online form for a school place asks for things I do not understand, and my "
        "children have been waiting at home for three weeks.",
        author="",
        days_ago=4,
    ),
    DemoContribution(
        "ukrainian-families",
        "settling-in",
        "uk",
        Kind.NEED,
        "community",
        "Місце для зустрічей українських родин",
        "Нам потрібне приміщення, де українські родини могли б зустрічатися у вихідні, щоб "
        "діти гралися разом, а батьки ділилися порадами.",
        english=(
            "A place for Ukrainian families to meet",
            "We need a room where Ukrainian families could meet at weekends, so the children "
            "play together and the parents share advice.",
        ),
        author="Марія",
        days_ago=6,
        supporters=3,
    ),
    DemoContribution(
        "weekend-football",
        "settling-in",
        "ar",
        Kind.SUGGESTION,
        "community",
        "كرة قدم للمراهقين في عطلة نهاية الأسبوع",
        "اقتُرح في مجلس القادمين الجدد: مباريات كرة قدم أسبوعية للمراهقين الجدد مع شباب الحي، "
        "لتكوين صداقات وممارسة الإنجليزية.",
        english=(
            "Weekend football for teenagers",
            "Raised at the Newcomers' Council: weekly football for newly arrived teenagers "
            "with young people from the neighbourhood, to make friends and practise English.",
        ),
        days_ago=21,
        meeting="past",
        answer=(
            AnswerState.ACCEPTED,
            "A youth club has offered its pitch on Sunday afternoons.",
            "",
            False,
            (),
        ),
    ),
]


@dataclass
class DemoResult:
    key: str
    title: str
    description: str
    status: str
    progress: float
    mode: str = "manual"
    weight: float = 1.0
    parent: str = ""
    contributions: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    meetings: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None
    # (days from today, title, description)
    milestones: tuple[tuple[int, str, str], ...] = ()
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


RESULTS = [
    DemoResult(
        "learning-with-family",
        "Learning English while raising a family",
        "Newcomers told us that children and work keep them from English classes. This is "
        f"what the city does about it, step by step. {DEMO_NOTE}",
        "in_progress",
        0,
        mode="weighted",
        start=-150,
        end=200,
        translations={
            "ar": {
                "title": "تعلّم الإنجليزية مع تربية الأسرة",
                "description": "أخبرنا القادمون الجدد أن الأطفال والعمل يمنعانهم من حضور دروس "
                "الإنجليزية. هذا ما تفعله المدينة خطوة بخطوة. محتوى تجريبي.",
            },
        },
    ),
    DemoResult(
        "saturday-classes",
        "Saturday English classes with a crèche",
        "Two-hour English classes every Saturday morning at the library, with a free crèche "
        f"run by qualified volunteers. {DEMO_NOTE}",
        "in_progress",
        60,
        weight=2,
        parent="learning-with-family",
        contributions=("english-for-mothers",),
        services=("cov-esol-entry1",),
        meetings=("past",),
        start=-120,
        end=60,
        milestones=(
            (-100, "Venue agreed with the library", "The library lends its community room."),
            (-40, "First Saturday class held", "Fourteen learners and nine children came."),
        ),
        translations={
            "fa": {
                "title": "کلاس‌های انگلیسی شنبه‌ها با مهدکودک",
                "description": "کلاس دو ساعتهٔ انگلیسی هر شنبه صبح در کتابخانه، با مهدکودک "
                "رایگان. محتوای آزمایشی.",
            },
        },
    ),
    DemoResult(
        "weekday-creche",
        "Crèche places beside weekday ESOL classes",
        "Crèche places for the children of learners in the weekday beginners' classes. "
        f"{DEMO_NOTE}",
        "planned",
        0,
        weight=1,
        parent="learning-with-family",
        contributions=("childcare-during-classes",),
        start=10,
        end=200,
        milestones=((-5, "Funding bid submitted", "Bid sent to the community foundation."),),
    ),
]

BODY = {
    "slug": "newcomers-council",
    "name": "Newcomers' Council",
    "purpose": (
        "The Newcomers' Council advises the city on how its services reach people who have "
        "recently arrived, reads the answers to consultations before they are published and "
        f"brings up what its communities raise. {DEMO_NOTE}"
    ),
    "composition": (
        "Up to twelve members chosen by migrant-led and diaspora groups for two years, and one "
        "observer from the city's integration team. Members may ask for their name not to be "
        "published."
    ),
}

# (key, name, represents, position, show_name)
MEMBERS = [
    ("amira", "Amira Saleh", "Coventry Syrian Families Association", "chair", True),
    ("olena", "Olena Marchenko", "Ukrainian families in Coventry", "vice_chair", True),
    ("grace", "Grace Mensah", "Harbour Light Refugee and Migrant Centre", "secretary", True),
    ("farid", "Farid Ahmadi", "Afghan community", "member", False),
    ("senait", "Senait Tesfay", "Eritrean community", "member", False),
    ("tom", "Tom Whitfield", "City integration team", "observer", True),
]

MEETINGS = {
    "past": {
        "title": "Council meeting: the settling-in consultation",
        "days": -21,
        "time": (18, 0),
        "mode": MeetingMode.IN_PERSON,
        "address": "Community room, 27 Lantern Street, Coventry CV1 3FD",
        "online_url": "",
        "agenda": (
            "1. Welcome and apologies\n2. The settling-in consultation: what we heard so far\n"
            "3. Evening and weekend English classes\n4. Any other business"
        ),
        "minutes": (
            "Present: seven members and sixteen residents. The chair welcomed everyone; "
            "interpretation into Arabic, Farsi and Ukrainian was available.\n"
            "The observer summarised the first contributions to the settling-in consultation. "
            "Members stressed that childcare keeps many mothers from English classes.\n"
            "Residents raised two suggestions, recorded as contributions: a quiet room at the "
            "hub, and weekend football for teenagers.\n"
            f"Next meeting online in three weeks. {DEMO_NOTE}"
        ),
        "attendance": 23,
    },
    "upcoming": {
        "title": "Council meeting: answers to the settling-in consultation",
        "days": 14,
        "time": (18, 30),
        "mode": MeetingMode.ONLINE,
        "address": "",
        "online_url": "https://meet.example.org/newcomers-council",
        "agenda": (
            "1. Welcome\n2. Draft answers to the settling-in consultation\n3. Progress of the "
            f"Saturday English classes\n4. Any other business\n{DEMO_NOTE}"
        ),
        "minutes": "",
        "attendance": None,
    },
}


# --- Loading ------------------------------------------------------------------------------


def _remove_previous(place: Place) -> None:
    """Delete what an earlier load wrote (contributions, answers and supports cascade)."""
    Result.objects.filter(pk__in=[demo_id(CITY, "result", r.key) for r in RESULTS]).delete()
    Meeting.objects.filter(pk__in=[demo_id(CITY, "meeting", key) for key in MEETINGS]).delete()
    Body.objects.filter(place=place, slug=BODY["slug"]).delete()
    Consultation.objects.filter(place=place, slug__in=list(CONSULTATIONS)).delete()
    Participant.objects.filter(
        pk__in=[demo_id(CITY, "participant", c.key) for c in CONTRIBUTIONS]
        + [demo_id(CITY, "supporter", str(n)) for n in range(12)]
    ).delete()


def _at(today: dt.date, days: int, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour, minute))
    )


def _consultations(place: Place, today: dt.date) -> dict[str, Consultation]:
    made = {}
    for slug, spec in CONSULTATIONS.items():
        consultation = Consultation.objects.create(
            id=demo_id(CITY, "consultation", slug),
            place=place,
            slug=slug,
            title=spec["title"],
            description=spec["description"],
            what_happens_next=spec["what_happens_next"],
            phase=spec["phase"],
            domains=spec["domains"],
            opens_on=today + dt.timedelta(days=spec["opens"]),
            closes_on=today + dt.timedelta(days=spec["closes"]),
            answer_by=today + dt.timedelta(days=spec["answer_by"]),
            created_at=timezone.now() + dt.timedelta(days=spec["opens"]),
        )
        for language, texts in spec["translations"].items():
            save_translation(consultation, language, texts)
        made[slug] = consultation
    return made


def _meetings(place: Place, body: Body, consultation: Consultation, today: dt.date):
    made = {}
    for key, spec in MEETINGS.items():
        hour, minute = spec["time"]
        starts = _at(today, spec["days"], hour, minute)
        made[key] = Meeting.objects.create(
            id=demo_id(CITY, "meeting", key),
            place=place,
            body=body,
            consultation=consultation,
            title=spec["title"],
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            mode=spec["mode"],
            address=spec["address"],
            online_url=spec["online_url"],
            agenda=spec["agenda"],
            minutes=spec["minutes"],
            attendance_count=spec["attendance"],
        )
    return made


def _contributions(
    place: Place,
    consultations: dict[str, Consultation],
    meetings: dict[str, Meeting],
    services: dict[str, Any],
    staff: User,
) -> dict[str, Contribution]:
    now = timezone.now()
    supporters = [
        Participant.objects.create(
            id=demo_id(CITY, "supporter", str(n)), place=place, created_at=now
        )
        for n in range(12)
    ]
    made = {}
    for spec in CONTRIBUTIONS:
        created = now - dt.timedelta(days=spec.days_ago)
        participant = Participant.objects.create(
            id=demo_id(CITY, "participant", spec.key),
            place=place,
            display_name=spec.author,
            language=spec.language,
            desk_assisted=spec.desk,
            desk_contact="Demo: call back through the Harbour Light duty adviser"
            if spec.desk
            else "",
            recorded_by=staff if spec.desk else None,
            created_at=created,
        )
        channel = Channel.DESK if spec.desk else Channel.MEETING if spec.meeting else Channel.WEB
        answer = spec.answer
        published = answer is not None and answer[3]
        contribution = Contribution.objects.create(
            id=demo_id(CITY, "contribution", spec.key),
            place=place,
            consultation=consultations[spec.consultation],
            kind=spec.kind,
            domain=spec.domain,
            title=spec.title,
            body=spec.body,
            source_language=spec.language,
            participant=participant,
            author_name=spec.author,
            channel=channel,
            recorded_by=staff if channel != Channel.WEB else None,
            meeting=meetings.get(spec.meeting),
            public_state=answer[0] if published else AnswerState.NOT_ANSWERED,
            public_state_group=answer[0] if published else AnswerState.NOT_ANSWERED,
            support_count=spec.supporters,
            created_at=created,
            updated_at=created,
        )
        Support.objects.bulk_create(
            Support(contribution=contribution, participant=p, created_at=created)
            for p in supporters[: spec.supporters]
        )
        if spec.english[0]:
            save_translation(
                contribution,
                "en",
                {"title": spec.english[0], "body": spec.english[1]},
                origin=TranslationOrigin.MACHINE,
                provider="demo",
            )
        if answer is not None:
            state, text, reason, is_published, service_keys = answer
            answered = created + dt.timedelta(days=min(spec.days_ago // 2, 10))
            row = Answer.objects.create(
                contribution=contribution,
                state=state,
                state_group=state,
                text=text,
                reason=reason,
                answered_by=staff,
                answered_at=answered,
                published_at=answered if is_published else None,
                published_by=staff if is_published else None,
            )
            row.services.set([services[key] for key in service_keys])
        made[spec.key] = contribution
    return made


def _results(
    place: Place,
    consultation: Consultation,
    contributions: dict[str, Contribution],
    meetings: dict[str, Meeting],
    services: dict[str, Any],
    today: dt.date,
) -> dict[str, Result]:
    statuses = ensure_statuses(place)
    made: dict[str, Result] = {}
    for spec in RESULTS:
        result = Result.objects.create(
            id=demo_id(CITY, "result", spec.key),
            place=place,
            consultation=consultation,
            parent=made.get(spec.parent),
            title=spec.title,
            description=spec.description,
            domain="language",
            status=statuses[spec.status],
            progress=spec.progress,
            progress_mode=spec.mode,
            weight=spec.weight,
            start_date=today + dt.timedelta(days=spec.start) if spec.start is not None else None,
            end_date=today + dt.timedelta(days=spec.end) if spec.end is not None else None,
        )
        result.contributions.set([contributions[k] for k in spec.contributions])
        result.services.set([services[k] for k in spec.services])
        result.meetings.set([meetings[k] for k in spec.meetings])
        for days, title, description in spec.milestones:
            Milestone.objects.create(
                result=result,
                date=today + dt.timedelta(days=days),
                title=title,
                description=description,
            )
        for language, texts in spec.translations.items():
            save_translation(result, language, texts)
        made[spec.key] = result
    # Parents last, from their parts, as the results service computes them.
    for result in made.values():
        parts = [(c.progress, c.weight) for c in made.values() if c.parent_id == result.pk]
        computed = compute_progress(result.progress_mode, parts)
        if computed is not None:
            Result.objects.filter(pk=result.pk).update(progress=computed)
    return made


def load_participation(
    cities: dict[str, Place], users: dict[str, User], services: dict[str, Any]
) -> dict[str, int]:
    """Create or refresh the demo participation content of Coventry; returns counts."""
    place = cities.get(CITY)
    if place is None:
        return {}
    staff = users["demo-admin"]
    today = timezone.localdate()
    _remove_previous(place)
    consultations = _consultations(place, today)
    body = Body.objects.create(id=demo_id(CITY, "body", BODY["slug"]), place=place, **BODY)
    for key, name, represents, position, show_name in MEMBERS:
        BodyMember.objects.create(
            id=demo_id(CITY, "member", key),
            body=body,
            name=name,
            represents=represents,
            position=position,
            show_name=show_name,
            term_start=today - dt.timedelta(days=300),
            term_end=today + dt.timedelta(days=430),
        )
    meetings = _meetings(place, body, consultations["settling-in"], today)
    contributions = _contributions(place, consultations, meetings, services, staff)
    made = _results(place, consultations["settling-in"], contributions, meetings, services, today)
    return {
        "consultation": len(consultations),
        "contribution": len(contributions),
        "result": len(made),
        "body": 1,
        "meeting": len(meetings),
    }
