"""Typed postcodes and addresses become positions; the outside geocoder is off by default."""

from __future__ import annotations

import io
import json

import pytest

from commonhome.directory import geocode as geocode_module
from commonhome.directory.filters import SearchForm
from commonhome.directory.geocode import (
    NominatimGeocoder,
    PlacePostcodeGeocoder,
    geocode,
    get_geocoders,
)
from tests.factories import LocationFactory, OrganizationFactory, PlaceFactory


@pytest.fixture
def postcodes(place, organization):
    LocationFactory(
        organization=organization, postal_code="CV1 1AA", latitude=52.40, longitude=-1.50
    )
    LocationFactory(
        organization=organization, postal_code="CV1 2BB", latitude=52.42, longitude=-1.54
    )
    LocationFactory(
        organization=organization, postal_code="CV6 5CC", latitude=52.44, longitude=-1.48
    )
    return place


@pytest.mark.parametrize("typed", ["CV1 1AA", "cv11aa", "  Cv1  1aA "])
def test_full_postcode_is_found_with_any_spacing_and_case(postcodes, typed):
    position = PlacePostcodeGeocoder().locate(postcodes, typed)

    assert position is not None
    assert (position.lat, position.lon) == pytest.approx((52.40, -1.50))


def test_outward_code_gives_the_centre_of_its_district(postcodes):
    position = PlacePostcodeGeocoder().locate(postcodes, "cv1")

    assert position is not None
    assert (position.lat, position.lon) == pytest.approx((52.41, -1.52))


def test_postcodes_of_another_place_are_not_used(postcodes):
    elsewhere = PlaceFactory()
    LocationFactory(
        organization=OrganizationFactory(place=elsewhere), postal_code="ZZ9 9ZZ", latitude=1.0
    )

    assert PlacePostcodeGeocoder().locate(postcodes, "ZZ9 9ZZ") is None
    assert PlacePostcodeGeocoder().locate(postcodes, "CV9") is None


def test_outside_geocoder_is_off_unless_configured(settings):
    settings.GEOCODER_URL = ""
    assert [g.name for g in get_geocoders()] == ["place-postcodes"]

    settings.GEOCODER_URL = "https://geo.example.org/"
    assert [g.name for g in get_geocoders()] == ["place-postcodes", "nominatim"]


def test_nominatim_provider_is_asked_only_when_the_postcode_is_unknown(
    postcodes, settings, monkeypatch
):
    settings.GEOCODER_URL = "https://geo.example.org"
    asked = []

    def fake_urlopen(request, timeout):
        asked.append(request.full_url)
        body = [{"lat": "52.39", "lon": "-1.56", "display_name": "Spon End, Coventry"}]
        return io.BytesIO(json.dumps(body).encode())

    monkeypatch.setattr(geocode_module.urllib.request, "urlopen", fake_urlopen)

    known = geocode(postcodes, "CV1 1AA")
    assert known is not None and known.provider == "place-postcodes" and asked == []

    found = geocode(postcodes, "Spon End")
    assert found is not None
    assert (found.lat, found.lon, found.provider) == (52.39, -1.56, "nominatim")
    assert asked and asked[0].startswith("https://geo.example.org/search?")
    assert "q=Spon+End" in asked[0]


def test_nominatim_failure_means_not_found(postcodes, monkeypatch):
    def broken(request, timeout):
        raise OSError("connection refused")

    monkeypatch.setattr(geocode_module.urllib.request, "urlopen", broken)

    assert NominatimGeocoder("https://geo.example.org").locate(postcodes, "anywhere") is None


def test_nominatim_request_is_bounded_to_the_place(db):
    place = PlaceFactory(bounds=[52.3, -1.7, 52.5, -1.4])

    url = NominatimGeocoder("https://geo.example.org").request_url(place, "High St")

    assert "viewbox=-1.7%2C52.5%2C-1.4%2C52.3" in url and "bounded=1" in url


def test_search_form_turns_near_into_a_position(postcodes):
    form = SearchForm({"near": "CV6 5CC"}, place=postcodes)

    assert form.is_valid(), form.errors
    params = form.params()
    assert (params.lat, params.lon) == pytest.approx((52.44, -1.48))


def test_search_form_names_the_near_field_when_nothing_is_found(postcodes, settings):
    settings.GEOCODER_URL = ""
    form = SearchForm({"near": "Atlantis"}, place=postcodes)

    assert not form.is_valid()
    assert "near" in form.errors and "Atlantis" in form.errors["near"][0]
    assert form.params().lat is None
