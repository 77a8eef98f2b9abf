"""Django admin for matching: for operators to look, never to decide.

Every change of a profile, proposal or pair goes through the services, which check who may do
it, keep the lifecycle consistent and write the audit log; here everything is read-only. The
lists show no contact details: those are for the matched partner and the coordinators.
"""

from __future__ import annotations

from django.contrib import admin

from commonhome.core.admin import ReadOnlyAdmin

from . import models as m


@admin.register(m.Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["name", "place", "kind", "is_open", "max_capacity", "proposal_expiry_days"]
    list_filter = ["place", "kind", "is_open"]
    search_fields = ["name", "slug"]


@admin.register(m.Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ["display_name", "programme", "side", "status", "capacity", "waiting_since"]
    list_filter = ["place", "side", "status"]
    raw_id_fields = ["programme"]
    exclude = ["token_hash"]


@admin.register(m.Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "programme", "status", "score", "forced", "proposed_at"]
    list_filter = ["place", "status", "forced"]
    raw_id_fields = ["seeker", "offerer", "programme", "run"]


@admin.register(m.PairRule)
class PairRuleAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "programme", "kind", "by", "at"]
    list_filter = ["place", "kind"]
    raw_id_fields = ["seeker", "offerer", "programme"]


@admin.register(m.MatchRun)
class MatchRunAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "programme", "method", "started_at", "finished_at"]
    list_filter = ["place", "method"]


@admin.register(m.Employer)
class EmployerAdmin(ReadOnlyAdmin):
    list_display = ["name", "place", "organization", "pledged_at"]
    list_filter = ["place"]
    exclude = ["token_hash"]


@admin.register(m.Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["title", "employer", "programme", "places", "is_open"]
    list_filter = ["is_open"]
    raw_id_fields = ["profile", "employer", "programme"]


@admin.register(m.SkillsAudit)
class SkillsAuditAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "updated_at"]
    raw_id_fields = ["profile"]


@admin.register(m.CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "side", "rating", "at"]
    raw_id_fields = ["proposal"]


@admin.register(m.Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "side", "rating", "at"]
    raw_id_fields = ["proposal"]
