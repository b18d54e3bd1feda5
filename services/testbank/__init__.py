"""Test bank service: items with immutable versions, exams built from pinned versions, answer keys."""
