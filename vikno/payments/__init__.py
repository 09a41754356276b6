"""Fees and payment records, payment provider adapters."""
