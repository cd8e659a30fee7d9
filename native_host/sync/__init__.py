"""Cross-device sync. Sans-I/O core: keys and sealing (seal), the pairing code (pairing),
the hub handshake and exchange messages (protocol), an event on the move (transfer);
exceptions.py holds the exception tree. The transports and the hub are thin shells
around them.

The browser-launched helper imports this package only once sync is set up: it loads
`cryptography` (and the hub client, `websockets`).
"""
