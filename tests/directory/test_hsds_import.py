"""HSDS import: every problem named by file, row and field; nothing written on any problem."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from commonhome.core.constants import Role
from commonhome.core.models import AuditEntry
from commonhome.directory.hsds.importer import InvalidData, import_path
from commonhome.directory.models import (
    OpeningSlot,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceLanguage,
    TaxonomyTerm,
)
from tests.factories import OrganizationFactory, PlaceFactory, member

EXAMPLES = Path(__file__).parent / "hsds_examples"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORGANIZATION_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(place):
    return member(place, Role.ADMIN)


def database_state() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Organization, Service, Phone, Schedule, ServiceLanguage, TaxonomyTerm)
    } | {"audit": AuditEntry.objects.count()}


def write_json(tmp_path: Path, name: str, document) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def csv_package(tmp_path: Path, edit: dict[str, dict[str, str]] | None = None) -> Path:
    """A copy of the HSDS CSV example, the first data row of some files edited."""
    target = tmp_path / "package"
    shutil.copytree(EXAMPLES / "csv", target)
    for name, changes in (edit or {}).items():
        with (target / name).open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
            fields = list(rows[0])
        rows[0].update(changes)
        with (target / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    return target


def edit_everywhere(node, record_id: str, changes: dict) -> None:
    """Change the object ``record_id`` wherever nested HSDS repeats it (None deletes)."""
    if isinstance(node, list):
        for item in node:
            edit_everywhere(item, record_id, changes)
    elif isinstance(node, dict):
        if node.get("id") == record_id:
            for name, value in changes.items():
                if value is None:
                    node.pop(name, None)
                else:
                    node[name] = value
        for value in node.values():
            edit_everywhere(value, record_id, changes)


# --- invalid input ------------------------------------------------------------------------


def test_bad_uuid_in_csv_is_named_by_file_row_and_field_and_nothing_is_written(
    place, admin, tmp_path
):
    package = csv_package(tmp_path, {"services.csv": {"id": "not-a-uuid"}})
    before = database_state()
    with pytest.raises(InvalidData) as excinfo:
        import_path(admin, place, package, lenient=True)
    problem = next(p for p in excinfo.value.problems if p.field == "id")
    assert (problem.file, problem.where) == ("services.csv", "row 2")
    assert "expected a UUID" in problem.message and "not-a-uuid" in problem.message
    assert database_state() == before


def test_missing_required_name_is_named_by_json_pointer_and_nothing_is_written(
    place, admin, tmp_path
):
    document = example("service_full.json")
    edit_everywhere(document, "74706e55-df26-4b84-80fe-ecc30b5befb4", {"city": None})
    edit_everywhere(document, ORGANIZATION_ID, {"name": None})
    path = write_json(tmp_path, "broken.json", document)
    before = database_state()
    with pytest.raises(InvalidData) as excinfo:
        import_path(admin, place, path, lenient=True)
    found = {(p.file, p.where, p.field) for p in excinfo.value.problems}
    assert ("broken.json", "/organization", "name") in found
    assert ("broken.json", "/service_at_locations/0/location/addresses/0", "city") in found
    assert database_state() == before


def test_unknown_organization_reference_is_refused_even_when_lenient(place, admin, tmp_path):
    unknown = "11111111-2222-4333-8444-555555555555"
    package = csv_package(tmp_path, {"services.csv": {"organization_id": unknown}})
    before = database_state()
    for lenient in (False, True):
        with pytest.raises(InvalidData) as excinfo:
            import_path(admin, place, package, lenient=lenient)
        problem = next(p for p in excinfo.value.problems if p.field == "organization_id")
        assert (problem.file, problem.where) == ("services.csv", "row 2")
        assert unknown in problem.message
    assert database_state() == before


def test_strict_import_reports_every_dangling_reference_of_the_example_package(
    place, admin, tmp_path
):
    with pytest.raises(InvalidData) as excinfo:
        import_path(admin, place, EXAMPLES / "csv")
    found = {(p.file, p.field) for p in excinfo.value.problems}
    assert {
        ("locations.csv", "organization_id"),
        ("contacts.csv", "organization_id"),
        ("contacts.csv", "service_at_location_id"),
        ("taxonomy_terms.csv", "taxonomy_id"),
        ("attributes.csv", "link_id"),
    } <= found
    assert Service.objects.count() == 0


def test_bad_byday_is_named_and_nothing_is_written(place, admin, tmp_path):
    package = csv_package(tmp_path, {"schedules.csv": {"byday": "MO,XX"}})
    before = database_state()
    with pytest.raises(InvalidData) as excinfo:
        import_path(admin, place, package, lenient=True)
    problem = next(p for p in excinfo.value.problems if p.field == "byday")
    assert (problem.file, problem.where) == ("schedules.csv", "row 2")
    assert "'XX' is not a day code" in problem.message
    assert database_state() == before


def test_every_problem_is_reported_not_only_the_first(place, admin, tmp_path):
    package = csv_package(
        tmp_path,
        {
            "schedules.csv": {"opens_at": "25 o'clock", "valid_from": "yesterday"},
            "phones.csv": {"extension": "one hundred"},
            "services.csv": {"status": "open"},
        },
    )
    with pytest.raises(InvalidData) as excinfo:
        import_path(admin, place, package, lenient=True)
    found = {(p.file, p.field) for p in excinfo.value.problems}
    assert {
        ("schedules.csv", "opens_at"),
        ("schedules.csv", "valid_from"),
        ("phones.csv", "extension"),
        ("services.csv", "status"),
    } <= found


def test_record_of_another_place_is_not_overwritten(place, admin, tmp_path):
    other = OrganizationFactory(place=PlaceFactory(), id=ORGANIZATION_ID, name="Theirs")
    with pytest.raises(InvalidData) as excinfo:
        import_path(admin, place, EXAMPLES / "service_full.json", lenient=True)
    assert any(p.field == "id" and "another place" in p.message for p in excinfo.value.problems)
    other.refresh_from_db()
    assert other.name == "Theirs" and other.place != place


def test_only_place_staff_may_import(place, tmp_path):
    from django.core.exceptions import PermissionDenied

    contributor = member(place, Role.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        import_path(contributor, place, EXAMPLES / "service_full.json", lenient=True)
    assert Service.objects.count() == 0


# --- what an import writes ----------------------------------------------------------------


def test_import_maps_hsds_onto_the_directory(place, admin):
    report = import_path(admin, place, EXAMPLES / "service_full.json", lenient=True)
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.place == place and str(service.organization_id) == ORGANIZATION_ID
    assert service.name == "Community Counselling"
    # Cost option of 35 GBP: not free.
    assert service.is_free is False
    assert (service.latitude, service.longitude) == (100, 101)
    assert list(service.languages.values_list("code", flat=True)) == ["ur"]
    assert [str(pk) for pk in service.domains.values_list("pk", flat=True)] == [
        "3f7b145d-84af-42d7-8fae-eaca714b02b2"
    ]
    # TH,FR 10:00-18:00 became indexed weekly slots.
    slots = set(
        OpeningSlot.objects.filter(service=service).values_list("weekday", "opens", "closes")
    )
    assert slots == {(3, 600, 1080), (4, 600, 1080)}
    # What the model does not hold is kept for export, under HSDS names.
    assert service.hsds_extra["licenses"] == "licences"
    assert [f["id"] for f in service.hsds_extra["funding"]] == [
        "1f2df32c-bf08-4b8e-bd6f-e834014b19bc"
    ]
    phone = Phone.objects.get()
    assert phone.hsds_extra["languages"][0]["code"] == "ur"
    assert report.created["service"] == 1
    assert [w.field for w in report.warnings] == ["parent_organization_id", "parent_id"]


def test_import_is_audited_once_with_counts(place, admin):
    import_path(admin, place, EXAMPLES / "service_full.json", lenient=True)
    entry = AuditEntry.objects.get(action="import")
    assert entry.place == place and entry.actor == admin
    assert entry.after["created"]["service"] == 1
    assert entry.after["created"]["organization"] == 1


def test_reimport_updates_by_hsds_id_instead_of_duplicating(place, admin, tmp_path):
    import_path(admin, place, EXAMPLES / "service_full.json", lenient=True)
    first = Service.objects.get(pk=SERVICE_ID)
    document = example("service_full.json")
    document["name"] = "Community Counselling (renamed)"
    edit_everywhere(document, "48102e86-bb50-41c4-8f1e-e269368c41d1", {"byday": "MO"})
    report = import_path(admin, place, write_json(tmp_path, "again.json", document), lenient=True)
    assert Service.objects.count() == 1 and Schedule.objects.count() == 1
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.name == "Community Counselling (renamed)"
    assert service.version == first.version + 1
    assert service.content_version == first.content_version + 1
    assert report.updated["service"] == 1 and "service" not in report.created
    assert set(OpeningSlot.objects.filter(service=service).values_list("weekday", flat=True)) == {0}


def test_every_json_form_imports(place, admin, tmp_path):
    service = example("service_full.json")
    forms = {
        "list.json": [service],
        "page.json": {"total_items": 1, "contents": [service]},
        "bundle.json": {"services": [service], "organizations": [service["organization"]]},
    }
    for name, document in forms.items():
        import_path(admin, place, write_json(tmp_path, name, document), lenient=True)
        assert Service.objects.filter(pk=SERVICE_ID).count() == 1, name
    import_path(admin, place, EXAMPLES / "tabular.json", lenient=True)
    assert Service.objects.count() == 1


def test_bare_csv_directory_without_datapackage_imports(place, admin):
    report = import_path(admin, place, EXAMPLES / "csv", lenient=True)
    assert report.created["service"] == 1
    assert {w.file for w in report.warnings} >= {"metadata.csv", "meta_table_descriptions.csv"}


def _many_services(count):
    import uuid

    organization = {"id": str(uuid.uuid4()), "name": "Org", "description": "An organisation"}
    services = [
        {
            "id": str(uuid.uuid4()),
            "name": f"Service {n}",
            "status": "active",
            "organization_id": organization["id"],
            "schedules": [
                {
                    "id": str(uuid.uuid4()),
                    "byday": "MO,TU",
                    "opens_at": "09:00",
                    "closes_at": "17:00",
                }
            ],
            "languages": [{"id": str(uuid.uuid4()), "code": "ar", "name": "Arabic"}],
        }
        for n in range(count)
    ]
    return {"organizations": [organization], "services": services}


def test_import_writes_in_bulk_whatever_the_number_of_services(place, admin, tmp_path):
    """Speed is measured by the benchmark; here: the import does not query once per service."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (20, 400):
        path = write_json(tmp_path, f"many-{size}.json", _many_services(size))
        with CaptureQueriesContext(connection) as ctx:
            import_path(admin, place, path)
        counts.append(len(ctx.captured_queries))
    # Batched writes: a few more queries for bigger batches, never one (or more) per service.
    assert counts[1] - counts[0] < (400 - 20) / 10
    assert Service.objects.filter(place=place).count() == 420


# --- command line -------------------------------------------------------------------------


def test_cli_imports_and_exports(place, tmp_path):
    out = tmp_path / "out.json"
    call_command("import_hsds", str(EXAMPLES / "csv"), place=place.slug, lenient=True)
    call_command("export_hsds", str(out), place=place.slug)
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert [s["id"] for s in bundle["services"]] == [SERVICE_ID]
    call_command("export_hsds", str(tmp_path / "package"), place=place.slug)
    assert (tmp_path / "package" / "datapackage.json").exists()
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_cli_lists_every_problem_on_stderr_and_fails(place, tmp_path):
    import io

    package = csv_package(
        tmp_path, {"services.csv": {"id": "nope"}, "schedules.csv": {"byday": "XY"}}
    )
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_hsds", str(package), place=place.slug, lenient=True, stderr=stderr)
    lines = stderr.getvalue().splitlines()
    assert any(line.startswith("services.csv: row 2: field 'id'") for line in lines)
    assert any(line.startswith("schedules.csv: row 2: field 'byday'") for line in lines)
    assert Service.objects.count() == 0
