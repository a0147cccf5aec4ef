"""A session-wide EPUBCheck process for the test suite (see client.py)."""
