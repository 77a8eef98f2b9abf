from django.urls import path

from . import staff_views, views

app_name = "matching"

P = "<slug:place_slug>/"
S = "staff/<slug:place_slug>/"
PROG = "<slug:programme_slug>/"

urlpatterns = [
    # Coordinators.
    path(S, staff_views.dashboard, name="staff"),
    path(S + "programmes/new/", staff_views.programme_edit, name="staff-programme-new"),
    path(S + PROG + "edit/", staff_views.programme_edit, name="staff-programme-edit"),
    path(S + PROG, staff_views.programme, name="staff-programme"),
    path(S + PROG + "export.csv", staff_views.export, name="staff-export"),
    path(S + PROG + "people/<uuid:pk>/", staff_views.profile, name="staff-profile"),
    path(S + PROG + "proposals/<uuid:pk>/", staff_views.proposal, name="staff-proposal"),
    # People taking part: their own pages are reached through the private link they get.
    path(P, views.home, name="home"),
    path(P + "employers/join/", views.employer_sign_up, name="employer-sign-up"),
    path(P + "employers/<str:token>/", views.employer, name="employer"),
    path(P + PROG, views.programme, name="programme"),
    path(P + PROG + "join/<str:side>/", views.sign_up, name="sign-up"),
    path(P + PROG + "link/", views.lost_link, name="link"),
    path(P + PROG + "me/<str:token>/", views.person, name="person"),
    path(P + PROG + "me/<str:token>/edit/", views.edit, name="edit"),
    path(P + PROG + "me/<str:token>/skills/", views.skills, name="skills"),
]
