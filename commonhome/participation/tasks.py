"""Background work of participation: notification e-mails.

Tasks take plain, JSON-able arguments (ids), since a worker may run them in another process.
"""

from __future__ import annotations

from commonhome.core.tasks import task


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification to its participant; False when it was not (or not again) sent."""
    from .notifications import send_email

    return send_email(notification_id)
