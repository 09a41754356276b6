"""Staff accounts, roles and their scope, login with TOTP, lockout, API tokens."""
