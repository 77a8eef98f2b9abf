from django.urls import path

from . import bodies_views, me_views, results_views, staff_views, trail_views, views

app_name = "participation"

P = "<slug:place_slug>/"
S = "staff/<slug:place_slug>/"

urlpatterns = [
    # Staff pages.
    path(S, staff_views.dashboard, name="staff"),
    path(S + "settings/", staff_views.settings_page, name="staff-settings"),
    path(S + "consultations/new/", staff_views.consultation_edit, name="staff-consultation-new"),
    path(
        S + "consultations/<slug:slug>/edit/",
        staff_views.consultation_edit,
        name="staff-consultation-edit",
    ),
    path(S + "contributions/", staff_views.contributions, name="staff-contributions"),
    path(S + "contributions/<uuid:pk>/", staff_views.contribution, name="staff-contribution"),
    path(S + "moderation/", staff_views.moderation, name="staff-moderation"),
    path(S + "desk/", staff_views.desk, name="staff-desk"),
    path(S + "participants/", staff_views.participants, name="staff-participants"),
    path(S + "export/<str:what>.<str:fmt>", staff_views.export, name="staff-export"),
    path(S + "results/", results_views.results, name="staff-results"),
    path(S + "results/new/", results_views.result_edit, name="staff-result-new"),
    path(S + "results/<uuid:pk>/", results_views.result_edit, name="staff-result"),
    path(S + "statuses/", results_views.statuses, name="staff-statuses"),
    path(S + "bodies/", bodies_views.staff_bodies, name="staff-bodies"),
    path(S + "bodies/new/", bodies_views.staff_body_edit, name="staff-body-new"),
    path(S + "bodies/<slug:slug>/", bodies_views.staff_body_edit, name="staff-body"),
    path(S + "meetings/new/", bodies_views.staff_meeting_edit, name="staff-meeting-new"),
    path(S + "meetings/<uuid:pk>/", bodies_views.staff_meeting_edit, name="staff-meeting"),
    # Public pages.
    path(P, views.place_home, name="home"),
    path(P + "consultations/<slug:slug>/", views.consultation, name="consultation"),
    path(P + "consultations/<slug:slug>/new/", views.contribute, name="contribute"),
    path(P + "contributions/<uuid:pk>/", views.contribution, name="contribution"),
    path(P + "contributions/<uuid:pk>/support/", views.support, name="support"),
    path(P + "contributions/<uuid:pk>/follow/", views.follow, name="follow"),
    path(P + "contributions/<uuid:pk>/comment/", views.comment, name="comment"),
    path(P + "contributions/<uuid:pk>/report/", views.report, name="report"),
    path(P + "sign-in/", views.sign_in, name="sign-in"),
    path(P + "sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path(P + "sign-out/", views.sign_out, name="sign-out"),
    path(P + "trail/", trail_views.trail, name="trail"),
    path(P + "trail.json", trail_views.trail_json, name="trail-json"),
    path(P + "results/<uuid:pk>/", trail_views.result, name="result"),
    path(P + "me/", me_views.me, name="me"),
    path(P + "me/download/", me_views.download, name="me-download"),
    path(P + "me/erase/", me_views.erase, name="me-erase"),
    path(P + "bodies/", bodies_views.bodies, name="bodies"),
    path(P + "bodies/<slug:slug>/", bodies_views.body, name="body"),
    path(P + "meetings/<uuid:pk>/", bodies_views.meeting, name="meeting"),
    path(P + "meetings/<uuid:pk>/meeting.ics", bodies_views.meeting_ics, name="meeting-ics"),
]
