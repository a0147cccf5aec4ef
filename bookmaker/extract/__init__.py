"""Turning pages into clean article fragments: rules, article finding, metadata, sanitising."""
