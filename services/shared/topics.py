"""The one place that names Kafka topics, their partition counts, event types and consumer groups."""
from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Topic:
    name: str
    partitions: int


EXAMS = Topic("gramota.exams.v1", 3)
ATTEMPTS = Topic("gramota.attempts.v1", 6)
RESULTS = Topic("gramota.results.v1", 6)
CERTIFICATES = Topic("gramota.certificates.v1", 6)
ALL_TOPICS = (EXAMS, ATTEMPTS, RESULTS, CERTIFICATES)

# event type -> topic it travels on
EXAM_PUBLISHED = "exam.published"
EXAM_RETIRED = "exam.retired"
ATTEMPT_STARTED = "attempt.started"
ATTEMPT_SUBMITTED = "attempt.submitted"
RESULT_SCORED = "result.scored"
RESULT_RESCORED = "result.rescored"
CERTIFICATE_ISSUED = "certificate.issued"
CERTIFICATE_REVOKED = "certificate.revoked"
CERTIFICATE_SUSPENDED = "certificate.suspended"
CERTIFICATE_REINSTATED = "certificate.reinstated"

TOPIC_OF = {
    EXAM_PUBLISHED: EXAMS,
    EXAM_RETIRED: EXAMS,
    ATTEMPT_STARTED: ATTEMPTS,
    ATTEMPT_SUBMITTED: ATTEMPTS,
    RESULT_SCORED: RESULTS,
    RESULT_RESCORED: RESULTS,
    CERTIFICATE_ISSUED: CERTIFICATES,
    CERTIFICATE_REVOKED: CERTIFICATES,
    CERTIFICATE_SUSPENDED: CERTIFICATES,
    CERTIFICATE_REINSTATED: CERTIFICATES,
}

# one consumer group per consuming service: its replicas share the partitions
GROUP_SESSIONS = "gramota-sessions"
GROUP_SCORING = "gramota-scoring"
GROUP_CERTIFICATES = "gramota-certificates"


def ensure_topics(kafka: str | dict, replication_factor: int = 1) -> list[str]:
    """Create any missing topic with its named partition count; returns the names created."""
    from kafka.admin import KafkaAdminClient, NewTopic

    from .outbox import kafka_options

    admin = KafkaAdminClient(**kafka_options(kafka), client_id="gramota-topics")
    try:
        existing = set(admin.list_topics())
        missing = [t for t in ALL_TOPICS if t.name not in existing]
        if missing:
            admin.create_topics(
                [NewTopic(t.name, num_partitions=t.partitions, replication_factor=replication_factor) for t in missing]
            )
            log.info("topics created", extra={"topics": [t.name for t in missing]})
        return [t.name for t in missing]
    finally:
        admin.close()
