"""Scoring service: results of submitted attempts, and pass rates by district, region, organisation."""
