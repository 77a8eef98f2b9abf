import pytest

from commonhome.core import audit
from commonhome.core.models import AuditEntry
from commonhome.directory.services import StaleVersion, update_record
from tests.factories import member


def test_every_change_is_audited_with_before_and_after(service, place):
    admin = member(place, "admin")
    update_record(admin, service, {"name": "Legal advice"}, base_version=1)
    entry = AuditEntry.objects.get(action="update")
    assert entry.actor == admin
    assert entry.before == {"name": service.name}
    assert entry.after == {"name": "Legal advice"}


def test_revert_puts_back_previous_values(service, place):
    admin = member(place, "admin")
    original = service.name
    update_record(admin, service, {"name": "Legal advice"}, base_version=1)
    entry = AuditEntry.objects.get(action="update")
    audit.revert(entry, admin)
    service.refresh_from_db()
    assert service.name == original
    assert AuditEntry.objects.filter(action="revert", reverts=entry).exists()


def test_revert_refused_when_changed_again_since(service, place):
    admin = member(place, "admin")
    update_record(admin, service, {"name": "A"}, base_version=1)
    first = AuditEntry.objects.get(action="update")
    update_record(admin, service, {"name": "B"}, base_version=2)
    with pytest.raises(audit.RevertError, match="changed again since"):
        audit.revert(first, admin)


def test_stale_version_is_refused_and_nothing_written(service, place):
    admin = member(place, "admin")
    update_record(admin, service, {"name": "First editor"}, base_version=1)
    with pytest.raises(StaleVersion, match="changed by someone else"):
        update_record(admin, service, {"name": "Second editor"}, base_version=1)
    service.refresh_from_db()
    assert service.name == "First editor"
    assert AuditEntry.objects.filter(action="update").count() == 1
