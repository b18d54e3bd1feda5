"""PDFs are rendered in a process of their own, at a lower priority, and a render process that dies is replaced."""
from __future__ import annotations

import json
import os
import signal
from datetime import UTC, datetime

from gramota.certificates.rendering import RENDER_NICENESS, Pages

ROW = {"serial": "ABCD2EFGH3JKM", "key_id": "", "signature": None, "payload": None, "holder_name": "Иванова Мария",
       "exam_title": "Цифровая грамотность", "score_percent": 87.5, "issued_at": datetime(2026, 12, 3, tzinfo=UTC),
       "language": "ru", "expires_at": None, "competences": json.dumps([{"competence": "1.1", "percent": 90.0}])}


async def test_the_render_process_runs_niced_and_a_dead_one_is_replaced():
    issuer = Pages("https://gramota.example")
    try:
        first = await issuer.render(ROW)
        assert first.startswith(b"%PDF")
        [pid] = list(issuer._render_pool()._processes)
        assert pid != os.getpid()
        assert os.getpriority(os.PRIO_PROCESS, pid) >= os.getpriority(os.PRIO_PROCESS, 0) + RENDER_NICENESS
        os.kill(pid, signal.SIGKILL)  # the render process dies (out of memory, a crash)
        second = await issuer.render(ROW)
        assert second.startswith(b"%PDF")
        assert list(issuer._render_pool()._processes) != [pid]
    finally:
        issuer.close()
