import datetime

from gramota.contracts.events.v1 import events_pb2 as _events_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ItemType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ITEM_TYPE_UNSPECIFIED: _ClassVar[ItemType]
    ITEM_TYPE_SINGLE_CHOICE: _ClassVar[ItemType]
    ITEM_TYPE_MULTIPLE_CHOICE: _ClassVar[ItemType]
    ITEM_TYPE_TRUE_FALSE: _ClassVar[ItemType]
    ITEM_TYPE_ORDERING: _ClassVar[ItemType]
    ITEM_TYPE_MATCHING: _ClassVar[ItemType]
    ITEM_TYPE_SHORT_ANSWER: _ClassVar[ItemType]
    ITEM_TYPE_NUMERIC: _ClassVar[ItemType]

class ExamStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXAM_STATUS_UNSPECIFIED: _ClassVar[ExamStatus]
    EXAM_STATUS_DRAFT: _ClassVar[ExamStatus]
    EXAM_STATUS_PUBLISHED: _ClassVar[ExamStatus]
    EXAM_STATUS_RETIRED: _ClassVar[ExamStatus]
ITEM_TYPE_UNSPECIFIED: ItemType
ITEM_TYPE_SINGLE_CHOICE: ItemType
ITEM_TYPE_MULTIPLE_CHOICE: ItemType
ITEM_TYPE_TRUE_FALSE: ItemType
ITEM_TYPE_ORDERING: ItemType
ITEM_TYPE_MATCHING: ItemType
ITEM_TYPE_SHORT_ANSWER: ItemType
ITEM_TYPE_NUMERIC: ItemType
EXAM_STATUS_UNSPECIFIED: ExamStatus
EXAM_STATUS_DRAFT: ExamStatus
EXAM_STATUS_PUBLISHED: ExamStatus
EXAM_STATUS_RETIRED: ExamStatus

class Option(_message.Message):
    __slots__ = ("id", "text", "weight", "feedback", "target")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    id: str
    text: str
    weight: float
    feedback: str
    target: str
    def __init__(self, id: _Optional[str] = ..., text: _Optional[str] = ..., weight: _Optional[float] = ..., feedback: _Optional[str] = ..., target: _Optional[str] = ...) -> None: ...

class Item(_message.Message):
    __slots__ = ("id", "version", "type", "text", "options", "competence", "external_id", "difficulty", "tags", "targets", "accepted_texts", "numeric_answers", "general_feedback", "points", "retired", "competence_area", "current_version", "extra_targets", "category")
    ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    DIFFICULTY_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_TEXTS_FIELD_NUMBER: _ClassVar[int]
    NUMERIC_ANSWERS_FIELD_NUMBER: _ClassVar[int]
    GENERAL_FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    RETIRED_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_AREA_FIELD_NUMBER: _ClassVar[int]
    CURRENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    EXTRA_TARGETS_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    id: str
    version: int
    type: ItemType
    text: str
    options: _containers.RepeatedCompositeFieldContainer[Option]
    competence: str
    external_id: str
    difficulty: int
    tags: _containers.RepeatedScalarFieldContainer[str]
    targets: _containers.RepeatedCompositeFieldContainer[FormOption]
    accepted_texts: _containers.RepeatedCompositeFieldContainer[ShortAnswerKey]
    numeric_answers: _containers.RepeatedCompositeFieldContainer[NumericKey]
    general_feedback: str
    points: float
    retired: bool
    competence_area: str
    current_version: int
    extra_targets: _containers.RepeatedScalarFieldContainer[str]
    category: str
    def __init__(self, id: _Optional[str] = ..., version: _Optional[int] = ..., type: _Optional[_Union[ItemType, str]] = ..., text: _Optional[str] = ..., options: _Optional[_Iterable[_Union[Option, _Mapping]]] = ..., competence: _Optional[str] = ..., external_id: _Optional[str] = ..., difficulty: _Optional[int] = ..., tags: _Optional[_Iterable[str]] = ..., targets: _Optional[_Iterable[_Union[FormOption, _Mapping]]] = ..., accepted_texts: _Optional[_Iterable[_Union[ShortAnswerKey, _Mapping]]] = ..., numeric_answers: _Optional[_Iterable[_Union[NumericKey, _Mapping]]] = ..., general_feedback: _Optional[str] = ..., points: _Optional[float] = ..., retired: _Optional[bool] = ..., competence_area: _Optional[str] = ..., current_version: _Optional[int] = ..., extra_targets: _Optional[_Iterable[str]] = ..., category: _Optional[str] = ...) -> None: ...

class CreateItemRequest(_message.Message):
    __slots__ = ("type", "text", "options", "competence", "external_id", "difficulty", "tags", "accepted_texts", "numeric_answers", "extra_targets", "general_feedback", "points")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    DIFFICULTY_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_TEXTS_FIELD_NUMBER: _ClassVar[int]
    NUMERIC_ANSWERS_FIELD_NUMBER: _ClassVar[int]
    EXTRA_TARGETS_FIELD_NUMBER: _ClassVar[int]
    GENERAL_FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    type: ItemType
    text: str
    options: _containers.RepeatedCompositeFieldContainer[Option]
    competence: str
    external_id: str
    difficulty: int
    tags: _containers.RepeatedScalarFieldContainer[str]
    accepted_texts: _containers.RepeatedCompositeFieldContainer[ShortAnswerKey]
    numeric_answers: _containers.RepeatedCompositeFieldContainer[NumericKey]
    extra_targets: _containers.RepeatedScalarFieldContainer[str]
    general_feedback: str
    points: float
    def __init__(self, type: _Optional[_Union[ItemType, str]] = ..., text: _Optional[str] = ..., options: _Optional[_Iterable[_Union[Option, _Mapping]]] = ..., competence: _Optional[str] = ..., external_id: _Optional[str] = ..., difficulty: _Optional[int] = ..., tags: _Optional[_Iterable[str]] = ..., accepted_texts: _Optional[_Iterable[_Union[ShortAnswerKey, _Mapping]]] = ..., numeric_answers: _Optional[_Iterable[_Union[NumericKey, _Mapping]]] = ..., extra_targets: _Optional[_Iterable[str]] = ..., general_feedback: _Optional[str] = ..., points: _Optional[float] = ...) -> None: ...

class GetItemRequest(_message.Message):
    __slots__ = ("item_id", "version")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    version: int
    def __init__(self, item_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class UpdateItemRequest(_message.Message):
    __slots__ = ("item_id", "item", "expected_version")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    item: CreateItemRequest
    expected_version: int
    def __init__(self, item_id: _Optional[str] = ..., item: _Optional[_Union[CreateItemRequest, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class RetireItemRequest(_message.Message):
    __slots__ = ("item_id", "confirm")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIRM_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    confirm: bool
    def __init__(self, item_id: _Optional[str] = ..., confirm: _Optional[bool] = ...) -> None: ...

class ExamUse(_message.Message):
    __slots__ = ("exam_id", "title", "status", "pinned_version", "voided", "withdrawn", "drawable_without", "problem")
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PINNED_VERSION_FIELD_NUMBER: _ClassVar[int]
    VOIDED_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_FIELD_NUMBER: _ClassVar[int]
    DRAWABLE_WITHOUT_FIELD_NUMBER: _ClassVar[int]
    PROBLEM_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    title: str
    status: str
    pinned_version: int
    voided: bool
    withdrawn: bool
    drawable_without: bool
    problem: str
    def __init__(self, exam_id: _Optional[str] = ..., title: _Optional[str] = ..., status: _Optional[str] = ..., pinned_version: _Optional[int] = ..., voided: _Optional[bool] = ..., withdrawn: _Optional[bool] = ..., drawable_without: _Optional[bool] = ..., problem: _Optional[str] = ...) -> None: ...

class ItemUsage(_message.Message):
    __slots__ = ("item_id", "current_version", "exams")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    EXAMS_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    current_version: int
    exams: _containers.RepeatedCompositeFieldContainer[ExamUse]
    def __init__(self, item_id: _Optional[str] = ..., current_version: _Optional[int] = ..., exams: _Optional[_Iterable[_Union[ExamUse, _Mapping]]] = ...) -> None: ...

class CorrectKeyRequest(_message.Message):
    __slots__ = ("item_id", "exam_id", "apply", "void", "reason", "actor")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    APPLY_FIELD_NUMBER: _ClassVar[int]
    VOID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    exam_id: str
    apply: str
    void: bool
    reason: str
    actor: str
    def __init__(self, item_id: _Optional[str] = ..., exam_id: _Optional[str] = ..., apply: _Optional[str] = ..., void: _Optional[bool] = ..., reason: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class KeyCorrection(_message.Message):
    __slots__ = ("id", "item_id", "exam_id", "exam_title", "from_version", "to_version", "apply", "void", "reason", "actor", "at", "form_version", "exam_published")
    ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_TITLE_FIELD_NUMBER: _ClassVar[int]
    FROM_VERSION_FIELD_NUMBER: _ClassVar[int]
    TO_VERSION_FIELD_NUMBER: _ClassVar[int]
    APPLY_FIELD_NUMBER: _ClassVar[int]
    VOID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    FORM_VERSION_FIELD_NUMBER: _ClassVar[int]
    EXAM_PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    id: int
    item_id: str
    exam_id: str
    exam_title: str
    from_version: int
    to_version: int
    apply: str
    void: bool
    reason: str
    actor: str
    at: _timestamp_pb2.Timestamp
    form_version: int
    exam_published: bool
    def __init__(self, id: _Optional[int] = ..., item_id: _Optional[str] = ..., exam_id: _Optional[str] = ..., exam_title: _Optional[str] = ..., from_version: _Optional[int] = ..., to_version: _Optional[int] = ..., apply: _Optional[str] = ..., void: _Optional[bool] = ..., reason: _Optional[str] = ..., actor: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., form_version: _Optional[int] = ..., exam_published: _Optional[bool] = ...) -> None: ...

class KeyCorrections(_message.Message):
    __slots__ = ("corrections",)
    CORRECTIONS_FIELD_NUMBER: _ClassVar[int]
    corrections: _containers.RepeatedCompositeFieldContainer[KeyCorrection]
    def __init__(self, corrections: _Optional[_Iterable[_Union[KeyCorrection, _Mapping]]] = ...) -> None: ...

class ListKeyCorrectionsRequest(_message.Message):
    __slots__ = ("item_id", "exam_id")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    exam_id: str
    def __init__(self, item_id: _Optional[str] = ..., exam_id: _Optional[str] = ...) -> None: ...

class ListItemVersionsRequest(_message.Message):
    __slots__ = ("item_id",)
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    def __init__(self, item_id: _Optional[str] = ...) -> None: ...

class SearchItemsRequest(_message.Message):
    __slots__ = ("competence", "tag", "text", "type", "include_retired", "limit", "offset", "unassigned")
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_RETIRED_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    UNASSIGNED_FIELD_NUMBER: _ClassVar[int]
    competence: str
    tag: str
    text: str
    type: ItemType
    include_retired: bool
    limit: int
    offset: int
    unassigned: bool
    def __init__(self, competence: _Optional[str] = ..., tag: _Optional[str] = ..., text: _Optional[str] = ..., type: _Optional[_Union[ItemType, str]] = ..., include_retired: _Optional[bool] = ..., limit: _Optional[int] = ..., offset: _Optional[int] = ..., unassigned: _Optional[bool] = ...) -> None: ...

class ListItemsResponse(_message.Message):
    __slots__ = ("items", "total")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[Item]
    total: int
    def __init__(self, items: _Optional[_Iterable[_Union[Item, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class ListCompetencesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Competence(_message.Message):
    __slots__ = ("code", "name_ru", "name_en", "area")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_RU_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    AREA_FIELD_NUMBER: _ClassVar[int]
    code: str
    name_ru: str
    name_en: str
    area: str
    def __init__(self, code: _Optional[str] = ..., name_ru: _Optional[str] = ..., name_en: _Optional[str] = ..., area: _Optional[str] = ...) -> None: ...

class CompetenceArea(_message.Message):
    __slots__ = ("code", "name_ru", "name_en", "competences")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_RU_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    COMPETENCES_FIELD_NUMBER: _ClassVar[int]
    code: str
    name_ru: str
    name_en: str
    competences: _containers.RepeatedCompositeFieldContainer[Competence]
    def __init__(self, code: _Optional[str] = ..., name_ru: _Optional[str] = ..., name_en: _Optional[str] = ..., competences: _Optional[_Iterable[_Union[Competence, _Mapping]]] = ...) -> None: ...

class ListCompetencesResponse(_message.Message):
    __slots__ = ("areas",)
    AREAS_FIELD_NUMBER: _ClassVar[int]
    areas: _containers.RepeatedCompositeFieldContainer[CompetenceArea]
    def __init__(self, areas: _Optional[_Iterable[_Union[CompetenceArea, _Mapping]]] = ...) -> None: ...

class ImportItemsRequest(_message.Message):
    __slots__ = ("format", "content", "data", "category_competences", "default_competence")
    class CategoryCompetencesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_COMPETENCES_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    format: str
    content: str
    data: bytes
    category_competences: _containers.ScalarMap[str, str]
    default_competence: str
    def __init__(self, format: _Optional[str] = ..., content: _Optional[str] = ..., data: _Optional[bytes] = ..., category_competences: _Optional[_Mapping[str, str]] = ..., default_competence: _Optional[str] = ...) -> None: ...

class ImportError(_message.Message):
    __slots__ = ("line", "reason", "item_id", "skipped")
    LINE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_FIELD_NUMBER: _ClassVar[int]
    line: int
    reason: str
    item_id: str
    skipped: bool
    def __init__(self, line: _Optional[int] = ..., reason: _Optional[str] = ..., item_id: _Optional[str] = ..., skipped: _Optional[bool] = ...) -> None: ...

class ExportItemsRequest(_message.Message):
    __slots__ = ("format", "item_ids", "competence")
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    format: str
    item_ids: _containers.RepeatedScalarFieldContainer[str]
    competence: str
    def __init__(self, format: _Optional[str] = ..., item_ids: _Optional[_Iterable[str]] = ..., competence: _Optional[str] = ...) -> None: ...

class ExportItemsResponse(_message.Message):
    __slots__ = ("content", "data", "skipped", "exported")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_FIELD_NUMBER: _ClassVar[int]
    EXPORTED_FIELD_NUMBER: _ClassVar[int]
    content: str
    data: bytes
    skipped: _containers.RepeatedCompositeFieldContainer[ImportError]
    exported: int
    def __init__(self, content: _Optional[str] = ..., data: _Optional[bytes] = ..., skipped: _Optional[_Iterable[_Union[ImportError, _Mapping]]] = ..., exported: _Optional[int] = ...) -> None: ...

class ImportItemsResponse(_message.Message):
    __slots__ = ("imported", "item_ids", "errors", "unassigned_item_ids", "category_competences")
    class CategoryCompetencesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    IMPORTED_FIELD_NUMBER: _ClassVar[int]
    ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    UNASSIGNED_ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_COMPETENCES_FIELD_NUMBER: _ClassVar[int]
    imported: int
    item_ids: _containers.RepeatedScalarFieldContainer[str]
    errors: _containers.RepeatedCompositeFieldContainer[ImportError]
    unassigned_item_ids: _containers.RepeatedScalarFieldContainer[str]
    category_competences: _containers.ScalarMap[str, str]
    def __init__(self, imported: _Optional[int] = ..., item_ids: _Optional[_Iterable[str]] = ..., errors: _Optional[_Iterable[_Union[ImportError, _Mapping]]] = ..., unassigned_item_ids: _Optional[_Iterable[str]] = ..., category_competences: _Optional[_Mapping[str, str]] = ...) -> None: ...

class AssignCompetenceRequest(_message.Message):
    __slots__ = ("item_ids", "competence")
    ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    item_ids: _containers.RepeatedScalarFieldContainer[str]
    competence: str
    def __init__(self, item_ids: _Optional[_Iterable[str]] = ..., competence: _Optional[str] = ...) -> None: ...

class AssignCompetenceResponse(_message.Message):
    __slots__ = ("assigned",)
    ASSIGNED_FIELD_NUMBER: _ClassVar[int]
    assigned: int
    def __init__(self, assigned: _Optional[int] = ...) -> None: ...

class GetCategoryMapRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CategoryMap(_message.Message):
    __slots__ = ("category_competences",)
    class CategoryCompetencesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CATEGORY_COMPETENCES_FIELD_NUMBER: _ClassVar[int]
    category_competences: _containers.ScalarMap[str, str]
    def __init__(self, category_competences: _Optional[_Mapping[str, str]] = ...) -> None: ...

class CreateExamRequest(_message.Message):
    __slots__ = ("title", "time_limit_seconds", "pass_score", "item_ids", "rules", "settings")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    PASS_SCORE_FIELD_NUMBER: _ClassVar[int]
    ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    title: str
    time_limit_seconds: int
    pass_score: float
    item_ids: _containers.RepeatedScalarFieldContainer[str]
    rules: _containers.RepeatedCompositeFieldContainer[BlueprintRule]
    settings: _events_pb2.ExamSettings
    def __init__(self, title: _Optional[str] = ..., time_limit_seconds: _Optional[int] = ..., pass_score: _Optional[float] = ..., item_ids: _Optional[_Iterable[str]] = ..., rules: _Optional[_Iterable[_Union[BlueprintRule, _Mapping]]] = ..., settings: _Optional[_Union[_events_pb2.ExamSettings, _Mapping]] = ...) -> None: ...

class BlueprintRule(_message.Message):
    __slots__ = ("count", "competence", "tag", "difficulty_min", "difficulty_max", "item_ids", "pool_size")
    COUNT_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    DIFFICULTY_MIN_FIELD_NUMBER: _ClassVar[int]
    DIFFICULTY_MAX_FIELD_NUMBER: _ClassVar[int]
    ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    POOL_SIZE_FIELD_NUMBER: _ClassVar[int]
    count: int
    competence: str
    tag: str
    difficulty_min: int
    difficulty_max: int
    item_ids: _containers.RepeatedScalarFieldContainer[str]
    pool_size: int
    def __init__(self, count: _Optional[int] = ..., competence: _Optional[str] = ..., tag: _Optional[str] = ..., difficulty_min: _Optional[int] = ..., difficulty_max: _Optional[int] = ..., item_ids: _Optional[_Iterable[str]] = ..., pool_size: _Optional[int] = ...) -> None: ...

class GetExamRequest(_message.Message):
    __slots__ = ("exam_id",)
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    def __init__(self, exam_id: _Optional[str] = ...) -> None: ...

class Exam(_message.Message):
    __slots__ = ("id", "title", "time_limit_seconds", "pass_score", "item_ids", "status", "question_count", "settings", "rules")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    PASS_SCORE_FIELD_NUMBER: _ClassVar[int]
    ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    QUESTION_COUNT_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    time_limit_seconds: int
    pass_score: float
    item_ids: _containers.RepeatedScalarFieldContainer[str]
    status: ExamStatus
    question_count: int
    settings: _events_pb2.ExamSettings
    rules: _containers.RepeatedCompositeFieldContainer[BlueprintRule]
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ..., time_limit_seconds: _Optional[int] = ..., pass_score: _Optional[float] = ..., item_ids: _Optional[_Iterable[str]] = ..., status: _Optional[_Union[ExamStatus, str]] = ..., question_count: _Optional[int] = ..., settings: _Optional[_Union[_events_pb2.ExamSettings, _Mapping]] = ..., rules: _Optional[_Iterable[_Union[BlueprintRule, _Mapping]]] = ...) -> None: ...

class PublishExamRequest(_message.Message):
    __slots__ = ("exam_id",)
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    def __init__(self, exam_id: _Optional[str] = ...) -> None: ...

class ListExamsRequest(_message.Message):
    __slots__ = ("include_drafts",)
    INCLUDE_DRAFTS_FIELD_NUMBER: _ClassVar[int]
    include_drafts: bool
    def __init__(self, include_drafts: _Optional[bool] = ...) -> None: ...

class ListExamsResponse(_message.Message):
    __slots__ = ("exams",)
    EXAMS_FIELD_NUMBER: _ClassVar[int]
    exams: _containers.RepeatedCompositeFieldContainer[Exam]
    def __init__(self, exams: _Optional[_Iterable[_Union[Exam, _Mapping]]] = ...) -> None: ...

class GetExamFormRequest(_message.Message):
    __slots__ = ("exam_id",)
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    def __init__(self, exam_id: _Optional[str] = ...) -> None: ...

class FormOption(_message.Message):
    __slots__ = ("id", "text")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    id: str
    text: str
    def __init__(self, id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class FormQuestion(_message.Message):
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
    type: ItemType
    text: str
    options: _containers.RepeatedCompositeFieldContainer[FormOption]
    targets: _containers.RepeatedCompositeFieldContainer[FormOption]
    competence: str
    def __init__(self, item_id: _Optional[str] = ..., item_version: _Optional[int] = ..., type: _Optional[_Union[ItemType, str]] = ..., text: _Optional[str] = ..., options: _Optional[_Iterable[_Union[FormOption, _Mapping]]] = ..., targets: _Optional[_Iterable[_Union[FormOption, _Mapping]]] = ..., competence: _Optional[str] = ...) -> None: ...

class ExamForm(_message.Message):
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
    questions: _containers.RepeatedCompositeFieldContainer[FormQuestion]
    form_version: int
    settings: _events_pb2.ExamSettings
    rules: _containers.RepeatedCompositeFieldContainer[_events_pb2.DrawRule]
    def __init__(self, exam_id: _Optional[str] = ..., title: _Optional[str] = ..., time_limit_seconds: _Optional[int] = ..., pass_score: _Optional[float] = ..., questions: _Optional[_Iterable[_Union[FormQuestion, _Mapping]]] = ..., form_version: _Optional[int] = ..., settings: _Optional[_Union[_events_pb2.ExamSettings, _Mapping]] = ..., rules: _Optional[_Iterable[_Union[_events_pb2.DrawRule, _Mapping]]] = ...) -> None: ...

class GetAnswerKeyRequest(_message.Message):
    __slots__ = ("exam_id",)
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    def __init__(self, exam_id: _Optional[str] = ...) -> None: ...

class ItemKey(_message.Message):
    __slots__ = ("item_id", "item_version", "type", "option_weights", "competence", "correct_order", "correct_pairs", "accepted_texts", "numeric_answers", "points", "competence_area", "voided")
    class OptionWeightsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    class CorrectPairsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_VERSION_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OPTION_WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    CORRECT_ORDER_FIELD_NUMBER: _ClassVar[int]
    CORRECT_PAIRS_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_TEXTS_FIELD_NUMBER: _ClassVar[int]
    NUMERIC_ANSWERS_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_AREA_FIELD_NUMBER: _ClassVar[int]
    VOIDED_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    item_version: int
    type: ItemType
    option_weights: _containers.ScalarMap[str, float]
    competence: str
    correct_order: _containers.RepeatedScalarFieldContainer[str]
    correct_pairs: _containers.ScalarMap[str, str]
    accepted_texts: _containers.RepeatedCompositeFieldContainer[ShortAnswerKey]
    numeric_answers: _containers.RepeatedCompositeFieldContainer[NumericKey]
    points: float
    competence_area: str
    voided: bool
    def __init__(self, item_id: _Optional[str] = ..., item_version: _Optional[int] = ..., type: _Optional[_Union[ItemType, str]] = ..., option_weights: _Optional[_Mapping[str, float]] = ..., competence: _Optional[str] = ..., correct_order: _Optional[_Iterable[str]] = ..., correct_pairs: _Optional[_Mapping[str, str]] = ..., accepted_texts: _Optional[_Iterable[_Union[ShortAnswerKey, _Mapping]]] = ..., numeric_answers: _Optional[_Iterable[_Union[NumericKey, _Mapping]]] = ..., points: _Optional[float] = ..., competence_area: _Optional[str] = ..., voided: _Optional[bool] = ...) -> None: ...

class ShortAnswerKey(_message.Message):
    __slots__ = ("text", "weight", "feedback")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    text: str
    weight: float
    feedback: str
    def __init__(self, text: _Optional[str] = ..., weight: _Optional[float] = ..., feedback: _Optional[str] = ...) -> None: ...

class NumericKey(_message.Message):
    __slots__ = ("value", "tolerance", "weight", "feedback")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    TOLERANCE_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    value: float
    tolerance: float
    weight: float
    feedback: str
    def __init__(self, value: _Optional[float] = ..., tolerance: _Optional[float] = ..., weight: _Optional[float] = ..., feedback: _Optional[str] = ...) -> None: ...

class AnswerKey(_message.Message):
    __slots__ = ("exam_id", "title", "pass_score", "items", "form_version", "settings", "held", "competence_names")
    class CompetenceNamesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    EXAM_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PASS_SCORE_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    FORM_VERSION_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    HELD_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_NAMES_FIELD_NUMBER: _ClassVar[int]
    exam_id: str
    title: str
    pass_score: float
    items: _containers.RepeatedCompositeFieldContainer[ItemKey]
    form_version: int
    settings: _events_pb2.ExamSettings
    held: _containers.RepeatedCompositeFieldContainer[ItemKey]
    competence_names: _containers.ScalarMap[str, str]
    def __init__(self, exam_id: _Optional[str] = ..., title: _Optional[str] = ..., pass_score: _Optional[float] = ..., items: _Optional[_Iterable[_Union[ItemKey, _Mapping]]] = ..., form_version: _Optional[int] = ..., settings: _Optional[_Union[_events_pb2.ExamSettings, _Mapping]] = ..., held: _Optional[_Iterable[_Union[ItemKey, _Mapping]]] = ..., competence_names: _Optional[_Mapping[str, str]] = ...) -> None: ...
