"""Competence names for candidates' results: the test bank's framework (DigComp 2.2 areas and competences, the
programme's practice topics), kept in this gateway process for a few minutes, so a result page that polls does
not call the test bank each time. The framework changes only with the bank's migrations."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from gramota.contracts.testbank.v1 import testbank_pb2

log = logging.getLogger(__name__)

TTL_SECONDS = 300.0
RETRY_SECONDS = 15.0  # after a failed fetch: names fall back to codes, and the test bank is not asked at every request


@dataclass(frozen=True)
class Named:
    code: str
    name_ru: str
    name_en: str
    order: int

    def name(self, lang: str) -> str:
        return (self.name_en if lang == "en" else self.name_ru) or self.code


@dataclass(frozen=True)
class Framework:
    areas: dict[str, Named] = field(default_factory=dict)
    competences: dict[str, tuple[Named, str]] = field(default_factory=dict)  # code -> (competence, area code)

    @classmethod
    def of(cls, reply: testbank_pb2.ListCompetencesResponse) -> Framework:
        areas, competences = {}, {}
        for a in reply.areas:  # in the framework's order
            areas[a.code] = Named(a.code, a.name_ru, a.name_en, len(areas))
            for c in a.competences:
                competences[c.code] = (Named(c.code, c.name_ru, c.name_en, len(competences)), c.area or a.code)
        return cls(areas, competences)

    def area_of(self, competence: str, stored_area: str = "") -> str:
        known = self.competences.get(competence)
        return known[1] if known else stored_area

    def sort_key(self, competence: str, area: str) -> tuple:
        """Areas in the framework's order, competences in theirs; anything unknown after, by code."""
        a = self.areas.get(area)
        c = self.competences.get(competence)
        return (a.order if a else len(self.areas), area, c[0].order if c else len(self.competences), competence)

    def competence_name(self, code: str, lang: str) -> str:
        known = self.competences.get(code)
        return known[0].name(lang) if known else code

    def area_name(self, code: str, lang: str) -> str:
        known = self.areas.get(code)
        return known.name(lang) if known else code


class CompetenceNames:
    """The framework, fetched at most once per TTL (one fetch at a time; a failed fetch keeps the last one)."""

    def __init__(self, fetch: Callable[[], Awaitable[testbank_pb2.ListCompetencesResponse]],
                 ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self._ttl = ttl
        self._clock = clock
        self._framework = Framework()
        self._fresh_until = float("-inf")
        self._lock = asyncio.Lock()

    async def get(self) -> Framework:
        if self._clock() < self._fresh_until:
            return self._framework
        async with self._lock:
            if self._clock() < self._fresh_until:  # another request fetched it while this one waited
                return self._framework
            try:
                self._framework = Framework.of(await self._fetch())
                self._fresh_until = self._clock() + self._ttl
            except Exception:
                log.warning("could not fetch the competence framework; showing codes", exc_info=True)
                self._fresh_until = self._clock() + RETRY_SECONDS
            return self._framework
