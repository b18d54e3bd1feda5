import datetime

from google.protobuf import any_pb2 as _any_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Envelope(_message.Message):
    __slots__ = ("event_id", "type", "occurred_at", "producer", "aggregate_id", "payload")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    PRODUCER_FIELD_NUMBER: _ClassVar[int]
    AGGREGATE_ID_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    type: str
    occurred_at: _timestamp_pb2.Timestamp
    producer: str
    aggregate_id: str
    payload: _any_pb2.Any
    def __init__(self, event_id: _Optional[str] = ..., type: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., producer: _Optional[str] = ..., aggregate_id: _Optional[str] = ..., payload: _Optional[_Union[_any_pb2.Any, _Mapping]] = ...) -> None: ...

class Candidate(_message.Message):
    __slots__ = ("user_id", "full_name", "federal_district", "region", "organization", "erased")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    FEDERAL_DISTRICT_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_FIELD_NUMBER: _ClassVar[int]
    ERASED_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    full_name: str
    federal_district: str
    region: str
    organization: str
    erased: bool
    def __init__(self, user_id: _Optional[str] = ..., full_name: _Optional[str] = ..., federal_district: _Optional[str] = ..., region: _Optional[str] = ..., organization: _Optional[str] = ..., erased: _Optional[bool] = ...) -> None: ...

class PublishedQuestion(_message.Message):
    __slots__ = ("item_id", "item_version", "type", "text", "options", "targets", "competence")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_VERSION_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    item_version: int
    type: str
    text: str
    options: _containers.RepeatedCompositeFieldContainer[PublishedOption]
    targets: _containers.RepeatedCompositeFieldContainer[PublishedOption]
    competence: str
    def __init__(self, item_id: _Optional[str] = ..., item_version: _Optional[int] = ..., type: _Optional[str] = ..., text: _Optional[str] = ..., options: _Optional[_Iterable[_Union[PublishedOption, _Mapping]]] = ..., targets: _Optional[_Iterable[_Union[PublishedOption, _Mapping]]] = ..., competence: _Optional[str] = ...) -> None: ...

class PublishedOption(_message.Message):
    __slots__ = ("id", "text")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    id: str
    text: str
    def __init__(self, id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class ExamSettings(_message.Message):
    __slots__ = ("attempts_allowed", "cooldown_seconds", "opens_at", "closes_at", "shuffle_questions", "shuffle_options", "navigation", "validity_days", "certificate_language", "area_minimums", "practice")
    class AreaMinimumsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    ATTEMPTS_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    COOLDOWN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    OPENS_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSES_AT_FIELD_NUMBER: _ClassVar[int]
    SHUFFLE_QUESTIONS_FIELD_NUMBER: _ClassVar[int]
    SHUFFLE_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    NAVIGATION_FIELD_NUMBER: _ClassVar[int]
    VALIDITY_DAYS_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    AREA_MINIMUMS_FIELD_NUMBER: _ClassVar[int]
    PRACTICE_FIELD_NUMBER: _ClassVar[int]
    attempts_allowed: int
    cooldown_seconds: int
    opens_at: _timestamp_pb2.Timestamp
    closes_at: _timestamp_pb2.Timestamp
    shuffle_questions: bool
    shuffle_options: bool
    navigation: str
    validity_days: int
    certificate_language: str
    area_minimums: _containers.ScalarMap[str, float]
    practice: bool
    def __init__(self, attempts_allowed: _Optional[int] = ..., cooldown_seconds: _Optional[int] = ..., opens_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closes_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., shuffle_questions: _Optional[bool] = ..., shuffle_options: _Optional[bool] = ..., navigation: _Optional[str] = ..., validity_days: _Optional[int] = ..., certificate_language: _Optional[str] = ..., area_minimums: _Optional[_Mapping[str, float]] = ..., practice: _Optional[bool] = ...) -> None: ...

class DrawRule(_message.Message):
    __slots__ = ("count", "item_ids")
    COUNT_FIELD_NUMBER: _ClassVar[int]
    ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    count: int
    item_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, count: _Optional[int] = ..., item_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ExamPublished(_message.Message):
    __slots__ = ("exam_id", "title", "time_limit_seconds", "pass_score", "questions", "form_version", "settings", "rules")
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    PASS_SCORE_FIELD_NUMBER: _ClassVar[int]
    QUESTIONS_FIELD_NUMBER: _ClassVar[int]
    FORM_VERSION_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    title: str
    time_limit_seconds: int
    pass_score: float
    questions: _containers.RepeatedCompositeFieldContainer[PublishedQuestion]
    form_version: int
    settings: ExamSettings
    rules: _containers.RepeatedCompositeFieldContainer[DrawRule]
    def __init__(self, exam_id: _Optional[str] = ..., title: _Optional[str] = ..., time_limit_seconds: _Optional[int] = ..., pass_score: _Optional[float] = ..., questions: _Optional[_Iterable[_Union[PublishedQuestion, _Mapping]]] = ..., form_version: _Optional[int] = ..., settings: _Optional[_Union[ExamSettings, _Mapping]] = ..., rules: _Optional[_Iterable[_Union[DrawRule, _Mapping]]] = ...) -> None: ...

class ExamRetired(_message.Message):
    __slots__ = ("exam_id",)
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    def __init__(self, exam_id: _Optional[str] = ...) -> None: ...

class AttemptStarted(_message.Message):
    __slots__ = ("attempt_id", "exam_id", "candidate", "deadline")
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    exam_id: str
    candidate: Candidate
    deadline: _timestamp_pb2.Timestamp
    def __init__(self, attempt_id: _Optional[str] = ..., exam_id: _Optional[str] = ..., candidate: _Optional[_Union[Candidate, _Mapping]] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Answer(_message.Message):
    __slots__ = ("question_id", "item_version", "option_ids", "pairs", "text", "number")
    class PairsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    QUESTION_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_VERSION_FIELD_NUMBER: _ClassVar[int]
    OPTION_IDS_FIELD_NUMBER: _ClassVar[int]
    PAIRS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    question_id: str
    item_version: int
    option_ids: _containers.RepeatedScalarFieldContainer[str]
    pairs: _containers.ScalarMap[str, str]
    text: str
    number: float
    def __init__(self, question_id: _Optional[str] = ..., item_version: _Optional[int] = ..., option_ids: _Optional[_Iterable[str]] = ..., pairs: _Optional[_Mapping[str, str]] = ..., text: _Optional[str] = ..., number: _Optional[float] = ...) -> None: ...

class AttemptSubmitted(_message.Message):
    __slots__ = ("attempt_id", "exam_id", "candidate", "answers", "started_at", "submitted_at", "auto_submitted", "question_ids")
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_FIELD_NUMBER: _ClassVar[int]
    ANSWERS_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    AUTO_SUBMITTED_FIELD_NUMBER: _ClassVar[int]
    QUESTION_IDS_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    exam_id: str
    candidate: Candidate
    answers: _containers.RepeatedCompositeFieldContainer[Answer]
    started_at: _timestamp_pb2.Timestamp
    submitted_at: _timestamp_pb2.Timestamp
    auto_submitted: bool
    question_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, attempt_id: _Optional[str] = ..., exam_id: _Optional[str] = ..., candidate: _Optional[_Union[Candidate, _Mapping]] = ..., answers: _Optional[_Iterable[_Union[Answer, _Mapping]]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., auto_submitted: _Optional[bool] = ..., question_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class CompetenceScore(_message.Message):
    __slots__ = ("competence", "area", "points", "max_points", "percent", "name")
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    AREA_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    MAX_POINTS_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    competence: str
    area: str
    points: float
    max_points: float
    percent: float
    name: str
    def __init__(self, competence: _Optional[str] = ..., area: _Optional[str] = ..., points: _Optional[float] = ..., max_points: _Optional[float] = ..., percent: _Optional[float] = ..., name: _Optional[str] = ...) -> None: ...

class ResultScored(_message.Message):
    __slots__ = ("result_id", "attempt_id", "exam_id", "exam_title", "candidate", "score_percent", "passed", "scored_at", "subscores", "validity_days", "certificate_language", "practice")
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_TITLE_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_FIELD_NUMBER: _ClassVar[int]
    SCORE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    SCORED_AT_FIELD_NUMBER: _ClassVar[int]
    SUBSCORES_FIELD_NUMBER: _ClassVar[int]
    VALIDITY_DAYS_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    PRACTICE_FIELD_NUMBER: _ClassVar[int]
    result_id: str
    attempt_id: str
    exam_id: str
    exam_title: str
    candidate: Candidate
    score_percent: float
    passed: bool
    scored_at: _timestamp_pb2.Timestamp
    subscores: _containers.RepeatedCompositeFieldContainer[CompetenceScore]
    validity_days: int
    certificate_language: str
    practice: bool
    def __init__(self, result_id: _Optional[str] = ..., attempt_id: _Optional[str] = ..., exam_id: _Optional[str] = ..., exam_title: _Optional[str] = ..., candidate: _Optional[_Union[Candidate, _Mapping]] = ..., score_percent: _Optional[float] = ..., passed: _Optional[bool] = ..., scored_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., subscores: _Optional[_Iterable[_Union[CompetenceScore, _Mapping]]] = ..., validity_days: _Optional[int] = ..., certificate_language: _Optional[str] = ..., practice: _Optional[bool] = ...) -> None: ...

class ResultRescored(_message.Message):
    __slots__ = ("result", "previously_passed", "previous_score_percent", "reason")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    PREVIOUSLY_PASSED_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_SCORE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    result: ResultScored
    previously_passed: bool
    previous_score_percent: float
    reason: str
    def __init__(self, result: _Optional[_Union[ResultScored, _Mapping]] = ..., previously_passed: _Optional[bool] = ..., previous_score_percent: _Optional[float] = ..., reason: _Optional[str] = ...) -> None: ...

class CertificateIssued(_message.Message):
    __slots__ = ("serial", "attempt_id", "exam_id", "holder_user_id", "issued_at")
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    serial: str
    attempt_id: str
    exam_id: str
    holder_user_id: str
    issued_at: _timestamp_pb2.Timestamp
    def __init__(self, serial: _Optional[str] = ..., attempt_id: _Optional[str] = ..., exam_id: _Optional[str] = ..., holder_user_id: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CertificateRevoked(_message.Message):
    __slots__ = ("serial", "reason", "revoked_at")
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    serial: str
    reason: str
    revoked_at: _timestamp_pb2.Timestamp
    def __init__(self, serial: _Optional[str] = ..., reason: _Optional[str] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CertificateSuspended(_message.Message):
    __slots__ = ("serial", "reason", "suspended_at")
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SUSPENDED_AT_FIELD_NUMBER: _ClassVar[int]
    serial: str
    reason: str
    suspended_at: _timestamp_pb2.Timestamp
    def __init__(self, serial: _Optional[str] = ..., reason: _Optional[str] = ..., suspended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CertificateReinstated(_message.Message):
    __slots__ = ("serial", "reinstated_at")
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    REINSTATED_AT_FIELD_NUMBER: _ClassVar[int]
    serial: str
    reinstated_at: _timestamp_pb2.Timestamp
    def __init__(self, serial: _Optional[str] = ..., reinstated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EraseCandidateRequest(_message.Message):
    __slots__ = ("candidate_id",)
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    candidate_id: str
    def __init__(self, candidate_id: _Optional[str] = ...) -> None: ...

class KeptRecord(_message.Message):
    __slots__ = ("what", "why")
    WHAT_FIELD_NUMBER: _ClassVar[int]
    WHY_FIELD_NUMBER: _ClassVar[int]
    what: str
    why: str
    def __init__(self, what: _Optional[str] = ..., why: _Optional[str] = ...) -> None: ...

class CandidateErasure(_message.Message):
    __slots__ = ("candidate_id", "erased_at", "records", "erased", "kept")
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    ERASED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    ERASED_FIELD_NUMBER: _ClassVar[int]
    KEPT_FIELD_NUMBER: _ClassVar[int]
    candidate_id: str
    erased_at: _timestamp_pb2.Timestamp
    records: int
    erased: _containers.RepeatedScalarFieldContainer[str]
    kept: _containers.RepeatedCompositeFieldContainer[KeptRecord]
    def __init__(self, candidate_id: _Optional[str] = ..., erased_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., records: _Optional[int] = ..., erased: _Optional[_Iterable[str]] = ..., kept: _Optional[_Iterable[_Union[KeptRecord, _Mapping]]] = ...) -> None: ...
