"""Structured JSON logs on stderr, with the request/event being handled attached from a context variable."""
from __future__ import annotations

import contextvars
import logging
import re
import sys

from pythonjsonlogger.json import JsonFormatter

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="")


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.correlation_id = correlation_id.get()
        return True


# personal data and secrets never reach a log: fields with these names are replaced, whatever logged them
SECRET_KEYS = frozenset({"password", "new_password", "password_hash", "token", "access_token", "refresh_token",
                         "authorization", "secret", "jwt_secret", "internal_token", "identity_key", "x-gramota-identity",
                         "x-gramota-internal-token", "answer", "answers", "option_ids", "pairs", "text", "number",
                         "client_secret", "cookie"})
REDACTED = "[redacted]"
# secrets inside free text: bearer tokens, JWTs, key=value pairs of the names above
_IN_TEXT = [
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"), "Bearer " + REDACTED),
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"), REDACTED),
    (re.compile(r"(?i)\b(password|refresh_token|access_token|token|secret)(\"?\s*[=:]\s*\"?)([^\s&\",;}]+)"),
     r"\1\2" + REDACTED),
]
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def redact(value: object, depth: int = 0) -> object:
    """`value` with secrets replaced: by key in mappings, by pattern in text."""
    if depth > 5:
        return value
    if isinstance(value, dict):
        return {k: REDACTED if str(k).lower() in SECRET_KEYS else redact(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact(v, depth + 1) for v in value)
    if isinstance(value, str):
        for pattern, replacement in _IN_TEXT:
            value = pattern.sub(replacement, value)
    return value


class RedactingFilter(logging.Filter):
    """Redacts the message, its arguments and every extra field of a record before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            try:
                record.msg = record.getMessage()
            except Exception:
                record.msg = str(record.msg)
            record.args = None
        record.msg = redact(record.msg) if isinstance(record.msg, str | dict) else record.msg
        for key in list(vars(record)):
            if key in _STANDARD:
                continue
            if key.lower() in SECRET_KEYS:
                setattr(record, key, REDACTED)
            else:
                setattr(record, key, redact(getattr(record, key)))
        return True


def setup_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(service)s %(correlation_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_ContextFilter(service))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # kafka-python is chatty at INFO about every reconnect and rebalance step
    logging.getLogger("kafka").setLevel(logging.WARNING)
