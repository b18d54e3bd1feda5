"""The gateway's side of a result page: competence names from the test bank, cached for minutes; the language of
an answer; competences sorted by area."""
import asyncio

from starlette.requests import Request

from gramota.contracts.testbank.v1 import testbank_pb2 as tb
from gramota.gateway.competences import RETRY_SECONDS, CompetenceNames
from gramota.gateway.languages import request_language

FRAMEWORK = tb.ListCompetencesResponse(areas=[
    tb.CompetenceArea(code="digcomp/4", name_ru="Безопасность", name_en="Safety", competences=[
        tb.Competence(code="digcomp/4.1", name_ru="Защита устройств", name_en="Protecting devices", area="digcomp/4"),
        tb.Competence(code="digcomp/4.2", name_ru="Защита персональных данных и приватности",
                      name_en="Protecting personal data and privacy", area="digcomp/4")]),
    tb.CompetenceArea(code="practice", name_ru="Практика служащего", name_en="Practice of public officials", competences=[
        tb.Competence(code="practice/digital-hygiene", name_ru="Цифровая гигиена и приватность",
                      name_en="Digital hygiene and privacy", area="practice")]),
])


class Bank:
    def __init__(self) -> None:
        self.calls = 0
        self.down = False

    async def fetch(self):
        self.calls += 1
        if self.down:
            raise ConnectionError("testbank unavailable")
        return FRAMEWORK


def test_names_come_from_the_bank_once_per_few_minutes_and_survive_it_going_down():
    async def run():
        now = [0.0]
        bank = Bank()
        names = CompetenceNames(bank.fetch, ttl=300, clock=lambda: now[0])
        results = await asyncio.gather(*(names.get() for _ in range(5)))  # five polls at once: one call
        assert bank.calls == 1 and results[0].competence_name("digcomp/4.2", "en") == "Protecting personal data and privacy"
        now[0] = 299
        await names.get()
        assert bank.calls == 1
        now[0] = 301
        bank.down = True
        framework = await names.get()  # the bank is down: the names already known stay
        assert bank.calls == 2 and framework.competence_name("digcomp/4.1", "ru") == "Защита устройств"
        now[0] = 301 + RETRY_SECONDS / 2
        await names.get()
        assert bank.calls == 2  # and it is not asked again at every request
        empty = CompetenceNames(bank.fetch, clock=lambda: now[0])
        assert (await empty.get()).competence_name("digcomp/4.1", "ru") == "digcomp/4.1"  # never fetched: the code

    asyncio.run(run())


def test_competences_sort_by_the_frameworks_area_order_then_their_own_with_unknown_last():
    async def run():
        return await CompetenceNames(Bank().fetch).get()

    framework = asyncio.run(run())
    codes = ["zzz/legacy", "practice/digital-hygiene", "digcomp/4.2", "digcomp/4.1"]
    ordered = sorted(codes, key=lambda c: framework.sort_key(c, framework.area_of(c)))
    assert ordered == ["digcomp/4.1", "digcomp/4.2", "practice/digital-hygiene", "zzz/legacy"]
    assert framework.area_of("digcomp/4.2", "") == "digcomp/4" and framework.area_of("zzz/legacy", "x") == "x"
    assert framework.area_name("practice", "en") == "Practice of public officials"


def _request(accept_language: str | None = None) -> Request:
    headers = [(b"accept-language", accept_language.encode())] if accept_language is not None else []
    return Request({"type": "http", "headers": headers})


def test_the_language_is_the_query_then_accept_language_then_russian():
    assert request_language(_request()) == "ru"
    assert request_language(_request("en-GB,en;q=0.9"), None) == "en"
    assert request_language(_request("en-GB,en;q=0.9"), "ru") == "ru"
    assert request_language(_request("de-DE,ru;q=0.3,en;q=0.7")) == "en"
    assert request_language(_request("fr, de;q=0.5")) == "ru"
    assert request_language(_request("en;q=0, ru;q=bad")) == "ru"
    assert request_language(_request(), "xx") == "ru"
