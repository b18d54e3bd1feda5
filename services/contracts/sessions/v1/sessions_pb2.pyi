import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from gramota.contracts.events.v1 import events_pb2 as _events_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AttemptStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ATTEMPT_STATUS_UNSPECIFIED: _ClassVar[AttemptStatus]
    ATTEMPT_STATUS_IN_PROGRESS: _ClassVar[AttemptStatus]
    ATTEMPT_STATUS_SUBMITTED: _ClassVar[AttemptStatus]
ATTEMPT_STATUS_UNSPECIFIED: AttemptStatus
ATTEMPT_STATUS_IN_PROGRESS: AttemptStatus
ATTEMPT_STATUS_SUBMITTED: AttemptStatus

class Option(_message.Message):
    __slots__ = ("id", "text")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    id: str
    text: str
    def __init__(self, id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class Question(_message.Message):
    __slots__ = ("id", "item_version", "type", "text", "options", "targets")
    ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_VERSION_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    id: str
    item_version: int
    type: str
    text: str
    options: _containers.RepeatedCompositeFieldContainer[Option]
    targets: _containers.RepeatedCompositeFieldContainer[Option]
    def __init__(self, id: _Optional[str] = ..., item_version: _Optional[int] = ..., type: _Optional[str] = ..., text: _Optional[str] = ..., options: _Optional[_Iterable[_Union[Option, _Mapping]]] = ..., targets: _Optional[_Iterable[_Union[Option, _Mapping]]] = ...) -> None: ...

class SavedAnswer(_message.Message):
    __slots__ = ("question_id", "option_ids", "saved_at", "pairs", "text", "number", "client_seq")
    class PairsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    QUESTION_ID_FIELD_NUMBER: _ClassVar[int]
    OPTION_IDS_FIELD_NUMBER: _ClassVar[int]
    SAVED_AT_FIELD_NUMBER: _ClassVar[int]
    PAIRS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    CLIENT_SEQ_FIELD_NUMBER: _ClassVar[int]
    question_id: str
    option_ids: _containers.RepeatedScalarFieldContainer[str]
    saved_at: _timestamp_pb2.Timestamp
    pairs: _containers.ScalarMap[str, str]
    text: str
    number: float
    client_seq: int
    def __init__(self, question_id: _Optional[str] = ..., option_ids: _Optional[_Iterable[str]] = ..., saved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., pairs: _Optional[_Mapping[str, str]] = ..., text: _Optional[str] = ..., number: _Optional[float] = ..., client_seq: _Optional[int] = ...) -> None: ...

class Attempt(_message.Message):
    __slots__ = ("id", "exam_id", "exam_title", "candidate_id", "status", "started_at", "deadline", "submitted_at", "questions", "answers", "auto_submitted", "navigation", "attempt_number", "extra_seconds", "server_time", "flagged_question_ids")
    ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_TITLE_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    QUESTIONS_FIELD_NUMBER: _ClassVar[int]
    ANSWERS_FIELD_NUMBER: _ClassVar[int]
    AUTO_SUBMITTED_FIELD_NUMBER: _ClassVar[int]
    NAVIGATION_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    EXTRA_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SERVER_TIME_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_QUESTION_IDS_FIELD_NUMBER: _ClassVar[int]
    id: str
    exam_id: str
    exam_title: str
    candidate_id: str
    status: AttemptStatus
    started_at: _timestamp_pb2.Timestamp
    deadline: _timestamp_pb2.Timestamp
    submitted_at: _timestamp_pb2.Timestamp
    questions: _containers.RepeatedCompositeFieldContainer[Question]
    answers: _containers.RepeatedCompositeFieldContainer[SavedAnswer]
    auto_submitted: bool
    navigation: str
    attempt_number: int
    extra_seconds: int
    server_time: _timestamp_pb2.Timestamp
    flagged_question_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., exam_id: _Optional[str] = ..., exam_title: _Optional[str] = ..., candidate_id: _Optional[str] = ..., status: _Optional[_Union[AttemptStatus, str]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., questions: _Optional[_Iterable[_Union[Question, _Mapping]]] = ..., answers: _Optional[_Iterable[_Union[SavedAnswer, _Mapping]]] = ..., auto_submitted: _Optional[bool] = ..., navigation: _Optional[str] = ..., attempt_number: _Optional[int] = ..., extra_seconds: _Optional[int] = ..., server_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., flagged_question_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class StartAttemptRequest(_message.Message):
    __slots__ = ("exam_id", "candidate")
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    candidate: _events_pb2.Candidate
    def __init__(self, exam_id: _Optional[str] = ..., candidate: _Optional[_Union[_events_pb2.Candidate, _Mapping]] = ...) -> None: ...

class GetAttemptRequest(_message.Message):
    __slots__ = ("attempt_id", "candidate_id")
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    candidate_id: str
    def __init__(self, attempt_id: _Optional[str] = ..., candidate_id: _Optional[str] = ...) -> None: ...

class SaveAnswerRequest(_message.Message):
    __slots__ = ("attempt_id", "candidate_id", "question_id", "option_ids", "pairs", "text", "number", "client_seq")
    class PairsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    QUESTION_ID_FIELD_NUMBER: _ClassVar[int]
    OPTION_IDS_FIELD_NUMBER: _ClassVar[int]
    PAIRS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    CLIENT_SEQ_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    candidate_id: str
    question_id: str
    option_ids: _containers.RepeatedScalarFieldContainer[str]
    pairs: _containers.ScalarMap[str, str]
    text: str
    number: float
    client_seq: int
    def __init__(self, attempt_id: _Optional[str] = ..., candidate_id: _Optional[str] = ..., question_id: _Optional[str] = ..., option_ids: _Optional[_Iterable[str]] = ..., pairs: _Optional[_Mapping[str, str]] = ..., text: _Optional[str] = ..., number: _Optional[float] = ..., client_seq: _Optional[int] = ...) -> None: ...

class SaveAnswerResponse(_message.Message):
    __slots__ = ("saved_at", "applied", "stored")
    SAVED_AT_FIELD_NUMBER: _ClassVar[int]
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    STORED_FIELD_NUMBER: _ClassVar[int]
    saved_at: _timestamp_pb2.Timestamp
    applied: bool
    stored: SavedAnswer
    def __init__(self, saved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., applied: _Optional[bool] = ..., stored: _Optional[_Union[SavedAnswer, _Mapping]] = ...) -> None: ...

class SaveAnswersRequest(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[SaveAnswerItem]
    def __init__(self, items: _Optional[_Iterable[_Union[SaveAnswerItem, _Mapping]]] = ...) -> None: ...

class SaveAnswerItem(_message.Message):
    __slots__ = ("save", "identity", "correlation_id")
    SAVE_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    CORRELATION_ID_FIELD_NUMBER: _ClassVar[int]
    save: SaveAnswerRequest
    identity: str
    correlation_id: str
    def __init__(self, save: _Optional[_Union[SaveAnswerRequest, _Mapping]] = ..., identity: _Optional[str] = ..., correlation_id: _Optional[str] = ...) -> None: ...

class SaveAnswersResponse(_message.Message):
    __slots__ = ("outcomes",)
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    outcomes: _containers.RepeatedCompositeFieldContainer[SaveAnswerOutcome]
    def __init__(self, outcomes: _Optional[_Iterable[_Union[SaveAnswerOutcome, _Mapping]]] = ...) -> None: ...

class SaveAnswerOutcome(_message.Message):
    __slots__ = ("saved", "error")
    SAVED_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    saved: SaveAnswerResponse
    error: bytes
    def __init__(self, saved: _Optional[_Union[SaveAnswerResponse, _Mapping]] = ..., error: _Optional[bytes] = ...) -> None: ...

class SetFlagRequest(_message.Message):
    __slots__ = ("attempt_id", "candidate_id", "question_id", "flagged")
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    QUESTION_ID_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    candidate_id: str
    question_id: str
    flagged: bool
    def __init__(self, attempt_id: _Optional[str] = ..., candidate_id: _Optional[str] = ..., question_id: _Optional[str] = ..., flagged: _Optional[bool] = ...) -> None: ...

class SetFlagResponse(_message.Message):
    __slots__ = ("flagged_question_ids",)
    FLAGGED_QUESTION_IDS_FIELD_NUMBER: _ClassVar[int]
    flagged_question_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, flagged_question_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SubmitAttemptRequest(_message.Message):
    __slots__ = ("attempt_id", "candidate_id")
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    candidate_id: str
    def __init__(self, attempt_id: _Optional[str] = ..., candidate_id: _Optional[str] = ...) -> None: ...

class SetAccommodationRequest(_message.Message):
    __slots__ = ("user_id", "extra_percent", "extra_minutes", "set_by", "note")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    EXTRA_PERCENT_FIELD_NUMBER: _ClassVar[int]
    EXTRA_MINUTES_FIELD_NUMBER: _ClassVar[int]
    SET_BY_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    extra_percent: int
    extra_minutes: int
    set_by: str
    note: str
    def __init__(self, user_id: _Optional[str] = ..., extra_percent: _Optional[int] = ..., extra_minutes: _Optional[int] = ..., set_by: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class Accommodation(_message.Message):
    __slots__ = ("user_id", "extra_percent", "extra_minutes", "updated_at", "set_by")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    EXTRA_PERCENT_FIELD_NUMBER: _ClassVar[int]
    EXTRA_MINUTES_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    SET_BY_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    extra_percent: int
    extra_minutes: int
    updated_at: _timestamp_pb2.Timestamp
    set_by: str
    def __init__(self, user_id: _Optional[str] = ..., extra_percent: _Optional[int] = ..., extra_minutes: _Optional[int] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., set_by: _Optional[str] = ...) -> None: ...

class ExtendAttemptRequest(_message.Message):
    __slots__ = ("attempt_id", "minutes", "extended_by", "reason")
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    MINUTES_FIELD_NUMBER: _ClassVar[int]
    EXTENDED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    minutes: int
    extended_by: str
    reason: str
    def __init__(self, attempt_id: _Optional[str] = ..., minutes: _Optional[int] = ..., extended_by: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RecordEventRequest(_message.Message):
    __slots__ = ("attempt_id", "candidate_id", "kind")
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    candidate_id: str
    kind: str
    def __init__(self, attempt_id: _Optional[str] = ..., candidate_id: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class RecordEventResponse(_message.Message):
    __slots__ = ("at",)
    AT_FIELD_NUMBER: _ClassVar[int]
    at: _timestamp_pb2.Timestamp
    def __init__(self, at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetAuditRequest(_message.Message):
    __slots__ = ("attempt_id",)
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    def __init__(self, attempt_id: _Optional[str] = ...) -> None: ...

class AuditEntry(_message.Message):
    __slots__ = ("kind", "at", "detail_json")
    KIND_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_JSON_FIELD_NUMBER: _ClassVar[int]
    kind: str
    at: _timestamp_pb2.Timestamp
    detail_json: str
    def __init__(self, kind: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., detail_json: _Optional[str] = ...) -> None: ...

class AuditTrail(_message.Message):
    __slots__ = ("attempt_id", "entries")
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    entries: _containers.RepeatedCompositeFieldContainer[AuditEntry]
    def __init__(self, attempt_id: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[AuditEntry, _Mapping]]] = ...) -> None: ...

class ListCandidateExamsRequest(_message.Message):
    __slots__ = ("candidate_id",)
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    candidate_id: str
    def __init__(self, candidate_id: _Optional[str] = ...) -> None: ...

class CandidateExam(_message.Message):
    __slots__ = ("exam_id", "title", "time_limit_seconds", "question_count", "attempts_allowed", "attempts_used", "attempts_left", "open_attempt_id", "next_start_at", "opens_at", "closes_at", "availability", "last_attempt_id")
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    QUESTION_COUNT_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_USED_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_LEFT_FIELD_NUMBER: _ClassVar[int]
    OPEN_ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    NEXT_START_AT_FIELD_NUMBER: _ClassVar[int]
    OPENS_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSES_AT_FIELD_NUMBER: _ClassVar[int]
    AVAILABILITY_FIELD_NUMBER: _ClassVar[int]
    LAST_ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    title: str
    time_limit_seconds: int
    question_count: int
    attempts_allowed: int
    attempts_used: int
    attempts_left: int
    open_attempt_id: str
    next_start_at: _timestamp_pb2.Timestamp
    opens_at: _timestamp_pb2.Timestamp
    closes_at: _timestamp_pb2.Timestamp
    availability: str
    last_attempt_id: str
    def __init__(self, exam_id: _Optional[str] = ..., title: _Optional[str] = ..., time_limit_seconds: _Optional[int] = ..., question_count: _Optional[int] = ..., attempts_allowed: _Optional[int] = ..., attempts_used: _Optional[int] = ..., attempts_left: _Optional[int] = ..., open_attempt_id: _Optional[str] = ..., next_start_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., opens_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closes_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., availability: _Optional[str] = ..., last_attempt_id: _Optional[str] = ...) -> None: ...

class ListCandidateExamsResponse(_message.Message):
    __slots__ = ("exams",)
    EXAMS_FIELD_NUMBER: _ClassVar[int]
    exams: _containers.RepeatedCompositeFieldContainer[CandidateExam]
    def __init__(self, exams: _Optional[_Iterable[_Union[CandidateExam, _Mapping]]] = ...) -> None: ...

class ExportCandidateRequest(_message.Message):
    __slots__ = ("candidate_id",)
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    candidate_id: str
    def __init__(self, candidate_id: _Optional[str] = ...) -> None: ...

class AttemptRecord(_message.Message):
    __slots__ = ("attempt", "candidate", "audit")
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_FIELD_NUMBER: _ClassVar[int]
    AUDIT_FIELD_NUMBER: _ClassVar[int]
    attempt: Attempt
    candidate: _events_pb2.Candidate
    audit: _containers.RepeatedCompositeFieldContainer[AuditEntry]
    def __init__(self, attempt: _Optional[_Union[Attempt, _Mapping]] = ..., candidate: _Optional[_Union[_events_pb2.Candidate, _Mapping]] = ..., audit: _Optional[_Iterable[_Union[AuditEntry, _Mapping]]] = ...) -> None: ...

class AccommodationChange(_message.Message):
    __slots__ = ("extra_percent", "extra_minutes", "set_by", "note", "at")
    EXTRA_PERCENT_FIELD_NUMBER: _ClassVar[int]
    EXTRA_MINUTES_FIELD_NUMBER: _ClassVar[int]
    SET_BY_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    extra_percent: int
    extra_minutes: int
    set_by: str
    note: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, extra_percent: _Optional[int] = ..., extra_minutes: _Optional[int] = ..., set_by: _Optional[str] = ..., note: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CandidateExport(_message.Message):
    __slots__ = ("candidate_id", "attempts", "accommodation", "accommodation_changes", "erased_at")
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    ACCOMMODATION_FIELD_NUMBER: _ClassVar[int]
    ACCOMMODATION_CHANGES_FIELD_NUMBER: _ClassVar[int]
    ERASED_AT_FIELD_NUMBER: _ClassVar[int]
    candidate_id: str
    attempts: _containers.RepeatedCompositeFieldContainer[AttemptRecord]
    accommodation: Accommodation
    accommodation_changes: _containers.RepeatedCompositeFieldContainer[AccommodationChange]
    erased_at: _timestamp_pb2.Timestamp
    def __init__(self, candidate_id: _Optional[str] = ..., attempts: _Optional[_Iterable[_Union[AttemptRecord, _Mapping]]] = ..., accommodation: _Optional[_Union[Accommodation, _Mapping]] = ..., accommodation_changes: _Optional[_Iterable[_Union[AccommodationChange, _Mapping]]] = ..., erased_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
