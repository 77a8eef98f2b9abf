"""Demo content for the West Midlands: Coventry, Birmingham and Wolverhampton.

Every organisation, service, street and person here is invented for the demonstration; the kinds
of activity follow what the region's integration programmes describe (ESOL, Share My Language,
Know Your Rights sessions, health champions, Migration Friendly Employers, migrant-led and
diaspora groups). Phone numbers come from the ranges Ofcom keeps for drama and examples.

English is the source language. Some records carry translations into Arabic, Farsi and Ukrainian
in one of the states a translation can be in, so every status shows up in the demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

REGION = {
    "slug": "west-midlands",
    "name": "West Midlands",
    "center": (52.50, -1.85),
    "zoom": 10,
}
LANGUAGES = ["en", "ar", "fa", "uk"]

# The note every demo description ends with, so nobody mistakes a demo entry for a real one.
DEMO_NOTE = {
    "en": "Demo entry: invented for the demonstration, not a real service.",
    "ar": "إدخال تجريبي: أُنشئ للعرض التوضيحي فقط، وليس خدمة حقيقية.",
    "fa": "نمونهٔ آزمایشی: فقط برای نمایش ساخته شده و خدمتی واقعی نیست.",
    "uk": "Демонстраційний запис: вигаданий для демонстрації, це не справжня послуга.",
}

# Translation states, as the loader creates them.
HUMAN, REVIEWED, MACHINE, OUTDATED = "human", "reviewed", "machine", "outdated"


@dataclass(frozen=True)
class City:
    slug: str
    name: str
    lat: float
    lon: float
    phone_prefix: str


@dataclass
class DemoService:
    key: str
    name: str
    description: str
    domains: tuple[str, ...]
    languages: tuple[str, ...]
    groups: tuple[str, ...] = ("everyone",)
    # Weekly opening as (BYDAY, opens, closes); empty when by appointment only.
    hours: tuple[tuple[str, str, str], ...] = ()
    by_appointment: bool = False
    fees: str = ""
    eligibility: str = ""
    application: str = ""
    alert: str = ""
    temporarily_closed: bool = False
    attending: str = "in_person"
    verified_days_ago: int = 40
    contact: str = ""
    # language → (state, {field: text})
    translations: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)


@dataclass
class DemoOrganization:
    key: str
    name: str
    kind: str
    description: str
    street: str
    postcode: str
    # Offset from the city centre in degrees (north, east): plausible positions in the city.
    offset: tuple[float, float]
    services: list[DemoService]
    offers: tuple[tuple[str, str], ...] = ()
    migrant_led: bool = False
    verified_days_ago: int = 60


COVENTRY = City("coventry", "Coventry", 52.4068, -1.5197, "01632 960")
BIRMINGHAM = City("birmingham", "Birmingham", 52.4862, -1.8904, "0121 496 0")
WOLVERHAMPTON = City("wolverhampton", "Wolverhampton", 52.5862, -2.1288, "01632 961")
CITIES = [COVENTRY, BIRMINGHAM, WOLVERHAMPTON]

# Relative to the day the demo is loaded: one closure running now, one holiday ahead.
CLOSURES = {
    "cov-weavers-fridge": (-2, 4, "Volunteers' training week"),
    "bham-canal-dropin": (10, 17, "Spring holiday: the centre is closed"),
    "wolv-seva-meal": (20, 21, "Closed for the festival day"),
}

PENDING_CHANGES = [
    # (service key, proposed changes, message, reporter's email, reporter's language)
    (
        "cov-harbour-dropin",
        {"wait_time": "About 45 minutes on Tuesdays"},
        "Tuesdays are very busy now, people wait a long time.",
        "visitor1@example.org",
        "en",
    ),
    (
        "bham-words-exam",
        {"fees_description": "£30 exam fee, waived for asylum seekers and refugees"},
        "The exam fee went up this term.",
        "",
        "en",
    ),
    (
        "wolv-westside-settlement",
        {},
        "رقم الهاتف لا يعمل منذ أسبوعين.",
        "",
        "ar",
    ),
]

Svc = DemoService
Org = DemoOrganization

ORGANIZATIONS: dict[str, list[DemoOrganization]] = {
    "coventry": [
        Org(
            "harbour-light",
            "Harbour Light Refugee and Migrant Centre",
            "ngo",
            "A refugee and migrant centre offering advice, casework and a warm welcome to people "
            "new to Coventry, whatever their status.",
            "27 Lantern Street",
            "CV1 3FD",
            (0.004, 0.006),
            offers=(
                ("space", "Meeting room for community groups on weekday evenings"),
                ("volunteers", "Trained volunteers who accompany people to appointments"),
                ("language", "Advisers speaking Arabic, Farsi, Kurdish and Tigrinya"),
            ),
            services=[
                Svc(
                    "cov-harbour-dropin",
                    "Advice drop-in for refugees and migrants",
                    "Walk in for help with letters, benefits, housing and asylum support. An "
                    "adviser listens, explains your options and books follow-up casework.",
                    ("rights", "housing", "emergency"),
                    ("en", "ar", "fa", "ku", "ti"),
                    ("asylum_seekers", "refugees", "any_status"),
                    hours=(("TU,TH", "10:00", "15:00"),),
                    eligibility="Anyone who has come to the UK from abroad, any status.",
                    application="Just come in. Bring any letters you have received.",
                    verified_days_ago=20,
                    contact="Duty adviser",
                    translations={
                        "ar": (
                            REVIEWED,
                            {
                                "name": "استشارات بدون موعد للاجئين والمهاجرين",
                                "description": "تعال دون موعد لتحصل على مساعدة في الرسائل "
                                "والإعانات والسكن ودعم اللجوء. يستمع إليك مستشار ويشرح لك "
                                "خياراتك ويحجز لك متابعة لحالتك.",
                            },
                        ),
                        "fa": (
                            HUMAN,
                            {
                                "name": "مشاورهٔ بدون وقت قبلی برای پناهندگان و مهاجران",
                                "description": "بدون وقت قبلی بیایید و برای نامه‌ها، کمک‌هزینه‌ها، "
                                "مسکن و حمایت پناهجویی کمک بگیرید. یک مشاور به شما گوش می‌دهد، "
                                "گزینه‌هایتان را توضیح می‌دهد و پیگیری پرونده را برایتان رزرو "
                                "می‌کند.",
                            },
                        ),
                        "uk": (
                            MACHINE,
                            {
                                "name": "Консультації без запису для біженців і мігрантів",
                                "description": "Приходьте без запису по допомогу з листами, "
                                "виплатами, житлом і підтримкою шукачів притулку. Консультант "
                                "вислухає, пояснить варіанти й запише на подальший супровід.",
                            },
                        ),
                    },
                ),
                Svc(
                    "cov-harbour-asylum-line",
                    "Asylum support phone appointments",
                    "Phone appointments about asylum support, accommodation problems and "
                    "moving on after a decision. An interpreter can join the call.",
                    ("rights", "housing"),
                    ("en", "ar", "fa", "ps", "so"),
                    ("asylum_seekers",),
                    by_appointment=True,
                    attending="phone",
                    application="Ask at the drop-in or leave a message and we call you back.",
                    verified_days_ago=95,
                ),
                Svc(
                    "cov-harbour-breakfast",
                    "Friday welcome breakfast",
                    "A free breakfast where newcomers and neighbours meet. Volunteers are on hand "
                    "to point you to the right service.",
                    ("community", "emergency"),
                    ("en", "ar", "uk"),
                    ("everyone", "families"),
                    hours=(("FR", "09:00", "11:00"),),
                    verified_days_ago=400,
                ),
            ],
        ),
        Org(
            "weavers-yard",
            "Weavers' Yard Community Hub",
            "ngo",
            "A community hub and one-stop information point in the city centre: ask any "
            "question and we find who can help.",
            "4 Copperbeech Lane",
            "CV1 1QP",
            (-0.002, -0.004),
            offers=(
                ("space", "Hall for 60 people, free for migrant-led groups"),
                ("skill", "Help with forms and online applications"),
            ),
            services=[
                Svc(
                    "cov-weavers-onestop",
                    "One-stop information point",
                    "Not sure where to go? Ask us about doctors, schools, housing, work, "
                    "English classes or your rights and we put you in touch with the right "
                    "people.",
                    ("community", "health", "housing", "education", "work", "rights"),
                    ("en", "ar", "fa", "uk", "pl", "ro"),
                    ("everyone",),
                    hours=(("MO,TU,WE,TH,FR", "09:30", "16:30"),),
                    verified_days_ago=8,
                    contact="Information desk",
                    translations={
                        "ar": (
                            HUMAN,
                            {
                                "name": "نقطة معلومات شاملة",
                                "description": "لا تعرف إلى أين تذهب؟ اسألنا عن الأطباء والمدارس "
                                "والسكن والعمل ودروس الإنجليزية وحقوقك، وسنوصلك بالأشخاص "
                                "المناسبين.",
                            },
                        ),
                        "fa": (
                            OUTDATED,
                            {
                                "name": "مرکز اطلاعات یکجا",
                                "description": "نمی‌دانید کجا بروید؟ دربارهٔ پزشک، مدرسه و مسکن "
                                "از ما بپرسید.",
                            },
                        ),
                        "uk": (
                            REVIEWED,
                            {
                                "name": "Єдиний інформаційний пункт",
                                "description": "Не знаєте, куди звернутися? Запитайте нас про "
                                "лікарів, школи, житло, роботу, курси англійської чи ваші права, "
                                "і ми зв'яжемо вас із потрібними людьми.",
                            },
                        ),
                    },
                ),
                Svc(
                    "cov-weavers-digital",
                    "Digital help desk",
                    "Help to set up an email address, use a smartphone, apply online and get a "
                    "free SIM card with data when stock allows.",
                    ("digital",),
                    ("en", "ar", "uk"),
                    ("everyone", "older_people"),
                    hours=(("WE", "13:00", "16:00"),),
                    verified_days_ago=30,
                ),
                Svc(
                    "cov-weavers-fridge",
                    "Community fridge",
                    "Fresh food that would otherwise be wasted, free to anyone who needs it. "
                    "No questions asked.",
                    ("emergency",),
                    ("en",),
                    ("everyone",),
                    hours=(("MO,TU,WE,TH,FR,SA", "11:00", "14:00"),),
                    verified_days_ago=14,
                ),
            ],
        ),
        Org(
            "three-spires-esol",
            "Three Spires ESOL Collective",
            "social_enterprise",
            "English for Speakers of Other Languages, from first words to exam level, taught by "
            "qualified teachers and volunteers.",
            "112 Kestrel Road",
            "CV2 4LN",
            (0.012, 0.010),
            offers=(
                ("skill", "Qualified ESOL teachers"),
                ("volunteers", "Conversation volunteers welcome"),
            ),
            services=[
                Svc(
                    "cov-esol-entry1",
                    "ESOL Entry 1 classes",
                    "Beginner English classes twice a week: everyday English for shopping, "
                    "appointments and school.",
                    ("language", "education"),
                    ("en",),
                    ("everyone", "refugees", "asylum_seekers"),
                    hours=(("MO,WE", "10:00", "12:00"),),
                    application="Come to an assessment on Monday at 9:30.",
                    verified_days_ago=50,
                    translations={
                        "ar": (
                            MACHINE,
                            {
                                "name": "دروس اللغة الإنجليزية للمبتدئين (المستوى الأول)",
                                "description": "دروس إنجليزية للمبتدئين مرتين في الأسبوع: "
                                "الإنجليزية اليومية للتسوق والمواعيد والمدرسة.",
                            },
                        ),
                        "fa": (
                            HUMAN,
                            {
                                "name": "کلاس‌های انگلیسی سطح مقدماتی ۱",
                                "description": "کلاس‌های انگلیسی برای مبتدیان، دو بار در هفته: "
                                "انگلیسی روزمره برای خرید، قرار ملاقات‌ها و مدرسه.",
                            },
                        ),
                        "uk": (
                            HUMAN,
                            {
                                "name": "Курси англійської ESOL, рівень Entry 1",
                                "description": "Англійська для початківців двічі на тиждень: "
                                "повсякденна мова для покупок, прийомів і школи.",
                            },
                        ),
                    },
                ),
                Svc(
                    "cov-esol-work",
                    "ESOL for work (evenings)",
                    "Evening English classes focused on job interviews, health and safety and "
                    "talking with colleagues.",
                    ("language", "work"),
                    ("en",),
                    ("everyone",),
                    hours=(("TU,TH", "18:00", "20:00"),),
                    verified_days_ago=70,
                ),
                Svc(
                    "cov-esol-cafe",
                    "Saturday conversation café",
                    "Practise speaking English over tea with volunteers from the neighbourhood.",
                    ("language", "community"),
                    ("en",),
                    ("everyone",),
                    hours=(("SA", "11:00", "13:00"),),
                    verified_days_ago=500,
                ),
            ],
        ),
        Org(
            "cov-share-language",
            "Share My Language Circle Coventry",
            "informal",
            "Neighbours teach each other their languages in small, friendly tandem groups.",
            "9 Millrace Walk",
            "CV3 5HS",
            (-0.014, 0.003),
            migrant_led=True,
            offers=(("language", "Volunteer teachers of Arabic, Ukrainian and Tigrinya"),),
            services=[
                Svc(
                    "cov-sml-arabic",
                    "Share My Language: Arabic and English tandem",
                    "Arabic speakers and English speakers meet in pairs and teach each other. "
                    "All levels welcome.",
                    ("language", "community"),
                    ("ar", "en"),
                    ("everyone",),
                    hours=(("TH", "17:30", "19:00"),),
                    verified_days_ago=25,
                    translations={
                        "ar": (
                            REVIEWED,
                            {
                                "name": "شارك لغتي: تبادل عربي وإنجليزي",
                                "description": "يلتقي متحدثو العربية ومتحدثو الإنجليزية في "
                                "أزواج ويعلّم كل منهم الآخر. جميع المستويات مرحّب بها.",
                            },
                        ),
                    },
                ),
                Svc(
                    "cov-sml-ukrainian",
                    "Share My Language: Ukrainian and English tandem",
                    "Ukrainian and English speakers practise together; children can join the "
                    "games corner.",
                    ("language", "community"),
                    ("uk", "en", "ru"),
                    ("everyone", "families"),
                    hours=(("WE", "18:00", "19:30"),),
                    verified_days_ago=33,
                    translations={
                        "uk": (
                            HUMAN,
                            {
                                "name": "Поділись своєю мовою: тандем українська та англійська",
                                "description": "Україномовні та англомовні практикуються разом; "
                                "діти можуть гратися в ігровому куточку.",
                            },
                        ),
                    },
                ),
            ],
        ),
        Org(
            "canalside-legal",
            "Canalside Legal Advice Project",
            "ngo",
            "Free, regulated immigration and housing advice, and Know Your Rights sessions for "
            "groups.",
            "58 Tanner's Row",
            "CV1 4GE",
            (0.007, -0.009),
            offers=(("skill", "Regulated immigration advisers (OISC level 2)"),),
            services=[
                Svc(
                    "cov-canal-immigration",
                    "Immigration advice clinic",
                    "One-to-one appointments with a regulated adviser about visas, family "
                    "reunion, leave to remain and appeals.",
                    ("rights", "citizenship"),
                    ("en", "ar", "fa"),
                    ("asylum_seekers", "refugees", "any_status"),
                    by_appointment=True,
                    application="Phone us to book; the first appointment lasts one hour.",
                    verified_days_ago=60,
                    translations={
                        "ar": (
                            OUTDATED,
                            {
                                "name": "عيادة استشارات الهجرة",
                                "description": "مواعيد فردية مع مستشار معتمد بشأن التأشيرات "
                                "ولمّ شمل الأسرة.",
                            },
                        ),
                        "uk": (
                            HUMAN,
                            {
                                "name": "Консультації з питань імміграції",
                                "description": "Індивідуальні зустрічі з ліцензованим "
                                "консультантом щодо віз, возз'єднання сім'ї, дозволу на "
                                "перебування та оскаржень.",
                            },
                        ),
                    },
                ),
                Svc(
                    "cov-canal-kyr-work",
                    "Know Your Rights: work and wages",
                    "A group session on the minimum wage, contracts, holiday pay and what to do "
                    "if you are not paid.",
                    ("rights", "work"),
                    ("en", "ar", "ro"),
                    ("everyone",),
                    hours=(("WE", "18:00", "19:30"),),
                    verified_days_ago=120,
                ),
                Svc(
                    "cov-canal-housing",
                    "Housing rights surgery",
                    "Advice on repairs, deposits, eviction notices and homelessness applications.",
                    ("housing", "rights"),
                    ("en", "pl"),
                    ("everyone", "families"),
                    hours=(("MO", "14:00", "17:00"),),
                    verified_days_ago=45,
                ),
            ],
        ),
        Org(
            "cov-syrian-families",
            "Coventry Syrian Families Association",
            "diaspora",
            "A diaspora association run by Syrian families for families from Syria and the "
            "wider region.",
            "31 Orchard Close",
            "CV6 2PJ",
            (0.020, -0.006),
            migrant_led=True,
            offers=(
                ("language", "Arabic-speaking volunteers for interpreting at school meetings"),
                ("volunteers", "Families who welcome new arrivals at home"),
            ),
            services=[
                Svc(
                    "cov-syrian-homework",
                    "Arabic homework club",
                    "Help with homework and Arabic reading for children aged 6 to 14.",
                    ("education", "language"),
                    ("ar", "en"),
                    ("children",),
                    hours=(("SA", "10:00", "12:00"),),
                    verified_days_ago=200,
                ),
                Svc(
                    "cov-syrian-visits",
                    "Family welcome visits",
                    "A volunteer family visits new arrivals at home to help them settle in.",
                    ("community",),
                    ("ar",),
                    ("families", "refugees"),
                    by_appointment=True,
                    verified_days_ago=420,
                ),
                Svc(
                    "cov-syrian-coffee",
                    "Parents' coffee morning",
                    "Arabic-speaking parents meet to share news about schools, benefits and "
                    "activities for children.",
                    ("community", "education"),
                    ("ar", "en"),
                    ("families",),
                    hours=(("WE", "09:30", "11:00"),),
                    verified_days_ago=55,
                ),
            ],
        ),
        Org(
            "sisters-kitchen",
            "Sisters' Kitchen Women's Circle",
            "informal",
            "A women's group that cooks, talks and learns together; run by migrant women.",
            "2 Hazel Grove",
            "CV5 8RT",
            (-0.006, -0.018),
            migrant_led=True,
            offers=(("space", "Community kitchen available on Sundays"),),
            services=[
                Svc(
                    "cov-sisters-cooking",
                    "Women's cooking and conversation",
                    "Cook a shared lunch and practise English in a women-only space. Children "
                    "under 5 welcome.",
                    ("community", "language"),
                    ("en", "ar", "fa", "ur"),
                    ("women",),
                    hours=(("TU", "10:00", "12:30"),),
                    verified_days_ago=90,
                ),
                Svc(
                    "cov-sisters-health",
                    "Health talks with health champions",
                    "Trained health champions talk about registering with a GP, maternity care "
                    "and staying well.",
                    ("health",),
                    ("en", "ar", "fa"),
                    ("women",),
                    hours=(("TH", "10:00", "12:00"),),
                    verified_days_ago=35,
                ),
            ],
        ),
        Org(
            "phoenix-works",
            "Phoenix Works Social Enterprise",
            "social_enterprise",
            "A social enterprise repairing bikes and furniture that trains and employs "
            "refugees and local people.",
            "Unit 6, Foundry Court",
            "CV1 5AX",
            (0.002, 0.015),
            offers=(
                ("skill", "Bike mechanics and upholstery training"),
                ("space", "Workshop benches for start-ups"),
            ),
            services=[
                Svc(
                    "cov-phoenix-bikes",
                    "Bike repair training",
                    "A 10-week practical course in bike mechanics; a refurbished bike to keep at "
                    "the end.",
                    ("work", "education"),
                    ("en",),
                    ("young_people", "refugees"),
                    hours=(("MO,TU", "09:30", "15:00"),),
                    fees="£20 materials fee, waived on request",
                    verified_days_ago=75,
                ),
                Svc(
                    "cov-phoenix-placements",
                    "Paid trial placements",
                    "Four-week paid placements in our workshop with a reference at the end.",
                    ("work",),
                    ("en",),
                    ("refugees",),
                    by_appointment=True,
                    eligibility="People with the right to work in the UK.",
                    verified_days_ago=150,
                ),
                Svc(
                    "cov-phoenix-upcycling",
                    "Furniture upcycling volunteering",
                    "Volunteer with us to restore donated furniture for families setting up a "
                    "new home; a good way to practise English at work.",
                    ("work", "community"),
                    ("en",),
                    ("everyone",),
                    hours=(("TH", "10:00", "15:00"),),
                    verified_days_ago=85,
                ),
            ],
        ),
    ],
    "birmingham": [
        Org(
            "canal-basin",
            "Canal Basin Welcome Centre",
            "ngo",
            "A refugee and migrant centre near the city centre: advice, casework and move-on "
            "support.",
            "15 Lockkeeper Street",
            "B1 2RW",
            (-0.004, -0.005),
            offers=(("volunteers", "Befrienders for people moving into their first home"),),
            services=[
                Svc(
                    "bham-canal-dropin",
                    "Refugee and migrant advice drop-in",
                    "Drop in for advice on asylum support, benefits, housing and finding a "
                    "solicitor.",
                    ("rights", "housing"),
                    ("en", "ar", "ku", "fa", "ti", "so"),
                    ("asylum_seekers", "refugees", "any_status"),
                    hours=(("MO,WE,FR", "10:00", "14:00"),),
                    verified_days_ago=12,
                    contact="Reception",
                    translations={
                        "ar": (
                            HUMAN,
                            {
                                "name": "استشارات بدون موعد للاجئين والمهاجرين",
                                "description": "تعال دون موعد للحصول على المشورة بشأن دعم "
                                "اللجوء والإعانات والسكن وإيجاد محامٍ.",
                            },
                        ),
                        "fa": (
                            MACHINE,
                            {
                                "name": "مشاورهٔ حضوری برای پناهندگان و مهاجران",
                                "description": "برای مشاوره دربارهٔ حمایت پناهجویی، "
                                "کمک‌هزینه‌ها، مسکن و پیدا کردن وکیل مراجعه کنید.",
                            },
                        ),
                    },
                ),
                Svc(
                    "bham-canal-moveon",
                    "Move-on support for new refugees",
                    "Help in the 56 days after a positive decision: benefits, bank account, "
                    "housing and a place to stay.",
                    ("housing", "emergency", "citizenship"),
                    ("en", "ar", "ti"),
                    ("refugees",),
                    by_appointment=True,
                    verified_days_ago=30,
                ),
                Svc(
                    "bham-canal-warm",
                    "Warm space and hot drinks",
                    "A warm room with hot drinks, phone charging and free wifi on winter "
                    "afternoons.",
                    ("emergency", "community", "digital"),
                    ("en", "ar"),
                    ("everyone", "any_status"),
                    hours=(("MO,TU,WE,TH,FR", "14:00", "17:00"),),
                    verified_days_ago=16,
                ),
            ],
        ),
        Org(
            "brindley-jobs",
            "Brindley Jobs Bridge",
            "ngo",
            "Employment support for refugees and migrants, and the coordinator of the city's "
            "Migration Friendly Employers network.",
            "80 Gasworks Road",
            "B5 6JH",
            (-0.012, 0.004),
            offers=(
                ("skill", "Careers advisers and recruiters who volunteer as mentors"),
                ("volunteers", "Mock interview panels"),
            ),
            services=[
                Svc(
                    "bham-brindley-support",
                    "One-to-one employment support",
                    "A careers adviser helps you plan your next job, recognise your "
                    "qualifications and apply.",
                    ("work", "education"),
                    ("en", "ar", "uk", "pl"),
                    ("refugees", "everyone"),
                    hours=(("MO,TU,WE,TH", "09:30", "16:00"),),
                    verified_days_ago=22,
                    translations={
                        "ar": (
                            HUMAN,
                            {
                                "name": "دعم فردي في التوظيف",
                                "description": "يساعدك مستشار مهني على التخطيط لعملك القادم "
                                "والاعتراف بمؤهلاتك والتقديم على الوظائف.",
                            },
                        ),
                        "uk": (
                            OUTDATED,
                            {
                                "name": "Індивідуальна підтримка в працевлаштуванні",
                                "description": "Кар'єрний консультант допоможе спланувати "
                                "пошук роботи.",
                            },
                        ),
                    },
                ),
                Svc(
                    "bham-brindley-mfe",
                    "Migration Friendly Employers introductions",
                    "We introduce job seekers to local employers who have signed the Migration "
                    "Friendly Employers pledge, and support both sides in the first months.",
                    ("work",),
                    ("en",),
                    ("refugees", "everyone"),
                    by_appointment=True,
                    eligibility="People with the right to work in the UK.",
                    verified_days_ago=55,
                ),
                Svc(
                    "bham-brindley-cv",
                    "CV and interview workshop",
                    "Write a UK-style CV and practise interviews with volunteers from local "
                    "businesses.",
                    ("work", "digital"),
                    ("en",),
                    ("everyone",),
                    hours=(("WE", "13:00", "15:00"),),
                    verified_days_ago=380,
                ),
            ],
        ),
        Org(
            "heath-champions",
            "Sparkbrook Health Champions Network",
            "ngo",
            "Community health champions from many backgrounds who share health information in "
            "their languages.",
            "41 Poplar Yard",
            "B11 1LD",
            (-0.020, 0.020),
            offers=(("language", "Health champions speaking 12 languages"),),
            services=[
                Svc(
                    "bham-champions-sessions",
                    "Community Health Champions sessions",
                    "Informal sessions on using the NHS, vaccinations, mental health and "
                    "healthy eating, in your language.",
                    ("health",),
                    ("en", "ar", "fa", "ur", "so", "uk"),
                    ("everyone",),
                    hours=(("TU", "10:00", "13:00"),),
                    verified_days_ago=18,
                    translations={
                        "ar": (
                            REVIEWED,
                            {
                                "name": "جلسات أبطال الصحة المجتمعية",
                                "description": "جلسات غير رسمية حول استخدام الخدمات الصحية "
                                "الوطنية واللقاحات والصحة النفسية والتغذية الصحية، بلغتك.",
                            },
                        ),
                        "fa": (
                            REVIEWED,
                            {
                                "name": "جلسات سفیران سلامت محله",
                                "description": "جلسه‌های غیررسمی دربارهٔ استفاده از خدمات "
                                "درمانی ملی، واکسن، سلامت روان و تغذیهٔ سالم، به زبان خودتان.",
                            },
                        ),
                        "uk": (
                            HUMAN,
                            {
                                "name": "Зустрічі з громадськими амбасадорами здоров'я",
                                "description": "Неформальні зустрічі про користування NHS, "
                                "щеплення, психічне здоров'я та здорове харчування вашою "
                                "мовою.",
                            },
                        ),
                    },
                ),
                Svc(
                    "bham-champions-gp",
                    "Help to register with a GP",
                    "A champion helps you fill in the form to register with a family doctor; "
                    "you do not need proof of address or immigration status.",
                    ("health",),
                    ("en", "ar", "so"),
                    ("everyone", "any_status"),
                    hours=(("WE", "10:00", "12:00"),),
                    verified_days_ago=40,
                ),
                Svc(
                    "bham-champions-peer",
                    "Mental health peer support group",
                    "A confidential group for people who feel low, anxious or isolated, led by "
                    "peers with lived experience.",
                    ("health", "community"),
                    ("en", "ar", "fa"),
                    ("everyone",),
                    hours=(("TH", "18:00", "19:30"),),
                    verified_days_ago=65,
                ),
            ],
        ),
        Org(
            "somali-parents",
            "Somali Parents Forum Birmingham",
            "diaspora",
            "A diaspora association supporting Somali families with schools, health and "
            "community life.",
            "7 Cedar Parade",
            "B8 3NE",
            (0.010, 0.030),
            migrant_led=True,
            offers=(("language", "Somali interpreters for parents' evenings"),),
            services=[
                Svc(
                    "bham-somali-schools",
                    "Parents and schools advice",
                    "Understand admissions, exclusions and special needs support; we can come "
                    "with you to school meetings.",
                    ("education",),
                    ("so", "en", "ar"),
                    ("families", "children"),
                    hours=(("SA", "11:00", "13:00"),),
                    verified_days_ago=100,
                ),
                Svc(
                    "bham-somali-homework",
                    "Homework club for secondary pupils",
                    "Maths, science and English homework help for pupils aged 11 to 16, with "
                    "university student volunteers.",
                    ("education",),
                    ("en", "so"),
                    ("young_people", "children"),
                    hours=(("TU,TH", "16:00", "18:00"),),
                    verified_days_ago=38,
                ),
                Svc(
                    "bham-somali-wellbeing",
                    "Women's wellbeing circle",
                    "A weekly circle for Somali women to talk, stretch and share advice.",
                    ("health", "community"),
                    ("so",),
                    ("women",),
                    hours=(("MO", "11:00", "13:00"),),
                    verified_days_ago=450,
                ),
            ],
        ),
        Org(
            "kurdish-voice",
            "Kurdish Community Voice",
            "diaspora",
            "A Kurdish diaspora association: culture, advice and interpreting volunteers.",
            "19 Mason's Walk",
            "B10 0TA",
            (-0.008, 0.038),
            migrant_led=True,
            offers=(
                ("language", "Kurdish Sorani and Kurmanji interpreting volunteers"),
                ("space", "Community room for meetings"),
            ),
            services=[
                Svc(
                    "bham-kurdish-evenings",
                    "Kurdish culture evenings",
                    "Music, food and conversation every second Friday; everyone welcome.",
                    ("community",),
                    ("ku", "en"),
                    ("everyone",),
                    hours=(("FR", "18:30", "22:00"),),
                    verified_days_ago=80,
                ),
                Svc(
                    "bham-kurdish-interpreting",
                    "Volunteer interpreters for appointments",
                    "A volunteer interpreter comes with you to a non-legal appointment such as "
                    "the housing office or the jobcentre.",
                    ("rights", "community"),
                    ("ku", "fa", "ar", "tr"),
                    ("everyone",),
                    by_appointment=True,
                    verified_days_ago=140,
                ),
            ],
        ),
        Org(
            "cornerstone-pantry",
            "Cornerstone Faith Pantry",
            "faith",
            "Churches, mosques and a gurdwara running a shared food pantry and clothes bank.",
            "3 Chapel Passage",
            "B4 7DN",
            (0.006, 0.002),
            offers=(
                ("volunteers", "Volunteers from four faith communities"),
                ("space", "Storage space for donated goods"),
            ),
            services=[
                Svc(
                    "bham-pantry-food",
                    "Food pantry",
                    "Choose free groceries, fresh fruit and halal and vegetarian options.",
                    ("emergency",),
                    ("en", "ar", "pa", "ur"),
                    ("everyone", "any_status"),
                    hours=(("TU,FR", "12:00", "15:00"),),
                    verified_days_ago=28,
                    translations={
                        "ar": (
                            MACHINE,
                            {
                                "name": "بنك الطعام",
                                "description": "اختر مواد غذائية مجانية وفواكه طازجة وخيارات "
                                "حلال ونباتية.",
                            },
                        ),
                    },
                ),
                Svc(
                    "bham-pantry-clothes",
                    "Clothes bank",
                    "Free winter coats, school uniforms and baby clothes.",
                    ("emergency",),
                    ("en",),
                    ("everyone", "families"),
                    hours=(("SA", "10:00", "13:00"),),
                    verified_days_ago=60,
                ),
            ],
        ),
        Org(
            "midland-words",
            "Midland Words ESOL Centre",
            "ngo",
            "English classes for adults, with a crèche, from pre-entry to Level 2 exams.",
            "66 Printworks Lane",
            "B12 9QS",
            (-0.016, -0.006),
            offers=(("skill", "ESOL teachers and a trained crèche team"),),
            services=[
                Svc(
                    "bham-words-parents",
                    "ESOL pre-entry for parents, with crèche",
                    "First steps in English for parents; children under 5 are looked after in "
                    "our crèche.",
                    ("language", "education"),
                    ("en",),
                    ("families", "women"),
                    hours=(("TU,TH", "09:30", "11:30"),),
                    verified_days_ago=42,
                ),
                Svc(
                    "bham-words-exam",
                    "ESOL Level 1 exam preparation",
                    "A 12-week course leading to the Level 1 speaking, listening, reading and "
                    "writing exams.",
                    ("language", "education", "work"),
                    ("en",),
                    ("everyone",),
                    hours=(("MO,WE", "18:00", "20:30"),),
                    fees="£25 exam fee, waived for asylum seekers",
                    verified_days_ago=30,
                ),
                Svc(
                    "bham-words-sml-farsi",
                    "Share My Language: Farsi and Dari circle",
                    "Farsi and Dari speakers and English speakers swap languages over tea.",
                    ("language", "community"),
                    ("fa", "prs", "en"),
                    ("everyone",),
                    hours=(("SA", "14:00", "15:30"),),
                    verified_days_ago=20,
                ),
            ],
        ),
        Org(
            "quarter-makers",
            "Quarter Makers Co-operative",
            "social_enterprise",
            "A makers' co-operative: sewing, tailoring and market stalls run by migrant women "
            "and local crafters.",
            "12 Anvil Row",
            "B18 6HQ",
            (0.012, -0.012),
            migrant_led=True,
            offers=(
                ("skill", "Tailoring, embroidery and pattern cutting"),
                ("space", "Shared stall at the weekend market"),
            ),
            services=[
                Svc(
                    "bham-makers-sewing",
                    "Sewing and tailoring training",
                    "Learn to sew and alter clothes on industrial machines; a certificate after "
                    "eight weeks.",
                    ("work", "education"),
                    ("en", "ur", "ar"),
                    ("women",),
                    hours=(("WE,TH", "10:00", "14:00"),),
                    fees="£5 a week, free for asylum seekers",
                    verified_days_ago=110,
                ),
                Svc(
                    "bham-makers-stall",
                    "Market stall start-up support",
                    "Test your business idea on our shared market stall with a mentor.",
                    ("work",),
                    ("en",),
                    ("everyone",),
                    by_appointment=True,
                    verified_days_ago=210,
                ),
            ],
        ),
    ],
    "wolverhampton": [
        Org(
            "black-country-sanctuary",
            "Black Country Sanctuary Centre",
            "ngo",
            "A refugee and migrant centre offering advice, orientation and a community space.",
            "22 Beacon Street",
            "WV1 3BS",
            (0.003, 0.004),
            offers=(("space", "Drop-in lounge with free wifi"),),
            services=[
                Svc(
                    "wolv-sanctuary-advice",
                    "Asylum and refugee advice",
                    "Advice on asylum support, family reunion and moving on after a decision.",
                    ("rights", "citizenship", "housing"),
                    ("en", "ar", "ti", "ku"),
                    ("asylum_seekers", "refugees"),
                    hours=(("TU,TH", "10:00", "14:00"),),
                    temporarily_closed=True,
                    alert="Temporarily closed while we move to a new building. Phone us for "
                    "urgent help.",
                    verified_days_ago=5,
                    translations={
                        "ar": (
                            HUMAN,
                            {
                                "name": "استشارات اللجوء واللاجئين",
                                "description": "استشارات حول دعم اللجوء ولمّ شمل الأسرة وما "
                                "بعد صدور القرار.",
                                "alert": "مغلق مؤقتاً أثناء انتقالنا إلى مبنى جديد. اتصل بنا "
                                "للمساعدة العاجلة.",
                            },
                        ),
                    },
                ),
                Svc(
                    "wolv-sanctuary-orientation",
                    "Orientation sessions for new arrivals",
                    "How things work here: buses, doctors, schools, bins, bills and where to "
                    "find help.",
                    ("community", "citizenship"),
                    ("en", "ar", "uk", "fa"),
                    ("everyone",),
                    hours=(("WE", "10:30", "12:30"),),
                    verified_days_ago=48,
                ),
            ],
        ),
        Org(
            "wulfrun-point",
            "Wulfrun Welcome Point",
            "public",
            "The city's one-stop information point for newcomers, run with local charities.",
            "1 Market Square",
            "WV1 1TQ",
            (0.000, -0.002),
            offers=(("skill", "Staff trained in benefits, housing and council services"),),
            services=[
                Svc(
                    "wolv-wulfrun-onestop",
                    "One-stop information point",
                    "Ask about council services, housing, schools, doctors, English classes "
                    "and work; we book interpreters when needed.",
                    ("community", "housing", "education", "health", "work"),
                    ("en", "pa", "pl", "uk", "ar"),
                    ("everyone",),
                    hours=(("MO,TU,WE,TH,FR", "09:00", "17:00"),),
                    verified_days_ago=3,
                    translations={
                        "ar": (
                            HUMAN,
                            {
                                "name": "نقطة معلومات شاملة",
                                "description": "اسأل عن خدمات البلدية والسكن والمدارس والأطباء "
                                "ودروس الإنجليزية والعمل، ونحجز مترجمين عند الحاجة.",
                            },
                        ),
                        "uk": (
                            REVIEWED,
                            {
                                "name": "Єдиний інформаційний пункт",
                                "description": "Запитуйте про послуги міської ради, житло, "
                                "школи, лікарів, курси англійської та роботу; за потреби ми "
                                "замовимо перекладача.",
                            },
                        ),
                        "fa": (
                            MACHINE,
                            {
                                "name": "مرکز اطلاعات یکجا",
                                "description": "دربارهٔ خدمات شهرداری، مسکن، مدرسه، پزشک، "
                                "کلاس‌های انگلیسی و کار بپرسید؛ در صورت نیاز مترجم رزرو "
                                "می‌کنیم.",
                            },
                        ),
                    },
                ),
                Svc(
                    "wolv-wulfrun-phone",
                    "Phone and video advice line",
                    "Cannot come in? Call or book a video call with an adviser.",
                    ("community", "digital"),
                    ("en", "pa", "uk"),
                    ("everyone", "disabled", "older_people"),
                    hours=(("MO,WE,FR", "09:00", "13:00"),),
                    attending="phone",
                    verified_days_ago=15,
                ),
            ],
        ),
        Org(
            "westside-law",
            "Westside Law Clinic",
            "ngo",
            "A free legal clinic with regulated advisers and Know Your Rights workshops.",
            "47 Chandler's Way",
            "WV3 0LX",
            (-0.008, -0.020),
            offers=(("volunteers", "Law students volunteering under supervision"),),
            services=[
                Svc(
                    "wolv-westside-kyr-housing",
                    "Know Your Rights: housing and renting",
                    "A group workshop on tenancy agreements, deposits, repairs and illegal "
                    "eviction.",
                    ("rights", "housing"),
                    ("en", "pl", "ro"),
                    ("everyone",),
                    hours=(("TU", "18:00", "19:30"),),
                    verified_days_ago=90,
                ),
                Svc(
                    "wolv-westside-settlement",
                    "Settlement and residence status appointments",
                    "Help with settlement applications, status checks and proving your rights "
                    "to landlords and employers.",
                    ("citizenship", "rights"),
                    ("en", "pl", "ro", "pt"),
                    ("any_status",),
                    by_appointment=True,
                    verified_days_ago=390,
                ),
                Svc(
                    "wolv-westside-family",
                    "Family reunion clinic",
                    "Regulated advice for refugees who want to bring their partner and children "
                    "to join them.",
                    ("rights", "citizenship"),
                    ("en", "ar", "ti"),
                    ("refugees", "families"),
                    by_appointment=True,
                    verified_days_ago=70,
                ),
            ],
        ),
        Org(
            "horn-africa-friends",
            "Horn of Africa Friends Wolverhampton",
            "diaspora",
            "A migrant-led association of Eritrean, Ethiopian, Somali and Sudanese residents.",
            "5 Lindenfield Road",
            "WV10 9PG",
            (0.018, 0.010),
            migrant_led=True,
            offers=(
                ("language", "Tigrinya, Amharic and Somali speakers"),
                ("volunteers", "Youth mentors"),
            ),
            services=[
                Svc(
                    "wolv-horn-cafe",
                    "Advice café in Tigrinya and Amharic",
                    "Coffee ceremony and help to read letters and make phone calls.",
                    ("community", "rights"),
                    ("ti", "am", "en"),
                    ("everyone",),
                    hours=(("SU", "14:00", "17:00"),),
                    verified_days_ago=130,
                ),
                Svc(
                    "wolv-horn-football",
                    "Youth football sessions",
                    "Free football coaching for young people aged 12 to 18, boots provided.",
                    ("community",),
                    ("en", "ti", "ar"),
                    ("young_people",),
                    hours=(("SA", "10:00", "12:00"),),
                    verified_days_ago=60,
                ),
            ],
        ),
        Org(
            "sunflower-group",
            "Sunflower Ukrainian Group",
            "diaspora",
            "A Ukrainian community group for families who have arrived since 2022 and their hosts.",
            "18 Meadowsweet Avenue",
            "WV6 7EJ",
            (-0.004, -0.030),
            migrant_led=True,
            offers=(("language", "Ukrainian-speaking volunteers"),),
            services=[
                Svc(
                    "wolv-sunflower-school",
                    "Ukrainian Saturday school",
                    "Ukrainian language, literature and history for children, alongside their "
                    "English school.",
                    ("education", "language"),
                    ("uk",),
                    ("children",),
                    hours=(("SA", "10:00", "13:00"),),
                    verified_days_ago=26,
                    translations={
                        "uk": (
                            REVIEWED,
                            {
                                "name": "Українська суботня школа",
                                "description": "Українська мова, література та історія для "
                                "дітей паралельно з англійською школою.",
                            },
                        ),
                    },
                ),
                Svc(
                    "wolv-sunflower-hosts",
                    "Hosts and guests meet-up",
                    "Monthly meet-up for Ukrainian guests and their hosts to share advice.",
                    ("community", "housing"),
                    ("uk", "en"),
                    ("everyone",),
                    hours=(("SU", "15:00", "17:00"),),
                    verified_days_ago=300,
                ),
                Svc(
                    "wolv-sunflower-sml",
                    "Share My Language: Ukrainian conversation evening",
                    "Local people learn a little Ukrainian while Ukrainian guests practise "
                    "English.",
                    ("language", "community"),
                    ("uk", "en"),
                    ("everyone",),
                    hours=(("TH", "18:30", "20:00"),),
                    verified_days_ago=47,
                ),
            ],
        ),
        Org(
            "seva-kitchen",
            "Seva Kitchen Community Meals",
            "faith",
            "A faith group serving free hot vegetarian meals to anyone, every day.",
            "90 Temple Road",
            "WV2 4AB",
            (-0.012, 0.006),
            offers=(
                ("volunteers", "Volunteer cooks and drivers"),
                ("space", "Dining hall for community events"),
            ),
            services=[
                Svc(
                    "wolv-seva-meal",
                    "Free community meal",
                    "A hot vegetarian meal, served daily. Everyone welcome, no questions asked.",
                    ("emergency", "community"),
                    ("pa", "en", "hi"),
                    ("everyone", "any_status"),
                    hours=(("MO,TU,WE,TH,FR,SA,SU", "12:00", "14:00"),),
                    verified_days_ago=10,
                    translations={
                        "ar": (
                            HUMAN,
                            {
                                "name": "وجبة مجتمعية مجانية",
                                "description": "وجبة نباتية ساخنة تُقدَّم يومياً. الجميع "
                                "مرحّب بهم دون أي أسئلة.",
                            },
                        ),
                        "fa": (
                            HUMAN,
                            {
                                "name": "غذای رایگان محله",
                                "description": "غذای گرم گیاهی، هر روز. همه خوش آمدند، بدون "
                                "هیچ پرسشی.",
                            },
                        ),
                    },
                ),
            ],
        ),
        Org(
            "many-voices",
            "Many Voices Women's Group",
            "informal",
            "A women's group run by migrant women: English, sewing and friendship.",
            "36 Ivy Terrace",
            "WV4 5SD",
            (-0.022, 0.000),
            migrant_led=True,
            offers=(("skill", "Sewing teachers and ESOL volunteers"),),
            services=[
                Svc(
                    "wolv-voices-esol",
                    "Women's ESOL with childcare",
                    "Relaxed English classes for women, with a play area for children.",
                    ("language",),
                    ("en", "ar", "ur", "pa"),
                    ("women",),
                    hours=(("MO,TH", "10:00", "12:00"),),
                    verified_days_ago=52,
                ),
                Svc(
                    "wolv-voices-sewing",
                    "Women's sewing circle",
                    "Bring a project or learn from scratch; machines and fabric provided.",
                    ("community",),
                    ("en", "ur"),
                    ("women",),
                    hours=(("WE", "13:00", "15:30"),),
                    verified_days_ago=700,
                ),
                Svc(
                    "wolv-voices-rights",
                    "Know Your Rights for women",
                    "Confidential sessions on domestic abuse, your residence status and where to "
                    "find safety; a female interpreter can be booked.",
                    ("rights", "emergency"),
                    ("en", "ar", "ur", "pa"),
                    ("women", "any_status"),
                    by_appointment=True,
                    verified_days_ago=29,
                ),
            ],
        ),
        Org(
            "skills-foundry",
            "Black Country Skills Foundry",
            "social_enterprise",
            "A social enterprise that trains people for construction jobs and works with "
            "Migration Friendly Employers.",
            "Unit 3, Ironworks Yard",
            "WV13 2HN",
            (-0.010, 0.045),
            offers=(("skill", "Construction trainers and site safety assessors"),),
            services=[
                Svc(
                    "wolv-foundry-cscs",
                    "Construction site safety card course",
                    "Two-day course and test for the construction site safety card, with "
                    "interpreters available.",
                    ("work", "education"),
                    ("en", "pl", "ro", "ar"),
                    ("everyone",),
                    hours=(("MO,TU", "08:30", "16:30"),),
                    fees="£60, free for people on benefits",
                    verified_days_ago=35,
                ),
                Svc(
                    "wolv-foundry-mentoring",
                    "Employer mentoring with Migration Friendly Employers",
                    "A mentor from a local employer meets you every fortnight for six months.",
                    ("work",),
                    ("en",),
                    ("refugees", "everyone"),
                    by_appointment=True,
                    verified_days_ago=160,
                ),
                Svc(
                    "wolv-foundry-digital",
                    "Online job applications workshop",
                    "Create a job-site profile, upload your CV and apply online.",
                    ("work", "digital"),
                    ("en",),
                    ("everyone",),
                    hours=(("FR", "10:00", "12:00"),),
                    attending="online",
                    verified_days_ago=44,
                ),
            ],
        ),
    ],
}

# Organisation translations (name and description) referenced above by state.
ORGANIZATION_TRANSLATIONS: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "harbour-light": {
        "ar": (
            HUMAN,
            {
                "name": "مركز هاربر لايت للاجئين والمهاجرين",
                "description": "مركز للاجئين والمهاجرين يقدّم المشورة ومتابعة الحالات وترحيباً "
                "دافئاً بالقادمين الجدد إلى كوفنتري، أياً كان وضعهم.",
            },
        ),
        "fa": (
            HUMAN,
            {
                "name": "مرکز پناهندگان و مهاجران هاربر لایت",
                "description": "مرکزی برای پناهندگان و مهاجران که به تازه‌واردان کاونتری، با هر "
                "وضعیتی، مشاوره، پیگیری پرونده و خوشامدی گرم ارائه می‌دهد.",
            },
        ),
        "uk": (
            REVIEWED,
            {
                "name": "Центр для біженців і мігрантів «Harbour Light»",
                "description": "Центр для біженців і мігрантів, що пропонує консультації, "
                "супровід і теплий прийом новоприбулим до Ковентрі незалежно від їхнього "
                "статусу.",
            },
        ),
    },
    "canal-basin": {
        "ar": (
            HUMAN,
            {
                "name": "مركز كانال بيسن للترحيب",
                "description": "مركز للاجئين والمهاجرين قرب وسط المدينة: مشورة ومتابعة حالات "
                "ودعم بعد الحصول على الإقامة.",
            },
        ),
    },
}

# Demo accounts: username → (role, what they do). Passwords are generated at load time.
ACCOUNTS = {
    "demo-admin": ("admin", "Administrator of the region and its three cities"),
    "demo-moderator": ("moderator", "Moderator of the region and its three cities"),
    "demo-editor": ("editor", "Editor of Harbour Light Refugee and Migrant Centre, Coventry"),
}
EDITOR_ORGANIZATION = ("coventry", "harbour-light")
