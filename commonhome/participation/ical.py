"""iCalendar (RFC 5545) for meetings, so people put a council's meeting in their own calendar.

One event is a handful of lines; writing them directly keeps the escaping and folding rules in
view, where a library would be a dependency for twenty lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PRODUCT = "-//Common Home//Participation//EN"


@dataclass(frozen=True)
class Event:
    uid: str
    starts: dt.datetime
    ends: dt.datetime | None
    title: str
    description: str = ""
    location: str = ""
    url: str = ""


def escape(text: str) -> str:
    """Text as a property value: backslash, semicolon and comma escaped, newlines as ``\\n``."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1),
    never splitting a UTF-8 character."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: list[Event], now: dt.datetime) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN"]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(event.starts)}",
        ]
        if event.ends is not None:
            lines.append(f"DTEND:{_utc(event.ends)}")
        lines.append(f"SUMMARY:{escape(event.title)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.location:
            lines.append(f"LOCATION:{escape(event.location)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
