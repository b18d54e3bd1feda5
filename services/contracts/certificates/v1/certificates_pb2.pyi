import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CertificateStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CERTIFICATE_STATUS_UNSPECIFIED: _ClassVar[CertificateStatus]
    CERTIFICATE_STATUS_VALID: _ClassVar[CertificateStatus]
    CERTIFICATE_STATUS_REVOKED: _ClassVar[CertificateStatus]
    CERTIFICATE_STATUS_EXPIRED: _ClassVar[CertificateStatus]
    CERTIFICATE_STATUS_UNKNOWN: _ClassVar[CertificateStatus]
    CERTIFICATE_STATUS_SUSPENDED: _ClassVar[CertificateStatus]
CERTIFICATE_STATUS_UNSPECIFIED: CertificateStatus
CERTIFICATE_STATUS_VALID: CertificateStatus
CERTIFICATE_STATUS_REVOKED: CertificateStatus
CERTIFICATE_STATUS_EXPIRED: CertificateStatus
CERTIFICATE_STATUS_UNKNOWN: CertificateStatus
CERTIFICATE_STATUS_SUSPENDED: CertificateStatus

class CompetenceResult(_message.Message):
    __slots__ = ("competence", "area", "percent")
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    AREA_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    competence: str
    area: str
    percent: float
    def __init__(self, competence: _Optional[str] = ..., area: _Optional[str] = ..., percent: _Optional[float] = ...) -> None: ...

class Certificate(_message.Message):
    __slots__ = ("serial", "attempt_id", "exam_id", "exam_title", "holder_user_id", "holder_name", "score_percent", "issued_at", "status", "expires_at", "key_id", "language", "competences", "revoked_at", "revocation_reason", "replaces_serial", "replaced_by_serial")
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_TITLE_FIELD_NUMBER: _ClassVar[int]
    HOLDER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    SCORE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    COMPETENCES_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOCATION_REASON_FIELD_NUMBER: _ClassVar[int]
    REPLACES_SERIAL_FIELD_NUMBER: _ClassVar[int]
    REPLACED_BY_SERIAL_FIELD_NUMBER: _ClassVar[int]
    serial: str
    attempt_id: str
    exam_id: str
    exam_title: str
    holder_user_id: str
    holder_name: str
    score_percent: float
    issued_at: _timestamp_pb2.Timestamp
    status: CertificateStatus
    expires_at: _timestamp_pb2.Timestamp
    key_id: str
    language: str
    competences: _containers.RepeatedCompositeFieldContainer[CompetenceResult]
    revoked_at: _timestamp_pb2.Timestamp
    revocation_reason: str
    replaces_serial: str
    replaced_by_serial: str
    def __init__(self, serial: _Optional[str] = ..., attempt_id: _Optional[str] = ..., exam_id: _Optional[str] = ..., exam_title: _Optional[str] = ..., holder_user_id: _Optional[str] = ..., holder_name: _Optional[str] = ..., score_percent: _Optional[float] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[CertificateStatus, str]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., key_id: _Optional[str] = ..., language: _Optional[str] = ..., competences: _Optional[_Iterable[_Union[CompetenceResult, _Mapping]]] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revocation_reason: _Optional[str] = ..., replaces_serial: _Optional[str] = ..., replaced_by_serial: _Optional[str] = ...) -> None: ...

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

class Verifier(_message.Message):
    __slots__ = ("method", "user_id", "client_address")
    METHOD_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    method: str
    user_id: str
    client_address: str
    def __init__(self, method: _Optional[str] = ..., user_id: _Optional[str] = ..., client_address: _Optional[str] = ...) -> None: ...

class VerifyRequest(_message.Message):
    __slots__ = ("serial", "verifier", "key_id", "signature")
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    VERIFIER_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    serial: str
    verifier: Verifier
    key_id: str
    signature: str
    def __init__(self, serial: _Optional[str] = ..., verifier: _Optional[_Union[Verifier, _Mapping]] = ..., key_id: _Optional[str] = ..., signature: _Optional[str] = ...) -> None: ...

class Verification(_message.Message):
    __slots__ = ("status", "serial", "holder_name", "exam_title", "issued_at", "revoked_at", "revocation_reason", "expires_at", "suspended_at", "signature_checked", "signature_valid", "replaced_by_serial")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    EXAM_TITLE_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOCATION_REASON_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    SUSPENDED_AT_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_CHECKED_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_VALID_FIELD_NUMBER: _ClassVar[int]
    REPLACED_BY_SERIAL_FIELD_NUMBER: _ClassVar[int]
    status: CertificateStatus
    serial: str
    holder_name: str
    exam_title: str
    issued_at: _timestamp_pb2.Timestamp
    revoked_at: _timestamp_pb2.Timestamp
    revocation_reason: str
    expires_at: _timestamp_pb2.Timestamp
    suspended_at: _timestamp_pb2.Timestamp
    signature_checked: bool
    signature_valid: bool
    replaced_by_serial: str
    def __init__(self, status: _Optional[_Union[CertificateStatus, str]] = ..., serial: _Optional[str] = ..., holder_name: _Optional[str] = ..., exam_title: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revocation_reason: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., suspended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., signature_checked: _Optional[bool] = ..., signature_valid: _Optional[bool] = ..., replaced_by_serial: _Optional[str] = ...) -> None: ...

class ListByHolderRequest(_message.Message):
    __slots__ = ("holder_user_id",)
    HOLDER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    holder_user_id: str
    def __init__(self, holder_user_id: _Optional[str] = ...) -> None: ...

class CertificateList(_message.Message):
    __slots__ = ("certificates",)
    CERTIFICATES_FIELD_NUMBER: _ClassVar[int]
    certificates: _containers.RepeatedCompositeFieldContainer[Certificate]
    def __init__(self, certificates: _Optional[_Iterable[_Union[Certificate, _Mapping]]] = ...) -> None: ...

class VerifyPdfRequest(_message.Message):
    __slots__ = ("content", "verifier")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    VERIFIER_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    verifier: Verifier
    def __init__(self, content: _Optional[bytes] = ..., verifier: _Optional[_Union[Verifier, _Mapping]] = ...) -> None: ...

class PdfVerification(_message.Message):
    __slots__ = ("document", "verification", "problems")
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    document: str
    verification: Verification
    problems: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, document: _Optional[str] = ..., verification: _Optional[_Union[Verification, _Mapping]] = ..., problems: _Optional[_Iterable[str]] = ...) -> None: ...

class BulkEntry(_message.Message):
    __slots__ = ("serial", "surname")
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    SURNAME_FIELD_NUMBER: _ClassVar[int]
    serial: str
    surname: str
    def __init__(self, serial: _Optional[str] = ..., surname: _Optional[str] = ...) -> None: ...

class VerifyBulkRequest(_message.Message):
    __slots__ = ("entries", "verifier")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    VERIFIER_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[BulkEntry]
    verifier: Verifier
    def __init__(self, entries: _Optional[_Iterable[_Union[BulkEntry, _Mapping]]] = ..., verifier: _Optional[_Union[Verifier, _Mapping]] = ...) -> None: ...

class BulkResult(_message.Message):
    __slots__ = ("input", "verification", "error", "surname_match")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    SURNAME_MATCH_FIELD_NUMBER: _ClassVar[int]
    input: str
    verification: Verification
    error: str
    surname_match: str
    def __init__(self, input: _Optional[str] = ..., verification: _Optional[_Union[Verification, _Mapping]] = ..., error: _Optional[str] = ..., surname_match: _Optional[str] = ...) -> None: ...

class BulkVerification(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[BulkResult]
    def __init__(self, results: _Optional[_Iterable[_Union[BulkResult, _Mapping]]] = ...) -> None: ...

class ChangeStatusRequest(_message.Message):
    __slots__ = ("serial", "reason", "admin_user_id")
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ADMIN_USER_ID_FIELD_NUMBER: _ClassVar[int]
    serial: str
    reason: str
    admin_user_id: str
    def __init__(self, serial: _Optional[str] = ..., reason: _Optional[str] = ..., admin_user_id: _Optional[str] = ...) -> None: ...

class ReissueRequest(_message.Message):
    __slots__ = ("serial", "holder_name", "reason", "admin_user_id")
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ADMIN_USER_ID_FIELD_NUMBER: _ClassVar[int]
    serial: str
    holder_name: str
    reason: str
    admin_user_id: str
    def __init__(self, serial: _Optional[str] = ..., holder_name: _Optional[str] = ..., reason: _Optional[str] = ..., admin_user_id: _Optional[str] = ...) -> None: ...

class ListPublicKeysRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PublicKey(_message.Message):
    __slots__ = ("key_id", "algorithm", "public_key", "created_at", "current")
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CURRENT_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    algorithm: str
    public_key: str
    created_at: _timestamp_pb2.Timestamp
    current: bool
    def __init__(self, key_id: _Optional[str] = ..., algorithm: _Optional[str] = ..., public_key: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., current: _Optional[bool] = ...) -> None: ...

class PublicKeys(_message.Message):
    __slots__ = ("keys",)
    KEYS_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedCompositeFieldContainer[PublicKey]
    def __init__(self, keys: _Optional[_Iterable[_Union[PublicKey, _Mapping]]] = ...) -> None: ...

class Badge(_message.Message):
    __slots__ = ("serial", "json")
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    JSON_FIELD_NUMBER: _ClassVar[int]
    serial: str
    json: str
    def __init__(self, serial: _Optional[str] = ..., json: _Optional[str] = ...) -> None: ...

class StatusListRequest(_message.Message):
    __slots__ = ("purpose", "list")
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    LIST_FIELD_NUMBER: _ClassVar[int]
    purpose: str
    list: int
    def __init__(self, purpose: _Optional[str] = ..., list: _Optional[int] = ...) -> None: ...

class DidDocumentRequest(_message.Message):
    __slots__ = ("path",)
    PATH_FIELD_NUMBER: _ClassVar[int]
    path: str
    def __init__(self, path: _Optional[str] = ...) -> None: ...

class AchievementRequest(_message.Message):
    __slots__ = ("exam_id",)
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    def __init__(self, exam_id: _Optional[str] = ...) -> None: ...

class LinkedDocument(_message.Message):
    __slots__ = ("json",)
    JSON_FIELD_NUMBER: _ClassVar[int]
    json: str
    def __init__(self, json: _Optional[str] = ...) -> None: ...

class ListVerificationsRequest(_message.Message):
    __slots__ = ("serial", "limit", "cursor", "method", "since", "until")
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    serial: str
    limit: int
    cursor: str
    method: str
    since: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    def __init__(self, serial: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ..., method: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class VerificationRecord(_message.Message):
    __slots__ = ("at", "method", "user_id", "client_address", "status")
    AT_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    at: _timestamp_pb2.Timestamp
    method: str
    user_id: str
    client_address: str
    status: CertificateStatus
    def __init__(self, at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., method: _Optional[str] = ..., user_id: _Optional[str] = ..., client_address: _Optional[str] = ..., status: _Optional[_Union[CertificateStatus, str]] = ...) -> None: ...

class VerificationLog(_message.Message):
    __slots__ = ("records", "next_cursor", "counts", "total")
    class CountsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[VerificationRecord]
    next_cursor: str
    counts: _containers.ScalarMap[str, int]
    total: int
    def __init__(self, records: _Optional[_Iterable[_Union[VerificationRecord, _Mapping]]] = ..., next_cursor: _Optional[str] = ..., counts: _Optional[_Mapping[str, int]] = ..., total: _Optional[int] = ...) -> None: ...
