"""Benchmarks run by `python manage.py bench ...`; they print figures, never assert."""
