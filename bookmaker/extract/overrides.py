"""The author's own extraction rules for a source: where the post is, and what to take out.

In book.toml they sit on a source (`content`, `remove`) and, for every source, in `[extract]`
(`remove`); on the command line they are `bookmaker extract --content/--remove`. Selectors are
full CSS, matched against the whole page.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookmaker.errors import ConfigError
from bookmaker.extract.select import check_selectors


@dataclass(frozen=True)
class Overrides:
    # The element holding the post; several matches are taken together, in page order.
    content: str | None = None
    # Blocks to drop wherever they are; they are also never taken for the article.
    remove: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.content or self.remove)

    def problems(self) -> list[str]:
        """One message per selector that cannot be used (for config validation); [] if none."""
        return check_selectors(([self.content] if self.content else []) + list(self.remove))

    def combined(self, other: Overrides | None) -> Overrides:
        """These rules with `other`'s on top: its content selector wins, removals add up."""
        if other is None:
            return self
        remove = tuple(dict.fromkeys(self.remove + other.remove))
        return Overrides(content=other.content or self.content, remove=remove)


def check_overrides(overrides: Overrides | None) -> None:
    """Raise ConfigError naming every selector of `overrides` that cannot be used."""
    problems = overrides.problems() if overrides else []
    if problems:
        raise ConfigError("\n".join(problems))
