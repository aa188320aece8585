#!/usr/bin/env python3
"""Print the markdown report of the scale suite (bench/run.sh --suite scale).

    bench/scale_report.py --trees LIST [--machine LINE]... META...

Each META file is written by bench/scale.sh for one tree (`key<TAB>value`
lines, among them the path of that tree's hyperfine JSON export).
Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import json

LABELS = {
    "130k": "monorepo, ~130k entries (the default tree)",
    "1m": "monorepo, ~1M entries",
    "flat": "flat: 200,000 files in one directory",
    "deep": "deep: a chain of 200 nested directories, a few files in each",
}
SCAN = "ctxsize scan TREE"


def read_meta(path: str) -> dict[str, str]:
    meta = {}
    with open(path) as fh:
        for line in fh:
            key, _, value = line.rstrip("\n").partition("\t")
            meta[key] = value
    meta["results"] = load_results(meta["hyperfine_json"])
    return meta


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def mib(kb: str) -> str:
    return f"{int(kb) / 1024:,.1f}"


def tree_table(m: dict) -> None:
    res = m["results"]
    scan = res[SCAN]["median"]
    print(f"### {LABELS[m['id']]}")
    print()
    print(f"TREE = `{m['tree']}`: {int(m['entries']):,} entries ({int(m['dirs']):,} dirs, "
          f"{int(m['files']):,} files, {int(m['links']):,} symlinks), "
          f"{int(m['file_bytes']):,} file bytes (sparse). "
          f"`ctxsize ls -l TREE` lists {int(m['ls_entries']):,} entries "
          f"(generator expected {int(m['ls_expected']):,}). "
          f"hyperfine --warmup {m['warmup']} --runs {m['runs']} -N.")
    print()
    print("| command | median (ms) | ratio to `ctxsize scan` |")
    print("|---|---:|---:|")
    for cmd, r in res.items():
        shown = cmd.replace("|", "\\|")
        print(f"| `{shown}` | {ms(r['median'])} | {r['median'] / scan:.2f} |")
    print()
    if m["check_status"] != "0":
        print(f"`ctxsize check TREE` exits {m['check_status']} on this tree "
              f"(`{m['check_said']}`), so this run used `hyperfine --ignore-failure`; "
              "every command was run once before timing and the others exit 0.")
        print()


def load_results(path: str) -> dict[str, dict]:
    with open(path) as fh:
        return {r["command"]: r for r in json.load(fh)["results"]}


def scaling_table(small: dict, big: dict, path: str) -> dict[str, float]:
    """Per-entry ratios (1M over 130k) from the run that timed both trees together."""
    res = load_results(path)
    n_small, n_big = int(small["entries"]), int(big["entries"])
    print(f"### Scaling: time per entry, {n_small:,} vs {n_big:,} entries (monorepo)")
    print()
    print("Both trees in one hyperfine run (--warmup 1 --runs 7 -N), so the two medians of a row "
          "were taken minutes apart, not a whole suite apart.")
    print()
    print("| command | 130k median (ms) | 130k ns/entry | 1M median (ms) | 1M ns/entry "
          "| per-entry ratio 1M/130k |")
    print("|---|---:|---:|---:|---:|---:|")
    ratios = {}
    for cmd, note in [("ctxsize scan", ""), ("ctxsize ls -l --no-ignore", ""),
                      ("du -sb", " (reference)"), ("diskus", " (reference)")]:
        a = res[f"{cmd} 130k"]["median"]
        b = res[f"{cmd} 1m"]["median"]
        pa, pb = a / n_small * 1e9, b / n_big * 1e9
        ratios[cmd] = pb / pa
        print(f"| `{cmd} TREE`{note} | {ms(a)} | {pa:.0f} | {ms(b)} | {pb:.0f} | {pb / pa:.2f} |")
    print()
    print("Per-entry ratio ≈ 1.0 means linear scaling; above 1, the 1M tree costs more "
          "per entry than the 130k one.")
    print()
    return ratios


def threads_table(warm_path: str, cold_path: str | None, cold_skipped: str | None) -> None:
    warm = load_results(warm_path)
    cold = load_results(cold_path) if cold_path else None
    default = next(cmd for cmd in warm if cmd.startswith("ctxsize scan TREE (default"))
    print("### Threads, warm and cold-ish (130k monorepo)")
    print()
    print("Warm: --warmup 2 --runs 10. Cold-ish: the page cache is dropped before every run "
          "(`sync; echo 3 > /proc/sys/vm/drop_caches`), --runs 3, so the walk waits on the disk.")
    print()
    if cold is None:
        print(f"**No cold-ish runs**: {cold_skipped}.")
        print()
        print("| command | warm median (ms) | ratio to default `scan` |")
        print("|---|---:|---:|")
    else:
        print("| command | warm median (ms) | ratio to default `scan` | cold-ish median (ms) "
              "| ratio to default `scan` |")
        print("|---|---:|---:|---:|---:|")
    for cmd, r in warm.items():
        row = f"| `{cmd}` | {ms(r['median'])} | {r['median'] / warm[default]['median']:.2f} |"
        if cold is not None:
            c = cold[cmd]["median"]
            row += f" {ms(c)} | {c / cold[default]['median']:.2f} |"
        print(row)
    print()


def goals_table(by_id: dict[str, dict], ratios: dict[str, float] | None) -> None:
    print("### Goals")
    print()
    print("| goal | measured (this run) | met |")
    print("|---|---|:---:|")
    yes = lambda ok: "yes" if ok else "**no**"  # noqa: E731
    for tid, m in by_id.items():
        res = m["results"]
        r = res[SCAN]["median"] / res["diskus TREE"]["median"]
        print(f"| `scan` ≤ 1.0× `diskus` ({tid}) | {r:.2f}× | {yes(r <= 1.0)} |")
    for tid in ("130k", "1m"):
        if tid in by_id:
            res = by_id[tid]["results"]
            r = res["ctxsize ls -l TREE"]["median"] / res["du -sb TREE"]["median"]
            print(f"| `ls -l` with the rules ≤ 0.1× `du -sb` ({tid}) | {r:.3f}× | {yes(r <= 0.1)} |")
    if "1m" in by_id:
        m = by_id["1m"]
        peak = max(int(m[k]) for k in ("rss_scan", "rss_ls", "rss_ls_no_ignore", "rss_check"))
        mb = peak * 1024 / 1e6
        print(f"| peak RSS ≤ 150 MB at 1M entries (largest of the four commands) "
              f"| {mb:.0f} MB ({peak / 1024:.0f} MiB) | {yes(mb <= 150)} |")
    if ratios:
        for cmd in ("ctxsize scan", "ctxsize ls -l --no-ignore"):
            r = ratios[cmd]
            print(f"| linear scaling within 10% (`{cmd}`, per entry 1M/130k) | {r:.2f} "
                  f"| {yes(abs(r - 1) <= 0.10)} |")
    print()


def rss_table(metas: list[dict]) -> None:
    print("### Peak RSS (MiB; `/usr/bin/time -v`, median of 3 runs)")
    print()
    print("| tree | entries | `ctxsize scan` | `ctxsize ls -l` | `ctxsize ls -l --no-ignore` "
          "| `ctxsize check` |")
    print("|---|---:|---:|---:|---:|---:|")
    for m in metas:
        print(f"| {m['id']} | {int(m['entries']):,} | {mib(m['rss_scan'])} | {mib(m['rss_ls'])} "
              f"| {mib(m['rss_ls_no_ignore'])} | {mib(m['rss_check'])} |")
    print()


def generation_table(metas: list[dict]) -> None:
    print("### Tree generation (`bench/gen_tree.py`, sparse files)")
    print()
    print("| tree | entries | generator time (s) | this run |")
    print("|---|---:|---:|---|")
    for m in metas:
        how = (f"generated ({m['gen_wall']} s wall, removing any stale copy included)"
               if m["gen_now"] == "1" else "reused (generated by an earlier run)")
        print(f"| {m['id']} | {int(m['entries']):,} | {float(m['gen_seconds']):.1f} | {how} |")
    print()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trees", required=True)
    ap.add_argument("--machine", action="append", default=[])
    ap.add_argument("--scaling-json")
    ap.add_argument("--threads-warm-json")
    ap.add_argument("--threads-cold-json")
    ap.add_argument("--cold-skipped")
    ap.add_argument("meta", nargs="+")
    args = ap.parse_args()
    metas = [read_meta(p) for p in args.meta]
    by_id = {m["id"]: m for m in metas}

    for m in metas:
        tree_table(m)
    skipped = [t for t in LABELS if t not in by_id]
    if skipped:
        print(f"**Not run: {', '.join(skipped)}** (`--trees {args.trees}`).")
        print()
    ratios = None
    if args.scaling_json:
        ratios = scaling_table(by_id["130k"], by_id["1m"], args.scaling_json)
    else:
        print("**No scaling table**: it needs both the 130k and the 1m tree.")
        print()
    if args.threads_warm_json:
        threads_table(args.threads_warm_json, args.threads_cold_json, args.cold_skipped)
    rss_table(metas)
    goals_table(by_id, ratios)
    generation_table(metas)
    print("`sh -c 'fdfind … | wc -l'` is the one command run through a shell (for the "
          "pipe); it includes starting `sh` and `wc`. `dust -d 1` draws its progress "
          "indicator on stderr even when that is not a terminal (hyperfine discards it). "
          "`du -sb` and `find` walk on one thread; ctxsize, diskus, dust and fd walk in "
          "parallel.")
    print()
    for line in args.machine:
        print(f"- {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
