"""DNS guidance for hosted domains: the records a domain should publish (records.py), the
same as a BIND zone snippet (zone.py), the MTA-STS policy HopThu serves (mtasts.py), and
a live check of what DNS actually answers (check.py). No HTML here: the panel shows it.
"""
