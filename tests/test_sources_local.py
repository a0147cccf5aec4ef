"""Finding post files on disk: folders walked once, whatever their symlinks say."""

from __future__ import annotations

from pathlib import Path

from bookmaker.sources.local import find_post_files


def test_a_symlink_loop_does_not_read_posts_again(tmp_path: Path) -> None:
    chapters = tmp_path / "chapters"
    (chapters / "drafts").mkdir(parents=True)
    (chapters / "tides.md").write_text("# Tides\n\nLow water at noon.\n", encoding="utf-8")
    (chapters / "drafts" / "up").symlink_to("..")  # drafts/up/drafts/up/... forever
    (chapters / "again").symlink_to(".")
    assert find_post_files(chapters) == [chapters / "tides.md"]
