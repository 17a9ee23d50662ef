"""Extractors and loader for Delivery Warehouse (no Airflow imports here)."""
