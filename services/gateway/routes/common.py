"""What every route module shares: the service stubs as a dependency, timestamps as RFC 3339, protobuf
messages as JSON."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from google.protobuf import json_format, message

from ..clients import Services

# the largest values the contracts' integer fields hold: a bigger number is a 422, not a protobuf ValueError (500)
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1


async def services(request: Request) -> Services:
    # async: a plain function dependency would be run on the thread pool for every request
    return request.app.state.services


Svc = Annotated[Services, Depends(services)]


def iso(ts) -> str | None:
    if ts is None or (ts.seconds == 0 and ts.nanos == 0):
        return None
    return ts.ToDatetime(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def rfc3339(dt: datetime | None) -> str | None:
    return dt.isoformat().replace("+00:00", "Z") if dt else None


def proto_json(msg: message.Message) -> dict[str, Any]:
    """A message as JSON, every field present (zeros and empty lists too), field names as in the .proto."""
    return json_format.MessageToDict(msg, always_print_fields_with_no_presence=True, preserving_proto_field_name=True,
                                     unquote_int64_if_possible=True)
