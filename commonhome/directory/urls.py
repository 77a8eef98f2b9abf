from django.urls import path

from . import contrib_views, staff_views, views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", staff_views.home, name="staff-home"),
    path("staff/<slug:place_slug>/review/", staff_views.review_queue, name="staff-review"),
    path(
        "staff/<slug:place_slug>/review/<uuid:pk>/",
        staff_views.review_detail,
        name="staff-review-detail",
    ),
    path(
        "staff/<slug:place_slug>/translations/",
        staff_views.translations,
        name="staff-translations",
    ),
    path(
        "staff/<slug:place_slug>/freshness/",
        staff_views.freshness_overview,
        name="staff-freshness",
    ),
    path("staff/<slug:place_slug>/audit/", staff_views.audit_log, name="staff-audit"),
    path(
        "staff/<slug:place_slug>/services/<uuid:pk>/edit/",
        staff_views.edit_service,
        name="staff-service-edit",
    ),
    path(
        "staff/<slug:place_slug>/organisations/<uuid:pk>/edit/",
        staff_views.edit_organisation,
        name="staff-organisation-edit",
    ),
    path(
        "<slug:place_slug>/services/<uuid:pk>/suggest/",
        contrib_views.suggest_service,
        name="suggest",
    ),
    path(
        "<slug:place_slug>/organisations/<uuid:pk>/suggest/",
        contrib_views.suggest_organisation,
        name="suggest-organisation",
    ),
    path("<slug:place_slug>/suggest/thanks/", contrib_views.thanks, name="suggest-thanks"),
    path("<slug:place_slug>/", views.place_search, name="place"),
    path("<slug:place_slug>/services/<uuid:pk>/", views.service_detail, name="service"),
    path(
        "<slug:place_slug>/services/<uuid:pk>/print/",
        views.service_print,
        name="service-print",
    ),
    path(
        "<slug:place_slug>/organisations/<uuid:pk>/",
        views.organisation_detail,
        name="organisation",
    ),
]
