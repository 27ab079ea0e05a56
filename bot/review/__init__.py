"""The link worker review app."""
