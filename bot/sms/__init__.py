"""The SMS channel."""
