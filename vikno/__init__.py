"""Vikno: the information system of a network of Ukrainian administrative-service centers (ЦНАП)."""
