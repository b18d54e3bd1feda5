"""Server-rendered pages (Russian by default, English with ?lang=en), one module per audience."""
from fastapi import APIRouter

from . import bank, certificates, dashboard, exam, landing, verify

router = APIRouter(include_in_schema=False)
for module in (landing, verify, bank, certificates, dashboard, exam):
    router.include_router(module.router)
