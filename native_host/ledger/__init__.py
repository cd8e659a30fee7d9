"""The tally: an append-only, per-device event log and the pure rules that fold it.

events.py, periods.py, plans.py, costs.py and tally.py are the sans-I/O core;
store.py is the SQLite shell that appends and reads events.
"""
