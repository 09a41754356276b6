"""Statistics, roll-ups, the oblast dashboard and exports."""
