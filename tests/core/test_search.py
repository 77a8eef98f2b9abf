from commonhome.core import search
from commonhome.core.translation import save_translation
from commonhome.directory.models import Service
from commonhome.directory.services import index_services
from tests.factories import OrganizationFactory, PlaceFactory, ServiceFactory


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


def test_match_within_a_place_finds_only_that_places_documents(organization):
    here = ServiceFactory(organization=organization, name="Legal advice")
    elsewhere = ServiceFactory(
        organization=OrganizationFactory(place=PlaceFactory()), name="Legal advice"
    )
    index_services(Service.objects.values_list("pk", flat=True))

    scoped = search.match_ids("service", "legal adv", place_id=organization.place_id)
    assert set(Service.objects.filter(id__in=scoped)) == {here}
    other = search.match_ids("service", "legal", place_id=elsewhere.place_id)
    assert set(Service.objects.filter(id__in=other)) == {elsewhere}
    assert set(Service.objects.filter(id__in=search.match_ids("service", "legal"))) == {
        here,
        elsewhere,
    }


def test_place_id_is_not_searchable_as_text(organization):
    ServiceFactory(organization=organization, name="Food bank")
    index_services(Service.objects.values_list("pk", flat=True))

    assert _found(organization.place_id.hex[:6]) == set()


def test_reindexing_moves_a_document_out_of_its_old_place(organization):
    service = ServiceFactory(organization=organization, name="Night shelter")
    index_services([service.pk])
    new_home = PlaceFactory()
    Service.objects.filter(pk=service.pk).update(place=new_home)
    index_services([service.pk])

    old = search.match_ids("service", "shelter", place_id=organization.place_id)
    new = search.match_ids("service", "shelter", place_id=new_home.pk)
    assert not Service.objects.filter(id__in=old).exists()
    assert list(Service.objects.filter(id__in=new)) == [service]
