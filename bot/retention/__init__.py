"""What is kept, and for how long: retention periods and the purge that applies them."""
