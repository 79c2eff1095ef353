"""Mutation testing of the code that guards the product's promises (make mutate).

    python scripts/mutate.py             # every module in mutation/modules.toml, then the table
    python scripts/mutate.py sanitizer   # one module (make mutate MODULE=sanitizer)
    python scripts/mutate.py --report    # the table of the last run, without running anything

Each module is a few files and the tests that cover them. mutmut (3.x) makes its mutants inside
functions and runs, for each one, only the selected tests that reach the mutated function, in a
fork of a process that has imported everything. Module-level values (the sanitizer's allow-lists)
are not inside a function, so the module's `explicit` mutants stand in for them: a copy of the
tree with one entry dropped or added, or one text replaced, under the same tests.

Every module runs in its own copy of the tree, var/mutation/<module>/, with its own mutmut
configuration, so one module's run never resets another's results. A survivor is a behaviour no
test describes: kill it with a test, or, when it cannot change what anyone sees, list it in
mutation/equivalents/<module>.txt with the reason. The run fails when a module scores under 90 %
killed or keeps a survivor no such file explains.
"""

import argparse
import ast
import concurrent.futures
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mutation" / "modules.toml"
EQUIVALENTS = ROOT / "mutation" / "equivalents"
WORK = ROOT / "var" / "mutation"
TREE = ["newsroom", "people", "articles", "workflow", "desk", "tests", "fixtures", "manage.py"]
TREE += ["pyproject.toml"]  # pytest's settings; a module's copy adds its mutmut section
TARGET = 90.0
PYTEST = ["-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
KILLED, SURVIVED = "killed", "survived"
# mutmut's exit codes for a mutant (mutmut/stats.py): 1 a failing test, 3 pytest's internal
# error (an import the mutant broke), timeouts by CPU limit; 0 and 33 ("no tests") survive.
MUTMUT_STATUS = {
    1: KILLED,
    3: KILLED,
    36: KILLED,
    24: KILLED,
    -24: KILLED,
    152: KILLED,
    255: KILLED,
}
MUTMUT_STATUS |= {0: SURVIVED, 5: SURVIVED, 33: SURVIVED}


def load_modules():
    with CONFIG.open("rb") as handle:
        return tomllib.load(handle)


def load_equivalents():
    """mutation/equivalents/*.txt: `<mutant>  <why it cannot change behaviour>`, a line each."""
    reasons = {}
    for path in sorted(EQUIVALENTS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                name, _, why = line.strip().partition(" ")
                if not why.strip():
                    sys.exit(f"{path.name}: {name} has no reason")
                reasons[name] = why.strip()
    return reasons


def copy_tree(destination):
    """The project as the tests see it, without the virtualenv, var/ or caches."""
    shutil.rmtree(destination, ignore_errors=True)
    destination.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "mutants")
    for name in TREE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)


def clean_env():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_ADDOPTS"}}
    return env | {"PYTHONDONTWRITEBYTECODE": "1"}


def pytest_args(module):
    return [*module["tests"], *(f"--deselect={test}" for test in module.get("deselect", []))]


# mutmut's mutants ------------------------------------------------------------------------------


def run_mutmut(name, module, work, children):
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    settings = {
        "source_paths": ["newsroom", "people", "articles", "workflow", "desk"],
        "only_mutate": module["files"],
        "also_copy": ["manage.py", "fixtures"],
        "pytest_add_cli_args_test_selection": pytest_args(module),
        "pytest_add_cli_args": ["-p", "no:randomly"],
    }
    lines = [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    (work / "pyproject.toml").write_text(
        pyproject + "\n[tool.mutmut]\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    mutmut = Path(sys.executable).with_name("mutmut")
    command = [str(mutmut), "run", "--max-children", str(children), *module.get("mutants", [])]
    with (work / "mutmut.log").open("w") as log:
        finished = subprocess.run(command, cwd=work, env=clean_env(), stdout=log, stderr=log)
    if finished.returncode != 0:
        sys.exit(f"{name}: mutmut failed (exit {finished.returncode}); see {work}/mutmut.log")
    patterns = module.get("mutants", [])
    results = {}
    for meta in (work / "mutants").rglob("*.meta"):
        for key, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if not patterns or any(fnmatch.fnmatchcase(key, p) for p in patterns):
                results[key] = MUTMUT_STATUS.get(code, f"exit {code}")
    # mutmut stops only when no pattern matches; one that matches nothing (a property, which
    # mutmut does not mutate) would leave its function untested without a word.
    idle = [p for p in patterns if not any(fnmatch.fnmatchcase(key, p) for key in results)]
    if idle:
        sys.exit(f"{name}: no mutant matches {', '.join(idle)} (see mutation/modules.toml)")
    return results


def mutmut_diff(work, key):
    mutmut = Path(sys.executable).with_name("mutmut")
    shown = subprocess.run(
        [str(mutmut), "show", key], cwd=work, env=clean_env(), capture_output=True, text=True
    )
    return [
        line
        for line in shown.stdout.splitlines()
        if line[:1] in "+-" and line[:3] not in {"+++", "---"}
    ]


# Explicit mutants, for what mutmut does not mutate ---------------------------------------------


def explicit_mutants(module):
    """(name, path, mutated source) for each explicit mutant of the module."""
    for path, spec in module.get("explicit", {}).items():
        source = (ROOT / path).read_text(encoding="utf-8")
        dotted = path.removesuffix(".py").replace("/", ".")
        for variable, changes in spec.get("values", {}).items():
            yield from _value_mutants(dotted, path, source, variable, changes)
        for label, (old, new) in spec.get("replace", {}).items():
            if source.count(old) != 1:
                sys.exit(f"{path}: the explicit mutant {label!r} needs {old!r} exactly once")
            yield f"{dotted}.{label}", path, source.replace(old, new)


def _value_mutants(dotted, path, source, variable, changes):
    """One entry dropped at a time from a module-level set (or dict of sets), and each entry of
    `add` added: the allow-lists as mutmut would mutate them if it mutated module level."""
    node = next(
        (n for n in ast.parse(source).body if isinstance(n, ast.Assign)
         and [getattr(t, "id", None) for t in n.targets] == [variable]),
        None,
    )  # fmt: skip
    if node is None:
        sys.exit(f"{path}: no module-level {variable}")
    value = ast.literal_eval(node.value)
    lines = source.splitlines(keepends=True)

    def rewritten(new_value):
        text = f"{variable} = {new_value!r}\n"
        return "".join(lines[: node.lineno - 1] + [text] + lines[node.end_lineno :])

    if isinstance(value, set):
        for entry in sorted(value):
            yield f"{dotted}.{variable}-drop-{entry}", path, rewritten(value - {entry})
        for entry in changes.get("add", []):
            yield f"{dotted}.{variable}-add-{entry}", path, rewritten(value | {entry})
        return
    for key in sorted(value):
        for entry in sorted(value[key]):
            yield (
                f"{dotted}.{variable}-drop-{key}[{entry}]",
                path,
                rewritten(value | {key: value[key] - {entry}}),
            )
        yield (
            f"{dotted}.{variable}-drop-{key}",
            path,
            rewritten({k: v for k, v in value.items() if k != key}),
        )
    for key, entries in changes.get("add", {}).items():
        for entry in entries:
            yield (
                f"{dotted}.{variable}-add-{key}[{entry}]",
                path,
                rewritten(value | {key: value.get(key, set()) | {entry}}),
            )


def run_explicit(name, module, work, children):
    mutants = list(explicit_mutants(module))
    if not mutants:
        return {}, {}
    trees = [work / f"explicit-{n}" for n in range(children)]
    for tree in trees:
        copy_tree(tree)
    command = [sys.executable, "-m", "pytest", *PYTEST, *pytest_args(module)]
    started = time.monotonic()
    clean = subprocess.run(command, cwd=trees[0], env=clean_env(), capture_output=True, text=True)
    if clean.returncode != 0:
        sys.exit(f"{name}: the tests fail without any mutant:\n{clean.stdout[-3000:]}")
    limit = 10 * (time.monotonic() - started) + 30
    free = list(trees)
    # pytest exits 1 for a failing test, and also when Django's set-up cannot import a module:
    # a mutant that breaks the import is a broken mutant, not one the tests notice.
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    django_settings = settings["tool"]["pytest"]["ini_options"]["DJANGO_SETTINGS_MODULE"]
    importing = clean_env() | {"DJANGO_SETTINGS_MODULE": django_settings}

    def run_one(mutant):
        label, path, mutated = mutant
        tree = free.pop()
        dotted = path.removesuffix(".py").replace("/", ".")
        imports = [sys.executable, "-c", f"import django; django.setup(); import {dotted}"]
        try:
            original = (tree / path).read_text(encoding="utf-8")
            (tree / path).write_text(mutated, encoding="utf-8")
            try:
                if subprocess.run(imports, cwd=tree, env=importing, capture_output=True).returncode:
                    return label, "broken (does not import)"
                done = subprocess.run(
                    command, cwd=tree, env=clean_env(), capture_output=True, timeout=limit
                )
                code = done.returncode
            except subprocess.TimeoutExpired:
                code = 36
            finally:
                (tree / path).write_text(original, encoding="utf-8")
        finally:
            free.append(tree)
        return label, {1: KILLED, 36: KILLED, 0: SURVIVED, 5: SURVIVED}.get(code, f"exit {code}")

    with concurrent.futures.ThreadPoolExecutor(max_workers=children) as pool:
        results = dict(pool.map(run_one, mutants))
    diffs = {label: _changed_lines(ROOT / path, mutated) for label, path, mutated in mutants}
    return results, diffs


def _changed_lines(path, mutated):
    before = path.read_text(encoding="utf-8").splitlines()
    after = mutated.splitlines()
    removed = [f"-{line}" for line in before if line not in after]
    return removed + [f"+{line}" for line in after if line not in before]


# The table -------------------------------------------------------------------------------------


def summarise(name, results, equivalents):
    killed = sum(1 for status in results.values() if status == KILLED)
    survivors = sorted(key for key, status in results.items() if status != KILLED)
    explained = [key for key in survivors if key in equivalents]
    unexplained = [key for key in survivors if key not in equivalents]
    score = 100.0 * killed / len(results) if results else 0.0
    return {
        "module": name,
        "mutants": len(results),
        "killed": killed,
        "equivalent": len(explained),
        "unexplained": unexplained,
        "score": score,
    }


def explain(row, equivalents):
    """A stored row read again with today's equivalents: survivors listed since are explained."""
    listed = [key for key in row["unexplained"] if key in equivalents]
    unexplained = [key for key in row["unexplained"] if key not in equivalents]
    return row | {"equivalent": row["equivalent"] + len(listed), "unexplained": unexplained}


def print_table(rows):
    print()
    print("| module | mutants | killed | equivalent (listed) | unexplained survivors | score |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['module']} | {row['mutants']} | {row['killed']} | {row['equivalent']} | "
            f"{len(row['unexplained'])} | {row['score']:.1f} % |"
        )
    total = sum(row["mutants"] for row in rows)
    killed = sum(row["killed"] for row in rows)
    if rows and total:
        minutes = sum(row.get("seconds", 0) for row in rows) / 60
        equivalent = sum(row["equivalent"] for row in rows)
        unexplained = sum(len(row["unexplained"]) for row in rows)
        score = 100 * killed / total
        print(f"| all | {total} | {killed} | {equivalent} | {unexplained} | {score:.1f} % |")
        print(f"\n{minutes:.1f} minutes")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="module names in mutation/modules.toml")
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--report", action="store_true", help="the last run's table, with today's equivalents"
    )
    options = parser.parse_args()
    modules = load_modules()
    names = options.modules or list(modules)
    unknown = sorted(set(names) - set(modules))
    if unknown:
        sys.exit(f"unknown module(s): {', '.join(unknown)}; known: {', '.join(modules)}")
    equivalents = load_equivalents()
    rows = []
    for name in names:
        work = WORK / name
        summary_file = work / "summary.json"
        if options.report:
            if summary_file.exists():
                rows.append(explain(json.loads(summary_file.read_text()), equivalents))
            continue
        started = time.monotonic()
        print(f"{name}: mutating {', '.join(modules[name]['files'])} ...", flush=True)
        copy_tree(work)
        results = run_mutmut(name, modules[name], work, options.children)
        diffs = {}
        explicit, diffs = run_explicit(name, modules[name], work, options.children)
        results |= explicit
        row = summarise(name, results, equivalents) | {"seconds": time.monotonic() - started}
        for key in row["unexplained"]:
            lines = diffs.get(key) or mutmut_diff(work, key)
            print(f"  survived: {key} ({results[key]})")
            for line in lines[:6]:
                print(f"      {line.strip()[:110]}")
        print(f"{name}: {row['killed']}/{row['mutants']} killed, {row['seconds'] / 60:.1f} min")
        summary_file.write_text(json.dumps(row, indent=1))
        rows.append(row)
    print_table(rows)
    failing = [r["module"] for r in rows if r["unexplained"] or r["score"] < TARGET]
    if failing:
        print(f"\nUnder {TARGET:.0f} % or with unexplained survivors: {', '.join(failing)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
