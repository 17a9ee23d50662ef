"""Source-independent machinery: config, HTTP, pagination, landing, cursors, loading."""
