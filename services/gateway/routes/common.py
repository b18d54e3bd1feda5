"""What every route module shares: the service stubs as a dependency, timestamps as RFC 3339."""
from __future__ import annotations

from datetime import UTC
from typing import Annotated

from fastapi import Depends, Request

from ..clients import Services


def services(request: Request) -> Services:
    return request.app.state.services


Svc = Annotated[Services, Depends(services)]


def iso(ts) -> str | None:
    if ts is None or (ts.seconds == 0 and ts.nanos == 0):
        return None
    return ts.ToDatetime(tzinfo=UTC).isoformat().replace("+00:00", "Z")

