"""HSDS export: the HSDS examples survive import → export, and exports are valid HSDS.

What the comparison normalises, and nothing else:
- ordering: objects are compared as flat HSDS rows keyed by table and id, so the order of
  arrays and of keys, and where in the nesting an object sits, do not matter;
- properties that are absent, null or empty in the input are not compared (the export leaves
  out empty values, and may add properties the input lacked, such as a service's
  ``organization_id`` or a derived ``fees_description``);
- ``last_modified`` is compared as an instant ("…45.123Z" and "…45.123000+00:00" are equal);
- a taxonomy term's ``taxonomy`` text is exported as the name of the taxonomy it is linked to;
- the export adds rows derived from our own links, each with a stable uuid5 id: one attribute
  per domain a service is linked to;
- in lenient mode, rows whose owner is not in the data (the example's attribute, metadata and
  table description) are skipped with a warning, so they are not expected back.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from commonhome.core.constants import Role
from commonhome.directory.hsds import exporter, importer, serialize, tabular
from commonhome.directory.hsds.importer import import_path, read_path
from commonhome.directory.models import Service
from tests.factories import LocationFactory, ServiceFactory, member

EXAMPLES = Path(__file__).parent / "hsds_examples"
JSON_EXAMPLES = [
    "service_full.json",
    "organization_full.json",
    "service_at_location_full.json",
    "taxonomy.json",
    "taxonomy_term.json",
    "tabular.json",
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(place):
    return member(place, Role.ADMIN)


def keyed(rows: dict[str, list[dict]]) -> dict[tuple[str, str], dict]:
    return {
        (resource, str(row.get("id"))): row for resource, items in rows.items() for row in items
    }


def normalised(resource: str, name: str, value, row: dict, taxonomy_names: dict):
    if name == "last_modified":
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if (
        resource == "taxonomy_term"
        and name == "taxonomy"
        and row.get("taxonomy_id") in taxonomy_names
    ):
        return taxonomy_names[row["taxonomy_id"]]
    return value


def differences(source: dict[str, list[dict]], exported: dict[str, list[dict]], skipped=()):
    """Every input value the export lost or changed, as readable lines."""
    out = keyed(exported)
    taxonomy_names = {str(t["id"]): t.get("name") for t in exported.get("taxonomy", [])}
    lines = []
    for (resource, key), row in keyed(source).items():
        if (resource, key) in skipped:
            continue
        got = out.get((resource, key))
        if got is None:
            lines.append(f"{resource} {key} is missing")
            continue
        for name, value in row.items():
            if value in (None, "", [], {}):
                continue
            want = normalised(resource, name, value, row, taxonomy_names)
            have = normalised(resource, name, got.get(name), got, taxonomy_names)
            if want != have:
                lines.append(f"{resource} {key} {name}: {value!r} became {got.get(name)!r}")
    return lines


def added_rows(source, exported) -> list[tuple[str, dict]]:
    known = set(keyed(source))
    return [(r, row) for (r, k), row in keyed(exported).items() if (r, k) not in known]


def derived_only(added: list[tuple[str, dict]]) -> bool:
    """Rows the export adds are our domain links or the stored vocabulary, nothing else."""
    for resource, row in added:
        if resource in ("taxonomy", "taxonomy_term"):
            continue
        term = row.get("taxonomy_term_id")
        expected = serialize.derived_id("attribute", "service", row.get("link_id"), term)
        if not (resource == "attribute" and row["id"] == expected):
            return False
    return True


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_json_example_round_trips(place, admin, name):
    report = import_path(admin, place, EXAMPLES / name, lenient=True)
    skipped = {(w.file, w.where) for w in report.warnings if "skipped" in w.message}
    source_tables = read_path(EXAMPLES / name)
    skipped_keys = {
        (resource, str(row.data.get("id")))
        for resource, row in tabular.iter_rows(source_tables)
        if (row.file, row.where) in skipped
    }
    source = tabular.rows_by_resource(source_tables)
    exported = exporter.export_tables(exporter.export_bundle(admin, place))
    assert differences(source, exported, skipped_keys) == []
    assert derived_only(added_rows(source, exported))


def test_csv_example_round_trips_through_a_csv_package(place, admin, tmp_path):
    report = import_path(admin, place, EXAMPLES / "csv", lenient=True)
    skipped = {
        ("attribute", "ae58cc39-8b70-4ab1-8aea-786882e5ac8e"),
        ("metadata", "6cd71e9f-1013-49d9-8370-26b8f59d3e5a"),
        ("meta_table_description", "c11af60b-a394-4e53-9943-324dda2d17a1"),
    }
    assert {w.file for w in report.warnings if "skipped" in w.message} == {
        "attributes.csv",
        "metadata.csv",
        "meta_table_descriptions.csv",
    }
    exporter.export_path(admin, place, tmp_path / "package")
    source = tabular.rows_by_resource(read_path(EXAMPLES / "csv"))
    exported = tabular.rows_by_resource(read_path(tmp_path / "package"))
    assert differences(source, exported, skipped) == []
    assert derived_only(added_rows(source, exported))


def test_csv_package_headers_follow_the_hsds_datapackage(place, admin, tmp_path):
    import_path(admin, place, EXAMPLES / "service_full.json", lenient=True)
    exporter.export_path(admin, place, tmp_path / "out", fmt="csv")
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["resources"], "the descriptor lists the tables"
    for resource in package["resources"]:
        with (tmp_path / "out" / resource["path"]).open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert header == [f["name"] for f in resource["schema"]["fields"]], resource["path"]
    with (tmp_path / "out" / "services.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["name"] for r in rows] == ["Community Counselling"]


def test_exported_json_validates_against_the_hsds_schemas(place, admin, tmp_path):
    import_path(admin, place, EXAMPLES / "service_full.json", lenient=True)
    service = ServiceFactory(organization__place=place, place=place)
    location = LocationFactory(organization=service.organization, place=place)
    service.service_at_locations.create(location=location)
    path = tmp_path / "export.json"
    exporter.export_path(admin, place, path)
    bundle = json.loads(path.read_text(encoding="utf-8"))
    validators = importer._validators()
    kinds = {
        "services": "service",
        "organizations": "organization",
        "taxonomies": "taxonomy",
        "taxonomy_terms": "taxonomy_term",
    }
    checked = 0
    for key, resource in kinds.items():
        for item in bundle[key]:
            errors = [e.message for e in validators[resource].iter_errors(item)]
            assert errors == [], (resource, item.get("id"))
            checked += 1
    assert len(bundle["services"]) == 2 and checked > 4


def test_export_imports_back_without_change(place, admin, tmp_path):
    import_path(admin, place, EXAMPLES / "service_full.json", lenient=True)
    path = tmp_path / "export.json"
    exporter.export_path(admin, place, path)
    first = path.read_text(encoding="utf-8")
    report = import_path(admin, place, path, lenient=True)
    assert report.created.get("service", 0) == 0 and report.updated["service"] == 1
    assert Service.objects.count() == 1
    exporter.export_path(admin, place, path)
    again = json.loads(path.read_text(encoding="utf-8"))
    assert again == json.loads(first)


def test_export_is_only_for_place_staff(place):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        exporter.export_bundle(member(place, Role.CONTRIBUTOR), place)
