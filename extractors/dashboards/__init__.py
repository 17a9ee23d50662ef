"""What people open: the ready-made queries (queries.py), the self-contained HTML report (report.py) and the app."""
