"""Certificates service: PDFs for passed results, serial numbers, verification."""
