"""Cross-cutting records: the append-only, hash-chained audit log."""

from __future__ import annotations

from django.db import models

from .scoping import ScopedManager


class AuditEvent(models.Model):
    """One state change or one staff view of personal data. Rows are never updated or deleted
    (a database trigger refuses it); each row carries the SHA-256 of its content and of the
    previous row of the same chain, so a removed or edited row breaks the chain visibly."""

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id", "provider": "provider_id"}

    chain = models.CharField(max_length=40, help_text="Chain key: one chain per center (or 'global').")
    seq = models.BigIntegerField(help_text="Position in the chain, from 1.")
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    center_id = models.BigIntegerField(null=True, blank=True)
    region_id = models.BigIntegerField(null=True, blank=True)
    provider_id = models.BigIntegerField(null=True, blank=True)
    office_id = models.BigIntegerField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")]
        indexes = [
            models.Index(fields=["center_id", "-at"], name="audit_center_at"),
            models.Index(fields=["region_id", "-at"], name="audit_region_at"),
            models.Index(fields=["provider_id", "-at"], name="audit_provider_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"


class RateCounter(models.Model):
    """A count of requests (or failures) under one key — e.g. a bucket and a client address — in a fixed
    time window, shared by every app process (``core.ratelimit``). Rows whose window has ended are
    restarted by the next hit and removed by the periodic booking sweep."""

    key = models.CharField(max_length=200, primary_key=True)
    expires_at = models.DateTimeField()
    count = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.expires_at:%Y-%m-%d %H:%M:%S}"
