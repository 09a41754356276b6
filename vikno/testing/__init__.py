def work_callbacks(callbacks: list) -> list:
    """The on_commit callbacks that do work: without the audit log's head markers
    (``vikno.core.audit.HeadMarker``), which only say that a transaction is still open."""
    from vikno.core.audit import HeadMarker

    return [c for c in callbacks if not isinstance(c, HeadMarker)]
