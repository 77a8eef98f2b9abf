"""Export a place's directory as Open Referral HSDS 3.0: one JSON bundle or a CSV data package.

The JSON bundle is ``{"organizations": [...], "services": [...], "taxonomies": [...],
"taxonomy_terms": [...]}``: every organization and service fully nested exactly as the HSDS
API serves them (:mod:`.serialize`, original texts, no ``languages_of_text``), and every
taxonomy and term. Each item validates against its HSDS schema, and the importer reads the
bundle back. The CSV package is the same objects flattened into the HSDS tables
(:mod:`.tabular`), with the ``datapackage.json`` of HSDS 3.0 and its column order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from commonhome.core.models import Place
from commonhome.core.permissions import require

from ..models import Organization, Service, Taxonomy, TaxonomyTerm
from . import serialize, tabular


def export_bundle(actor: Any, place: Place, *, check_permission: bool = True) -> dict[str, Any]:
    """The place's directory as nested HSDS objects, by kind."""
    if check_permission:
        require(actor, "directory.staff_pages", place)
    organizations = serialize.organizations_queryset(
        Organization.objects.filter(place=place).order_by("name", "id"), None, services="none"
    )
    services = serialize.services_queryset(
        Service.objects.filter(place=place).order_by("name", "id"), None
    )
    terms = serialize.taxonomy_terms_queryset(TaxonomyTerm.objects.order_by("code", "id"), None)
    return {
        "organizations": [
            serialize.organization_full(org, None, services="none") for org in organizations
        ],
        "services": [serialize.service_full(service, None) for service in services],
        "taxonomies": [serialize.taxonomy(t) for t in Taxonomy.objects.order_by("name", "id")],
        "taxonomy_terms": [serialize.taxonomy_term(term, None) for term in terms],
    }


def export_tables(bundle: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The nested bundle as flat HSDS tables (rows by resource name)."""
    tables = tabular.tables_from_json(bundle, "export")
    return tabular.rows_by_resource(tables)


def export_path(
    actor: Any, place: Place, path: Path, *, fmt: str | None = None, **kw: Any
) -> list[Path]:
    """Write the export to ``path``: JSON when it ends in .json (or ``fmt`` says so), else CSV."""
    fmt = fmt or ("json" if path.suffix.lower() == ".json" else "csv")
    bundle = export_bundle(actor, place, **kw)
    if fmt == "json":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return [path]
    return tabular.write_csv_dir(export_tables(bundle), path)
