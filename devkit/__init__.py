"""The development kit: what the end-to-end tests, the browser demo and the benchmarks
share (browsers with the extension, the helper registered for a throw-away profile, the
fake Genspark site, a keyring in a temporary folder).

Not part of the product: pyproject.toml installs only native_host, so devkit is imported
from the repository (pytest's rootdir; the scripts put the repository on sys.path). It
never imports pytest; tests/e2e/harness.py adds pytest's skip-or-fail on top.
"""
