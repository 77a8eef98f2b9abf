"""Django admin for participation: for operators to look, not to decide.

Answers, publishing, moderation, phases and resident checks go through the staff pages, whose
service functions check permission, validate and write the audit log; here the records are
read-only, except the few catalogues an operator may need to repair (settings, statuses), whose
changes are audited like the directory's.
"""

from __future__ import annotations

from django.contrib import admin

from commonhome.core.admin import AuditedAdmin, ReadOnlyAdmin

from . import models as p


@admin.register(p.ParticipationSettings)
class ParticipationSettingsAdmin(AuditedAdmin):
    list_display = ["place", "contribute_level", "support_level", "comment_level"]
    readonly_fields = ["version"]


@admin.register(p.Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["title", "place", "phase", "answer_by", "is_published"]
    list_filter = ["place", "phase", "is_published"]
    search_fields = ["title", "slug"]


@admin.register(p.Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    """No e-mail or desk contact in the list; the detail page is for operators only."""

    list_display = ["__str__", "place", "created_at", "desk_assisted"]
    list_filter = ["place", "desk_assisted"]


@admin.register(p.Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ["title", "place", "kind", "channel", "visibility", "public_state", "created_at"]
    list_filter = ["place", "kind", "channel", "visibility", "public_state_group"]
    search_fields = ["title"]
    raw_id_fields = ["consultation", "participant", "meeting"]


@admin.register(p.Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["contribution", "state", "state_group", "answered_at", "published_at"]
    list_filter = ["state_group"]


@admin.register(p.CustomAnswerState)
class CustomAnswerStateAdmin(ReadOnlyAdmin):
    list_display = ["key", "name", "counts_as", "place"]
    list_filter = ["place"]


@admin.register(p.Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "official", "visibility", "report_count", "created_at"]
    list_filter = ["visibility", "official"]


@admin.register(p.Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "place", "reason", "created_at", "resolved_at"]
    list_filter = ["place", "reason"]


@admin.register(p.Support)
class SupportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "created_at"]


@admin.register(p.Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "created_at"]


@admin.register(p.EmailCode)
class EmailCodeAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "created_at", "expires_at", "used_at"]


@admin.register(p.ResultStatus)
class ResultStatusAdmin(AuditedAdmin):
    list_display = ["key", "name", "progress", "position", "place"]
    list_filter = ["place"]
    readonly_fields = ["version", "content_version"]


@admin.register(p.Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["title", "place", "status", "progress", "is_published"]
    list_filter = ["place", "is_published"]
    search_fields = ["title"]


@admin.register(p.Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["title", "result", "date"]


@admin.register(p.Body)
class BodyAdmin(ReadOnlyAdmin):
    list_display = ["name", "place", "is_public"]
    list_filter = ["place", "is_public"]


@admin.register(p.BodyMember)
class BodyMemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "body", "position", "term_start", "term_end"]


@admin.register(p.Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "place", "body", "starts_at", "mode", "is_public"]
    list_filter = ["place", "mode"]


@admin.register(p.Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["kind", "place", "created_at", "read_at", "emailed_at"]
    list_filter = ["place", "kind"]
