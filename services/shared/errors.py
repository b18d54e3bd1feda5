"""The one error model: a stable code and a clear message, carried as gRPC status + ErrorInfo details.

Services raise DomainError; the gRPC runtime turns it into a status with a google.rpc.ErrorInfo whose
`reason` is the stable code; the gateway turns that into application/problem+json with the same code.
"""
from __future__ import annotations

import uuid

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2

ERROR_DOMAIN = "gramota"
STATUS_DETAILS_KEY = "grpc-status-details-bin"


class DomainError(Exception):
    status = grpc.StatusCode.FAILED_PRECONDITION

    def __init__(self, code: str, message: str, **metadata: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.metadata = {k: str(v) for k, v in metadata.items()}

    def to_status_details(self) -> bytes:
        info = error_details_pb2.ErrorInfo(reason=self.code, domain=ERROR_DOMAIN, metadata=self.metadata)
        detail = any_pb2.Any()
        detail.Pack(info)
        return status_pb2.Status(code=self.status.value[0], message=self.message, details=[detail]).SerializeToString()


class InvalidArgument(DomainError):
    status = grpc.StatusCode.INVALID_ARGUMENT


class NotFound(DomainError):
    status = grpc.StatusCode.NOT_FOUND


class Conflict(DomainError):
    status = grpc.StatusCode.FAILED_PRECONDITION


class AlreadyExists(DomainError):
    status = grpc.StatusCode.ALREADY_EXISTS


class PermissionDenied(DomainError):
    status = grpc.StatusCode.PERMISSION_DENIED


class Unauthenticated(DomainError):
    status = grpc.StatusCode.UNAUTHENTICATED


def error_info_of(trailing_metadata: object) -> tuple[str | None, str | None]:
    """(code, message) from a failed call's trailing metadata, when a Gramota service sent them."""
    for key, value in trailing_metadata or ():  # type: ignore[union-attr]
        if key == STATUS_DETAILS_KEY:
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                info = error_details_pb2.ErrorInfo()
                if detail.Unpack(info):
                    return info.reason, status.message
            return None, status.message
    return None, None


def parse_uuid(value: str, field: str) -> uuid.UUID:
    """A UUID from a request field, or INVALID_ARGUMENT naming the field."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise InvalidArgument("invalid_id", f"{field} must be a UUID, got {value!r}", field=field) from None


def parse_uuid_or_not_found(value: str, what: str) -> uuid.UUID:
    """For ids in a path: a malformed id is simply an unknown one (no hint about the id format)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(f"{what}_not_found", f"{what.replace('_', ' ')} {value!r} does not exist") from None


def error_metadata_of(trailing_metadata: object) -> dict[str, str]:
    """The ErrorInfo metadata of a failed call (e.g. `next_start_at` of a cooldown), empty when none was sent."""
    for key, value in trailing_metadata or ():  # type: ignore[union-attr]
        if key == STATUS_DETAILS_KEY:
            for detail in status_pb2.Status.FromString(value).details:
                info = error_details_pb2.ErrorInfo()
                if detail.Unpack(info):
                    return dict(info.metadata)
    return {}
