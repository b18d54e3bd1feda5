import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CertificateStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CERTIFICATE_STATUS_UNSPECIFIED: _ClassVar[CertificateStatus]
    CERTIFICATE_STATUS_VALID: _ClassVar[CertificateStatus]
    CERTIFICATE_STATUS_REVOKED: _ClassVar[CertificateStatus]
    CERTIFICATE_STATUS_EXPIRED: _ClassVar[CertificateStatus]
    CERTIFICATE_STATUS_UNKNOWN: _ClassVar[CertificateStatus]
CERTIFICATE_STATUS_UNSPECIFIED: CertificateStatus
CERTIFICATE_STATUS_VALID: CertificateStatus
CERTIFICATE_STATUS_REVOKED: CertificateStatus
CERTIFICATE_STATUS_EXPIRED: CertificateStatus
CERTIFICATE_STATUS_UNKNOWN: CertificateStatus

class Certificate(_message.Message):
    __slots__ = ("serial", "attempt_id", "exam_id", "exam_title", "holder_user_id", "holder_name", "score_percent", "issued_at", "status")
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_TITLE_FIELD_NUMBER: _ClassVar[int]
    HOLDER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    SCORE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    serial: str
    attempt_id: str
    exam_id: str
    exam_title: str
    holder_user_id: str
    holder_name: str
    score_percent: float
    issued_at: _timestamp_pb2.Timestamp
    status: CertificateStatus
    def __init__(self, serial: _Optional[str] = ..., attempt_id: _Optional[str] = ..., exam_id: _Optional[str] = ..., exam_title: _Optional[str] = ..., holder_user_id: _Optional[str] = ..., holder_name: _Optional[str] = ..., score_percent: _Optional[float] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[CertificateStatus, str]] = ...) -> None: ...

class GetCertificateRequest(_message.Message):
    __slots__ = ("serial",)
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    serial: str
    def __init__(self, serial: _Optional[str] = ...) -> None: ...

class FindByAttemptRequest(_message.Message):
    __slots__ = ("attempt_id",)
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    def __init__(self, attempt_id: _Optional[str] = ...) -> None: ...

class CertificatePdf(_message.Message):
    __slots__ = ("serial", "content", "holder_user_id")
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    HOLDER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    serial: str
    content: bytes
    holder_user_id: str
    def __init__(self, serial: _Optional[str] = ..., content: _Optional[bytes] = ..., holder_user_id: _Optional[str] = ...) -> None: ...

class VerifyRequest(_message.Message):
    __slots__ = ("serial",)
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    serial: str
    def __init__(self, serial: _Optional[str] = ...) -> None: ...

class Verification(_message.Message):
    __slots__ = ("status", "serial", "holder_name", "exam_title", "issued_at", "revoked_at", "revocation_reason")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    EXAM_TITLE_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOCATION_REASON_FIELD_NUMBER: _ClassVar[int]
    status: CertificateStatus
    serial: str
    holder_name: str
    exam_title: str
    issued_at: _timestamp_pb2.Timestamp
    revoked_at: _timestamp_pb2.Timestamp
    revocation_reason: str
    def __init__(self, status: _Optional[_Union[CertificateStatus, str]] = ..., serial: _Optional[str] = ..., holder_name: _Optional[str] = ..., exam_title: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revocation_reason: _Optional[str] = ...) -> None: ...
