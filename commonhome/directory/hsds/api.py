"""Open Referral HSDS 3.0 API under /api/hsds/."""

from ninja import NinjaAPI

api = NinjaAPI(title="Open Referral HSDS", version="3.0", urls_namespace="hsds", docs_url=None)
