"""The platform's own API, ``/api/v1/``: each app contributes a router."""

from ninja import NinjaAPI

from commonhome.directory.api import router as directory_router
from commonhome.participation.api import router as participation_router

api = NinjaAPI(
    title="Common Home API",
    version="1",
    urls_namespace="api-v1",
    description="The platform's own API. The directory is also served as Open Referral HSDS 3.0 "
    "under /api/hsds/.",
)
api.add_router("/directory/", directory_router)
api.add_router("/participation/", participation_router)
