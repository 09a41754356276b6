"""The organisation network: oblasts, hromadas (КАТОТТГ), centers (ЦНАП), offices (ТП, ВРМ, mobile), schedules, providers (СНАП)."""
