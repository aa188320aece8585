#!/usr/bin/env bash
# Benchmark several builds of one context: `ctxsize scan --compose` over K services that share
# the generated monorepo as their context, against one single-build `ctxsize scan` of it.
#
#   bench/builds.sh [--entries N] [--seed S] [--services K]
#
# Environment:
#   CTXSIZE_BENCH_DIR=DIR   where trees and results go (default: bench/work)
#
# The Compose file is written beside the tree, not into it, and each service's Dockerfile is
# inline (`dockerfile_inline`), so the tree stays the one bench/run.sh measures. See
# bench/README.md.
set -euo pipefail

ENTRIES=130000
SEED=42
SERVICES=8

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --entries) [[ $# -ge 2 ]] || die "--entries needs a value"; ENTRIES=$2; shift 2 ;;
        --seed) [[ $# -ge 2 ]] || die "--seed needs a value"; SEED=$2; shift 2 ;;
        --services) [[ $# -ge 2 ]] || die "--services needs a value"; SERVICES=$2; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
for value in "$ENTRIES" "$SEED" "$SERVICES"; do
    [[ $value =~ ^[0-9]+$ ]] || die "--entries, --seed and --services take numbers, got '$value'"
done

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
BENCH_DIR=$(bench_dir "$REPO")
TREE=$BENCH_DIR/tree-$ENTRIES-s$SEED
RESULTS=$BENCH_DIR/results
COMPOSE_DIR=$BENCH_DIR/compose-$SERVICES-$ENTRIES-s$SEED
mkdir -p "$RESULTS" "$COMPOSE_DIR"

command -v python3 >/dev/null || die "python3 is required"
command -v hyperfine >/dev/null || need_apt hyperfine
CTXSIZE=$(build_ctxsize "$REPO")

# The tree is bench/run.sh's; it generates (and checks) it.
if [[ ! -f $TREE.json ]] || grep -q '"incomplete"' "$TREE.json"; then
    die "no tree at $TREE: run bench/run.sh --entries $ENTRIES --seed $SEED first"
fi

# K services, each copying other directories of the monorepo (the first copies the whole
# context), as a monorepo's services do; all read the tree's .dockerignore.
python3 - "$COMPOSE_DIR/compose.yaml" "$TREE" "$SERVICES" <<'EOF'
import os, sys
out, tree, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
dirs = sorted(
    os.path.join(top, sub)
    for top in ("services", "packages", "apps")
    if os.path.isdir(os.path.join(tree, top))
    for sub in os.listdir(os.path.join(tree, top))
)
lines = ["services:"]
for index in range(count):
    copies = ["COPY . ."] if index == 0 else [
        "COPY package.json ./",
        f"COPY {dirs[index % len(dirs)]} ./{dirs[index % len(dirs)]}",
        f"COPY {dirs[(index + 1) % len(dirs)]} ./{dirs[(index + 1) % len(dirs)]}",
    ]
    dockerfile = "\\n".join(["FROM node:20-slim", "WORKDIR /app", *copies])
    lines += [
        f"  service{index}:",
        "    build:",
        f"      context: {os.path.relpath(tree, os.path.dirname(out))}",
        f'      dockerfile_inline: "{dockerfile}"',
    ]
open(out, "w").write("\n".join(lines) + "\n")
EOF

builds=$("$CTXSIZE" scan --compose "$COMPOSE_DIR/compose.yaml" --json |
    python3 -c 'import json, sys; print(len(json.load(sys.stdin)["builds"]))')
[[ $builds == "$SERVICES" ]] || die "scan --compose found $builds builds, expected $SERVICES"

say "timing one scan against scan --compose with $SERVICES services"
hyperfine --warmup 2 --runs 10 -N \
    --export-json "$RESULTS/builds-$SERVICES-$ENTRIES-s$SEED.json" \
    --command-name "ctxsize scan TREE" "$CTXSIZE scan $(shq "$TREE")" \
    --command-name "ctxsize scan --compose ($SERVICES services)" \
    "$CTXSIZE scan --compose $(shq "$COMPOSE_DIR/compose.yaml")" >&2

python3 - "$RESULTS/builds-$SERVICES-$ENTRIES-s$SEED.json" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["median"]
print("| command | median (ms) | ratio to one scan |")
print("|---|---:|---:|")
for r in results:
    print(f"| `{r['command']}` | {r['median'] * 1000:.1f} | {r['median'] / base:.2f} |")
EOF
