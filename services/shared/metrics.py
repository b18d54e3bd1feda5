"""Prometheus metrics every service exposes; names documented in the README."""
from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, start_http_server

RPC_LATENCY = Histogram(
    "gramota_grpc_server_handling_seconds", "gRPC handling time", ["service", "method", "code"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
OUTBOX_PUBLISHED = Counter("gramota_outbox_published_total", "Events relayed from the outbox to Kafka", ["service", "topic"])
OUTBOX_BACKLOG = Gauge("gramota_outbox_backlog", "Events waiting in the outbox", ["service"])
EVENTS_CONSUMED = Counter(
    "gramota_events_consumed_total", "Events handled by a consumer", ["service", "type", "outcome"]
)
CONSUMER_RESTARTS = Counter(
    "gramota_consumer_restarts_total", "Times a consumer was closed and joined its group again", ["service", "reason"]
)
CONSUMER_BATCHES = Counter(
    "gramota_consumer_batches_total", "Polls handled in one transaction (committed) or handed back event by event (fallback)",
    ["service", "outcome"])
CONSUMER_LAG = Gauge("gramota_consumer_lag", "Records behind the end of each assigned partition", ["service", "topic", "partition"])


def start_metrics_server(port: int) -> None:
    if port:
        start_http_server(port, addr="0.0.0.0")
