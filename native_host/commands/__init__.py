"""CLI commands: one module per verb, each with `add_arguments` and `run`."""
