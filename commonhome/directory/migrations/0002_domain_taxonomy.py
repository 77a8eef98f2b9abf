"""The integration domains, as the terms of the directory's own HSDS taxonomy."""

import uuid

from django.db import migrations

TAXONOMY_ID = uuid.UUID("2d7f3f1e-5c1b-4f0a-9c36-1a8f0b6d0e01")
DOMAINS = [
    ("housing", "Housing", "Finding and keeping a home; emergency accommodation; tenants' rights."),
    ("health", "Health", "Registering with a doctor, mental health, maternity, health champions."),
    (
        "education",
        "Education",
        "Schools, colleges, adult learning and recognition of qualifications.",
    ),
    (
        "work",
        "Work",
        "Job search, employment support, placements and Migration Friendly Employers.",
    ),
    (
        "rights",
        "Rights and legal help",
        "Immigration advice, Know Your Rights sessions, legal aid.",
    ),
    ("language", "Language", "ESOL classes, conversation clubs and Share My Language sessions."),
    ("community", "Community", "Community hubs, diaspora associations, faith and women's groups."),
    (
        "citizenship",
        "Citizenship and residency",
        "Residence status, citizenship, voting and registration.",
    ),
    ("digital", "Digital", "Devices, data, digital skills and getting online."),
    ("emergency", "Emergency", "Urgent help: food, shelter, safety and crisis support."),
]


def term_id(code):
    return uuid.uuid5(TAXONOMY_ID, code)


def create(apps, schema_editor):
    Taxonomy = apps.get_model("directory", "Taxonomy")
    Term = apps.get_model("directory", "TaxonomyTerm")
    taxonomy, _ = Taxonomy.objects.get_or_create(
        id=TAXONOMY_ID,
        defaults={
            "name": "Common Home integration domains",
            "description": "The areas of life in which newcomers look for help.",
            "version": "1",
        },
    )
    for code, name, description in DOMAINS:
        Term.objects.get_or_create(
            id=term_id(code),
            defaults={
                "taxonomy": taxonomy,
                "code": code,
                "name": name,
                "description": description,
                "language": "en",
                "source_language": "en",
            },
        )


def drop(apps, schema_editor):
    apps.get_model("directory", "Taxonomy").objects.filter(id=TAXONOMY_ID).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
