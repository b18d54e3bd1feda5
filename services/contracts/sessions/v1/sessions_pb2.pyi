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
    __slots__ = ("id", "exam_id", "exam_title", "candidate_id", "status", "started_at", "deadline", "submitted_at", "questions", "answers", "auto_submitted")
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
    def __init__(self, id: _Optional[str] = ..., exam_id: _Optional[str] = ..., exam_title: _Optional[str] = ..., candidate_id: _Optional[str] = ..., status: _Optional[_Union[AttemptStatus, str]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., questions: _Optional[_Iterable[_Union[Question, _Mapping]]] = ..., answers: _Optional[_Iterable[_Union[SavedAnswer, _Mapping]]] = ..., auto_submitted: _Optional[bool] = ...) -> None: ...

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
    __slots__ = ("saved_at",)
    SAVED_AT_FIELD_NUMBER: _ClassVar[int]
    saved_at: _timestamp_pb2.Timestamp
    def __init__(self, saved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SubmitAttemptRequest(_message.Message):
    __slots__ = ("attempt_id", "candidate_id")
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    candidate_id: str
    def __init__(self, attempt_id: _Optional[str] = ..., candidate_id: _Optional[str] = ...) -> None: ...
