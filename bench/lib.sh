# Shared by bench/run.sh and bench/scale.sh (sourced, not run).
# shellcheck shell=bash

die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
say() { printf '==> %s\n' "$*" >&2; }

# Single-quote a word for hyperfine's command parser (POSIX shell words).
shq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

need_apt() {
    local pkg=$1 sudo=()
    [[ $EUID -eq 0 ]] || sudo=(sudo)
    say "installing $pkg with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get install -y -q "$pkg" >&2 ||
        { "${sudo[@]}" apt-get update -q >&2 && "${sudo[@]}" apt-get install -y -q "$pkg" >&2; } ||
        die "could not install $pkg"
}

need_cargo() {
    local crate=$1
    say "installing $crate (cargo install --locked $crate)"
    cargo install --locked "$crate" >&2 || die "could not install $crate"
}

# bench_dir REPO: where trees and results go ($CTXSIZE_BENCH_DIR, default bench/work);
# generated trees never go into the repository (bench/work is git-ignored).
bench_dir() {
    local repo=$1 dir
    dir=$(realpath -m -- "${CTXSIZE_BENCH_DIR:-$repo/bench/work}")
    case "$dir/" in
        "$repo/bench/work/"*) ;;
        "$repo/"*) die "CTXSIZE_BENCH_DIR=$dir is inside the repository; use bench/work or a directory outside it" ;;
    esac
    printf '%s\n' "$dir"
}

# build_ctxsize REPO: `cargo build --release`, then print the binary's path.
build_ctxsize() {
    local repo=$1 target_dir
    say "building ctxsize (cargo build --release)"
    (cd "$repo" && cargo build --release) >&2
    target_dir=$(cd "$repo" && cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
    [[ -x $target_dir/release/ctxsize ]] || die "no binary at $target_dir/release/ctxsize after the build"
    printf '%s\n' "$target_dir/release/ctxsize"
}
