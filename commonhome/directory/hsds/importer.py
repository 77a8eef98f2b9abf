"""Import Open Referral HSDS 3.0 data (JSON in any published form, or a CSV data package).

Everything is read into flat tables first (:mod:`.tabular`), then checked as a whole: the HSDS
JSON schemas, ids that are UUIDs, references that resolve, dates and times that parse, ``byday``
day codes. Any problem stops the import before a single row is written, and every problem is
reported with its file, row (CSV) or JSON pointer, and field.

What our models hold goes into their fields; every HSDS property or related object they do not
hold is kept, as HSDS JSON under its HSDS name, in ``hsds_extra`` of the record that owns it, so
an export reproduces it (:mod:`.serialize` merges ``hsds_extra`` back). In particular:

- addresses: the first physical address (``address_type`` "physical" or none) fills the
  location's address fields; all addresses are also kept, so their ids and other properties
  survive;
- languages of a service become ``ServiceLanguage`` rows; languages of locations and phones,
  accessibility, funding, programs, cost options, service areas, required documents,
  organization identifiers, attributes and metadata are kept in ``hsds_extra``;
- a phone, contact or schedule is a row of its own when it belongs to a record we model it
  under (a phone of a service, location, organization or contact …); its other owners (a
  service at location, say) keep a copy of it in ``hsds_extra``;
- attributes whose taxonomy term is in the file or already stored link that term to the
  service (``Service.domains``);
- cost options decide ``is_free`` (free unless an option has an amount above zero; with no
  options, free unless a fee is described) and, when the file has no ``fees_description``,
  describe the fees.

Strict by default: a reference to a record that is neither in the file nor already in the place
is an error. ``lenient=True`` turns such references into warnings: the reference is kept as
it came in ``hsds_extra``, and a related object whose owner is missing is skipped. (The HSDS
example files need this: their CSV tables point at organizations they do not contain.)
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from commonhome.core import audit
from commonhome.core.hours import parse_byday
from commonhome.core.models import Place
from commonhome.core.permissions import require
from commonhome.core.places import bump_content_generation

from .. import services as directory_services
from ..models import (
    Contact,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    Taxonomy,
    TaxonomyTerm,
)
from . import tabular
from .tabular import CHILDREN, COMMON_CHILDREN, InvalidData, Problem, Row, Tables

__all__ = ["ImportReport", "InvalidData", "Problem", "import_bundle", "import_path", "read_path"]


@dataclass
class ImportReport:
    """What an import did: records created and updated by HSDS table, and warnings."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    def counts(self) -> dict[str, dict[str, int]]:
        return {"created": dict(self.created), "updated": dict(self.updated)}

    def summary(self) -> str:
        parts = [
            f"{name}: {self.created.get(name, 0)} created, {self.updated.get(name, 0)} updated"
            for name in sorted(set(self.created) | set(self.updated))
        ]
        return "; ".join(parts) or "nothing to import"


# --- Reading ------------------------------------------------------------------------------


def read_path(path: Path) -> Tables:
    """Read an HSDS JSON file or a directory of HSDS CSV files into flat tables."""
    if path.is_dir():
        return tabular.tables_from_csv_dir(path)
    if path.name == "datapackage.json":
        return tabular.tables_from_csv_dir(path.parent)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        tables = Tables()
        tables.problems.append(
            Problem(path.name, f"line {exc.lineno} column {exc.colno}", "", f"not JSON: {exc.msg}")
        )
        return tables
    return tabular.tables_from_json(document, path.name)


def import_path(
    actor: Any,
    place: Place,
    path: Path,
    *,
    language: str | None = None,
    lenient: bool = False,
    check_permission: bool = True,
) -> ImportReport:
    return import_bundle(
        actor,
        place,
        read_path(path),
        language=language,
        lenient=lenient,
        check_permission=check_permission,
        source=path.name,
    )


# --- Checking -----------------------------------------------------------------------------

SCHEMA_BASE = "https://schemas.commonhome.invalid/hsds/3.0/"


@cache
def _validators() -> dict[str, Any]:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    schemas = {}
    for path in sorted(tabular.SPEC_DIR.glob("*.json")):
        if path.name == "datapackage.json":
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        contents["$id"] = SCHEMA_BASE + path.name
        schemas[path.stem] = contents
    registry: Registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s, default_specification=DRAFT202012))
        for s in schemas.values()
    )
    by_resource = {"address": "address", "metadata": "metadata", "funding": "funding"}
    validators = {}
    for resource in tabular.resources():
        name = by_resource.get(resource, resource)
        if name in schemas:
            validators[resource] = Draft202012Validator(schemas[name], registry=registry)
    return validators


def schema(resource: str) -> dict[str, Any]:
    """The HSDS JSON schema of ``resource`` (with an ``$id`` for the local registry)."""
    return dict(_validators()[resource].schema)


_JSON_TYPES = {"string": "a string", "number": "a number", "integer": "a whole number"}


def _schema_problems(resource: str, row: Row) -> list[Problem]:
    validator = _validators().get(resource)
    if validator is None:
        return []
    nested = tabular.nested_properties(resource)
    data = {k: v for k, v in row.data.items() if k not in nested}
    problems = []
    for error in validator.iter_errors(data):
        if error.validator == "required":
            missing = next((n for n in error.validator_value if n not in data), "")
            problems.append(row.problem(missing, "is required"))
            continue
        name = str(error.path[0]) if error.path else ""
        if error.validator == "type":
            expected = _JSON_TYPES.get(str(error.validator_value), str(error.validator_value))
            message = f"expected {expected}, got {error.instance!r}"
        elif error.validator == "enum":
            message = "expected one of " + ", ".join(map(repr, error.validator_value))
            message += f", got {error.instance!r}"
        else:
            message = error.message
        problems.append(row.problem(name, message))
    return problems


def _is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


_PARSERS = {
    "date": (dt.date.fromisoformat, "a date (YYYY-MM-DD)"),
    "time": (dt.time.fromisoformat, "a time (HH:MM or HH:MM:SS)"),
    "datetime": (dt.datetime.fromisoformat, "a date and time (ISO 8601)"),
}


def _format_problems(resource: str, row: Row) -> list[Problem]:
    problems = []
    for spec in tabular.fields_of(resource):
        name = spec["name"]
        value = row.data.get(name)
        if value in (None, ""):
            continue
        if spec.get("format") == "uuid" and not _is_uuid(value):
            problems.append(row.problem(name, f"expected a UUID, got {value!r}"))
        elif spec.get("type") in _PARSERS:
            parse, expected = _PARSERS[spec["type"]]
            try:
                parse(str(value).replace("Z", "+00:00"))
            except ValueError:
                problems.append(row.problem(name, f"expected {expected}, got {value!r}"))
    if resource == "schedule" and row.data.get("byday"):
        try:
            parse_byday(str(row.data["byday"]))
        except ValueError as exc:
            problems.append(row.problem("byday", str(exc)))
    return problems


# Modelled resources and their models; rows of the others live in an owner's ``hsds_extra``.
MODELS: dict[str, type[models.Model]] = {
    "organization": Organization,
    "service": Service,
    "location": Location,
    "service_at_location": ServiceAtLocation,
    "schedule": Schedule,
    "phone": Phone,
    "contact": Contact,
    "taxonomy": Taxonomy,
    "taxonomy_term": TaxonomyTerm,
}
PLACE_OWNED = ("organization", "service", "location")

# Reference columns our models hold as foreign keys: (resource, column) -> model field.
MODELLED_LINKS = {
    ("service", "organization_id"): "organization",
    ("location", "organization_id"): "organization",
    ("organization", "parent_organization_id"): "parent_organization",
    ("service_at_location", "service_id"): "service",
    ("service_at_location", "location_id"): "location",
    ("schedule", "service_id"): "service",
    ("schedule", "location_id"): "location",
    ("schedule", "service_at_location_id"): "service_at_location",
    ("phone", "service_id"): "service",
    ("phone", "location_id"): "location",
    ("phone", "organization_id"): "organization",
    ("phone", "contact_id"): "contact",
    ("contact", "service_id"): "service",
    ("contact", "organization_id"): "organization",
    ("taxonomy_term", "taxonomy_id"): "taxonomy",
    ("taxonomy_term", "parent_id"): "parent",
}
# Links that must resolve for the record to exist at all.
REQUIRED_LINKS = {
    ("service", "organization_id"),
    ("service_at_location", "service_id"),
    ("service_at_location", "location_id"),
}

# HSDS property -> model field, where the names differ or the value needs care.
FIELD_MAP: dict[str, dict[str, str]] = {
    "organization": {
        name: name
        for name in (
            "name",
            "alternate_name",
            "description",
            "email",
            "website",
            "tax_status",
            "tax_id",
            "year_incorporated",
            "legal_status",
            "logo",
            "uri",
        )
    },
    "service": {
        name: name
        for name in (
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "interpretation_services",
            "application_process",
            "fees_description",
            "wait_time",
            "accreditations",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "assured_date",
            "assurer_email",
            "alert",
        )
    },
    "location": {
        name: name
        for name in (
            "location_type",
            "url",
            "name",
            "alternate_name",
            "description",
            "transportation",
            "latitude",
            "longitude",
        )
    },
    "service_at_location": {"description": "description"},
    "schedule": {
        name: name
        for name in (
            "valid_from",
            "valid_to",
            "dtstart",
            "until",
            "count",
            "wkst",
            "freq",
            "interval",
            "byday",
            "byweekno",
            "bymonthday",
            "byyearday",
            "description",
            "opens_at",
            "closes_at",
            "schedule_link",
            "attending_type",
            "notes",
        )
    },
    "phone": {
        "number": "number",
        "extension": "extension",
        "type": "type",
        "description": "description",
    },
    "contact": {name: name for name in ("name", "title", "department", "email")},
    "taxonomy": {name: name for name in ("name", "description", "uri", "version")},
    "taxonomy_term": {
        name: name for name in ("code", "name", "description", "term_uri", "language")
    },
}
ADDRESS_FIELDS = (
    "address_1",
    "address_2",
    "city",
    "region",
    "state_province",
    "postal_code",
    "country",
)
# Properties a record cannot exist without: if our field cannot hold them, that is an error.
ESSENTIAL = {
    ("organization", "name"),
    ("organization", "description"),
    ("service", "name"),
    ("phone", "number"),
    ("taxonomy", "name"),
    ("taxonomy_term", "name"),
}


POSITIVE = (
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)


def _convert(model_field: models.Field, value: Any) -> tuple[bool, Any]:
    """``(True, value for the model)`` if ``model_field`` can hold ``value`` exactly."""
    if isinstance(model_field, models.DateField) and not isinstance(
        model_field, models.DateTimeField
    ):
        return True, dt.date.fromisoformat(str(value))
    if isinstance(model_field, models.TimeField):
        return True, dt.time.fromisoformat(str(value))
    if isinstance(model_field, models.FloatField):
        return isinstance(value, int | float), value
    if isinstance(model_field, models.IntegerField):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        ok = isinstance(value, int) and not isinstance(value, bool)
        if ok and isinstance(model_field, POSITIVE):
            ok = value >= 0 and (
                not isinstance(model_field, models.PositiveSmallIntegerField) or value <= 32767
            )
        return ok, value
    if isinstance(model_field, models.CharField | models.TextField):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # a phone extension, say: serialisation gives the number back
        if not isinstance(value, str):
            return False, value
        if model_field.max_length and len(value) > model_field.max_length:
            return False, value
        if model_field.choices and value not in {c[0] for c in model_field.flatchoices}:
            return False, value
        return True, value
    return False, value


# --- The import ---------------------------------------------------------------------------


class _Importer:
    def __init__(self, place: Place, tables: Tables, language: str, lenient: bool) -> None:
        self.place = place
        self.tables = tables
        self.language = language
        self.lenient = lenient
        self.problems: list[Problem] = list(tables.problems)
        self.warnings: list[Problem] = []
        self.existing: dict[str, dict[str, models.Model]] = {}
        # (child resource, column, parent id) -> rows, to nest related objects.
        self.children: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
        self.attached: dict[tuple[str, str], list[Row]] = defaultdict(list)
        self.unresolved: set[tuple[int, str]] = set()

    # Checking -------------------------------------------------------------------------

    def check(self) -> None:
        for resource, row in tabular.iter_rows(self.tables):
            self.problems += _schema_problems(resource, row)
            self.problems += _format_problems(resource, row)
        if self.problems:
            return
        self._load_existing()
        for resource, row in tabular.iter_rows(self.tables):
            self._check_links(resource, row)

    def _load_existing(self) -> None:
        for resource, model in MODELS.items():
            ids = [uuid.UUID(k) for k in self.tables.rows.get(resource, {}) if _is_uuid(k)]
            ids += self._referenced_ids(resource)
            found = model._default_manager.in_bulk(set(ids)) if ids else {}
            self.existing[resource] = {str(k): v for k, v in found.items()}
            if resource in PLACE_OWNED:
                for key, record in found.items():
                    if record.place_id != self.place.pk:
                        row = self.tables.find(resource, key)
                        if row is not None:
                            self.problems.append(
                                row.problem("id", f"{resource} {key} belongs to another place")
                            )
                        self.existing[resource].pop(str(key), None)

    def _referenced_ids(self, resource: str) -> list[uuid.UUID]:
        ids = []
        for child, row in tabular.iter_rows(self.tables):
            for column, target in tabular.foreign_keys(child).items():
                if target == resource and _is_uuid(row.data.get(column)):
                    ids.append(uuid.UUID(row.data[column]))
            if child in ("attribute", "metadata"):
                column = "link_id" if child == "attribute" else "resource_id"
                if _is_uuid(row.data.get(column)):
                    ids.append(uuid.UUID(row.data[column]))
        return ids

    def exists(self, resource: str, key: Any) -> bool:
        key = str(key)
        return self.tables.find(resource, key) is not None or key in self.existing.get(resource, {})

    def _check_links(self, resource: str, row: Row) -> None:
        for column, target in tabular.foreign_keys(resource).items():
            value = row.data.get(column)
            if value in (None, "") or self.exists(target, value):
                if value not in (None, ""):
                    self.children[(resource, column, str(value))].append(row)
                continue
            message = f"refers to {target} {value}, which is neither in this data nor stored"
            if (resource, column) in REQUIRED_LINKS or not self.lenient:
                self.problems.append(row.problem(column, message))
            else:
                self.unresolved.add((id(row), column))
                self.warnings.append(row.problem(column, message + "; kept as it is"))
        if resource == "service" and not row.data.get("organization_id"):
            self.problems.append(
                row.problem("organization_id", "a service needs the organization it belongs to")
            )
        if resource in ("attribute", "metadata"):
            column = "link_id" if resource == "attribute" else "resource_id"
            owner = self._owner(row.data.get(column))
            if owner is None:
                message = (
                    f"refers to {row.data.get(column)!r}, which is neither in this data nor stored"
                )
                if self.lenient or not row.data.get(column):
                    self.warnings.append(row.problem(column, message + "; skipped"))
                else:
                    self.problems.append(row.problem(column, message))
            else:
                self.attached[owner].append(row)
        if resource == "meta_table_description":
            self.warnings.append(row.problem("", "table descriptions are not kept; skipped"))

    def _owner(self, key: Any) -> tuple[str, str] | None:
        if key in (None, ""):
            return None
        key = str(key)
        for resource, rows in self.tables.rows.items():
            if key in rows:
                return resource, key
        for resource, records in self.existing.items():
            if key in records:
                return resource, key
        return None

    # Nesting kept data ----------------------------------------------------------------

    def nested(self, resource: str, row: Row, parent_column: str = "") -> dict[str, Any]:
        """``row`` as a nested HSDS object, with the related objects it owns inside it."""
        nested = tabular.nested_properties(resource)
        data = {k: v for k, v in row.data.items() if k not in nested and k != parent_column}
        key = str(row.data.get("id"))
        for prop, child, column in CHILDREN.get(resource, []):
            if child in ("service", "location"):
                continue
            items = [
                self.nested(child, r, column) for r in self.children.get((child, column, key), [])
            ]
            if items:
                data[prop] = items
        for prop, child, column in COMMON_CHILDREN:
            items = [
                self.nested(child, r, column)
                for r in self.attached.get((resource, key), [])
                if self.tables.find(child, r.data.get("id")) is r
            ]
            if items:
                data[prop] = items
        return data

    # Writing --------------------------------------------------------------------------

    def write(self, report: ImportReport) -> list[uuid.UUID]:
        records: dict[str, dict[str, models.Model]] = {r: {} for r in MODELS}
        extras: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
        now = timezone.now()

        def record_for(resource: str, row: Row) -> models.Model:
            key = str(row.data["id"])
            found = records[resource].get(key)
            if found is not None:
                return found
            existing = self.existing[resource].get(key)
            record = existing if existing is not None else MODELS[resource](id=uuid.UUID(key))
            records[resource][key] = record
            return record

        def keep(resource: str, key: str, prop: str, value: Any, many: bool = True) -> None:
            bucket = extras[(resource, key)]
            if many:
                items = bucket.setdefault(prop, [])
                if not any(i.get("id") == value.get("id") for i in items if value.get("id")):
                    items.append(value)
            else:
                bucket[prop] = value

        # 1. Rows of modelled resources: fields, and what the fields cannot hold.
        for resource in MODELS:
            for row in self.tables.get(resource):
                if resource in ("phone", "contact", "schedule") and not self._has_model_owner(
                    resource, row
                ):
                    continue
                record = record_for(resource, row)
                key = str(row.data["id"])
                self._fill(resource, record, row, extras[(resource, key)], now)

        # 2. Related objects kept with their owner.
        for resource, row in tabular.iter_rows(self.tables):
            for column, target in tabular.foreign_keys(resource).items():
                value = row.data.get(column)
                if value in (None, "") or (id(row), column) in self.unresolved:
                    continue
                if (resource, column) in MODELLED_LINKS and (
                    resource not in ("phone", "contact", "schedule")
                    or str(row.data["id"]) in records[resource]
                ):
                    continue
                if resource == "language" and column == "service_id":
                    continue
                prop = self._property(target, resource, column)
                if prop is None or target not in MODELS:
                    continue
                keep(target, str(value), prop, self.nested(resource, row, column))
        for (owner_resource, owner_key), rows in self.attached.items():
            if owner_resource not in MODELS:
                continue
            for prop, child, column in COMMON_CHILDREN:
                for row in rows:
                    if self.tables.find(child, row.data.get("id")) is row:
                        keep(owner_resource, owner_key, prop, self.nested(child, row, column))
        for row in self.tables.get("service"):
            program = row.data.get("program_id")
            if program and self.tables.find("program", program):
                keep(
                    "service",
                    str(row.data["id"]),
                    "program",
                    self.nested("program", self.tables.find("program", program)),
                    many=False,
                )

        # 3. Owners stored before, not in this data, that gain related objects.
        for (resource, key), bucket in extras.items():
            if key in records[resource] or key not in self.existing.get(resource, {}):
                continue
            record = self.existing[resource][key]
            merged = dict(record.hsds_extra or {})
            for prop, value in bucket.items():
                if isinstance(value, list):
                    known = {i.get("id") for i in value}
                    merged[prop] = [i for i in merged.get(prop, []) if i.get("id") not in known]
                    merged[prop] += value
                else:
                    merged[prop] = value
            record.hsds_extra = merged
            records[resource][key] = record
        for resource, by_key in records.items():
            for key, record in by_key.items():
                if self.tables.find(resource, key) is not None:
                    record.hsds_extra = extras.get((resource, key), {})

        self._derive_services(records)
        return self._save(records, report)

    def _has_model_owner(self, resource: str, row: Row) -> bool:
        for column in (
            "service_id",
            "location_id",
            "organization_id",
            "contact_id",
            "service_at_location_id",
        ):
            if (resource, column) not in MODELLED_LINKS:
                continue
            value = row.data.get(column)
            if value in (None, "") or (id(row), column) in self.unresolved:
                continue
            target = tabular.foreign_keys(resource)[column]
            if target in ("phone", "contact", "schedule"):
                target_row = self.tables.find(target, value)
                if target_row is not None and not self._has_model_owner(target, target_row):
                    continue
            return True
        return False

    @staticmethod
    def _property(owner: str, resource: str, column: str) -> str | None:
        for prop, child, child_column in CHILDREN.get(owner, []):
            if child == resource and child_column == column:
                return prop
        return None

    def _fill(
        self,
        resource: str,
        record: models.Model,
        row: Row,
        extra: dict[str, Any],
        now: dt.datetime,
    ) -> None:
        nested = tabular.nested_properties(resource)
        mapping = FIELD_MAP[resource]
        texts_before = record.source_texts() if hasattr(record, "source_texts") else None
        for name, value in row.data.items():
            if name in nested or name == "id" or value in (None, ""):
                continue
            if name in mapping:
                model_field = record._meta.get_field(mapping[name])
                ok, converted = _convert(model_field, value)
                if ok:
                    setattr(record, model_field.attname, converted)
                    continue
                if (resource, name) in ESSENTIAL:
                    self.problems.append(
                        row.problem(
                            name,
                            f"does not fit (at most {model_field.max_length} characters)"
                            if getattr(model_field, "max_length", None)
                            else "has an unexpected value",
                        )
                    )
                    continue
                if isinstance(model_field, models.CharField | models.TextField):
                    setattr(record, model_field.attname, "")
                else:
                    setattr(record, model_field.attname, None)
                extra[name] = value
            elif (resource, name) in MODELLED_LINKS and (id(row), name) not in self.unresolved:
                if resource in ("phone", "contact", "schedule") and not self._link_is_modelled(
                    resource, name, value
                ):
                    extra[name] = value
                    continue
                setattr(record, MODELLED_LINKS[(resource, name)] + "_id", uuid.UUID(str(value)))
            else:
                extra[name] = value
        if resource == "schedule" and "attending_type" not in row.data:
            record.attending_type = ""
        if resource in PLACE_OWNED:
            record.place = self.place
            if record._state.adding:
                record.source_language = self.language
            record.updated_at = now
        if texts_before is not None and not record._state.adding:
            record.version += 1
            if record.source_texts() != texts_before:
                record.content_version += 1
        if resource == "service" and row.data.get("last_modified"):
            record.updated_at = dt.datetime.fromisoformat(
                str(row.data["last_modified"]).replace("Z", "+00:00")
            )
        if resource == "location":
            self._fill_address(record, row)

    def _link_is_modelled(self, resource: str, column: str, value: Any) -> bool:
        target = tabular.foreign_keys(resource)[column]
        if target not in ("phone", "contact", "schedule"):
            return True
        target_row = self.tables.find(target, value)
        return target_row is None or self._has_model_owner(target, target_row)

    def _fill_address(self, location: Location, row: Row) -> None:
        key = str(row.data["id"])
        for address in self.children.get(("address", "location_id", key), []):
            if address.data.get("address_type", "physical") != "physical":
                continue
            for name in ADDRESS_FIELDS:
                value = address.data.get(name, "")
                ok, converted = _convert(Location._meta.get_field(name), value)
                setattr(location, name, converted if ok else "")
            break

    def _derive_services(self, records: dict[str, dict[str, models.Model]]) -> None:
        for row in self.tables.get("service"):
            service = records["service"][str(row.data["id"])]
            extra = service.hsds_extra or {}
            options = extra.get("cost_options", [])
            if options:
                service.is_free = not any(
                    isinstance(o.get("amount"), int | float) and o["amount"] > 0 for o in options
                )
                if not row.data.get("fees_description"):
                    service.fees_description = "; ".join(_describe_cost(o) for o in options)[
                        :10_000
                    ]
            else:
                service.is_free = not (row.data.get("fees_description") or row.data.get("fees"))
        # The position of a service is that of its first location with coordinates.
        located: set[str] = set()
        for sal in self.tables.get("service_at_location"):
            service_key, location_key = (
                str(sal.data.get("service_id")),
                str(sal.data.get("location_id")),
            )
            service = records["service"].get(service_key)
            location = records["location"].get(location_key) or self.existing["location"].get(
                location_key
            )
            if service is None or location is None or service_key in located:
                continue
            if location.latitude is not None and location.longitude is not None:
                service.latitude, service.longitude = location.latitude, location.longitude
                located.add(service_key)

    def _save(
        self, records: dict[str, dict[str, models.Model]], report: ImportReport
    ) -> list[uuid.UUID]:
        order = [
            "taxonomy",
            "taxonomy_term",
            "organization",
            "location",
            "service",
            "service_at_location",
            "contact",
            "phone",
            "schedule",
        ]
        for resource in order:
            model = MODELS[resource]
            by_key = records[resource]
            if not by_key:
                continue
            created = [r for k, r in by_key.items() if k not in self.existing[resource]]
            updated = [r for k, r in by_key.items() if k in self.existing[resource]]
            # Self references (parent organization, parent term) are set after every row exists.
            deferred = {}
            for attname in ("parent_organization_id", "parent_id"):
                if hasattr(model, attname):
                    for record in created:
                        deferred[record.pk] = getattr(record, attname)
                        setattr(record, attname, None)
            model._default_manager.bulk_create(created, batch_size=500)
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if not f.primary_key and f.name not in ("created_at",)
            ]
            if updated:
                model._default_manager.bulk_update(updated, fields, batch_size=500)
            if deferred:
                attname = next(
                    a for a in ("parent_organization_id", "parent_id") if hasattr(model, a)
                )
                for pk, parent in deferred.items():
                    if parent is not None:
                        model._default_manager.filter(pk=pk).update(**{attname: parent})
            if created:
                report.created[resource] = len(created)
            if updated:
                report.updated[resource] = len(updated)

        self._save_languages(records, report)
        self._save_domains(records, report)
        return [uuid.UUID(k) for k in records["service"]]

    def _save_languages(
        self, records: dict[str, dict[str, models.Model]], report: ImportReport
    ) -> None:
        rows = [
            r
            for r in self.tables.get("language")
            if r.data.get("service_id") and (id(r), "service_id") not in self.unresolved
        ]
        if not rows:
            return
        ids = [uuid.UUID(r.data["id"]) for r in rows]
        existing = set(ServiceLanguage.objects.filter(pk__in=ids).values_list("pk", flat=True))
        languages = []
        for row in rows:
            languages.append(
                ServiceLanguage(
                    id=uuid.UUID(row.data["id"]),
                    service_id=uuid.UUID(row.data["service_id"]),
                    code=str(row.data.get("code", ""))[:10],
                    name=str(row.data.get("name", ""))[:100],
                    note=str(row.data.get("note", ""))[:300],
                )
            )
        # One language per service and code: a repeated code updates the first.
        seen: set[tuple[uuid.UUID, str]] = set()
        unique = []
        for item in languages:
            if (item.service_id, item.code) not in seen:
                seen.add((item.service_id, item.code))
                unique.append(item)
        ServiceLanguage.objects.filter(
            service_id__in={i.service_id for i in unique}, code__in={i.code for i in unique}
        ).exclude(pk__in=[i.pk for i in unique]).delete()
        ServiceLanguage.objects.bulk_create(
            unique,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["service", "code", "name", "note"],
        )
        created = sum(1 for i in unique if i.pk not in existing)
        if created:
            report.created["language"] = created
        if len(unique) - created:
            report.updated["language"] = len(unique) - created

    def _save_domains(
        self, records: dict[str, dict[str, models.Model]], report: ImportReport
    ) -> None:
        through = Service.domains.through
        links = []
        for row in self.tables.get("attribute"):
            service_key = str(row.data.get("link_id"))
            term_key = row.data.get("taxonomy_term_id")
            if not term_key or not self.exists("taxonomy_term", term_key):
                continue
            if service_key in records["service"] or service_key in self.existing["service"]:
                links.append(
                    through(service_id=uuid.UUID(service_key), taxonomyterm_id=uuid.UUID(term_key))
                )
        if links:
            through.objects.bulk_create(links, ignore_conflicts=True, batch_size=1000)
            report.created["service_domain"] = len(links)


def _describe_cost(option: dict[str, Any]) -> str:
    amount = option.get("amount")
    parts = [str(option.get("option", "")).strip()]
    if amount is not None:
        parts.append(f"{amount} {str(option.get('currency', '')).upper()}".strip())
    parts.append(str(option.get("amount_description", "")).strip())
    return " ".join(p for p in parts if p)


@transaction.atomic
def import_bundle(
    actor: Any,
    place: Place,
    tables: Tables,
    *,
    language: str | None = None,
    lenient: bool = False,
    check_permission: bool = True,
    source: str = "",
) -> ImportReport:
    """Import flat HSDS ``tables`` into ``place``, all of it or — on any problem — nothing.

    Records are matched by their HSDS id: a record imported before is updated. Raises
    :class:`InvalidData` listing every problem found.
    """
    if check_permission:
        require(actor, "directory.create", place)
    started = time.perf_counter()
    importer = _Importer(place, tables, language or place.default_language, lenient)
    importer.check()
    if importer.problems:
        raise InvalidData(importer.problems)
    report = ImportReport(warnings=importer.warnings)
    service_ids = importer.write(report)
    if importer.problems:
        raise InvalidData(importer.problems)  # leaving the transaction undoes the writes
    directory_services.rebuild_opening_slots(service_ids)
    directory_services.index_services(service_ids)
    bump_content_generation(Place.objects.filter(pk=place.pk))
    report.seconds = time.perf_counter() - started
    audit.record(
        actor,
        "import",
        None,
        place=place,
        after=report.counts(),
        note=f"HSDS import{' of ' + source if source else ''}"
        + (f" with {len(report.warnings)} warnings" if report.warnings else ""),
    )
    return report
