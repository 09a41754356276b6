"""Electronic queue and online booking: tickets, operator console, display board."""
