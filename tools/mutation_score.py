"""Summarise a `mutmut run` for `make mutate`: one score, per module, and the survivors.

Reads mutmut's per-file results (``mutants/**/*.py.meta``). A mutant that no selected test
kills is a promise nobody checks, unless `docs/testing.md` names it (in backticks) with the
reason it is harmless. The last line is ``mutation_score=… killed=… survived=… …``; the exit
status is 1 when the score is under the target or a survivor is not explained.

Usage: python tools/mutation_score.py [--target 0.85] [--mutants mutants] [--docs docs/testing.md]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

# mutmut's own exit-code table (mutmut.stats.status_by_exit_code), kept here so the
# summary reads the files without importing mutmut's CLI.
_KILLED = {1, 3, 24, -24, 36, 152, 255, 37}
_SURVIVED = {0, 5, 33}
_NOT_RUN = {None, 2, 34}

_NAME = re.compile(r"`([\w.]+__mutmut_\d+)`")


def statuses(mutants: Path) -> dict[str, str]:
    """Every mutant's outcome: killed, survived or not run."""
    found: dict[str, str] = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        codes = json.loads(meta.read_text("utf-8")).get("exit_code_by_key", {})
        for name, code in codes.items():
            if code in _KILLED:
                found[name] = "killed"
            elif code in _SURVIVED:
                found[name] = "survived"
            elif code in _NOT_RUN:
                found[name] = "not run"
            else:  # segfaults and "suspicious" results: the mutant broke the run
                found[name] = "killed"
    return found


def explained(docs: Path) -> set[str]:
    return set(_NAME.findall(docs.read_text("utf-8"))) if docs.exists() else set()


def module_of(name: str) -> str:
    # mutmut names a function's mutant ``module.x_function__mutmut_N`` and a method's
    # ``module.xǁClassǁmethod__mutmut_N``.
    match = re.match(r"(.+?)\.x[_ǁ]", name)
    return match.group(1) if match else name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=float, default=0.85)
    parser.add_argument("--mutants", type=Path, default=Path("mutants"))
    parser.add_argument("--docs", type=Path, default=Path("docs/testing.md"))
    args = parser.parse_args(argv)

    found = statuses(args.mutants)
    if not found:
        print(f"no mutmut results under {args.mutants}/; run `make mutate`", file=sys.stderr)
        return 2
    known = explained(args.docs)
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    for name, status in found.items():
        by_module[module_of(name)][status] += 1
    for module, counts in sorted(by_module.items()):
        tested = counts["killed"] + counts["survived"]
        score = counts["killed"] / tested if tested else 0.0
        print(f"{module}: {score:.3f} (killed {counts['killed']}, survived "
              f"{counts['survived']}, not run {counts['not run']})")

    survivors = sorted(n for n, s in found.items() if s == "survived")
    unexplained = [n for n in survivors if n not in known]
    not_run = sum(1 for s in found.values() if s == "not run")
    for name in unexplained:
        print(f"unexplained survivor: {name} (see `mutmut show {name}`)")
    killed = sum(1 for s in found.values() if s == "killed")
    tested = killed + len(survivors)
    score = killed / tested if tested else 0.0
    print(f"mutation_score={score:.3f} killed={killed} survived={len(survivors)} "
          f"explained={len(survivors) - len(unexplained)} unexplained={len(unexplained)} "
          f"not_run={not_run} target={args.target}")
    return 0 if score >= args.target and not unexplained and not not_run else 1


if __name__ == "__main__":
    sys.exit(main())
