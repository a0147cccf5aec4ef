"""Renderers: pure functions from a `Book` to an ebook file."""
