"""The directory's part of the platform API (/api/v1/directory/)."""

from ninja import Router

router = Router(tags=["directory"])
