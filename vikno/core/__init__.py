"""Shared plumbing: settings helpers, the embedded database, errors, scoping, audit, health check."""
