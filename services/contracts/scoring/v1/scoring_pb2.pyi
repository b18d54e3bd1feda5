import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GroupBy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GROUP_BY_UNSPECIFIED: _ClassVar[GroupBy]
    GROUP_BY_FEDERAL_DISTRICT: _ClassVar[GroupBy]
    GROUP_BY_REGION: _ClassVar[GroupBy]
    GROUP_BY_ORGANIZATION: _ClassVar[GroupBy]
GROUP_BY_UNSPECIFIED: GroupBy
GROUP_BY_FEDERAL_DISTRICT: GroupBy
GROUP_BY_REGION: GroupBy
GROUP_BY_ORGANIZATION: GroupBy

class GetResultRequest(_message.Message):
    __slots__ = ("attempt_id",)
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    def __init__(self, attempt_id: _Optional[str] = ...) -> None: ...

class Result(_message.Message):
    __slots__ = ("id", "attempt_id", "exam_id", "candidate_id", "score_percent", "passed", "scored_at", "points", "max_points")
    ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    SCORED_AT_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    MAX_POINTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    attempt_id: str
    exam_id: str
    candidate_id: str
    score_percent: float
    passed: bool
    scored_at: _timestamp_pb2.Timestamp
    points: float
    max_points: float
    def __init__(self, id: _Optional[str] = ..., attempt_id: _Optional[str] = ..., exam_id: _Optional[str] = ..., candidate_id: _Optional[str] = ..., score_percent: _Optional[float] = ..., passed: _Optional[bool] = ..., scored_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., points: _Optional[float] = ..., max_points: _Optional[float] = ...) -> None: ...

class GetPassRatesRequest(_message.Message):
    __slots__ = ("group_by", "exam_id")
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    group_by: GroupBy
    exam_id: str
    def __init__(self, group_by: _Optional[_Union[GroupBy, str]] = ..., exam_id: _Optional[str] = ...) -> None: ...

class PassRate(_message.Message):
    __slots__ = ("key", "attempts", "passed", "pass_rate")
    KEY_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    PASS_RATE_FIELD_NUMBER: _ClassVar[int]
    key: str
    attempts: int
    passed: int
    pass_rate: float
    def __init__(self, key: _Optional[str] = ..., attempts: _Optional[int] = ..., passed: _Optional[int] = ..., pass_rate: _Optional[float] = ...) -> None: ...

class GetPassRatesResponse(_message.Message):
    __slots__ = ("rows",)
    ROWS_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[PassRate]
    def __init__(self, rows: _Optional[_Iterable[_Union[PassRate, _Mapping]]] = ...) -> None: ...
