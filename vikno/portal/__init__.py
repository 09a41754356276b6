"""The public citizen portal."""
