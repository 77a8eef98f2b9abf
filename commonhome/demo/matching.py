"""Demo matching content for Coventry: four programmes, people on both sides, a run, answers.

One programme of each kind — buddies, Share My Language, work placements with two Migration
Friendly Employers, hosting — each with newcomers on one side and volunteers, long-term
residents, placements or hosts on the other. Every person is invented for the demonstration
and known by a first name only; addresses are at example.org, phone numbers in the range set
aside for drama.

Everything goes through the matching services and the runner, as it would on a real day:
people sign up (some at a desk, recorded by staff), a few job seekers fill in a skills
self-audit, employers sign the pledge and post placements, matching runs once per programme,
and then some proposals are accepted by both, one is declined, some are half answered and
the rest wait. A few people cannot be matched at all (a language nobody nearby speaks, times
nobody shares, a home nobody has), so the coordinators' pages have something to explain.

The services give new records random ids; the demo then gives each programme, employer,
placement, profile and proposal its stable id (uuid5 of its key) before anything refers to
it, so a reload recreates the same ids. A new load first deletes the demo programmes and
employers of these ids (everything else of theirs cascades); other matching records of the
place are never touched, and a demo programme whose address a real programme already uses is
left out.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone, translation

from commonhome.core.models import Place, User
from commonhome.core.translation import save_translation
from commonhome.matching import services
from commonhome.matching.constants import (
    ConsentPurpose,
    ProgrammeKind,
    ProposalStatus,
    Response,
    Side,
)
from commonhome.matching.models import Employer, Placement, Profile, Programme, Proposal
from commonhome.matching.runner import run_matching

NAMESPACE = uuid.UUID("8a4e2f0c-71d3-4b6e-a5c9-3e0d9b1f7a24")
CITY = "coventry"
#: Matching ran this long before the load: proposals are a few days old, some answered.
RUN_DAYS_AGO = 4

DEMO_NOTE = {
    "en": "Demo programme: invented for the demonstration, like everyone taking part in it.",
    "ar": "برنامج تجريبي: أُنشئ للعرض التوضيحي، وكذلك جميع المشاركين فيه.",
    "fa": "برنامهٔ آزمایشی: برای نمایش ساخته شده است، همان‌طور که همهٔ شرکت‌کنندگانش.",
    "uk": "Демонстраційна програма: вигадана для демонстрації, як і всі її учасники.",
    "fr": "Programme de démonstration : inventé pour la démonstration, comme toutes les "
    "personnes qui y participent.",
    "es": "Programa de demostración: inventado para la demostración, como todas las personas "
    "que participan en él.",
}


def demo_id(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(parts))


# --- Where people live: neighbourhoods of Coventry and towns around it ---------------------

AREAS = {
    "city-centre": (52.408, -1.512),
    "hillfields": (52.414, -1.499),
    "foleshill": (52.428, -1.503),
    "radford": (52.425, -1.527),
    "holbrooks": (52.441, -1.502),
    "bell-green": (52.436, -1.478),
    "wood-end": (52.446, -1.466),
    "stoke": (52.405, -1.483),
    "binley": (52.404, -1.453),
    "willenhall": (52.385, -1.473),
    "cheylesmore": (52.395, -1.508),
    "earlsdon": (52.399, -1.536),
    "spon-end": (52.409, -1.530),
    "whoberley": (52.405, -1.552),
    "canley": (52.396, -1.564),
    "tile-hill": (52.402, -1.588),
    "allesley": (52.430, -1.565),
    "kenilworth": (52.344, -1.577),
    "leamington": (52.289, -1.535),
}


# --- Content ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """One person (or host) signing up; empty fields are the questions they were not asked.

    ``days`` is how long ago they signed up. ``desk``: signed up at a drop-in by staff, with a
    phone number and no e-mail. ``updates``: ticked "e-mail me when there is news".
    ``paused``: why they paused their place, shortly before the run.
    """

    key: str
    name: str
    language: str
    languages: tuple[str, ...]
    area: str
    days: int
    availability: str = ""
    learning: tuple[str, ...] = ()
    gender: str = ""
    gender_preference: str = ""
    groups: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    origin: str = ""
    needs: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    capacity: int = 1
    phone: bool = False
    desk: bool = False
    updates: bool = True
    paused: str = ""


@dataclass(frozen=True)
class SkillsSelfAudit:
    languages: dict[str, str]
    experience: tuple[tuple[str, str, int, str], ...] = ()
    qualifications: tuple[tuple[str, str, int, str], ...] = ()
    skills: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoEmployer:
    key: str
    name: str
    contact_name: str
    organization: str = ""


@dataclass(frozen=True)
class DemoPlacement:
    key: str
    employer: str
    title: str
    description: str
    required_skills: tuple[str, ...]
    places: int
    languages: tuple[str, ...]
    area: str
    availability: str
    days: int


@dataclass(frozen=True)
class Answer:
    """What became of the proposal a seeker got: True accepted, False declined, None silent."""

    seeker: str
    offerer_says: bool | None
    seeker_says: bool | None
    days_ago: float = 3


@dataclass(frozen=True)
class Note:
    """A check-in (``by`` a side or ``"coordinator"``) or feedback on a seeker's match."""

    seeker: str
    by: str
    rating: int | None
    text: str
    days_ago: float = 1


@dataclass(frozen=True)
class DemoProgramme:
    slug: str
    kind: str
    rules: dict[str, Any]
    max_capacity: int
    # language → (name, description); English is the source.
    texts: dict[str, tuple[str, str]]
    seekers: tuple[Person, ...]
    offerers: tuple[Person, ...] = ()
    answers: tuple[Answer, ...] = ()
    check_ins: tuple[Note, ...] = ()
    feedback: tuple[Note, ...] = ()
    audits: dict[str, SkillsSelfAudit] = field(default_factory=dict)
    placements: tuple[DemoPlacement, ...] = ()


# The people of each programme, as tables: one person to a line or two.
# fmt: off
BUDDY_SEEKERS = (
    Person("shirin", "Shirin", "fa", ("fa",), "stoke", 45, "tue-morn thu-morn", gender="woman",
        gender_preference="woman", groups=("women", "families"), interests=("cooking", "walking"),
        origin="Iran"),
    Person("mahmoud", "Mahmoud", "ar", ("ar",), "foleshill", 95, "sat-morn wed-eve", gender="man",
        interests=("sport", "games"), origin="Syria"),
    Person("olha", "Olha", "uk", ("uk",), "earlsdon", 70, "mon-eve sat-morn", gender="woman",
        groups=("families",), interests=("music",), origin="Ukraine"),
    Person("mebrat", "Mebrat", "en", ("ti",), "stoke", 120, "wed-aft sun-aft", gender="woman",
        gender_preference="woman", groups=("women",), interests=("cooking",), origin="Eritrea",
        phone=True, desk=True),
    Person("hodan", "Hodan", "en", ("so",), "bell-green", 64, "mon-aft thu-aft", gender="woman",
        gender_preference="woman", groups=("women", "families"), interests=("cooking",),
        origin="Somalia"),
    Person("gul", "Gul", "en", ("ps",), "wood-end", 110, "sat-morn sun-morn", gender="man",
        interests=("sport",), phone=True, desk=True),
    Person("karwan", "Karwan", "fa", ("ar", "fa", "ku"), "foleshill", 30, "mon-morn", gender="man",
        interests=("sport",), updates=False),
    Person("dilan", "Dilan", "en", ("ku",), "radford", 50, "tue-eve sat-aft", gender="woman",
        interests=("art",), origin="Turkey"),
    Person("benedicte", "Bénédicte", "fr", ("fr",), "hillfields", 40, "mon-morn wed-morn",
        gender="woman", groups=("families",), interests=("cooking",), origin="DR Congo"),
    Person("camila", "Camila", "es", ("es",), "spon-end", 35, "tue-eve sun-morn", gender="woman",
        interests=("sport", "music"), origin="Colombia"),
    Person("omar", "Omar", "ar", ("ar", "en"), "city-centre", 20, "wed-eve sat-morn", gender="man",
        interests=("sport", "technology"), origin="Sudan"),
    Person("rana", "Rana", "ar", ("ar",), "hillfields", 75, "mon-morn fri-morn", gender="woman",
        groups=("families", "women"), interests=("cooking",), origin="Syria", updates=False),
    Person("mykola", "Mykola", "uk", ("uk",), "canley", 55, "tue-aft thu-aft", gender="man",
        groups=("older_people",), interests=("walking", "reading"), origin="Ukraine"),
    Person("reza", "Reza", "fa", ("en", "fa"), "earlsdon", 25, "mon-eve wed-eve", gender="man",
        interests=("reading", "technology")),
    Person("abdi", "Abdi", "en", ("en", "so"), "bell-green", 15, "sat-morn sun-aft", gender="man",
        interests=("sport",), origin="Somalia"),
    Person("zahra", "Zahra", "fa", ("fa", "prs"), "canley", 85, "sat-morn", gender="woman",
        interests=("reading",), origin="Afghanistan"),
    Person("dawit", "Dawit", "en", ("ar", "en", "ti"), "stoke", 10, "wed-eve sun-aft", gender="man",
        interests=("sport",), origin="Eritrea"),
    # Signed up after the last run: waiting for the next one.
    Person("habib", "Habib", "fa", ("en", "fa", "prs"), "allesley", 2, "sat-aft sun-aft",
        gender="man", interests=("walking",), origin="Afghanistan"),
)

BUDDY_OFFERERS = (
    Person("maryam", "Maryam", "fa", ("en", "fa", "prs"), "hillfields", 300,
        "tue-morn thu-morn sat-aft", gender="woman", gender_preference="woman", groups=("women",),
        interests=("cooking", "reading"), origin="Iran"),
    Person("karim", "Karim", "en", ("ar", "en"), "foleshill", 200, "sat-morn sun-aft wed-eve",
        gender="man", interests=("sport", "games", "cooking"), origin="Syria", capacity=2,
        phone=True),
    Person("iryna", "Iryna", "uk", ("en", "uk"), "earlsdon", 150, "mon-eve wed-eve sat-morn",
        gender="woman", groups=("families",), interests=("music", "walking"), origin="Ukraine"),
    Person("selam", "Selam", "en", ("ar", "en", "ti"), "stoke", 120, "wed-aft sat-morn sun-aft",
        gender="woman", groups=("women",), interests=("cooking",), origin="Eritrea"),
    Person("ayaan", "Ayaan", "en", ("en", "so"), "bell-green", 250, "mon-aft thu-aft sat-morn",
        gender="woman", gender_preference="woman", groups=("women", "families"),
        interests=("cooking", "walking"), origin="Somalia"),
    Person("rojda", "Rojda", "en", ("ar", "en", "ku"), "radford", 90, "tue-eve sat-aft",
        gender="woman", interests=("art", "music"), origin="Turkey"),
    Person("rahim", "Rahim", "fa", ("en", "fa", "prs", "ps"), "kenilworth", 60,
        "sat-morn sat-aft sun-morn", gender="man", interests=("sport",), origin="Afghanistan",
        capacity=2),
    Person("helen", "Helen", "en", ("en", "fr"), "earlsdon", 400, "mon-eve wed-eve sat-morn",
        gender="woman", interests=("walking", "reading"), capacity=2),
    Person("james", "James", "en", ("en", "es"), "spon-end", 80, "tue-eve thu-eve sun-morn",
        gender="man", interests=("sport", "music")),
    Person("priya", "Priya", "en", ("en", "pa", "ur"), "foleshill", 45, "sat-aft sun-aft",
        gender="woman", interests=("cooking", "art"), capacity=2, phone=True),
    Person("david", "David", "en", ("en",), "cheylesmore", 500, "mon-eve tue-eve wed-eve thu-eve",
        gender="man", interests=("technology", "games"), capacity=2),
    Person("fatima", "Fatima", "ar", ("ar", "en", "fr"), "hillfields", 365,
        "mon-morn wed-morn fri-morn", gender="woman", groups=("women", "families"),
        interests=("cooking",), origin="Sudan", capacity=2),
    Person("viktor", "Viktor", "uk", ("en", "uk"), "tile-hill", 30, "tue-aft thu-aft", gender="man",
        groups=("older_people",), interests=("walking", "reading"), origin="Ukraine"),
    Person("ruth", "Ruth", "en", ("en",), "binley", 420, "mon-aft wed-aft", gender="woman",
        groups=("older_people",), interests=("reading",), paused="Away until next month"),
)
# fmt: on


BUDDIES = DemoProgramme(
    slug="welcome-buddies",
    kind=ProgrammeKind.BUDDY,
    rules={
        "hard": ["shared_language", "target_group", "gender", "distance", "availability"],
        "weights": {"language": 3, "origin": 2, "interests": 2, "distance": 2, "waiting": 1},
        "max_km": 8.0,
        "priority": ["long_waiting", "few_options"],
        "long_wait_days": 60,
        "few_options_max": 2,
    },
    max_capacity=2,
    texts={
        "en": (
            "Welcome Buddies",
            "A volunteer who lives in Coventry meets you for a few hours a week for three "
            "months: a walk around your neighbourhood, a first visit to the library or the "
            "doctor, a cup of tea. We look for someone who speaks your language, lives near "
            "you and is free when you are. Some of our buddies once arrived in Coventry "
            "themselves.",
        ),
        "ar": (
            "رفاق الترحيب",
            "متطوع يعيش في كوفنتري يلتقي بك بضع ساعات في الأسبوع لمدة ثلاثة أشهر: نزهة في "
            "حيّك، أول زيارة إلى المكتبة أو الطبيب، فنجان شاي. نبحث عن شخص يتحدث لغتك ويسكن "
            "قريباً منك ومتفرغ في الأوقات التي تناسبك. بعض رفاقنا وصلوا هم أيضاً إلى كوفنتري "
            "ذات يوم.",
        ),
        "fa": (
            "همراهان خوش‌آمد",
            "داوطلبی که در کاونتری زندگی می‌کند، سه ماه و هر هفته چند ساعت با شما دیدار "
            "می‌کند: قدم زدن در محله، اولین رفتن به کتابخانه یا دکتر، یک فنجان چای. دنبال کسی "
            "می‌گردیم که به زبان شما حرف بزند، نزدیک شما زندگی کند و وقتی شما آزادید، آزاد "
            "باشد. بعضی از همراهان ما خودشان هم روزی تازه به کاونتری آمده بودند.",
        ),
        "uk": (
            "Друзі на новому місці",
            "Волонтер, який живе в Ковентрі, зустрічається з вами кілька годин на тиждень "
            "протягом трьох місяців: прогулянка вашим районом, перший візит до бібліотеки чи "
            "лікаря, чашка чаю. Ми шукаємо людину, яка говорить вашою мовою, живе поруч і "
            "вільна тоді, коли й ви. Дехто з наших волонтерів колись і сам приїхав до Ковентрі.",
        ),
        "fr": (
            "Binômes d'accueil",
            "Un ou une bénévole qui vit à Coventry vous retrouve quelques heures par semaine "
            "pendant trois mois : une promenade dans votre quartier, une première visite à la "
            "bibliothèque ou chez le médecin, une tasse de thé. Nous cherchons quelqu'un qui "
            "parle votre langue, habite près de chez vous et est libre aux mêmes moments que "
            "vous. Certains de nos bénévoles sont eux-mêmes arrivés un jour à Coventry.",
        ),
        "es": (
            "Compañeros de bienvenida",
            "Una persona voluntaria que vive en Coventry se reúne contigo unas horas a la "
            "semana durante tres meses: un paseo por tu barrio, una primera visita a la "
            "biblioteca o al médico, una taza de té. Buscamos a alguien que hable tu idioma, "
            "viva cerca y tenga libres los mismos momentos que tú. Algunas de las personas "
            "voluntarias también llegaron un día a Coventry.",
        ),
    },
    seekers=BUDDY_SEEKERS,
    offerers=BUDDY_OFFERERS,
    answers=(
        Answer("mahmoud", offerer_says=True, seeker_says=True, days_ago=3.5),
        Answer("olha", offerer_says=True, seeker_says=True, days_ago=3),
        Answer("hodan", offerer_says=True, seeker_says=True, days_ago=2.5),
        Answer("shirin", offerer_says=True, seeker_says=None, days_ago=3),
        Answer("camila", offerer_says=None, seeker_says=False, days_ago=2),
    ),
    check_ins=(
        Note(
            "mahmoud",
            "seeker",
            5,
            "التقينا يوم السبت وذهبنا إلى المكتبة المركزية. رفيقي صبور جداً ويشرح كل شيء.",
        ),
        Note(
            "hodan",
            "coordinator",
            None,
            "Phoned both: the first meeting at the Bell Green community centre went well; "
            "next week they visit the GP surgery together.",
            days_ago=0.5,
        ),
    ),
    feedback=(
        Note(
            "mahmoud",
            "offerer",
            5,
            "He knows more about football than I do. Happy to carry on.",
            days_ago=0.8,
        ),
    ),
)


# fmt: off
EXCHANGE_SEEKERS = (
    Person("leila", "Leila", "ar", ("ar",), "foleshill", 40, "mon-eve wed-eve", learning=("en",),
        interests=("cooking", "music")),
    Person("nasrin", "Nasrin", "fa", ("fa",), "hillfields", 60, "tue-eve thu-eve", learning=("en",),
        interests=("reading", "art")),
    Person("sofiia", "Sofiia", "uk", ("uk",), "earlsdon", 30, "sat-morn", learning=("en",),
        interests=("music",)),
    Person("diego", "Diego", "es", ("es",), "canley", 45, "mon-eve fri-eve", learning=("en",),
        interests=("sport", "music")),
    Person("amadou", "Amadou", "fr", ("fr",), "stoke", 25, "tue-eve sat-aft", learning=("en",),
        interests=("sport",), updates=False),
    Person("yasmin", "Yasmin", "ar", ("ar", "fr"), "radford", 50, "wed-eve sun-aft",
        learning=("en",), interests=("art",)),
    Person("yohannes", "Yohannes", "en", ("ti",), "city-centre", 80, "thu-eve", learning=("en",),
        interests=("sport",)),
    Person("maksym", "Maksym", "uk", ("uk",), "tile-hill", 20, "sat-morn sun-morn",
        learning=("en", "es"), interests=("technology",)),
    Person("zainab", "Zainab", "ar", ("ar",), "cheylesmore", 35, "mon-eve", learning=("en", "fr"),
        interests=("reading",)),
    Person("ahmad", "Ahmad", "fa", ("fa", "prs"), "foleshill", 55, "fri-eve sat-aft",
        learning=("en",), interests=("sport",), phone=True),
    Person("valeria", "Valeria", "es", ("es",), "spon-end", 15, "tue-eve", learning=("en",),
        interests=("music", "art")),
    Person("roya", "Roya", "fa", ("fa",), "whoberley", 70, "wed-eve sat-morn", learning=("en",),
        interests=("walking",)),
    Person("hemin", "Hemin", "ar", ("ar", "ku"), "holbrooks", 90, "thu-eve", learning=("en",),
        interests=("music",)),
    # Signed up after the last run: waiting for the next one.
    Person("svitlana", "Svitlana", "uk", ("uk",), "binley", 2, "mon-eve thu-eve", learning=("en",),
        interests=("reading",)),
)

EXCHANGE_OFFERERS = (
    Person("ellie", "Ellie", "en", ("en",), "holbrooks", 100, "wed-eve thu-eve",
        learning=("ar", "ku"), interests=("music",), capacity=2),
    Person("sam", "Sam", "en", ("en",), "foleshill", 50, "mon-eve wed-eve", learning=("ar",),
        interests=("cooking",)),
    Person("chloe", "Chloe", "en", ("en", "fr"), "canley", 40, "mon-eve fri-eve", learning=("es",),
        interests=("music", "sport")),
    Person("ben", "Ben", "en", ("en",), "earlsdon", 30, "sat-morn sun-morn", learning=("uk",),
        interests=("music", "technology"), capacity=2),
    Person("margaret", "Margaret", "en", ("en",), "hillfields", 120, "tue-eve thu-eve",
        learning=("fa",), interests=("reading", "art"), phone=True),
    Person("jack", "Jack", "en", ("en",), "stoke", 20, "tue-eve sat-aft", learning=("es", "fr"),
        interests=("sport",), capacity=2),
    Person("aisha", "Aisha", "en", ("en", "ur"), "radford", 45, "wed-eve sun-aft", learning=("ar",),
        interests=("art",)),
    Person("connor", "Connor", "en", ("en",), "cheylesmore", 60, "mon-eve", learning=("fr",),
        interests=("reading",)),
    Person("lucy", "Lucy", "en", ("en",), "binley", 10, "mon-eve thu-eve", learning=("uk",),
        interests=("reading",)),
    Person("raj", "Raj", "en", ("en", "pa"), "spon-end", 25, "tue-eve", learning=("es",),
        interests=("music",)),
    Person("hannah", "Hannah", "en", ("de", "en"), "whoberley", 75, "wed-eve sat-morn",
        learning=("ar", "fa"), interests=("walking",), capacity=2),
    Person("peter", "Peter", "en", ("en",), "earlsdon", 200, "sat-aft", learning=("fr",),
        interests=("reading",), updates=False),
)
# fmt: on


SHARE_MY_LANGUAGE = DemoProgramme(
    slug="share-my-language",
    kind=ProgrammeKind.LANGUAGE_EXCHANGE,
    rules={
        "hard": ["language_exchange", "availability", "distance"],
        "weights": {"interests": 2, "distance": 2, "waiting": 1},
        "max_km": 10.0,
        "priority": ["few_options"],
        "long_wait_days": 60,
        "few_options_max": 2,
    },
    max_capacity=2,
    texts={
        "en": (
            "Share My Language",
            "Language exchange in pairs: you help someone practise your language, they help "
            "you practise theirs. Meet once a week in a café, a library or online. We pair "
            "people who each speak what the other wants to learn, live within a short trip of "
            "each other and are free at the same time.",
        ),
        "ar": (
            "شارك لغتي",
            "تبادل لغوي في أزواج: تساعد شخصاً على ممارسة لغتك، ويساعدك على ممارسة لغته. "
            "التقيا مرة في الأسبوع في مقهى أو مكتبة أو عبر الإنترنت. نجمع بين شخصين يتحدث كل "
            "منهما اللغة التي يريد الآخر تعلّمها، ويسكنان على مسافة قريبة، ومتفرغان في الوقت "
            "نفسه.",
        ),
        "fa": (
            "زبانم را شریک شو",
            "تبادل زبان دونفره: شما به کسی کمک می‌کنید زبان شما را تمرین کند و او به شما کمک "
            "می‌کند زبان او را. هفته‌ای یک بار در کافه، کتابخانه یا به‌صورت آنلاین همدیگر را "
            "ببینید. کسانی را کنار هم می‌گذاریم که هر کدام زبانی را حرف می‌زنند که دیگری "
            "می‌خواهد یاد بگیرد، نزدیک هم زندگی می‌کنند و در یک زمان آزادند.",
        ),
        "uk": (
            "Поділися своєю мовою",
            "Мовний обмін у парах: ви допомагаєте комусь практикувати вашу мову, а ця людина "
            "допомагає вам практикувати свою. Зустрічайтеся раз на тиждень у кав'ярні, "
            "бібліотеці чи онлайн. Ми об'єднуємо людей, кожен з яких говорить мовою, яку хоче "
            "вивчити інший, живе неподалік і вільний у той самий час.",
        ),
        "fr": (
            "Partage ta langue",
            "Échange linguistique en binôme : vous aidez quelqu'un à pratiquer votre langue, "
            "et cette personne vous aide à pratiquer la sienne. Retrouvez-vous une fois par "
            "semaine dans un café, une bibliothèque ou en ligne. Nous réunissons des personnes "
            "qui parlent chacune la langue que l'autre veut apprendre, habitent à peu de "
            "distance et sont libres aux mêmes moments.",
        ),
        "es": (
            "Comparte tu idioma",
            "Intercambio de idiomas en parejas: ayudas a alguien a practicar tu idioma y esa "
            "persona te ayuda a practicar el suyo. Quedad una vez a la semana en un café, una "
            "biblioteca o en línea. Emparejamos a personas que hablan cada una el idioma que "
            "la otra quiere aprender, viven cerca y tienen libres los mismos horarios.",
        ),
    },
    seekers=EXCHANGE_SEEKERS,
    offerers=EXCHANGE_OFFERERS,
    answers=(
        Answer("nasrin", offerer_says=True, seeker_says=True, days_ago=3),
        Answer("diego", offerer_says=True, seeker_says=None, days_ago=2.5),
    ),
    check_ins=(
        Note(
            "nasrin",
            "offerer",
            4,
            "We met at the Central Library café on Thursday. Nasrin taught me to count to "
            "twenty; my pronunciation needs work.",
        ),
    ),
)


# fmt: off
WORK_SEEKERS = (
    Person("tetiana", "Tetiana", "uk", ("en", "uk"), "earlsdon", 100,
        "mon-morn tue-morn wed-morn thu-morn fri-morn"),
    Person("hassan", "Hassan", "ar", ("ar", "en"), "foleshill", 130,
        "mon-morn mon-aft tue-morn wed-aft"),
    Person("abdullah", "Abdullah", "fa", ("en", "fa", "prs"), "hillfields", 80,
        "tue-morn wed-aft thu-morn"),
    Person("nadia", "Nadia", "ar", ("ar", "en"), "city-centre", 45, "tue-aft thu-aft fri-morn"),
    Person("samira", "Samira", "fr", ("ar", "en", "fr"), "stoke", 60, "mon-morn tue-morn wed-morn"),
    Person("oleksandr", "Oleksandr", "uk", ("en", "uk"), "willenhall", 40,
        "mon-morn wed-morn fri-morn", phone=True),
    Person("mariam", "Mariam", "ar", ("ar", "en", "ti"), "binley", 70, "mon-eve tue-eve wed-eve"),
    Person("luis", "Luis", "es", ("en", "es"), "spon-end", 25, "fri-aft sat-morn sat-aft"),
    Person("ahmed", "Ahmed", "en", ("en", "so"), "bell-green", 35, "mon-morn tue-morn"),
    Person("fatemeh", "Fatemeh", "fa", ("en", "fa"), "radford", 20, "sat-morn sun-morn"),
    Person("yusuf", "Yusuf", "ar", ("ar", "en", "ku"), "holbrooks", 15, "wed-aft fri-aft"),
    Person("jean-pierre", "Jean-Pierre", "fr", ("en", "fr"), "cheylesmore", 10, "thu-aft"),
    Person("bashir", "Bashir", "en", ("ps",), "wood-end", 90, "mon-morn tue-morn", phone=True,
        desk=True),
    # Signed up after the last run: waiting for the next one.
    Person("daria", "Daria", "uk", ("en", "uk"), "tile-hill", 3,
        "mon-morn tue-morn wed-morn thu-morn fri-morn"),
)

# (key, employer, title, description, required skills, places, languages at work, area,
# working times, days since posted)
WORK_OFFERS = tuple(
    DemoPlacement(*row)
    for row in (
        (
            "bike-mechanic", "phoenix", "Bike mechanic trainee",
            "Four paid weeks in our bike workshop, repairing donated bikes next to an "
            "experienced mechanic, then a six-month contract.",
            ("bike_repair",), 2, ("ar", "en"), "hillfields",
            "mon-morn mon-aft tue-morn tue-aft wed-morn wed-aft", 60,
        ),
        (
            "upholstery", "phoenix", "Upholstery assistant",
            "Re-covering donated chairs and sofas for families setting up a new home.",
            ("upholstery",), 1, ("en",), "hillfields", "tue-morn wed-morn thu-morn", 55,
        ),
        (
            "workshop", "phoenix", "Workshop assistant",
            "Sorting donations, cleaning parts and helping wherever the workshop needs a hand. "
            "No experience needed.",
            (), 2, ("en",), "hillfields", "mon-morn tue-morn wed-morn thu-morn fri-morn", 50,
        ),
        (
            "van-driver", "phoenix", "Van driver for collections",
            "Collecting donated furniture around Coventry with a driver's mate.",
            ("driving",), 1, ("en",), "hillfields", "mon-morn wed-morn fri-morn", 40,
        ),
        (
            "shop", "phoenix", "Shop and till assistant",
            "Serving customers in our shop of refurbished bikes and furniture.",
            ("customer_service",), 1, ("en",), "city-centre", "fri-aft sat-morn sat-aft", 30,
        ),
        (
            "laptops", "phoenix", "Laptop refurbishment technician",
            "Wiping, repairing and setting up donated laptops for people who have none.",
            ("it_support",), 1, ("en",), "hillfields", "tue-aft thu-aft", 20,
        ),
        (
            "care-days", "greyfriars", "Care assistant, day shifts",
            "Helping residents with daily care at our Binley home; paid training in the "
            "first month.",
            ("care",), 2, ("en",), "binley",
            "mon-morn tue-morn wed-morn thu-morn fri-morn mon-aft tue-aft wed-aft", 70,
        ),
        (
            "care-evenings", "greyfriars", "Care assistant, evening shifts",
            "Evening care at our Binley home, with an experienced colleague on every shift.",
            ("care",), 1, ("en",), "binley", "mon-eve tue-eve wed-eve thu-eve fri-eve", 65,
        ),
        (
            "nurse", "greyfriars", "Nurse on the supported route to UK registration",
            "For nurses trained abroad: work as a senior carer while we support your "
            "registration application and English test.",
            ("nursing",), 1, ("en",), "earlsdon", "mon-morn tue-morn wed-morn thu-morn", 80,
        ),
        (
            "kitchen", "greyfriars", "Kitchen assistant",
            "Preparing breakfasts and lunches for forty residents with our cook.",
            ("cooking",), 1, ("en",), "binley", "mon-morn tue-morn wed-morn thu-morn fri-morn",
            45,
        ),
        (
            "housekeeping", "greyfriars", "Housekeeping assistant",
            "Weekend and Tuesday mornings keeping the Earlsdon home clean and welcoming.",
            (), 1, ("en",), "earlsdon", "tue-morn sat-morn sun-morn", 35,
        ),
        (
            "activities", "greyfriars", "Activities assistant",
            "Music, games and outings with residents on Wednesday and Friday afternoons.",
            (), 1, ("en",), "binley", "wed-aft fri-aft", 25,
        ),
    )
)
# fmt: on


WORK_PLACEMENTS = DemoProgramme(
    slug="work-placements",
    kind=ProgrammeKind.EMPLOYMENT,
    rules={
        "hard": ["skills", "shared_language", "distance", "availability"],
        "weights": {"language": 2, "distance": 2, "waiting": 2},
        "max_km": 25.0,
        "priority": ["long_waiting", "few_options"],
        "long_wait_days": 90,
        "few_options_max": 2,
    },
    max_capacity=3,
    texts={
        "en": (
            "Work placements with Migration Friendly Employers",
            "Paid trial placements and jobs with employers who signed the Migration Friendly "
            "Employer pledge. Tell us what you learned and did before you came, in a short "
            "skills self-audit: qualifications and experience from abroad count. We propose a "
            "placement when you have the skills it asks for, share a language with the team "
            "and can get there at the right times.",
        ),
        "ar": (
            "تدريب عملي لدى أصحاب عمل صديقين للمهاجرين",
            "فترات تدريب مدفوعة ووظائف لدى أصحاب عمل وقّعوا تعهّد أصحاب العمل الصديقين "
            "للمهاجرين. أخبرنا بما تعلّمته وعملته قبل مجيئك في تقييم ذاتي قصير لمهاراتك: "
            "المؤهلات والخبرة من الخارج لها قيمتها. نقترح عليك تدريباً عندما تملك المهارات "
            "المطلوبة، وتتحدث لغة مشتركة مع الفريق، وتستطيع الوصول في الأوقات المناسبة.",
        ),
        "fa": (
            "کارآموزی نزد کارفرمایان دوستدار مهاجران",
            "دوره‌های آزمایشی با حقوق و شغل نزد کارفرمایانی که تعهدنامهٔ «کارفرمای دوستدار "
            "مهاجران» را امضا کرده‌اند. در یک خودارزیابی کوتاه مهارت‌ها بگویید پیش از آمدن چه "
            "آموخته‌اید و چه کرده‌اید: مدرک و سابقهٔ کار در خارج هم به حساب می‌آید. وقتی "
            "مهارت‌های لازم را دارید، با گروه کاری زبان مشترکی دارید و در ساعت‌های لازم "
            "می‌توانید بروید، یک کارآموزی به شما پیشنهاد می‌کنیم.",
        ),
        "uk": (
            "Стажування в роботодавців, дружніх до мігрантів",
            "Оплачувані пробні стажування та робота в роботодавців, які підписали зобов'язання "
            "«Роботодавець, дружній до мігрантів». Розкажіть у короткій самооцінці навичок, "
            "чого ви навчилися і що робили до приїзду: кваліфікація та досвід з-за кордону "
            "мають значення. Ми пропонуємо стажування, коли у вас є потрібні навички, спільна "
            "мова з командою і ви можете приходити у потрібний час.",
        ),
        "fr": (
            "Stages chez des employeurs accueillants pour les migrants",
            "Des stages rémunérés à l'essai et des emplois chez des employeurs signataires de "
            "l'engagement « Employeur accueillant pour les migrants ». Dites-nous ce que vous "
            "avez appris et fait avant de venir, dans une courte auto-évaluation de vos "
            "compétences : les diplômes et l'expérience acquis à l'étranger comptent. Nous "
            "vous proposons un stage quand vous avez les compétences demandées, une langue en "
            "commun avec l'équipe et que vous pouvez venir aux bons horaires.",
        ),
        "es": (
            "Prácticas con empresas amigas de las personas migrantes",
            "Prácticas remuneradas de prueba y empleos en empresas que han firmado el "
            "compromiso de Empresa Amiga de las Personas Migrantes. Cuéntanos en una breve "
            "autoevaluación de competencias qué aprendiste e hiciste antes de venir: los "
            "títulos y la experiencia del extranjero cuentan. Te proponemos unas prácticas "
            "cuando tienes las competencias que piden, compartes un idioma con el equipo y "
            "puedes ir en los horarios necesarios.",
        ),
    },
    seekers=WORK_SEEKERS,
    audits={
        "tetiana": SkillsSelfAudit(
            languages={"uk": "native", "en": "B1"},
            qualifications=(("Diploma in nursing", "Ukraine", 4, "nursing"),),
            experience=(
                ("Ward nurse in a regional hospital", "Ukraine", 15, "nursing"),
                ("Home care for older people", "Ukraine", 2, "care"),
            ),
            sectors=("health",),
        ),
        "hassan": SkillsSelfAudit(
            languages={"ar": "native", "en": "A2"},
            experience=(
                ("Owner of a bicycle and motorbike repair shop", "Syria", 9, "bike_repair"),
            ),
            skills=("welding",),
            sectors=("repair",),
        ),
        "abdullah": SkillsSelfAudit(
            languages={"prs": "native", "fa": "C1", "en": "A2"},
            experience=(("Tailor and upholsterer", "Afghanistan", 12, "upholstery"),),
            skills=("sewing",),
        ),
        "nadia": SkillsSelfAudit(
            languages={"ar": "native", "en": "B2"},
            qualifications=(("BSc in computer science", "Sudan", 4, "it_support"),),
            experience=(("IT support technician at a university", "Sudan", 3, "it_support"),),
        ),
        "samira": SkillsSelfAudit(
            languages={"ar": "native", "fr": "C1", "en": "A2"},
            experience=(("Cook in a hotel kitchen", "Morocco", 6, "cooking"),),
            sectors=("hospitality",),
        ),
        "oleksandr": SkillsSelfAudit(
            languages={"uk": "native", "en": "A2"},
            experience=(("Lorry driver", "Ukraine", 20, "driving"),),
            sectors=("transport",),
        ),
        "mariam": SkillsSelfAudit(
            languages={"ti": "native", "ar": "C1", "en": "A2"},
            experience=(("Care worker in a home for older people", "Sudan", 3, "care"),),
            sectors=("care",),
        ),
        "luis": SkillsSelfAudit(
            languages={"es": "native", "en": "B2"},
            experience=(("Shop manager", "Colombia", 7, "customer_service"),),
            sectors=("retail",),
        ),
    },
    placements=WORK_OFFERS,
    answers=(
        Answer("tetiana", offerer_says=True, seeker_says=True, days_ago=3),
        Answer("nadia", offerer_says=True, seeker_says=None, days_ago=2),
    ),
    check_ins=(
        Note(
            "tetiana",
            "coordinator",
            None,
            "Starts on Monday; the employer pays for the English test in the first month.",
        ),
    ),
    feedback=(
        Note(
            "tetiana",
            "seeker",
            5,
            "Дякую! Нарешті я знову працюватиму з пацієнтами.",
            days_ago=0.7,
        ),
    ),
)

EMPLOYERS = (
    DemoEmployer("phoenix", "Phoenix Works Social Enterprise", "Dan", "phoenix-works"),
    DemoEmployer("greyfriars", "Greyfriars Care Homes", "Janet"),
)


# fmt: off
HOSTING_SEEKERS = (
    Person("anna", "Anna", "uk", ("uk",), "city-centre", 40, gender="woman", groups=("families",),
        needs=("children", "pets"), interests=("walking",)),
    Person("mustafa", "Mustafa", "ar", ("ar", "en"), "foleshill", 65, gender="man",
        needs=("step_free",), interests=("reading",)),
    Person("ruslan", "Ruslan", "uk", ("uk",), "stoke", 25, gender="man", needs=("smoking",),
        interests=("sport",), updates=False),
    Person("amal", "Amal", "ar", ("ar",), "hillfields", 50, gender="woman",
        gender_preference="woman", groups=("women",), interests=("cooking",)),
    Person("tsega", "Tsega", "en", ("en", "ti"), "city-centre", 20, gender="woman",
        groups=("women", "young_people"), interests=("art",)),
    Person("farhad", "Farhad", "fa", ("en", "fa"), "radford", 35, gender="man",
        groups=("young_people",), interests=("sport", "technology")),
    Person("halyna", "Halyna", "uk", ("en", "uk"), "canley", 45, gender="woman",
        groups=("older_people",), needs=("pets",), interests=("walking",)),
    Person("omid", "Omid", "fa", ("fa", "prs"), "foleshill", 30, gender="man", interests=("games",),
        phone=True),
    Person("nour", "Nour", "ar", ("ar", "fr"), "hillfields", 55, gender="woman",
        groups=("families", "women"), needs=("children",), interests=("cooking",)),
    Person("kateryna", "Kateryna", "uk", ("en", "uk"), "earlsdon", 75, gender="woman",
        groups=("families",), needs=("children", "pets", "step_free"), interests=("music",)),
    Person("idris", "Idris", "en", ("ar", "en", "so"), "bell-green", 15, gender="man",
        interests=("sport",)),
    # Signed up after the last run: waiting for the next one.
    Person("robel", "Robel", "en", ("en", "ti"), "stoke", 2, gender="man", groups=("young_people",),
        needs=("smoking",), interests=("sport",)),
)

HOSTING_OFFERERS = (
    Person("sarah", "Sarah", "en", ("en",), "earlsdon", 90, gender="woman", groups=("families",),
        offers=("children", "pets"), interests=("cooking", "walking")),
    Person("graham", "Graham", "en", ("en",), "tile-hill", 60, gender="man", offers=("step_free",),
        interests=("reading",)),
    Person("aylin", "Aylin", "en", ("ar", "en"), "cheylesmore", 45, gender="woman",
        gender_preference="woman", groups=("women",), offers=("children",), interests=("cooking",)),
    Person("pete", "Pete", "en", ("en",), "binley", 30, gender="man", offers=("pets", "smoking"),
        interests=("sport",), phone=True),
    Person("judith", "Judith", "en", ("en", "fr"), "kenilworth", 200, gender="woman",
        interests=("reading", "music")),
    Person("nasser", "Nasser", "ar", ("ar", "en"), "foleshill", 150, gender="man",
        offers=("children",), interests=("cooking",), capacity=2),
    Person("olga", "Olga", "uk", ("en", "uk"), "leamington", 40, gender="woman", offers=("pets",),
        interests=("walking",)),
    Person("chris", "Chris", "en", ("en",), "cheylesmore", 20, gender="man", groups=("families",),
        offers=("children", "pets"), interests=("games",)),
    Person("brenda", "Brenda", "en", ("en",), "willenhall", 70, gender="woman",
        offers=("children", "step_free"), interests=("cooking",)),
    Person("ravi", "Ravi", "en", ("en", "pa"), "stoke", 15, gender="man",
        interests=("technology",)),
    Person("liz", "Liz", "en", ("en", "es"), "earlsdon", 35, gender="woman",
        groups=("young_people",), offers=("pets",), interests=("art",)),
    Person("tariq", "Tariq", "en", ("ar", "en", "ur"), "foleshill", 50, gender="man",
        offers=("smoking",), interests=("sport",), updates=False),
)
# fmt: on


ROOM_TO_SPARE = DemoProgramme(
    slug="room-to-spare",
    kind=ProgrammeKind.HOSTING,
    rules={
        "hard": ["conditions", "gender", "target_group", "distance"],
        "weights": {"language": 3, "interests": 1, "distance": 1, "waiting": 3},
        "max_km": 40.0,
        "priority": ["long_waiting", "few_options"],
        "long_wait_days": 30,
        "few_options_max": 2,
    },
    max_capacity=2,
    texts={
        "en": (
            "Room to Spare",
            "People in and around Coventry who have a spare room host someone who needs a "
            "home for three to six months, while they find a place of their own. Hosts say "
            "what their home offers — step-free access, room for children, pets welcome, "
            "smoking outside — and guests say what they need, so the home suits everyone who "
            "lives there. Every host is visited before anyone moves in.",
        ),
        "ar": (
            "غرفة متاحة",
            "أشخاص في كوفنتري وما حولها لديهم غرفة فارغة يستضيفون من يحتاج إلى سكن لمدة ثلاثة "
            "إلى ستة أشهر، ريثما يجد مكاناً خاصاً به. يذكر المضيفون ما يوفّره منزلهم — مدخل "
            "بلا درج، مكان للأطفال، ترحيب بالحيوانات الأليفة، التدخين في الخارج — ويذكر "
            "الضيوف ما يحتاجون إليه، ليناسب المنزل كل من يعيش فيه. نزور كل مضيف قبل انتقال "
            "أي شخص إليه.",
        ),
        "fa": (
            "اتاقی برای مهمان",
            "کسانی در کاونتری و اطراف آن که اتاق خالی دارند، برای سه تا شش ماه میزبان کسی "
            "می‌شوند که به خانه نیاز دارد تا جای خودش را پیدا کند. میزبان‌ها می‌گویند خانه‌شان "
            "چه دارد — دسترسی بدون پله، جا برای بچه‌ها، پذیرش حیوان خانگی، سیگار کشیدن بیرون "
            "از خانه — و مهمان‌ها می‌گویند به چه نیاز دارند، تا خانه برای همهٔ ساکنانش مناسب "
            "باشد. پیش از آمدن هر مهمان، به خانهٔ میزبان سر می‌زنیم.",
        ),
        "uk": (
            "Вільна кімната",
            "Люди в Ковентрі та околицях, які мають вільну кімнату, приймають на три–шість "
            "місяців того, кому потрібне житло, поки людина шукає власне. Господарі вказують, "
            "що є в їхньому домі — вхід без сходів, місце для дітей, можна з тваринами, "
            "куріння надворі, — а гості вказують, що їм потрібно, щоб дім підходив усім, хто в "
            "ньому живе. Ми відвідуємо кожного господаря, перш ніж хтось переїде.",
        ),
        "fr": (
            "Une chambre à partager",
            "Des habitants de Coventry et des environs qui ont une chambre libre accueillent, "
            "pour trois à six mois, une personne qui a besoin d'un toit le temps de trouver "
            "son propre logement. Les hôtes indiquent ce que leur logement offre — accès de "
            "plain-pied, place pour des enfants, animaux acceptés, possibilité de fumer "
            "dehors — et les personnes accueillies ce dont elles ont besoin, pour que le "
            "logement convienne à tous ceux qui y vivent. Nous rendons visite à chaque hôte "
            "avant toute arrivée.",
        ),
        "es": (
            "Una habitación libre",
            "Personas de Coventry y alrededores con una habitación libre acogen durante tres "
            "a seis meses a alguien que necesita un hogar mientras encuentra el suyo. Quienes "
            "acogen indican lo que ofrece su casa — acceso sin escalones, sitio para niños, se "
            "admiten mascotas, se puede fumar fuera — y las personas acogidas lo que "
            "necesitan, para que la casa convenga a todos los que viven en ella. Visitamos "
            "cada hogar antes de que nadie se mude.",
        ),
    },
    seekers=HOSTING_SEEKERS,
    offerers=HOSTING_OFFERERS,
    answers=(
        Answer("anna", offerer_says=True, seeker_says=True, days_ago=3),
        Answer("halyna", offerer_says=True, seeker_says=None, days_ago=2),
    ),
    check_ins=(
        Note(
            "anna",
            "coordinator",
            None,
            "Home visit on moving day: Anna, her son and the cat have settled in. The host "
            "asks for help with the school application.",
        ),
    ),
)

PROGRAMMES = (BUDDIES, SHARE_MY_LANGUAGE, WORK_PLACEMENTS, ROOM_TO_SPARE)

#: Whose private page the demo command prints: (who, programme, side, key); the load adds
#: what the page shows.
LINKS = (
    ("Shirin, newcomer speaking Farsi", BUDDIES, "seeker", "shirin"),
    ("Karim, volunteer buddy", BUDDIES, "offerer", "karim"),
    (
        "Tetiana, nurse trained in Ukraine, with a skills self-audit",
        WORK_PLACEMENTS,
        "seeker",
        "tetiana",
    ),
)
#: The employer whose page the demo command prints.
LINK_EMPLOYER = ("Phoenix Works, employer with placements", "phoenix")


# --- Loading ---------------------------------------------------------------------------------


@dataclass
class MatchingDemo:
    counts: dict[str, int] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)


def _settle(record: Model, stable: uuid.UUID) -> None:
    """Give a record the services just created its stable demo id, before anything refers to
    it (the services choose random ids and take none)."""
    type(record)._default_manager.filter(pk=record.pk).update(id=stable)
    record.pk = stable


def _remove_previous(place: Place) -> None:
    """Delete the demo programmes and employers: profiles, placements, runs, proposals,
    check-ins, feedback and translations go with them."""
    Programme.objects.filter(
        place=place, pk__in=[demo_id(CITY, "programme", p.slug) for p in PROGRAMMES]
    ).delete()
    Employer.objects.filter(
        place=place, pk__in=[demo_id(CITY, "employer", e.key) for e in EMPLOYERS]
    ).delete()


def _slots(text: str) -> list[str]:
    return text.split()


def _attributes(person: Person) -> dict[str, Any]:
    """What the sign-up form of the programme would have asked, as the service takes it."""
    lat, lon = AREAS[person.area]
    values: dict[str, Any] = {
        "languages": list(person.languages),
        "learning": list(person.learning),
        "gender": person.gender,
        "gender_preference": person.gender_preference,
        "groups": list(person.groups),
        "availability": _slots(person.availability),
        "interests": list(person.interests),
        "origin": person.origin,
        "needs": list(person.needs),
        "offers": list(person.offers),
    }
    attributes = {name: value for name, value in values.items() if value}
    attributes["latitude"], attributes["longitude"] = lat, lon
    return attributes


def _consents(person: Person) -> list[str]:
    consents: list[str] = [ConsentPurpose.MATCHING, ConsentPurpose.CONTACT_AFTER_MATCH]
    if person.origin:
        consents.append(ConsentPurpose.SHARE_ORIGIN)
    if person.updates and not person.desk:
        consents.append(ConsentPurpose.EMAIL_UPDATES)
    return consents


class _Loader:
    """One load of the demo into one place, keeping what later steps need."""

    def __init__(self, place: Place, staff: User, records: dict[str, Any]) -> None:
        self.place = place
        self.staff = staff
        self.records = records
        self.now = timezone.now()
        self.run_at = self.now - dt.timedelta(days=RUN_DAYS_AGO)
        self.phones = iter(range(100, 1000, 7))
        self.tokens: dict[tuple[str, str, str], str] = {}
        self.keys: dict[Any, str] = {}
        self.profiles: dict[tuple[str, str, str], Profile] = {}
        self.employers: dict[str, tuple[Employer, str]] = {}

    def ago(self, days: float) -> dt.datetime:
        return self.now - dt.timedelta(days=days)

    def programme(self, spec: DemoProgramme) -> Programme | None:
        if Programme.objects.filter(place=self.place, slug=spec.slug).exists():
            return None  # a real programme of the place has this address: it wins
        name, description = spec.texts["en"]
        programme = services.create_programme(
            self.staff,
            self.place,
            slug=spec.slug,
            kind=spec.kind,
            name=name,
            description=f"{description} {DEMO_NOTE['en']}",
            rules=spec.rules,
            max_capacity=spec.max_capacity,
            source_language="en",
        )
        _settle(programme, demo_id(CITY, "programme", spec.slug))
        for language, (name, description) in spec.texts.items():
            if language != "en":
                texts = {"name": name, "description": f"{description} {DEMO_NOTE[language]}"}
                save_translation(programme, language, texts)
        return programme

    def sign_up(self, programme: Programme, side: str, person: Person) -> Profile:
        phone = f"07700 900{next(self.phones):03d}" if person.phone or person.desk else ""
        profile, token = services.sign_up(
            programme,
            side=side,
            display_name=person.name,
            language=person.language,
            consents=_consents(person),
            email="" if person.desk else f"{person.key}@example.org",
            phone=phone,
            capacity=person.capacity,
            recorded_by=self.staff if person.desk else None,
            now=self.ago(person.days),
            **_attributes(person),
        )
        _settle(profile, demo_id(CITY, programme.slug, side, person.key))
        self.keys[profile.pk] = person.key
        self.tokens[(programme.slug, side, person.key)] = token
        self.profiles[(programme.slug, side, person.key)] = profile
        if person.paused:
            services.pause(profile, reason=person.paused, now=self.ago(min(person.days, 12)))
        return profile

    def employer(self, spec: DemoEmployer) -> Employer:
        employer, token = services.sign_up_employer(
            self.place,
            name=spec.name,
            contact_name=spec.contact_name,
            pledge=True,
            email=f"{spec.key}-jobs@example.org",
            phone=f"07700 900{next(self.phones):03d}",
            organization=self.records.get(spec.organization),
            now=self.ago(240),
        )
        _settle(employer, demo_id(CITY, "employer", spec.key))
        self.employers[spec.key] = (employer, token)
        return employer

    def placement(self, programme: Programme, spec: DemoPlacement) -> Placement:
        employer, _token = self.employers[spec.employer]
        lat, lon = AREAS[spec.area]
        placement = services.post_placement(
            employer,
            programme,
            title=spec.title,
            description=spec.description,
            required_skills=spec.required_skills,
            places=spec.places,
            language="en",
            now=self.ago(spec.days),
            languages=list(spec.languages),
            availability=_slots(spec.availability),
            latitude=lat,
            longitude=lon,
        )
        # The placement is the only record pointing at its profile: settle both together.
        _settle(placement.profile, demo_id(CITY, programme.slug, "offerer", spec.key))
        profile_id = placement.profile_id = placement.profile.pk
        Placement.objects.filter(pk=placement.pk).update(profile_id=profile_id)
        _settle(placement, demo_id(CITY, programme.slug, "placement", spec.key))
        self.keys[profile_id] = spec.key
        self.profiles[(programme.slug, "offerer", spec.key)] = placement.profile
        return placement

    def skills_audit(self, programme: Programme, key: str, audit: SkillsSelfAudit) -> None:
        profile = self.profiles[(programme.slug, "seeker", key)]

        def rows(entries: tuple[tuple[str, str, int, str], ...]) -> list[dict[str, Any]]:
            return [
                {"title": title, "country": country, "years": years, "skill": skill}
                for title, country, years, skill in entries
            ]

        services.save_skills_audit(
            profile,
            skills=audit.skills,
            qualifications=rows(audit.qualifications),
            experience=rows(audit.experience),
            languages=audit.languages,
            sectors=audit.sectors,
            now=profile.waiting_since + dt.timedelta(hours=1),
        )

    def run(self, programme: Programme) -> dict[str, Proposal]:
        """Matching, once; returns the proposals by their seeker's key, with stable ids."""
        run_matching(programme, now=self.run_at)
        proposals: dict[str, Proposal] = {}
        for proposal in Proposal.objects.filter(programme=programme).select_related(
            "seeker", "offerer"
        ):
            seeker, offerer = self.keys[proposal.seeker_id], self.keys[proposal.offerer_id]
            _settle(proposal, demo_id(CITY, programme.slug, "proposal", seeker, offerer))
            proposals[seeker] = proposal
        return proposals

    def answer(self, spec: DemoProgramme, proposals: dict[str, Proposal]) -> None:
        for answer in spec.answers:
            proposal = proposals.get(answer.seeker)
            if proposal is None:
                continue  # the engine chose otherwise: the demo goes with it
            when = self.ago(answer.days_ago)
            for profile, says in (
                (proposal.offerer, answer.offerer_says),
                (proposal.seeker, answer.seeker_says),
            ):
                if says is not None:
                    proposals[answer.seeker] = services.respond(profile, proposal, says, now=when)
                    when += dt.timedelta(hours=5)
        for note in spec.check_ins:
            proposal = proposals.get(note.seeker)
            if proposal is None or proposal.status != ProposalStatus.ACCEPTED:
                continue
            by: dict[str, Any] = (
                {"actor": self.staff}
                if note.by == "coordinator"
                else {"profile": proposal.seeker if note.by == Side.SEEKER else proposal.offerer}
            )
            services.add_check_in(
                proposal, rating=note.rating, text=note.text, now=self.ago(note.days_ago), **by
            )
        for note in spec.feedback:
            proposal = proposals.get(note.seeker)
            if (
                proposal is None
                or proposal.status != ProposalStatus.ACCEPTED
                or note.rating is None
            ):
                continue
            services.add_feedback(
                proposal.seeker if note.by == Side.SEEKER else proposal.offerer,
                proposal,
                rating=note.rating,
                text=note.text,
                now=self.ago(note.days_ago),
            )

    def load(self, spec: DemoProgramme) -> dict[str, Proposal]:
        programme = self.programme(spec)
        if programme is None:
            return {}
        # Those who signed up after the run join the pool after it.
        late = [p for p in spec.seekers if p.days < RUN_DAYS_AGO]
        for person in spec.seekers:
            if person not in late:
                self.sign_up(programme, Side.SEEKER, person)
        for person in spec.offerers:
            self.sign_up(programme, Side.OFFERER, person)
        for placement in spec.placements:
            self.placement(programme, placement)
        for key, audit in spec.audits.items():
            self.skills_audit(programme, key, audit)
        proposals = self.run(programme)
        for person in late:
            self.sign_up(programme, Side.SEEKER, person)
        self.answer(spec, proposals)
        return proposals

    def links(self) -> dict[str, str]:
        """Private pages of a few people (and an employer), labelled with what they show."""
        links: dict[str, str] = {}
        with translation.override("en"):
            for who, spec, side, key in LINKS:
                token = self.tokens.get((spec.slug, side, key))
                if token is not None:
                    profile = self.profiles[(spec.slug, side, key)]
                    path = reverse("matching:person", args=[self.place.slug, spec.slug, token])
                    links[f"{who}: {_what_shows(profile)}"] = path
            who, key = LINK_EMPLOYER
            if key in self.employers:
                path = reverse("matching:employer", args=[self.place.slug, self.employers[key][1]])
                links[who] = path
        return links


def _what_shows(profile: Profile) -> str:
    proposal = services.proposals_for(profile).first()
    if proposal is None:
        return "no proposal yet"
    if proposal.status == ProposalStatus.ACCEPTED:
        return "matched, contact details shown"
    if proposal.status != ProposalStatus.PROPOSED:
        return f"last proposal {proposal.status}"
    side = Side.SEEKER if proposal.seeker == profile else Side.OFFERER
    other = Side.OFFERER if side == Side.SEEKER else Side.SEEKER
    if proposal.response_of(side) == Response.ACCEPTED:
        return "accepted a proposal, waiting for the other side"
    if proposal.response_of(other) == Response.ACCEPTED:
        return "a proposal the other side accepted, waiting for this answer"
    return "a proposal waiting for an answer"


def load_matching(
    cities: dict[str, Place], users: dict[str, User], records: dict[str, Any]
) -> MatchingDemo:
    """Create or refresh the demo matching content of Coventry; returns counts and links."""
    place = cities.get(CITY)
    if place is None:
        return MatchingDemo()
    _remove_previous(place)
    loader = _Loader(place, users["demo-admin"], records)
    for employer in EMPLOYERS:
        loader.employer(employer)
    proposals: list[Proposal] = []
    for spec in PROGRAMMES:
        proposals += loader.load(spec).values()
    demo_programmes = Programme.objects.filter(
        pk__in=[demo_id(CITY, "programme", p.slug) for p in PROGRAMMES]
    )
    accepted = Proposal.objects.filter(
        programme__in=demo_programmes, status=ProposalStatus.ACCEPTED
    )
    return MatchingDemo(
        counts={
            "programme": demo_programmes.count(),
            "profile": Profile.objects.filter(programme__in=demo_programmes).count(),
            "proposal": len(proposals),
            "match": accepted.count(),
        },
        links=loader.links(),
    )
