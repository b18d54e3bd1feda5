"""Keeping Python's cycle collector out of request latency.

A full (generation 2) collection walks every tracked object in the process. After start-up that is mostly the
imported code itself (FastAPI, pydantic, grpc, protobuf, asyncpg: a few hundred thousand objects that live as long
as the process), so each full collection stopped the event loop for 60-140 ms on this machine, and every request in
flight waited (measured: the slow clusters of the paced save benchmark lined up with these pauses, README "Exam day").
`settle()` collects once when start-up is done and then moves what survived into the permanent generation
(`gc.freeze`), so later collections walk only what was created since.
"""
from __future__ import annotations

import gc


def settle() -> None:
    """Call once, when a process has finished starting (imports done, pools open, caches primed)."""
    gc.collect()
    gc.freeze()
