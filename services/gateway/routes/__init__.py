"""The public REST contract, /api/v1, one module per area. Thin: check who may do what, call the services."""
from . import accounts, analytics, attempts, bank, certificates, corrections, personal_data, reference

# Matched in this order, one route after another: the exam's own calls (saves every few seconds from every
# candidate) come first. No path of one router matches a route of another, so the order changes nothing else.
ROUTERS = [attempts.router, accounts.router, bank.router, corrections.router, certificates.router, certificates.public,
           analytics.router, personal_data.router, reference.router]
