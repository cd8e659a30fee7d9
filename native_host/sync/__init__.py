"""Cross-device sync, sans-I/O: keys and sealing (seal), the pairing code (pairing), the
hub handshake and first exchange (protocol); exceptions.py holds the exception tree.

The browser-launched helper never imports this package: it loads `cryptography`.
"""
