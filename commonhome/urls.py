from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from commonhome.api import api as v1_api
from commonhome.directory.hsds.api import api as hsds_api

urlpatterns = [
    path("api/hsds/", hsds_api.urls),
    path("api/v1/", v1_api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("commonhome.core.urls")),
    path("participate/", include("commonhome.participation.urls")),
    path("match/", include("commonhome.matching.urls")),
    path("", include("commonhome.directory.urls")),
    prefix_default_language=True,
)
