"""Server-rendered pages (Russian by default, English with ?lang=en), one module per audience."""
from fastapi import APIRouter

from . import dashboard, landing, verify

router = APIRouter(include_in_schema=False)
for module in (landing, verify, dashboard):
    router.include_router(module.router)
