"""The public REST contract, /api/v1, one module per area. Thin: check who may do what, call the services."""
from . import accounts, analytics, attempts, bank, certificates, personal_data

ROUTERS = [accounts.router, bank.router, attempts.router, certificates.router, certificates.public, analytics.router,
           personal_data.router]
