"""Exam sessions service: attempts with a server-side deadline, answers saved as they are given."""
