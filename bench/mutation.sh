#!/usr/bin/env bash
# Mutation testing of the guards (mutmut 3): `make mutation` or `bash bench/mutation.sh [GRUPPE …]`.
#
# mutmut changes the guarding code in small ways (a comparison turned round, a condition negated,
# a constant changed, an argument dropped), one change per mutant, and runs the tests that reach
# the changed function (selection and settings: [tool.mutmut] in pyproject.toml). A mutant that no
# test notices "survives". The groups below are the guards: the SPARQL limits, the tokens, the
# store's on-disk swap and its one-transaction writes, the personal-data check of the exports, and
# the checks of the Raster import. Prints killed/survived per group, the ratio, and each survivor
# (`.venv/bin/mutmut show NAME` shows its change). Runs in mutants/ (ignored by git); JOBS=2.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
"$BIN/python" -c "import mutmut" 2>/dev/null || "$BIN/pip" install --quiet 'mutmut>=3.3,<4'  # as the extra 'mutation'

declare -A GUARDS=(
  [grenzen]="inko_graph.server.limits.x__unescape__* inko_graph.server.limits.x__scan__* inko_graph.server.limits.x__depth__*
             inko_graph.server.limits.x_check_depth__* inko_graph.server.limits.x__scan_both__*
             inko_graph.server.limits.x__inspect_query__* inko_graph.server.limits.x__inspect_update__*
             inko_graph.server.limits.x__decide__* inko_graph.server.limits.x__key__* inko_graph.server.limits.x__replay__*
             inko_graph.server.limits.x_inspect_query__* inko_graph.server.limits.x_inspect_update__*
             inko_graph.server.limits.x_check_size__* inko_graph.server.limits.xǁ_Verdictsǁ*"
  [token]="inko_graph.tokens.x_token_hash__* inko_graph.tokens.x__require__* inko_graph.tokens.x_load_tokens__*
           inko_graph.tokens.x_lookup__* inko_graph.tokens.x_bearer_token__* inko_graph.tokens.x_authenticate__*
           inko_graph.tokens.x_authorize__* inko_graph.tokens.xǁGrantǁ*"
  [speicher]="inko_graph.store.disk.x__current__* inko_graph.store.disk.x_new_store_dir__*
              inko_graph.store.disk.x_commit_store_dir__* inko_graph.store.disk.x__fsync_dir__*
              inko_graph.store.disk.x_remove_unused__* inko_graph.store.disk.x_bulk_load_new__*
              inko_graph.store.embedded.xǁOxigraphStoreǁreplace_graphs__*"
  [personendaten]="inko_graph.export.dumps.x__literal_problem__* inko_graph.export.dumps.x_personal_data_problems__*
                   inko_graph.export.dumps.x_check_personal_data__*"
  [raster]="inko_graph.raster.mapping.x__period__* inko_graph.raster.mapping.x_web_address__*
            inko_graph.raster.mapping.x__personal__* inko_graph.raster.reading.x_check_size__*
            inko_graph.raster.reading.x__length_problem__*"
)
ORDER=(grenzen token speicher personendaten raster)
WANTED=("$@")
[ ${#WANTED[@]} -eq 0 ] && WANTED=("${ORDER[@]}")

PATTERNS=()
for g in "${WANTED[@]}"; do
  [ -n "${GUARDS[$g]:-}" ] || { echo "Unbekannte Gruppe $g; möglich: ${ORDER[*]}" >&2; exit 2; }
  # shellcheck disable=SC2206
  PATTERNS+=(${GUARDS[$g]})
done

rm -rf mutants
started=$(date +%s)
"$BIN/mutmut" run --max-children "${JOBS:-2}" "${PATTERNS[@]}" >mutants.log 2>&1 || {
  echo "mutmut lief nicht durch; das Ende von mutants.log:" >&2; tail -40 mutants.log >&2; exit 1; }
mv mutants.log mutants/run.log
echo "Dauer: $(( $(date +%s) - started )) s"

GROUP_SPEC=""
for g in "${WANTED[@]}"; do GROUP_SPEC+="$g=${GUARDS[$g]//$'\n'/ };"; done
GROUP_SPEC="$GROUP_SPEC" "$BIN/python" - <<'PY'
import fnmatch
import json
import os
from pathlib import Path

from mutmut.stats import status_by_exit_code

groups = {}
for part in os.environ["GROUP_SPEC"].split(";"):
    if part:
        name, _, pats = part.partition("=")
        groups[name] = pats.split()
status = {}
for meta in Path("mutants").rglob("*.py.meta"):
    status.update(json.loads(meta.read_text())["exit_code_by_key"])
total = {"getötet": 0, "überlebt": 0, "sonst": 0}
survivors, others = [], []
print("| Gruppe | Mutanten | getötet | überlebt | sonst |")
print("| --- | ---: | ---: | ---: | ---: |")
for name, pats in groups.items():
    mine = sorted(k for k in status if any(fnmatch.fnmatch(k, p) for p in pats))
    row = {"getötet": 0, "überlebt": 0, "sonst": 0}
    for k in mine:
        s = status_by_exit_code[status[k]]
        if s in ("killed", "timeout", "caught by type check", "segfault"):
            row["getötet"] += 1
        elif s == "survived":
            row["überlebt"] += 1
            survivors.append(k)
        else:
            row["sonst"] += 1
            others.append(f"{k}: {s}")
    for key in total:
        total[key] += row[key]
    print(f"| {name} | {len(mine)} | {row['getötet']} | {row['überlebt']} | {row['sonst']} |")
checked = total["getötet"] + total["überlebt"]
print(f"| alle | {checked + total['sonst']} | {total['getötet']} | {total['überlebt']} | {total['sonst']} |")
if checked:
    print(f"\nÜberlebt: {total['überlebt']} von {checked} geprüften Mutanten ({100 * total['überlebt'] / checked:.1f} %); "
          f"Ziel: unter 10 %.")
if survivors:
    print("\nÜberlebende (ansehen mit .venv/bin/mutmut show NAME):")
    print("\n".join("  " + k for k in survivors))
if others:
    print("\nOhne Ergebnis (keine Tests erreichen sie, oder Abbruch):")
    print("\n".join("  " + k for k in others))
PY
