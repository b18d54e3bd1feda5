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

class Subscore(_message.Message):
    __slots__ = ("competence", "area", "points", "max_points", "percent")
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    AREA_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    MAX_POINTS_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    competence: str
    area: str
    points: float
    max_points: float
    percent: float
    def __init__(self, competence: _Optional[str] = ..., area: _Optional[str] = ..., points: _Optional[float] = ..., max_points: _Optional[float] = ..., percent: _Optional[float] = ...) -> None: ...

class Result(_message.Message):
    __slots__ = ("id", "attempt_id", "exam_id", "candidate_id", "score_percent", "passed", "scored_at", "points", "max_points", "subscores", "key_version", "pass_score", "area_checks", "changes")
    ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    SCORED_AT_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    MAX_POINTS_FIELD_NUMBER: _ClassVar[int]
    SUBSCORES_FIELD_NUMBER: _ClassVar[int]
    KEY_VERSION_FIELD_NUMBER: _ClassVar[int]
    PASS_SCORE_FIELD_NUMBER: _ClassVar[int]
    AREA_CHECKS_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    id: str
    attempt_id: str
    exam_id: str
    candidate_id: str
    score_percent: float
    passed: bool
    scored_at: _timestamp_pb2.Timestamp
    points: float
    max_points: float
    subscores: _containers.RepeatedCompositeFieldContainer[Subscore]
    key_version: int
    pass_score: float
    area_checks: _containers.RepeatedCompositeFieldContainer[AreaCheck]
    changes: _containers.RepeatedCompositeFieldContainer[ResultChange]
    def __init__(self, id: _Optional[str] = ..., attempt_id: _Optional[str] = ..., exam_id: _Optional[str] = ..., candidate_id: _Optional[str] = ..., score_percent: _Optional[float] = ..., passed: _Optional[bool] = ..., scored_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., points: _Optional[float] = ..., max_points: _Optional[float] = ..., subscores: _Optional[_Iterable[_Union[Subscore, _Mapping]]] = ..., key_version: _Optional[int] = ..., pass_score: _Optional[float] = ..., area_checks: _Optional[_Iterable[_Union[AreaCheck, _Mapping]]] = ..., changes: _Optional[_Iterable[_Union[ResultChange, _Mapping]]] = ...) -> None: ...

class AreaCheck(_message.Message):
    __slots__ = ("area", "percent", "minimum", "met")
    AREA_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_FIELD_NUMBER: _ClassVar[int]
    MET_FIELD_NUMBER: _ClassVar[int]
    area: str
    percent: float
    minimum: float
    met: bool
    def __init__(self, area: _Optional[str] = ..., percent: _Optional[float] = ..., minimum: _Optional[float] = ..., met: _Optional[bool] = ...) -> None: ...

class Scope(_message.Message):
    __slots__ = ("unrestricted", "districts", "regions")
    UNRESTRICTED_FIELD_NUMBER: _ClassVar[int]
    DISTRICTS_FIELD_NUMBER: _ClassVar[int]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    unrestricted: bool
    districts: _containers.RepeatedScalarFieldContainer[str]
    regions: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, unrestricted: _Optional[bool] = ..., districts: _Optional[_Iterable[str]] = ..., regions: _Optional[_Iterable[str]] = ...) -> None: ...

class ResultFilter(_message.Message):
    __slots__ = ("exam_id", "from_date", "to_date", "federal_district", "region", "organization")
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    FEDERAL_DISTRICT_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    from_date: str
    to_date: str
    federal_district: str
    region: str
    organization: str
    def __init__(self, exam_id: _Optional[str] = ..., from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., federal_district: _Optional[str] = ..., region: _Optional[str] = ..., organization: _Optional[str] = ...) -> None: ...

class GetPassRatesRequest(_message.Message):
    __slots__ = ("group_by", "exam_id", "scope", "filter")
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    group_by: GroupBy
    exam_id: str
    scope: Scope
    filter: ResultFilter
    def __init__(self, group_by: _Optional[_Union[GroupBy, str]] = ..., exam_id: _Optional[str] = ..., scope: _Optional[_Union[Scope, _Mapping]] = ..., filter: _Optional[_Union[ResultFilter, _Mapping]] = ...) -> None: ...

class PassRate(_message.Message):
    __slots__ = ("key", "attempts", "passed", "pass_rate", "wilson_low", "wilson_high", "first_attempts", "first_passed", "first_attempt_pass_rate", "federal_district", "region", "people_passed", "best_attempt_pass_rate", "people_wilson_low", "people_wilson_high")
    KEY_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    PASS_RATE_FIELD_NUMBER: _ClassVar[int]
    WILSON_LOW_FIELD_NUMBER: _ClassVar[int]
    WILSON_HIGH_FIELD_NUMBER: _ClassVar[int]
    FIRST_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    FIRST_PASSED_FIELD_NUMBER: _ClassVar[int]
    FIRST_ATTEMPT_PASS_RATE_FIELD_NUMBER: _ClassVar[int]
    FEDERAL_DISTRICT_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    PEOPLE_PASSED_FIELD_NUMBER: _ClassVar[int]
    BEST_ATTEMPT_PASS_RATE_FIELD_NUMBER: _ClassVar[int]
    PEOPLE_WILSON_LOW_FIELD_NUMBER: _ClassVar[int]
    PEOPLE_WILSON_HIGH_FIELD_NUMBER: _ClassVar[int]
    key: str
    attempts: int
    passed: int
    pass_rate: float
    wilson_low: float
    wilson_high: float
    first_attempts: int
    first_passed: int
    first_attempt_pass_rate: float
    federal_district: str
    region: str
    people_passed: int
    best_attempt_pass_rate: float
    people_wilson_low: float
    people_wilson_high: float
    def __init__(self, key: _Optional[str] = ..., attempts: _Optional[int] = ..., passed: _Optional[int] = ..., pass_rate: _Optional[float] = ..., wilson_low: _Optional[float] = ..., wilson_high: _Optional[float] = ..., first_attempts: _Optional[int] = ..., first_passed: _Optional[int] = ..., first_attempt_pass_rate: _Optional[float] = ..., federal_district: _Optional[str] = ..., region: _Optional[str] = ..., people_passed: _Optional[int] = ..., best_attempt_pass_rate: _Optional[float] = ..., people_wilson_low: _Optional[float] = ..., people_wilson_high: _Optional[float] = ...) -> None: ...

class GetPassRatesResponse(_message.Message):
    __slots__ = ("rows", "total")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[PassRate]
    total: PassRate
    def __init__(self, rows: _Optional[_Iterable[_Union[PassRate, _Mapping]]] = ..., total: _Optional[_Union[PassRate, _Mapping]] = ...) -> None: ...

class GetTrendRequest(_message.Message):
    __slots__ = ("scope", "filter", "period")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scope: Scope
    filter: ResultFilter
    period: str
    def __init__(self, scope: _Optional[_Union[Scope, _Mapping]] = ..., filter: _Optional[_Union[ResultFilter, _Mapping]] = ..., period: _Optional[str] = ...) -> None: ...

class TrendPoint(_message.Message):
    __slots__ = ("period_start", "attempts", "passed", "pass_rate", "wilson_low", "wilson_high")
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    PASS_RATE_FIELD_NUMBER: _ClassVar[int]
    WILSON_LOW_FIELD_NUMBER: _ClassVar[int]
    WILSON_HIGH_FIELD_NUMBER: _ClassVar[int]
    period_start: str
    attempts: int
    passed: int
    pass_rate: float
    wilson_low: float
    wilson_high: float
    def __init__(self, period_start: _Optional[str] = ..., attempts: _Optional[int] = ..., passed: _Optional[int] = ..., pass_rate: _Optional[float] = ..., wilson_low: _Optional[float] = ..., wilson_high: _Optional[float] = ...) -> None: ...

class GetTrendResponse(_message.Message):
    __slots__ = ("points",)
    POINTS_FIELD_NUMBER: _ClassVar[int]
    points: _containers.RepeatedCompositeFieldContainer[TrendPoint]
    def __init__(self, points: _Optional[_Iterable[_Union[TrendPoint, _Mapping]]] = ...) -> None: ...

class GetCompetenceGapsRequest(_message.Message):
    __slots__ = ("scope", "filter", "group_by")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    scope: Scope
    filter: ResultFilter
    group_by: GroupBy
    def __init__(self, scope: _Optional[_Union[Scope, _Mapping]] = ..., filter: _Optional[_Union[ResultFilter, _Mapping]] = ..., group_by: _Optional[_Union[GroupBy, str]] = ...) -> None: ...

class CompetenceGap(_message.Message):
    __slots__ = ("key", "competence", "results", "mean_percent")
    KEY_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    MEAN_PERCENT_FIELD_NUMBER: _ClassVar[int]
    key: str
    competence: str
    results: int
    mean_percent: float
    def __init__(self, key: _Optional[str] = ..., competence: _Optional[str] = ..., results: _Optional[int] = ..., mean_percent: _Optional[float] = ...) -> None: ...

class GetCompetenceGapsResponse(_message.Message):
    __slots__ = ("cells", "competences")
    CELLS_FIELD_NUMBER: _ClassVar[int]
    COMPETENCES_FIELD_NUMBER: _ClassVar[int]
    cells: _containers.RepeatedCompositeFieldContainer[CompetenceGap]
    competences: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, cells: _Optional[_Iterable[_Union[CompetenceGap, _Mapping]]] = ..., competences: _Optional[_Iterable[str]] = ...) -> None: ...

class GetItemStatisticsRequest(_message.Message):
    __slots__ = ("exam_id", "scope")
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    scope: Scope
    def __init__(self, exam_id: _Optional[str] = ..., scope: _Optional[_Union[Scope, _Mapping]] = ...) -> None: ...

class ItemStatistics(_message.Message):
    __slots__ = ("position", "item_id", "item_version", "competence", "attempts", "facility_index", "standard_deviation", "discrimination_index", "discriminative_efficiency", "flags")
    POSITION_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_VERSION_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    FACILITY_INDEX_FIELD_NUMBER: _ClassVar[int]
    STANDARD_DEVIATION_FIELD_NUMBER: _ClassVar[int]
    DISCRIMINATION_INDEX_FIELD_NUMBER: _ClassVar[int]
    DISCRIMINATIVE_EFFICIENCY_FIELD_NUMBER: _ClassVar[int]
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    position: int
    item_id: str
    item_version: int
    competence: str
    attempts: int
    facility_index: float
    standard_deviation: float
    discrimination_index: float
    discriminative_efficiency: float
    flags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, position: _Optional[int] = ..., item_id: _Optional[str] = ..., item_version: _Optional[int] = ..., competence: _Optional[str] = ..., attempts: _Optional[int] = ..., facility_index: _Optional[float] = ..., standard_deviation: _Optional[float] = ..., discrimination_index: _Optional[float] = ..., discriminative_efficiency: _Optional[float] = ..., flags: _Optional[_Iterable[str]] = ...) -> None: ...

class GetItemStatisticsResponse(_message.Message):
    __slots__ = ("items", "results", "mean_percent", "score_sd_percent", "cronbach_alpha", "error_ratio", "standard_error")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    MEAN_PERCENT_FIELD_NUMBER: _ClassVar[int]
    SCORE_SD_PERCENT_FIELD_NUMBER: _ClassVar[int]
    CRONBACH_ALPHA_FIELD_NUMBER: _ClassVar[int]
    ERROR_RATIO_FIELD_NUMBER: _ClassVar[int]
    STANDARD_ERROR_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[ItemStatistics]
    results: int
    mean_percent: float
    score_sd_percent: float
    cronbach_alpha: float
    error_ratio: float
    standard_error: float
    def __init__(self, items: _Optional[_Iterable[_Union[ItemStatistics, _Mapping]]] = ..., results: _Optional[int] = ..., mean_percent: _Optional[float] = ..., score_sd_percent: _Optional[float] = ..., cronbach_alpha: _Optional[float] = ..., error_ratio: _Optional[float] = ..., standard_error: _Optional[float] = ...) -> None: ...

class RescoreRequest(_message.Message):
    __slots__ = ("exam_id", "reason")
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    reason: str
    def __init__(self, exam_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RescoreResponse(_message.Message):
    __slots__ = ("rescored", "changed", "newly_passed", "newly_failed", "key_version")
    RESCORED_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    NEWLY_PASSED_FIELD_NUMBER: _ClassVar[int]
    NEWLY_FAILED_FIELD_NUMBER: _ClassVar[int]
    KEY_VERSION_FIELD_NUMBER: _ClassVar[int]
    rescored: int
    changed: int
    newly_passed: int
    newly_failed: int
    key_version: int
    def __init__(self, rescored: _Optional[int] = ..., changed: _Optional[int] = ..., newly_passed: _Optional[int] = ..., newly_failed: _Optional[int] = ..., key_version: _Optional[int] = ...) -> None: ...

class RebuildAnalyticsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RebuildAnalyticsResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: int
    def __init__(self, results: _Optional[int] = ...) -> None: ...

class ExportCandidateRequest(_message.Message):
    __slots__ = ("candidate_id",)
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    candidate_id: str
    def __init__(self, candidate_id: _Optional[str] = ...) -> None: ...

class ItemScore(_message.Message):
    __slots__ = ("item_id", "item_version", "credit", "points", "max_points", "competence")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_VERSION_FIELD_NUMBER: _ClassVar[int]
    CREDIT_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    MAX_POINTS_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    item_version: int
    credit: float
    points: float
    max_points: float
    competence: str
    def __init__(self, item_id: _Optional[str] = ..., item_version: _Optional[int] = ..., credit: _Optional[float] = ..., points: _Optional[float] = ..., max_points: _Optional[float] = ..., competence: _Optional[str] = ...) -> None: ...

class ResultChange(_message.Message):
    __slots__ = ("changed_at", "reason", "key_version_before", "key_version_after", "percent_before", "percent_after", "passed_before", "passed_after")
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    KEY_VERSION_BEFORE_FIELD_NUMBER: _ClassVar[int]
    KEY_VERSION_AFTER_FIELD_NUMBER: _ClassVar[int]
    PERCENT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    PERCENT_AFTER_FIELD_NUMBER: _ClassVar[int]
    PASSED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    PASSED_AFTER_FIELD_NUMBER: _ClassVar[int]
    changed_at: _timestamp_pb2.Timestamp
    reason: str
    key_version_before: int
    key_version_after: int
    percent_before: float
    percent_after: float
    passed_before: bool
    passed_after: bool
    def __init__(self, changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ..., key_version_before: _Optional[int] = ..., key_version_after: _Optional[int] = ..., percent_before: _Optional[float] = ..., percent_after: _Optional[float] = ..., passed_before: _Optional[bool] = ..., passed_after: _Optional[bool] = ...) -> None: ...

class ResultRecord(_message.Message):
    __slots__ = ("result", "exam_title", "candidate", "submitted_at", "first_attempt", "items", "changes")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    EXAM_TITLE_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    FIRST_ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    result: Result
    exam_title: str
    candidate: _events_pb2.Candidate
    submitted_at: _timestamp_pb2.Timestamp
    first_attempt: bool
    items: _containers.RepeatedCompositeFieldContainer[ItemScore]
    changes: _containers.RepeatedCompositeFieldContainer[ResultChange]
    def __init__(self, result: _Optional[_Union[Result, _Mapping]] = ..., exam_title: _Optional[str] = ..., candidate: _Optional[_Union[_events_pb2.Candidate, _Mapping]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., first_attempt: _Optional[bool] = ..., items: _Optional[_Iterable[_Union[ItemScore, _Mapping]]] = ..., changes: _Optional[_Iterable[_Union[ResultChange, _Mapping]]] = ...) -> None: ...

class CandidateExport(_message.Message):
    __slots__ = ("candidate_id", "results", "erased_at")
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    ERASED_AT_FIELD_NUMBER: _ClassVar[int]
    candidate_id: str
    results: _containers.RepeatedCompositeFieldContainer[ResultRecord]
    erased_at: _timestamp_pb2.Timestamp
    def __init__(self, candidate_id: _Optional[str] = ..., results: _Optional[_Iterable[_Union[ResultRecord, _Mapping]]] = ..., erased_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
