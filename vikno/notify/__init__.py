"""Notifications: outbox, SMS and email delivery."""
