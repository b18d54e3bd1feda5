"""The common event envelope: build one for the outbox, open one from Kafka."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from google.protobuf import any_pb2, message, timestamp_pb2

from gramota.contracts.events.v1 import events_pb2

from . import topics

# event type -> payload message class, so a consumer gets a typed message
PAYLOAD_OF: dict[str, type[message.Message]] = {
    topics.EXAM_PUBLISHED: events_pb2.ExamPublished,
    topics.EXAM_RETIRED: events_pb2.ExamRetired,
    topics.ATTEMPT_STARTED: events_pb2.AttemptStarted,
    topics.ATTEMPT_SUBMITTED: events_pb2.AttemptSubmitted,
    topics.RESULT_SCORED: events_pb2.ResultScored,
    topics.RESULT_RESCORED: events_pb2.ResultRescored,
    topics.CERTIFICATE_ISSUED: events_pb2.CertificateIssued,
    topics.CERTIFICATE_REVOKED: events_pb2.CertificateRevoked,
    topics.CERTIFICATE_SUSPENDED: events_pb2.CertificateSuspended,
    topics.CERTIFICATE_REINSTATED: events_pb2.CertificateReinstated,
}


def timestamp(dt: datetime) -> timestamp_pb2.Timestamp:
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(dt.astimezone(UTC))
    return ts


def from_timestamp(ts: timestamp_pb2.Timestamp) -> datetime:
    return ts.ToDatetime(tzinfo=UTC)


def envelope(event_type: str, payload: message.Message, *, aggregate_id: str, producer: str,
             occurred_at: datetime | None = None) -> events_pb2.Envelope:
    if not isinstance(payload, PAYLOAD_OF[event_type]):
        raise TypeError(f"{event_type} carries {PAYLOAD_OF[event_type].__name__}, not {type(payload).__name__}")
    packed = any_pb2.Any()
    packed.Pack(payload)
    return events_pb2.Envelope(
        event_id=str(uuid.uuid4()),
        type=event_type,
        occurred_at=timestamp(occurred_at or datetime.now(UTC)),
        producer=producer,
        aggregate_id=aggregate_id,
        payload=packed,
    )


@dataclass(frozen=True)
class Event:
    envelope: events_pb2.Envelope
    payload: message.Message

    @property
    def id(self) -> str:
        return self.envelope.event_id

    @property
    def type(self) -> str:
        return self.envelope.type


class UndecodableEvent(ValueError):
    pass


def decode(raw: bytes) -> Event:
    try:
        env = events_pb2.Envelope.FromString(raw)
    except message.DecodeError as exc:
        raise UndecodableEvent(f"not an Envelope: {exc}") from exc
    cls = PAYLOAD_OF.get(env.type)
    if cls is None:
        raise UndecodableEvent(f"unknown event type {env.type!r}")
    payload = cls()
    if not env.payload.Unpack(payload):
        raise UndecodableEvent(f"{env.type} payload is not {cls.__name__}")
    return Event(env, payload)
