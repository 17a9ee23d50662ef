"""Swapping a new generation of the published dbt docs in: one rename, the previous one kept, older removed."""

from __future__ import annotations

from pathlib import Path

from extractors.dbt_docs import swap_in


def _generation(folder: Path, name: str, text: str) -> Path:
    generation = folder / name
    generation.mkdir()
    (generation / "index.html").write_text(text)
    return generation


def test_each_swap_points_docs_at_the_new_generation_and_keeps_only_the_one_before(tmp_path):
    docs = tmp_path / "docs"
    for number in range(1, 4):
        swap_in(_generation(tmp_path, f".docs-{number}", f"generation {number}"), docs)
        assert (docs / "index.html").read_text() == f"generation {number}"

    assert docs.is_symlink() and docs.readlink() == Path(".docs-3")  # relative: the folder can be mounted elsewhere
    assert sorted(path.name for path in tmp_path.iterdir()) == [".docs-2", ".docs-3", "docs"]


def test_a_plain_docs_folder_from_before_is_replaced(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.html").write_text("old layout")

    swap_in(_generation(tmp_path, ".docs-1", "generation 1"), docs)

    assert docs.is_symlink() and (docs / "index.html").read_text() == "generation 1"


def test_a_killed_swap_leaves_nothing_behind_the_next_one(tmp_path):
    docs = tmp_path / "docs"
    swap_in(_generation(tmp_path, ".docs-1", "generation 1"), docs)
    _generation(tmp_path, ".docs-2", "killed before its swap")
    (tmp_path / ".docs.999999.link").symlink_to(".docs-2")

    swap_in(_generation(tmp_path, ".docs-3", "generation 3"), docs)

    assert sorted(path.name for path in tmp_path.iterdir()) == [".docs-1", ".docs-3", "docs"]
