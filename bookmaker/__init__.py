"""bookmaker: turn a blog into a book."""

__version__ = "0.1.0"
