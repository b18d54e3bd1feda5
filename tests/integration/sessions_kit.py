"""What the sessions integration tests share: a test bank that must not be asked, the questions of the exam they
publish, and starting and saving as the gateway would."""
from __future__ import annotations

import uuid

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.sessions.v1 import sessions_pb2 as pb
from gramota.sessions.domain import ExamRules
from gramota.sessions.events import cache_form
from gramota.sessions.server import save_reply
from gramota.shared.grpc_runtime import identity


class NoBank:
    """Starting never asks the bank once the form is cached (the start-storm promise)."""

    def GetExamForm(self, *args, **kwargs):
        raise AssertionError("a cached form must not be fetched from the test bank")


QUESTIONS = [
    {"id": "q-single", "item_version": 1, "type": "single_choice", "text": "One?",
     "options": [{"id": "o1", "text": "a"}, {"id": "o2", "text": "b"}]},
    {"id": "q-multi", "item_version": 1, "type": "multiple_choice", "text": "Many?",
     "options": [{"id": "o1", "text": "a"}, {"id": "o2", "text": "b"}, {"id": "o3", "text": "c"}]},
    {"id": "q-tf", "item_version": 1, "type": "true_false", "text": "True?",
     "options": [{"id": "true", "text": "Верно"}, {"id": "false", "text": "Неверно"}]},
    {"id": "q-order", "item_version": 1, "type": "ordering", "text": "Order",
     "options": [{"id": "s1", "text": "first"}, {"id": "s2", "text": "second"}, {"id": "s3", "text": "third"}]},
    {"id": "q-match", "item_version": 1, "type": "matching", "text": "Match",
     "options": [{"id": "l1", "text": "L1"}, {"id": "l2", "text": "L2"}],
     "targets": [{"id": "t1", "text": "T1"}, {"id": "t2", "text": "T2"}]},
    {"id": "q-short", "item_version": 1, "type": "short_answer", "text": "Say", "options": []},
    {"id": "q-num", "item_version": 1, "type": "numeric", "text": "How many?", "options": []},
]


async def publish(pool, rules: ExamRules | None = None, time_limit: int = 600, draw_rules=None,
                  questions=QUESTIONS) -> str:
    exam_id = str(uuid.uuid4())
    async with pool.acquire() as conn:
        await cache_form(conn, exam_id, "Экзамен", time_limit, 60, 1, questions, rules, draw_rules)
    return exam_id


def who(user: str = "u1") -> events_pb2.Candidate:
    return events_pb2.Candidate(user_id=user, full_name="Кандидат", federal_district="СКФО", region="Дагестан")


async def start(svc, exam_id, user="u1") -> pb.Attempt:
    return await svc.StartAttempt(pb.StartAttemptRequest(exam_id=exam_id, candidate=who(user)), None)


async def save(svc, attempt, question_id, user="u1", **answer) -> pb.SaveAnswerResponse:
    """One save, decided as the SaveAnswers RPC decides each of its items (its refusal raised)."""
    [outcome] = await svc.answering.save_all([(pb.SaveAnswerRequest(
        attempt_id=attempt.id, candidate_id=user, question_id=question_id, **answer), identity.get())])
    if isinstance(outcome, Exception):
        raise outcome
    return save_reply(outcome)


