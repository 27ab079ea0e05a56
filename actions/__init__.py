"""Custom actions for the Rasa SDK action server: thin wrappers around `bot.intake`."""
