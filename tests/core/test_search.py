from commonhome.core import search
from commonhome.core.translation import save_translation
from commonhome.directory.models import Service
from commonhome.directory.services import index_services
from tests.factories import ServiceFactory


def _found(query):
    sub = search.match_ids("service", query)
    return set(Service.objects.filter(id__in=sub).values_list("name", flat=True))


def test_search_with_or_without_arabic_diacritics_finds_the_same(organization):
    s = ServiceFactory(organization=organization, name="ESOL classes")
    save_translation(s, "ar", {"name": "دُرُوسُ اللُّغَةِ الإِنْجِلِيزِيَّةِ"})
    ServiceFactory(organization=organization, name="Food bank")
    index_services(Service.objects.values_list("pk", flat=True))
    assert _found("دروس اللغة") == {"ESOL classes"}
    assert _found("دُرُوسُ") == {"ESOL classes"}
    assert _found("الانجليزية") == {"ESOL classes"}


def test_prefix_and_accents(organization):
    ServiceFactory(organization=organization, name="Café conversation club")
    ServiceFactory(organization=organization, name="Housing advice")
    index_services(Service.objects.values_list("pk", flat=True))
    assert _found("cafe conv") == {"Café conversation club"}
    assert _found("HOUS ADVI") == {"Housing advice"}
    assert search.match_ids("service", " !! ") is None
