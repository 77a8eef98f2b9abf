"""HSDS data in its flat form: one table per object type, rows joined by id columns.

Every way HSDS data arrives (a nested object, a list, a Page envelope, the tabular JSON form, a
bundle of lists, a CSV data package) is turned into the same flat :data:`Tables`, each row
remembering where it came from so an error can name the file, the row or JSON pointer, and the
field. Exports go the other way: nested objects are flattened, then written as CSV files with
the headers of the HSDS ``datapackage.json``.

Plain Python: no Django here.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SPEC_DIR = Path(__file__).resolve().parent / "spec"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, said so a person can find and fix it."""

    file: str
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [self.file, self.where]
        if self.field:
            parts.append(f"field '{self.field}'")
        return ": ".join(p for p in parts if p) + f": {self.message}"


class InvalidData(Exception):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(slots=True)
class Row:
    """One flat HSDS record and where it was read from."""

    data: dict[str, Any]
    file: str
    where: str

    def problem(self, field_name: str, message: str) -> Problem:
        return Problem(self.file, self.where, field_name, message)


@dataclass
class Tables:
    """Flat HSDS rows by resource name (``service``, ``phone`` …), ids merged."""

    rows: dict[str, dict[str, Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, resource: str) -> list[Row]:
        return list(self.rows.get(resource, {}).values())

    def find(self, resource: str, record_id: Any) -> Row | None:
        return self.rows.get(resource, {}).get(str(record_id))

    def add(self, resource: str, row: Row) -> None:
        """Add ``row``; a row with an id seen before is merged into the first one.

        The same object often appears several times in nested HSDS (a phone under its service,
        its location and its contact): each occurrence contributes its link to a parent. Two
        occurrences that disagree about a value are an error.
        """
        table = self.rows.setdefault(resource, {})
        key = str(row.data.get("id")) if row.data.get("id") not in (None, "") else None
        if key is None:
            table[f"#{len(table)}"] = row
            return
        first = table.get(key)
        if first is None:
            table[key] = row
            return
        for name, value in row.data.items():
            if _empty(value):
                continue
            known = first.data.get(name)
            if _empty(known):
                first.data[name] = value
            elif known != value and not isinstance(value, dict | list):
                self.problems.append(
                    row.problem(
                        name,
                        f"{resource} {key} appears more than once with different values "
                        f"({known!r} at {first.file} {first.where}, {value!r} here)",
                    )
                )


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


# --- The shape of HSDS ------------------------------------------------------------------


@cache
def datapackage() -> dict[str, Any]:
    return json.loads((SPEC_DIR / "datapackage.json").read_text(encoding="utf-8"))


@cache
def resources() -> dict[str, dict[str, Any]]:
    """Resource descriptors of the HSDS data package by name (``service``, ``phone`` …)."""
    return {r["name"]: r for r in datapackage()["resources"]}


def fields_of(resource: str) -> list[dict[str, Any]]:
    return list(resources()[resource]["schema"]["fields"])


def column_names(resource: str) -> list[str]:
    return [f["name"] for f in fields_of(resource)]


def foreign_keys(resource: str) -> dict[str, str]:
    """Reference columns of ``resource`` and the resource each points at."""
    spec = resources()[resource]["schema"].get("foreignKeys", [])
    keys = {fk["fields"]: fk["reference"]["resource"] for fk in spec}
    # References the package leaves implicit but HSDS documents.
    extra = {
        "organization": {"parent_organization_id": "organization"},
        "taxonomy_term": {"parent_id": "taxonomy_term"},
    }
    keys.update(extra.get(resource, {}))
    return keys


def resource_for_name(name: str) -> str | None:
    """The resource a table or file is named after: ``services.csv``, ``services``, ``service``."""
    stem = name.removesuffix(".csv")
    for resource, spec in resources().items():
        if stem in (resource, spec["path"].removesuffix(".csv")):
            return resource
    plural = {"service_at_locations": "service_at_location", "taxonomies": "taxonomy"}
    return plural.get(stem)


# Arrays of child objects in nested HSDS: property -> (child resource, child's column to parent).
CHILDREN: dict[str, list[tuple[str, str, str]]] = {
    "organization": [
        ("funding", "funding", "organization_id"),
        ("contacts", "contact", "organization_id"),
        ("phones", "phone", "organization_id"),
        ("locations", "location", "organization_id"),
        ("programs", "program", "organization_id"),
        ("organization_identifiers", "organization_identifier", "organization_id"),
        ("services", "service", "organization_id"),
    ],
    "service": [
        ("phones", "phone", "service_id"),
        ("schedules", "schedule", "service_id"),
        ("service_areas", "service_area", "service_id"),
        ("service_at_locations", "service_at_location", "service_id"),
        ("languages", "language", "service_id"),
        ("funding", "funding", "service_id"),
        ("cost_options", "cost_option", "service_id"),
        ("required_documents", "required_document", "service_id"),
        ("contacts", "contact", "service_id"),
    ],
    "service_at_location": [
        ("contacts", "contact", "service_at_location_id"),
        ("phones", "phone", "service_at_location_id"),
        ("schedules", "schedule", "service_at_location_id"),
    ],
    "location": [
        ("languages", "language", "location_id"),
        ("addresses", "address", "location_id"),
        ("contacts", "contact", "location_id"),
        ("accessibility", "accessibility", "location_id"),
        ("phones", "phone", "location_id"),
        ("schedules", "schedule", "location_id"),
    ],
    "contact": [("phones", "phone", "contact_id")],
    "phone": [("languages", "language", "phone_id")],
}
# Every object may carry attributes and metadata about itself.
COMMON_CHILDREN = [("attributes", "attribute", "link_id"), ("metadata", "metadata", "resource_id")]

# Single nested objects the parent points at: property -> (resource, parent's reference column).
SINGLES: dict[str, list[tuple[str, str, str]]] = {
    "service": [
        ("organization", "organization", "organization_id"),
        ("program", "program", "program_id"),
    ],
    "service_at_location": [
        ("location", "location", "location_id"),
        ("service", "service", "service_id"),
    ],
    "attribute": [("taxonomy_term", "taxonomy_term", "taxonomy_term_id")],
    "taxonomy_term": [("taxonomy_detail", "taxonomy", "taxonomy_id")],
}


def nested_properties(resource: str) -> set[str]:
    names = {prop for prop, _, _ in CHILDREN.get(resource, [])}
    names |= {prop for prop, _, _ in COMMON_CHILDREN}
    names |= {prop for prop, _, _ in SINGLES.get(resource, [])}
    return names


# --- Nested objects -> rows -------------------------------------------------------------


def flatten(
    obj: Any, resource: str, tables: Tables, file: str, pointer: str = "", parent: tuple = ()
) -> None:
    """Add ``obj`` (a nested HSDS object of ``resource``) and everything inside it to ``tables``.

    ``parent`` is ``(column, id)``: the link to the enclosing object that the nesting implies.
    """
    where = pointer or "/"
    if not isinstance(obj, dict):
        tables.problems.append(
            Problem(file, where, "", f"expected an object ({resource}), got {_kind(obj)}")
        )
        return
    flat: dict[str, Any] = {}
    nested: list[tuple[str, str, str, Any, bool]] = []
    children = {p: (r, c) for p, r, c in CHILDREN.get(resource, []) + COMMON_CHILDREN}
    singles = {p: (r, c) for p, r, c in SINGLES.get(resource, [])}
    for name, value in obj.items():
        if name in children and isinstance(value, list):
            child, column = children[name]
            nested.append((name, child, column, value, True))
        elif name in singles and isinstance(value, dict):
            child, column = singles[name]
            nested.append((name, child, column, value, False))
        else:
            flat[name] = value
    if parent:
        column, parent_id = parent
        if _empty(flat.get(column)):
            flat[column] = parent_id
    own_id = flat.get("id")
    for _name, _child, column, value, many in nested:
        if not many and _empty(flat.get(column)) and value.get("id"):
            flat[column] = value["id"]
    tables.add(resource, Row(flat, file, where))
    for name, child, column, value, many in nested:
        if many:
            link = (column, own_id) if own_id else ()
            for index, item in enumerate(value):
                flatten(item, child, tables, file, f"{pointer}/{name}/{index}", link)
        else:
            flatten(value, child, tables, file, f"{pointer}/{name}")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string"}.get(
        type(value), type(value).__name__
    )


def guess_resource(obj: dict[str, Any]) -> str:
    """Which HSDS object a lone JSON object is, from the properties only it has."""
    keys = set(obj)
    if "status" in keys or "service_at_locations" in keys:
        return "service"
    if keys & {"location", "service"} or {"service_id", "location_id"} <= keys:
        return "service_at_location"
    if "location_type" in keys:
        return "location"
    if keys & {"code", "parent_id", "taxonomy_id", "taxonomy_detail", "term_uri", "taxonomy"}:
        return "taxonomy_term"
    if keys <= {"id", "name", "description", "uri", "version", "metadata"}:
        return "taxonomy"
    return "organization"


def tables_from_json(document: Any, file: str) -> Tables:
    """Flatten any of the JSON forms HSDS data is published in."""
    tables = Tables()
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        _flatten_list(document["contents"], None, tables, file, "/contents")
    elif isinstance(document, list):
        _flatten_list(document, None, tables, file, "")
    elif (
        isinstance(document, dict)
        and document
        and all(isinstance(v, list) and resource_for_name(k) for k, v in document.items())
    ):
        for key, items in document.items():
            resource = resource_for_name(key)
            assert resource is not None
            if key.endswith(".csv"):
                items = [_as_declared(resource, item) for item in items]
            _flatten_list(items, resource, tables, file, "/" + _escape(key))
    elif isinstance(document, dict):
        flatten(document, guess_resource(document), tables, file)
    else:
        tables.problems.append(
            Problem(file, "/", "", f"expected an HSDS object or a list, got {_kind(document)}")
        )
    return tables


def _as_declared(resource: str, item: Any) -> Any:
    """A row of the tabular JSON form with numbers in text columns read as the text they are.

    That form is CSV written as JSON, and writers let ``"10092008082"`` become a number.
    """
    if not isinstance(item, dict):
        return item
    types = {f["name"]: f.get("type") for f in fields_of(resource)}
    return {
        k: str(v)
        if types.get(k) == "string" and isinstance(v, int | float) and not isinstance(v, bool)
        else v
        for k, v in item.items()
    }


def _flatten_list(
    items: list[Any], resource: str | None, tables: Tables, file: str, pointer: str
) -> None:
    for index, item in enumerate(items):
        kind = resource or (guess_resource(item) if isinstance(item, dict) else "service")
        flatten(item, kind, tables, file, f"{pointer}/{index}")


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


# --- CSV ---------------------------------------------------------------------------------

_INTEGER = re.compile(r"-?\d+")


def _cell(value: str, spec: dict[str, Any] | None) -> Any:
    """A CSV cell as the JSON value HSDS means; raises ValueError if a number is not one."""
    if spec is not None and spec.get("type") in ("number", "integer"):
        text = value.strip()
        if _INTEGER.fullmatch(text):
            return int(text)
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {value!r}") from None
    return value


def tables_from_csv_dir(directory: Path) -> Tables:
    """Read a CSV data package, or a bare directory of HSDS CSV files."""
    tables = Tables()
    files: dict[str, Path] = {}
    descriptor = directory / "datapackage.json"
    if descriptor.exists():
        try:
            package = json.loads(descriptor.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            tables.problems.append(Problem("datapackage.json", f"line {exc.lineno}", "", exc.msg))
            return tables
        for spec in package.get("resources", []):
            resource = resource_for_name(str(spec.get("name", ""))) or resource_for_name(
                str(spec.get("path", ""))
            )
            path = directory / str(spec.get("path", ""))
            if resource and path.is_file():
                files[resource] = path
    for path in sorted(directory.glob("*.csv")):
        resource = resource_for_name(path.name)
        if resource is None:
            tables.problems.append(
                Problem(
                    path.name, "", "", "not an HSDS table (expected a name such as services.csv)"
                )
            )
        else:
            files.setdefault(resource, path)
    if not files:
        tables.problems.append(
            Problem(
                directory.name,
                "",
                "",
                "no HSDS CSV files found (services.csv, organizations.csv …)",
            )
        )
    for resource in resources():
        if resource in files:
            _read_csv(files[resource], resource, tables)
    return tables


def _read_csv(path: Path, resource: str, tables: Tables) -> None:
    specs = {f["name"]: f for f in fields_of(resource)}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        for number, record in enumerate(reader, start=2):
            data: dict[str, Any] = {}
            row = Row(data, path.name, f"row {number}")
            for name, value in record.items():
                if name is None:
                    tables.problems.append(row.problem("", "more cells than columns in the header"))
                    continue
                if value is None or value == "":
                    continue
                try:
                    data[name] = _cell(value, specs.get(name))
                except ValueError as exc:
                    tables.problems.append(row.problem(name, str(exc)))
            tables.add(resource, row)


def write_csv_dir(tables: dict[str, list[dict[str, Any]]], directory: Path) -> list[Path]:
    """Write a CSV data package: ``datapackage.json`` and one file per HSDS table."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "datapackage.json").write_text(
        json.dumps(datapackage(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    written = [directory / "datapackage.json"]
    for resource, spec in resources().items():
        path = directory / spec["path"]
        columns = column_names(resource)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for data in tables.get(resource, []):
                writer.writerow([_text(data.get(name)) for name in columns])
        written.append(path)
    return written


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def rows_by_resource(tables: Tables) -> dict[str, list[dict[str, Any]]]:
    """Plain row dicts by resource, without the nested objects flattening already took out."""
    result: dict[str, list[dict[str, Any]]] = {}
    for resource, rows in tables.rows.items():
        nested = nested_properties(resource)
        result[resource] = [
            {k: v for k, v in row.data.items() if k not in nested} for row in rows.values()
        ]
    return result


def iter_rows(tables: Tables) -> Iterator[tuple[str, Row]]:
    for resource, rows in tables.rows.items():
        for row in rows.values():
            yield resource, row
