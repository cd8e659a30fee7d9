"""The frozen helper (PyInstaller onedir) against the unfrozen one and a minimal frozen
host, side by side, as ratios; and what its folder holds.

    python bench/frozen.py [--helper PATH] [--runs N] [--quick]

Prints two sections: (i) cold start, spawn to the whole first `hello` reply (and to the
first `preflight` reply, an account with 60 events), of four hosts in a rotating order:
the frozen helper, the unfrozen helper (`python -m native_host`), the minimal host
frozen with the same options (build_scripts/freeze.sh) and the minimal host unfrozen
(`python bench/minimal_host.py`); (ii) the onedir folder: total size, its largest
parts, and the minimal frozen host's total for comparison. The frozen helper is the one
given (--helper, else CREDIT_GUARD_FROZEN_HELPER), else built here
(build_scripts/build_host.sh); the minimal frozen host is always built here, into a
temporary folder (about half a minute). Exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from run import (
    COLD_PREFLIGHT,
    HELPER,
    MINIMAL,
    ORIGIN,
    ROOT,
    Pipe,
    fresh_home,
    spawn_to_reply,
    usage_frame,
    verdict,
)

FROZEN_VARIABLE = "CREDIT_GUARD_FROZEN_HELPER"  # as tests/frozen_build.py
TARGET_FROZEN = 1.0  # DESIGN.md: the frozen helper starts no slower than the unfrozen one
LARGEST_PARTS = 8
MB = 1e6


def build(script: str, out: Path, *args: str) -> None:
    done = subprocess.run(
        ["bash", str(ROOT / "build_scripts" / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"{script} failed:\n{done.stdout}{done.stderr}")
    print(f"  built {out}")


def frozen_helper(given: str | None, scratch: Path) -> Path:
    named = given or os.environ.get(FROZEN_VARIABLE)
    if named:
        return Path(named)
    out = scratch / "helper"
    build("build_host.sh", out, str(out))
    return out / "credit-guard" / "credit-guard"


def minimal_frozen_host(scratch: Path) -> Path:
    """bench/minimal_host.py frozen with the helper's own PyInstaller options."""
    out = scratch / "minimal"
    entry = ROOT / "bench" / "minimal_host.py"
    build("freeze.sh", out, "minimal-host", str(entry), str(out), "--paths", str(ROOT / "bench"))
    return out / "minimal-host" / "minimal-host"


# ---------------------------------------------------------------- (i) cold start


def cold_start(frozen: Path, minimal: Path, runs: int) -> dict[str, float]:
    """Medians of spawn → first reply, the hosts in a rotating order so noise hits all
    alike; one launch of each first, so every binary's files are in the page cache."""
    frozen_helper = [str(frozen), ORIGIN]
    cases = [
        ("frozen hello", frozen_helper, None),
        ("unfrozen hello", HELPER, None),
        ("minimal frozen", [str(minimal)], None),
        ("minimal unfrozen", MINIMAL, None),
        ("frozen preflight", frozen_helper, COLD_PREFLIGHT),
        ("unfrozen preflight", HELPER, COLD_PREFLIGHT),
    ]
    times: dict[str, list[float]] = {name: [] for name, _command, _request in cases}
    with fresh_home() as home:
        helper = Pipe(HELPER, home)  # the data dir exists, as on every launch but the first
        for index in range(60):
            assert helper.ask(usage_frame(index))["ok"]
        helper.close()
        for _name, command, request in cases:
            spawn_to_reply(command, home, *(request,) if request else ())
        for index in range(runs):
            for offset in range(len(cases)):
                name, command, request = cases[(index + offset) % len(cases)]
                times[name].append(spawn_to_reply(command, home, *(request,) if request else ()))
    return {name: statistics.median(values) for name, values in times.items()}


def print_cold_start(figures: dict[str, float], runs: int) -> None:
    print(f"== (i) cold start, spawn to first reply: {runs} runs each, interleaved ==")
    frozen, unfrozen = figures["frozen hello"], figures["unfrozen hello"]
    minimal, minimal_unfrozen = figures["minimal frozen"], figures["minimal unfrozen"]
    ratio = frozen / unfrozen
    print(f"  {'host':<30}{'median ms':>10}")
    print(
        f"  {'frozen helper hello':<30}{frozen * 1e3:>10.1f}   ratio to unfrozen: {ratio:.2f}x"
        f"   target ≤ {TARGET_FROZEN:g}x: {verdict(ratio <= TARGET_FROZEN)}"
    )
    print(
        f"  {'':<30}{'':>10}   ratio to minimal frozen host: {frozen / minimal:.2f}x"
        "   (the helper's own cost, frozen)"
    )
    print(
        f"  {'unfrozen helper hello':<30}{unfrozen * 1e3:>10.1f}"
        f"   ratio to minimal unfrozen host: {unfrozen / minimal_unfrozen:.2f}x"
        "   (run.py's figure)"
    )
    print(
        f"  {'minimal frozen host hello':<30}{minimal * 1e3:>10.1f}"
        f"   ratio to minimal unfrozen host: {minimal / minimal_unfrozen:.2f}x"
        "   (what freezing alone costs or saves)"
    )
    print(f"  {'minimal unfrozen host hello':<30}{minimal_unfrozen * 1e3:>10.1f}")
    preflight = figures["frozen preflight"] / figures["unfrozen preflight"]
    print(
        f"  {'frozen helper preflight':<30}{figures['frozen preflight'] * 1e3:>10.1f}"
        f"   ratio to unfrozen preflight: {preflight:.2f}x   (60 events on the account)"
    )
    print(f"  {'unfrozen helper preflight':<30}{figures['unfrozen preflight'] * 1e3:>10.1f}")


# ---------------------------------------------------------------- (ii) the folder


def tree_size(path: Path) -> int:
    """Bytes in the files under `path` (or of `path`), links not followed."""
    if not path.is_dir():
        return path.lstat().st_size
    return sum(file.lstat().st_size for file in path.rglob("*") if not file.is_dir())


def parts(folder: Path) -> list[tuple[str, int]]:
    """The folder's parts, largest first: the executable, then each entry of _internal
    (a library, a package's folder, the standard library's extension modules)."""
    found = [(entry.name, tree_size(entry)) for entry in folder.iterdir() if entry.is_file()]
    internal = folder / "_internal"
    found += [(f"_internal/{entry.name}", tree_size(entry)) for entry in internal.iterdir()]
    return sorted(found, key=lambda part: -part[1])


def print_folder(folder: Path, minimal_folder: Path) -> None:
    total = tree_size(folder)
    files = sum(1 for file in folder.rglob("*") if file.is_file())
    print(f"== (ii) the onedir folder: {folder} ==")
    print(f"  total {total / MB:8.1f} MB in {files:,} files")
    print(f"  largest {LARGEST_PARTS} parts:")
    for name, size in parts(folder)[:LARGEST_PARTS]:
        print(f"    {name:<44}{size / MB:8.1f} MB   {size / total:5.1%}")
    minimal = tree_size(minimal_folder)
    print(
        f"  minimal frozen host's folder {minimal / MB:.1f} MB: ratio {total / minimal:.2f}x"
        f"   (the rest is the helper's own: sync's cryptography and websockets, keyring, segno)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--helper", help=f"the frozen helper (default: ${FROZEN_VARIABLE})")
    parser.add_argument("--runs", type=int, help="cold starts per host (default 20)")
    parser.add_argument("--quick", action="store_true", help="small counts, for tests")
    args = parser.parse_args(argv)
    runs = args.runs or (4 if args.quick else 20)

    print(
        f"Credit Guard frozen helper benchmarks (python {sys.version.split()[0]}, {sys.platform})"
    )
    with tempfile.TemporaryDirectory(prefix="credit-guard-frozen-bench-") as scratch:
        frozen = frozen_helper(args.helper, Path(scratch))
        minimal = minimal_frozen_host(Path(scratch))
        print_cold_start(cold_start(frozen, minimal, runs), runs)
        print_folder(frozen.parent, minimal.parent)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
