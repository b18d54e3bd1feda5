"""Server-rendered pages (Russian by default, English with ?lang=en), one module per audience."""
from fastapi import APIRouter

from . import bank, certificates, landing, verify

router = APIRouter(include_in_schema=False)
for module in (landing, verify, bank, certificates):
    router.include_router(module.router)
