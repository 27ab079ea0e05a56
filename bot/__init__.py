"""What Matters: a guided "what matters to you" intake for social prescribing."""

__version__ = "0.1.0"
