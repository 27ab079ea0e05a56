"""Outcomes: the wellbeing follow-up at the end of support, and the figures a manager sees."""
