"""The candidate's exam pages: log in, the list of exams, the attempt with its countdown, the result.

The pages are frames; static/exam.js fills them from the REST API with the bearer token kept in
sessionStorage, so the page and curl see exactly the same contract.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from .layout import AUTH_TAG, QUESTION_TAG, WORDING_TAG, esc, language, other_language, page

router = APIRouter()
STATIC = Path(__file__).parent / "static"
SCRIPT = (STATIC / "exam.js").read_text(encoding="utf-8")
STYLE = (STATIC / "exam.css").read_text(encoding="utf-8")
AUTH_SCRIPT = (STATIC / "auth.js").read_text(encoding="utf-8")
WORDING_SCRIPT = (STATIC / "wording.js").read_text(encoding="utf-8")
QUESTION_SCRIPT = (STATIC / "question.js").read_text(encoding="utf-8")

T = {
    "ru": {
        "title": "Грамота — экзамен", "login": "Вход", "username": "Имя пользователя", "password": "Пароль",
        "sign_in": "Войти", "bad_login": "Неверное имя пользователя или пароль", "logout": "Выйти",
        "exams": "Мои экзамены", "no_exams": "Сейчас нет доступных экзаменов.", "start": "Начать",
        "resume": "Продолжить", "attempts_left": "Осталось попыток",
        "unlimited": "без ограничений", "last_result": "Последний результат",
        "availability": {"available": "Доступен", "in_progress": "Попытка идёт", "cooldown": "Следующая попытка с",
                         "exhausted": "Попытки исчерпаны", "not_open": "Откроется", "closed": "Закрыт"},
        "time_left": "Осталось", "question": "Вопрос", "of": "из", "prev": "Назад", "next": "Далее",
        "flag": "Отметить для проверки", "unflag": "Снять отметку", "finish": "Завершить экзамен",
        "answered": "есть ответ", "flagged": "отмечен", "nav": "Вопросы",
        "saved": "Ответы сохранены", "saving": "Сохраняем…",
        "offline": "Нет связи с сервером: ответы сохранены на этом устройстве и будут отправлены автоматически",
        "up": "Выше", "down": "Ниже", "choose": "— выберите —", "your_answer": "Ваш ответ", "number": "Число",
        "confirm_title": "Завершить экзамен?", "confirm_text": "После завершения изменить ответы будет нельзя.",
        "unanswered": "Без ответа", "flagged_count": "Отмечено для проверки", "confirm": "Завершить",
        "cancel": "Вернуться к вопросам", "time_up": "Время вышло. Ответы отправлены.",
        "sequential": "Вопросы идут по порядку: вернуться к предыдущему нельзя.",
        "result": "Результат", "scoring": "Результат подсчитывается…", "score": "Баллы", "passed": "Экзамен сдан",
        "failed": "Экзамен не сдан", "certificate": "Скачать сертификат (PDF)",
        "breakdown": "Результаты по компетенциям", "pass_line": "Проходной балл экзамена", "other_area": "Другое",
        "area_missed": "Не набран минимум по области", "minimum": "минимум",
        "rescored": "Результат пересчитан", "was": "было",
        "breakdown_pending": "Результаты по компетенциям появятся после проверки.",
        "certificate_pending": "Сертификат готовится…", "back": "К списку экзаменов", "auto": "Отправлено сервером по истечении времени",
        "submitted_at": "Завершено", "error": "Ошибка", "position": "Позиция",
        "certificate_serial": "Сертификат №",
        "practice_note": "Это пробный экзамен: он показывает ваш результат, сертификат по нему не выдаётся.",
        "practice": "пробный, без сертификата",
        "skip": "Перейти к вопросу", "current": "текущий", "try_again": "Попробовать ещё раз",
        "leave_title": "Выйти из экзамена?", "leave": "Выйти",
        "leave_text": "Экзамен продолжается: ответы сохранены, но время идёт и после выхода.",
        "stay": "Остаться в экзамене",
        "question_forms": {"one": "вопрос", "few": "вопроса", "many": "вопросов", "other": "вопроса"},
        "minute_forms": {"one": "минута", "few": "минуты", "many": "минут", "other": "минуты"},
        "partial_credit": "Баллы бывают дробными: за частично верный ответ (например, выбраны не все верные "
                          "варианты) начисляется часть балла.",
    },
    "en": {
        "title": "Gramota — exam", "login": "Log in", "username": "Username", "password": "Password",
        "sign_in": "Log in", "bad_login": "Wrong username or password", "logout": "Log out",
        "exams": "My exams", "no_exams": "No exams are available now.", "start": "Start",
        "resume": "Resume", "attempts_left": "Attempts left",
        "unlimited": "unlimited", "last_result": "Last result",
        "availability": {"available": "Available", "in_progress": "Attempt in progress", "cooldown": "Next attempt from",
                         "exhausted": "No attempts left", "not_open": "Opens", "closed": "Closed"},
        "time_left": "Time left", "question": "Question", "of": "of", "prev": "Previous", "next": "Next",
        "flag": "Flag for review", "unflag": "Remove flag", "finish": "Finish the exam",
        "answered": "answered", "flagged": "flagged", "nav": "Questions",
        "saved": "Answers saved", "saving": "Saving…",
        "offline": "No connection: your answers are kept on this device and will be sent automatically",
        "up": "Up", "down": "Down", "choose": "— choose —", "your_answer": "Your answer", "number": "Number",
        "confirm_title": "Finish the exam?", "confirm_text": "Once finished, answers can no longer change.",
        "unanswered": "Unanswered", "flagged_count": "Flagged for review", "confirm": "Finish",
        "cancel": "Back to the questions", "time_up": "Time is up. Your answers have been submitted.",
        "sequential": "Questions go in order: you cannot go back to a previous one.",
        "result": "Result", "scoring": "Your result is being scored…", "score": "Score", "passed": "Passed",
        "failed": "Not passed", "certificate": "Download the certificate (PDF)",
        "breakdown": "Results by competence", "pass_line": "Pass mark of the exam", "other_area": "Other",
        "area_missed": "Area minimum not reached", "minimum": "minimum",
        "rescored": "Result rescored", "was": "was",
        "breakdown_pending": "Results by competence will appear once your answers are scored.",
        "certificate_pending": "The certificate is being prepared…", "back": "Back to my exams",
        "auto": "Submitted by the server when the time ran out", "submitted_at": "Finished", "error": "Error",
        "position": "Position", "certificate_serial": "Certificate no.",
        "practice_note": "This is a practice exam: it shows your result; it issues no certificate.",
        "practice": "practice, no certificate",
        "skip": "Skip to the question", "current": "current", "try_again": "Try again",
        "leave_title": "Leave the exam?", "leave": "Leave",
        "leave_text": "The exam goes on: your answers are saved, but the time keeps running after you leave.",
        "stay": "Stay in the exam",
        "question_forms": {"one": "question", "other": "questions"},
        "minute_forms": {"one": "minute", "other": "minutes"},
        "partial_credit": "Points can be fractional: a partly right answer (say, not every right option chosen) "
                          "earns part of a point.",
    },
}


def _frame(lang: str, view: str, here: str, attempt_id: str = "") -> HTMLResponse:
    t = T[lang]
    # "</" escaped so no text can close the script element early
    config = json.dumps({"lang": lang, "view": view, "attemptId": attempt_id, "t": t}, ensure_ascii=False).replace("</", "<\\/")
    # only the result is announced as it changes (scored, certificate ready); the exam's clock has its own live region
    live = ' aria-live="polite"' if view == "result" else ""
    body = f"""<div id="app" data-view="{view}"{live}><div class="card">…</div></div>
<script>window.GRAMOTA = {config};</script>{AUTH_TAG}{WORDING_TAG}{QUESTION_TAG}<script src="/exam/static/exam.js" defer></script>"""
    sep = "&" if "?" in here else "?"
    nav = f'<a href="/exam?lang={lang}">{esc(t["exams"])}</a><a href="#" id="logout" hidden>{esc(t["logout"])}</a>'
    return page(lang, t["title"], body, f"{here}{sep}lang={other_language(lang)}",
                extra_head='<link rel="stylesheet" href="/exam/static/exam.css">', nav=nav)


Lang = Annotated[str | None, Query()]


@router.get("/exam/login", response_class=HTMLResponse)
async def login_page(lang: Lang = None) -> HTMLResponse:
    return _frame(language(lang), "login", "/exam/login")


@router.get("/exam", response_class=HTMLResponse)
async def exams_page(lang: Lang = None) -> HTMLResponse:
    return _frame(language(lang), "exams", "/exam")


@router.get("/exam/attempts/{attempt_id}", response_class=HTMLResponse)
async def attempt_page(attempt_id: str, lang: Lang = None) -> HTMLResponse:
    return _frame(language(lang), "attempt", f"/exam/attempts/{esc(attempt_id)}", attempt_id)


@router.get("/exam/attempts/{attempt_id}/result", response_class=HTMLResponse)
async def result_page(attempt_id: str, lang: Lang = None) -> HTMLResponse:
    return _frame(language(lang), "result", f"/exam/attempts/{esc(attempt_id)}/result", attempt_id)


@router.get("/exam/static/exam.js")
async def script() -> Response:
    return Response(SCRIPT, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@router.get("/static/auth.js")
async def auth_script() -> Response:
    return Response(AUTH_SCRIPT, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@router.get("/static/question.js")
async def question_script() -> Response:
    return Response(QUESTION_SCRIPT, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@router.get("/static/wording.js")
async def wording_script() -> Response:
    return Response(WORDING_SCRIPT, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@router.get("/exam/static/exam.css")
async def style() -> Response:
    return Response(STYLE, media_type="text/css", headers={"Cache-Control": "no-cache"})
