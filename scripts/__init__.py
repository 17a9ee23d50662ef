"""Developer entry points run by make (demo, bench)."""
