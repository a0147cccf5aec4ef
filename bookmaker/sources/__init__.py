"""Sources: every origin of posts yields the same `Post` record."""
