#!/usr/bin/env python3
"""Generate a realistic, deterministic Node/Python monorepo for benchmarking ctxsize.

    bench/gen_tree.py OUT_DIR [--shape monorepo|flat|deep] [--entries N]
                      [--depth D] [--seed S] [--summary-json FILE]

--shape monorepo (the default): about N entries (files + directories +
symlinks, the root not counted). Most of them live in node_modules, .venv and
.git, like a real monorepo.

--shape flat: N files directly in OUT_DIR, no subdirectories (default 200,000),
like a dumped dataset or an upload cache.

--shape deep: a chain of D nested directories (default 200) with a few files
at each level.

Files get realistic sizes but are written sparse (ftruncate, no data), so 1M
entries and GBs of apparent size take little disk. The same (shape, N or D,
seed) always gives the same tree. A `.dockerignore` is written at the root.
Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import sys
import time

DEFAULT_ENTRIES = 130_000
DEFAULT_FLAT_ENTRIES = 200_000
DEFAULT_DEPTH = 200
DEFAULT_SEED = 42

DOCKERIGNORE = """\
# Typical monorepo .dockerignore (patterns are anchored at the context root;
# `**/x` matches at any depth).
.git
**/node_modules
**/.venv
**/__pycache__
coverage
dist
build
*.log
logs
.env*
!.env.example
"""

# ---------------------------------------------------------------- name pools

NODE_WORDS = """
react lodash babel eslint webpack rollup vite jest chalk debug express axios
semver glob minimatch yargs commander uuid dayjs rxjs tslib zod ajv acorn
postcss terser esbuild prettier mime qs ws cookie statuses depd inherits ms
bytes iconv safe buffer stream readable string object array is has get set
fast deep json schema source map path extra graceful signal exit cross spawn
which color convert name ansi styles regex escape wrap strip cli cursor
spinners micro match picomatch braces fill range to number kind of define
property core util types plugin preset env loader parser utils runtime
helpers compat data node releases caniuse lite browserslist electron update
db yaml toml ini dotenv cosmiconfig import fresh resolve from callsites
parent module once wrappy inflight rimraf mkdirp minimist tmp os locale mem
limit try locate find up pkg dir read write file atomic stable sort merge
flat clone equal hash sum crc encode decode url http proxy agent retry queue
async pool event emitter tiny lru cache memo throttle
""".split()

SCOPES = """
@babel @types @jest @aws-sdk @smithy @typescript-eslint @esbuild @sentry
@opentelemetry @nestjs @tanstack @radix-ui @emotion @rollup @swc
""".split()

JS_STEMS = """
index utils parse compile core helpers types constants errors stream async
sync main browser node plugin options config normalize validate format
resolve cache queue scheduler runtime transform visitor traverse generator
tokenizer lexer ast printer scope context hooks events emitter request
response router middleware server client codec encode decode buffer hash
random time date string array object number path url http assert debug log
logger color style terminal prompt args command help version
""".split()

PY_PACKAGES = """
numpy pandas requests urllib3 certifi idna charset_normalizer pydantic
pydantic_core fastapi starlette anyio sniffio httpx httpcore h11 sqlalchemy
alembic psycopg redis celery kombu billiard vine click jinja2 markupsafe
werkzeug itsdangerous boto3 botocore s3transfer jmespath dateutil pytz six
attrs yaml packaging setuptools pip wheel typing_extensions grpc google
protobuf orjson structlog sentry_sdk opentelemetry pytest _pytest pluggy
iniconfig coverage mypy black ruff tomli cryptography cffi pycparser
greenlet uvicorn watchfiles websockets multidict yarl aiohttp frozenlist
aiosignal scipy sklearn joblib threadpoolctl lxml PIL tqdm rich pygments
markdown_it mdurl
""".split()

PY_STEMS = """
api base client compat config core errors exceptions fields helpers models
parser schema serializers session settings types utils validators version
backends cli commands context encoders events handlers hooks loaders main
middleware plugins protocol registry request response routing security
signals storage streams tasks testing transport worker
""".split()

TS_DIRS = """
controllers services models routes middleware utils db lib jobs events
validators serializers config auth
""".split()


class Tree:
    """Creates entries under `root` and records them."""

    def __init__(self, root: str, rng: random.Random):
        self.root = root
        self.rng = rng
        self.entries: list[tuple[str, str, int]] = []  # (relpath, kind, size)
        self.dirs = self.files = self.links = 0
        self.file_bytes = 0

    @property
    def count(self) -> int:
        return len(self.entries)

    def d(self, rel: str) -> str:
        os.mkdir(os.path.join(self.root, rel))
        self.entries.append((rel, "d", 0))
        self.dirs += 1
        return rel

    def f(self, rel: str, size: int, mode: int = 0o644) -> None:
        # Sparse: set the size, write no data.
        fd = os.open(os.path.join(self.root, rel),
                     os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            if size:
                os.ftruncate(fd, size)
        finally:
            os.close(fd)
        self.entries.append((rel, "f", size))
        self.files += 1
        self.file_bytes += size

    def text(self, rel: str, content: str) -> None:
        """A small file with real content (e.g. .dockerignore, .git/HEAD)."""
        data = content.encode()
        with open(os.path.join(self.root, rel), "xb") as fh:
            fh.write(data)
        self.entries.append((rel, "f", len(data)))
        self.files += 1
        self.file_bytes += len(data)

    def l(self, rel: str, target: str) -> None:
        os.symlink(target, os.path.join(self.root, rel))
        self.entries.append((rel, "l", 0))
        self.links += 1

    # -- random helpers --------------------------------------------------
    def size(self, median: float, sigma: float = 1.0, lo: int = 0,
             hi: int = 50_000_000) -> int:
        """Log-normal size around `median` bytes, clipped to [lo, hi]."""
        v = int(median * math.exp(self.rng.gauss(0.0, sigma)))
        return max(lo, min(hi, v))

    def count_ln(self, median: float, sigma: float, lo: int = 1,
                 hi: int = 10_000) -> int:
        v = int(round(median * math.exp(self.rng.gauss(0.0, sigma))))
        return max(lo, min(hi, v))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def hexs(self, nchars: int) -> str:
        return format(self.rng.getrandbits(nchars * 4), f"0{nchars}x")


def unique(rng: random.Random, used: set[str], make) -> str:
    """Draw names from `make()` until one is not in `used`."""
    for _ in range(20):
        name = make()
        if name not in used:
            used.add(name)
            return name
    base = make()
    i = 2
    while f"{base}{i}" in used:
        i += 1
    used.add(f"{base}{i}")
    return f"{base}{i}"


def node_name(rng: random.Random) -> str:
    k = rng.choices((1, 2, 3), weights=(3, 5, 2))[0]
    return "-".join(rng.choice(NODE_WORDS) for _ in range(k))


# ---------------------------------------------------------------- node_modules

class NodeModules:
    """Fills one node_modules directory with packages, nested deps and .bin links."""

    def __init__(self, t: Tree):
        self.t = t

    def fill(self, nm: str, budget: int, depth: int = 0,
             scoped: float = 0.18) -> None:
        t, rng = self.t, self.t.rng
        end = t.count + budget
        t.d(nm)
        if depth == 0:
            t.f(f"{nm}/.package-lock.json", t.size(400_000, 0.6, 2_000))
        used: set[str] = set()
        scope_dirs: dict[str, set[str]] = {}
        bins: list[tuple[str, str]] = []  # (bin name, target relative to nm)
        while t.count < end - 6:
            remaining = end - t.count
            if rng.random() < scoped:
                scope = rng.choice(SCOPES)
                if scope not in scope_dirs:
                    t.d(f"{nm}/{scope}")
                    scope_dirs[scope] = set()
                leaf = unique(rng, scope_dirs[scope], lambda: node_name(rng))
                name = f"{scope}/{leaf}"
            else:
                name = unique(rng, used, lambda: node_name(rng))
            cap = min(remaining, t.count_ln(30 if depth == 0 else 14, 1.0, 6, 900))
            bin_rel = self.package(f"{nm}/{name}", cap, depth)
            if bin_rel:
                bins.append((os.path.basename(bin_rel)[:-3], f"{name}/{bin_rel}"))
        if bins and t.count < end + 50:
            t.d(f"{nm}/.bin")
            seen: set[str] = set()
            for bname, target in bins:
                if bname in seen:
                    continue
                seen.add(bname)
                t.l(f"{nm}/.bin/{bname}", f"../{target}")

    def package(self, p: str, cap: int, depth: int) -> str | None:
        """One package in directory p, about `cap` entries. Returns its bin path."""
        t, rng = self.t, self.t.rng
        end = t.count + cap
        t.d(p)
        t.f(f"{p}/package.json", t.size(1_100, 0.6, 250, 12_000))
        t.f(f"{p}/README.md", t.size(4_500, 1.0, 150, 90_000))
        if t.chance(0.85):
            t.f(f"{p}/LICENSE", t.size(1_080, 0.15, 500, 12_000))
        t.f(f"{p}/index.js", t.size(700, 1.2, 40, 60_000))
        if t.chance(0.35):
            t.f(f"{p}/index.d.ts", t.size(1_800, 1.0, 60, 80_000))
        if t.chance(0.15):
            t.f(f"{p}/CHANGELOG.md", t.size(12_000, 1.0, 500, 400_000))
        bin_rel = None
        if t.chance(0.07):
            t.d(f"{p}/bin")
            bname = rng.choice(NODE_WORDS) + rng.choice(("", "-cli", "js"))
            bin_rel = f"bin/{bname}.js"
            t.f(f"{p}/{bin_rel}", t.size(1_500, 0.8, 100, 30_000), 0o755)
        nested = depth < 2 and t.chance(0.22 if depth == 0 else 0.1)
        nested_budget = 0
        if nested:
            nested_budget = min(max(0, end - t.count - 10), t.count_ln(35, 0.8, 8, 300))
        # lib/ (and sometimes dist/) with the rest of the budget
        lib_end = end - nested_budget
        self.code_dir(f"{p}/lib", lib_end - t.count)
        if t.chance(0.18) and t.count < lib_end - 4:
            t.d(f"{p}/dist")
            t.f(f"{p}/dist/index.js", t.size(60_000, 1.2, 1_000, 6_000_000))
            t.f(f"{p}/dist/index.min.js", t.size(25_000, 1.2, 500, 3_000_000))
            t.f(f"{p}/dist/index.js.map", t.size(150_000, 1.2, 2_000, 12_000_000))
        if nested and nested_budget >= 8:
            self.fill(f"{p}/node_modules", nested_budget, depth + 1, scoped=0.1)
        return bin_rel

    def code_dir(self, d: str, budget: int) -> None:
        """A lib/ directory: .js files, sometimes .d.ts and .map, subdirs."""
        t, rng = self.t, self.t.rng
        if budget < 2:
            return
        end = t.count + budget
        t.d(d)
        dirs = [d]
        used: dict[str, set[str]] = {d: set()}
        with_dts = t.chance(0.3)
        with_map = t.chance(0.2)
        while t.count < end:
            if len(dirs) < 1 + (budget // 15) and t.chance(0.08) and t.count < end - 3:
                parent = rng.choice(dirs)
                sub = unique(rng, used[parent], lambda: rng.choice(JS_STEMS))
                nd = t.d(f"{parent}/{sub}")
                dirs.append(nd)
                used[nd] = set()
                continue
            where = rng.choice(dirs)
            stem = unique(rng, used[where], lambda: rng.choice(JS_STEMS))
            size = t.size(2_600, 1.1, 60, 400_000)
            t.f(f"{where}/{stem}.js", size)
            if with_dts and t.count < end:
                t.f(f"{where}/{stem}.d.ts", t.size(900, 1.0, 40, 50_000))
            if with_map and t.count < end:
                t.f(f"{where}/{stem}.js.map", size * 3 + 200)


# ---------------------------------------------------------------- sections

def git_dir(t: Tree, budget: int) -> None:
    rng = t.rng
    g = t.d(".git")
    end = t.count + budget
    t.text(f"{g}/HEAD", "ref: refs/heads/main\n")
    t.text(f"{g}/description",
           "Unnamed repository; edit this file 'description' to name the repository.\n")
    t.f(f"{g}/config", t.size(420, 0.3, 200, 2_000))
    t.f(f"{g}/index", t.size(1_800_000, 0.4, 100_000))
    t.f(f"{g}/packed-refs", t.size(6_000, 0.8, 200))
    t.f(f"{g}/FETCH_HEAD", t.size(300, 0.5, 90))
    t.f(f"{g}/ORIG_HEAD", 41)
    t.f(f"{g}/COMMIT_EDITMSG", t.size(60, 0.5, 10))
    t.d(f"{g}/hooks")
    for h in ("applypatch-msg", "commit-msg", "fsmonitor-watchman", "post-update",
              "pre-applypatch", "pre-commit", "pre-merge-commit", "pre-push",
              "pre-rebase", "pre-receive", "prepare-commit-msg",
              "push-to-checkout", "update"):
        t.f(f"{g}/hooks/{h}.sample", t.size(1_500, 0.7, 400, 5_000), 0o755)
    t.d(f"{g}/info")
    t.f(f"{g}/info/exclude", 240)
    t.d(f"{g}/refs")
    t.d(f"{g}/refs/heads")
    t.d(f"{g}/refs/tags")
    t.d(f"{g}/refs/remotes")
    t.d(f"{g}/refs/remotes/origin")
    for b in ("main", "feat-billing", "fix-worker-retry", "chore-deps"):
        t.f(f"{g}/refs/heads/{b}", 41)
        t.f(f"{g}/refs/remotes/origin/{b}", 41)
    t.text(f"{g}/refs/remotes/origin/HEAD", "ref: refs/remotes/origin/main\n")
    for v in range(1, 9):
        t.f(f"{g}/refs/tags/v1.{v}.0", 41)
    t.d(f"{g}/logs")
    t.f(f"{g}/logs/HEAD", t.size(90_000, 0.8, 200))
    t.d(f"{g}/logs/refs")
    t.d(f"{g}/logs/refs/heads")
    t.f(f"{g}/logs/refs/heads/main", t.size(40_000, 0.8, 200))
    o = t.d(f"{g}/objects")
    t.d(f"{o}/info")
    t.d(f"{o}/pack")
    for _ in range(2):
        h = t.hexs(40)
        t.f(f"{o}/pack/pack-{h}.pack", t.size(90_000_000, 0.5, 1_000_000, 400_000_000))
        t.f(f"{o}/pack/pack-{h}.idx", t.size(3_000_000, 0.5, 10_000))
    fanout: set[str] = set()
    while t.count < end:
        h = t.hexs(40)
        if h[:2] not in fanout:
            fanout.add(h[:2])
            t.d(f"{o}/{h[:2]}")
        t.f(f"{o}/{h[:2]}/{h[2:]}", t.size(900, 1.3, 40, 3_000_000), 0o444)


def ts_sources(t: Tree, src: str, budget: int, ext: str = "ts",
               tests: bool = True) -> list[str]:
    """src/ with subdirectories of .ts files. Returns file paths without extension."""
    rng = t.rng
    end = t.count + budget
    t.d(src)
    mods: list[str] = []
    t.f(f"{src}/index.{ext}", t.size(1_200, 0.8, 100))
    mods.append(f"{src}/index")
    t.f(f"{src}/main.{ext}", t.size(2_000, 0.8, 100))
    mods.append(f"{src}/main")
    dirs: list[str] = []
    for name in rng.sample(TS_DIRS, min(len(TS_DIRS), max(2, budget // 40))):
        dirs.append(t.d(f"{src}/{name}"))
    used: dict[str, set[str]] = {x: set() for x in dirs}
    while t.count < end:
        where = rng.choice(dirs)
        if t.chance(0.05) and t.count < end - 2:
            sub = unique(rng, used[where], lambda: rng.choice(JS_STEMS))
            nd = t.d(f"{where}/{sub}")
            dirs.append(nd)
            used[nd] = set()
            continue
        stem = unique(rng, used[where],
                      lambda: rng.choice(JS_STEMS) + rng.choice(("", "", ".service", ".controller", ".model", ".util")))
        t.f(f"{where}/{stem}.{ext}", t.size(3_200, 0.9, 80, 120_000))
        mods.append(f"{where}/{stem}")
        if tests and t.chance(0.3) and t.count < end:
            t.f(f"{where}/{stem}.test.{ext}", t.size(4_000, 0.9, 200, 120_000))
    return mods


def mirror_dist(t: Tree, src: str, dist: str, mods: list[str], budget: int) -> None:
    """dist/ as tsc would emit it: .js + .js.map (+ .d.ts) per source module."""
    end = t.count + budget
    t.d(dist)
    made: set[str] = {dist}
    for m in mods:
        if t.count >= end:
            break
        rel = dist + m[len(src):]
        parent = os.path.dirname(rel)
        stack = []
        while parent not in made:
            stack.append(parent)
            parent = os.path.dirname(parent)
        for p in reversed(stack):
            t.d(p)
            made.add(p)
        size = t.size(2_800, 0.9, 60, 200_000)
        t.f(f"{rel}.js", size)
        t.f(f"{rel}.js.map", size * 2 + 150)
        if t.chance(0.5):
            t.f(f"{rel}.d.ts", t.size(700, 0.8, 40, 40_000))


def coverage_dir(t: Tree, cov: str, src: str, mods: list[str], budget: int) -> None:
    end = t.count + budget
    t.d(cov)
    t.f(f"{cov}/lcov.info", t.size(2_500_000, 0.6, 10_000))
    t.f(f"{cov}/coverage-final.json", t.size(6_000_000, 0.6, 10_000))
    t.f(f"{cov}/clover.xml", t.size(900_000, 0.6, 10_000))
    rep = t.d(f"{cov}/lcov-report")
    for name, med in (("index.html", 20_000), ("base.css", 5_400), ("prettify.css", 676),
                      ("prettify.js", 17_600), ("sorter.js", 6_400),
                      ("block-navigation.js", 2_600), ("favicon.png", 445),
                      ("sort-arrow-sprite.png", 138)):
        t.f(f"{rep}/{name}", t.size(med, 0.05, 50))
    made: set[str] = {rep}
    for m in mods:
        if t.count >= end:
            break
        rel = rep + m[len(src):]
        parent = os.path.dirname(rel)
        stack = []
        while parent not in made:
            stack.append(parent)
            parent = os.path.dirname(parent)
        for p in reversed(stack):
            t.d(p)
            made.add(p)
            t.f(f"{p}/index.html", t.size(9_000, 0.5, 1_000))
        t.f(f"{rel}.ts.html", t.size(30_000, 0.9, 2_000, 2_000_000))


def log_dir(t: Tree, d: str, n: int, prefix: str) -> None:
    t.d(d)
    for i in range(n):
        name = f"{prefix}.log" if i == 0 else f"{prefix}.log.{i}"
        t.f(f"{d}/{name}", t.size(8_000_000, 1.2, 1_000, 200_000_000))
    t.f(f"{d}/error.log", t.size(300_000, 1.2, 100))


def py_package(t: Tree, d: str, budget: int, pyc: bool = True,
               so_chance: float = 0.0) -> None:
    """A Python package tree with modules, subpackages and __pycache__."""
    rng = t.rng
    end = t.count + budget
    pkgs = [t.d(d)]
    used: dict[str, set[str]] = {d: {"__init__"}}
    mods: dict[str, list[str]] = {d: ["__init__"]}
    t.f(f"{d}/__init__.py", t.size(600, 1.5, 0, 100_000))
    while t.count < end - 2:
        if t.chance(0.1) and t.count < end - 4:
            parent = rng.choice(pkgs)
            sub = unique(rng, used[parent], lambda: rng.choice(PY_STEMS))
            nd = t.d(f"{parent}/{sub}")
            pkgs.append(nd)
            used[nd] = {"__init__"}
            mods[nd] = ["__init__"]
            t.f(f"{nd}/__init__.py", t.size(300, 1.5, 0, 50_000))
            continue
        where = rng.choice(pkgs)
        stem = unique(rng, used[where], lambda: rng.choice(PY_STEMS))
        t.f(f"{where}/{stem}.py", t.size(5_000, 1.0, 100, 600_000))
        mods[where].append(stem)
        if so_chance and t.chance(so_chance):
            t.f(f"{where}/_{stem}.cpython-311-x86_64-linux-gnu.so",
                t.size(1_500_000, 1.3, 20_000, 60_000_000), 0o755)
    if pyc:
        for p in pkgs:
            if t.count >= end + 20:
                break
            t.d(f"{p}/__pycache__")
            for stem in mods[p]:
                t.f(f"{p}/__pycache__/{stem}.cpython-311.pyc",
                    t.size(4_000, 1.0, 120, 500_000))


def venv(t: Tree, v: str, budget: int) -> None:
    rng = t.rng
    end = t.count + budget
    t.d(v)
    t.text(f"{v}/pyvenv.cfg",
           "home = /usr/local/bin\ninclude-system-site-packages = false\nversion = 3.11.7\n")
    t.f(f"{v}/.gitignore", 2)
    t.d(f"{v}/bin")
    t.l(f"{v}/bin/python3.11", "/usr/local/bin/python3.11")
    t.l(f"{v}/bin/python3", "python3.11")
    t.l(f"{v}/bin/python", "python3.11")
    for s in ("activate", "activate.csh", "activate.fish", "Activate.ps1",
              "pip", "pip3", "pip3.11", "uvicorn", "celery", "pytest", "mypy",
              "ruff", "black", "alembic", "normalizer", "httpx"):
        t.f(f"{v}/bin/{s}", t.size(400, 1.0, 200, 12_000), 0o755)
    t.d(f"{v}/include")
    t.d(f"{v}/lib")
    t.l(f"{v}/lib64", "lib")  # symlink to a directory, as venv makes it
    t.d(f"{v}/lib/python3.11")
    sp = t.d(f"{v}/lib/python3.11/site-packages")
    t.f(f"{sp}/distutils-precedence.pth", 151)
    used: set[str] = set()
    names = list(PY_PACKAGES)
    rng.shuffle(names)
    i = 0
    while t.count < end - 10:
        if i < len(names):
            name = names[i]
        else:
            name = f"{rng.choice(PY_PACKAGES).strip('_')}_{rng.choice(PY_STEMS)}"
        i += 1
        if name in used:
            continue
        used.add(name)
        remaining = end - t.count
        size = min(remaining - 8, t.count_ln(60, 1.2, 4, 4_000))
        heavy = name in ("numpy", "pandas", "scipy", "pydantic_core", "cryptography",
                         "orjson", "grpc", "lxml", "greenlet", "sklearn", "PIL")
        py_package(t, f"{sp}/{name}", max(3, size), pyc=True,
                   so_chance=0.25 if heavy else 0.01)
        ver = f"{rng.randint(0, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 12)}"
        di = t.d(f"{sp}/{name}-{ver}.dist-info")
        for fname, med in (("METADATA", 9_000), ("RECORD", 6_000), ("WHEEL", 110),
                           ("INSTALLER", 4), ("top_level.txt", 12)):
            t.f(f"{di}/{fname}", t.size(med, 0.7, 2))
        if t.chance(0.7):
            t.f(f"{di}/LICENSE", t.size(1_100, 0.4, 300))


def node_service(t: Tree, nmods: NodeModules, root: str, budget: int,
                 ext: str, with_coverage: bool, out_name: str) -> None:
    """A Node/TypeScript service: manifest files, src, dist|build, coverage, node_modules."""
    end = t.count + budget
    t.d(root)
    t.f(f"{root}/package.json", t.size(2_200, 0.4, 500))
    t.f(f"{root}/package-lock.json", t.size(350_000, 0.6, 10_000))
    t.f(f"{root}/tsconfig.json", t.size(700, 0.3, 100))
    t.f(f"{root}/README.md", t.size(3_000, 0.7, 100))
    t.text(f"{root}/Dockerfile", NODE_DOCKERFILE)
    t.f(f"{root}/.env", t.size(600, 0.5, 50))
    t.f(f"{root}/.env.example", t.size(500, 0.5, 50))
    share = budget / 100
    mods = ts_sources(t, f"{root}/src", int(share * 12), ext=ext)
    mirror_dist(t, f"{root}/src", f"{root}/{out_name}", mods, int(share * 26))
    if with_coverage:
        coverage_dir(t, f"{root}/coverage", f"{root}/src", mods, int(share * 8))
    log_dir(t, f"{root}/logs", 2, os.path.basename(root))
    nmods.fill(f"{root}/node_modules", max(20, end - t.count))


def python_service(t: Tree, root: str, budget: int) -> None:
    rng = t.rng
    end = t.count + budget
    t.d(root)
    t.f(f"{root}/pyproject.toml", t.size(2_400, 0.4, 300))
    t.f(f"{root}/uv.lock", t.size(280_000, 0.5, 5_000))
    t.f(f"{root}/README.md", t.size(2_500, 0.7, 100))
    t.text(f"{root}/Dockerfile", PYTHON_DOCKERFILE)
    t.f(f"{root}/.env", t.size(400, 0.5, 50))
    share = budget / 100
    t.d(f"{root}/src")
    py_package(t, f"{root}/src/pkg", int(share * 7))
    t.d(f"{root}/tests")
    t.f(f"{root}/tests/__init__.py", 0)
    t.f(f"{root}/tests/conftest.py", t.size(2_000, 0.6, 100))
    used: set[str] = set()
    for _ in range(max(3, int(share * 2))):
        stem = unique(rng, used, lambda: rng.choice(PY_STEMS))
        t.f(f"{root}/tests/test_{stem}.py", t.size(6_000, 0.8, 200))
    t.d(f"{root}/tests/__pycache__")
    t.f(f"{root}/tests/__pycache__/conftest.cpython-311-pytest-8.3.2.pyc", 3_100)
    t.d(f"{root}/.pytest_cache")
    t.f(f"{root}/.pytest_cache/README.md", 302)
    t.d(f"{root}/build")
    t.d(f"{root}/build/lib")
    py_package(t, f"{root}/build/lib/pkg", int(share * 3), pyc=False)
    t.d(f"{root}/dist")
    t.f(f"{root}/dist/pkg-0.4.2-py3-none-any.whl", t.size(180_000, 0.3, 1_000))
    t.f(f"{root}/dist/pkg-0.4.2.tar.gz", t.size(150_000, 0.3, 1_000))
    log_dir(t, f"{root}/logs", 3, "worker")
    venv(t, f"{root}/.venv", max(20, end - t.count))


# Dockerfiles have real content, so that `ctxsize scan` can parse them.
ROOT_DOCKERFILE = """\
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["node", "services/api/dist/index.js"]
"""

NODE_DOCKERFILE = """\
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY src ./src
RUN npm run build

FROM node:20-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
CMD ["node", "dist/index.js"]
"""

PYTHON_DOCKERFILE = """\
FROM python:3.11-slim
WORKDIR /app
RUN --mount=type=bind,source=uv.lock,target=uv.lock \\
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\
    pip install uv && uv sync --frozen
COPY src ./src
CMD ["python", "-m", "pkg"]
"""


def root_files(t: Tree) -> None:
    t.text(".dockerignore", DOCKERIGNORE)
    t.text("Dockerfile", ROOT_DOCKERFILE)
    for name, med in (("README.md", 9_000), ("LICENSE", 1_070),
                      ("docker-compose.yml", 2_600), ("Makefile", 1_800),
                      ("package.json", 2_000), ("package-lock.json", 1_400_000),
                      ("tsconfig.base.json", 900), (".gitignore", 600),
                      (".editorconfig", 220), (".nvmrc", 8), (".prettierrc", 90),
                      (".eslintrc.cjs", 1_300), ("renovate.json", 400),
                      (".env", 900), (".env.local", 400), (".env.production", 700),
                      (".env.example", 800)):
        t.f(name, t.size(med, 0.15, 1))
    t.d(".github")
    t.d(".github/workflows")
    for wf in ("ci.yml", "release.yml", "codeql.yml"):
        t.f(f".github/workflows/{wf}", t.size(2_500, 0.5, 200))
    t.d("scripts")
    for s in ("bootstrap.sh", "migrate.sh", "seed-db.ts", "release.sh"):
        t.f(f"scripts/{s}", t.size(1_800, 0.7, 100), 0o755)
    t.d("docs")
    for s in ("architecture.md", "deploy.md", "runbook.md", "adr-0001-monorepo.md",
              "adr-0002-queues.md"):
        t.f(f"docs/{s}", t.size(7_000, 0.7, 300))
    t.d("docs/img")
    for s in ("architecture.png", "dataflow.png", "screenshot-dashboard.png"):
        t.f(f"docs/img/{s}", t.size(350_000, 0.6, 10_000))
    # A couple of big media files that people forget to ignore.
    t.d("assets")
    t.d("assets/media")
    t.f("assets/media/product-demo.mp4", 187_432_119)
    t.f("assets/media/onboarding-walkthrough.mov", 96_218_004)
    t.d("assets/design")
    t.f("assets/design/brand-kit.psd", 63_570_912)
    t.d("data")
    t.f("data/fixtures.sqlite3", 24_117_248)


def generate(out: str, entries: int, seed: int) -> Tree:
    rng = random.Random(seed)
    t = Tree(out, rng)
    nmods = NodeModules(t)
    n = entries
    root_files(t)
    git_dir(t, int(n * 0.05))
    t.d("services")
    node_service(t, nmods, "services/api", int(n * 0.12), "ts", True, "dist")
    node_service(t, nmods, "services/web", int(n * 0.09), "tsx", False, "build")
    python_service(t, "services/worker", int(n * 0.14))
    # Shared workspace package, linked from the root node_modules as npm does.
    t.d("packages")
    t.d("packages/shared")
    t.f("packages/shared/package.json", 800)
    mods = ts_sources(t, "packages/shared/src", int(n * 0.004))
    mirror_dist(t, "packages/shared/src", "packages/shared/dist", mods, int(n * 0.008))
    # Root build outputs.
    mirror_dist(t, "packages/shared/src", "dist", mods, int(n * 0.01))
    t.d("build")
    t.d("build/docker")
    for i in range(4):
        t.f(f"build/docker/layer-{i}.tar", t.size(30_000_000, 0.8, 100_000, 300_000_000))
    coverage_dir(t, "coverage", "packages/shared/src", mods, int(n * 0.005))
    log_dir(t, "logs", 5, "app")
    # Root node_modules takes the rest: most of the entries.
    nm_budget = max(50, n - t.count - 4)
    nmods.fill("node_modules", nm_budget)
    t.d("node_modules/@acme")
    t.l("node_modules/@acme/shared", "../../packages/shared")
    return t


# ---------------------------------------------------------------- other shapes

FLAT_DOCKERIGNORE = """\
# A flat directory of data files: ship the data, not the scratch files.
*.tmp
*.log
"""

FLAT_DOCKERFILE = """\
FROM busybox
COPY . /data
"""

# (extension, weight, median size): a dumped dataset / upload cache.
FLAT_KINDS = (("json", 50, 3_000), ("parquet", 15, 400_000), ("png", 20, 60_000),
              ("tmp", 10, 8_000), ("log", 5, 50_000))

DEEP_DOCKERIGNORE = """\
# Scratch files at any depth.
**/*.log
**/*.tmp
"""

DEEP_DOCKERFILE = """\
FROM busybox
COPY . /src
"""

MAX_DEPTH = 400  # lvlNNN/ is 7 bytes a level: 400 levels stay well under PATH_MAX


def generate_flat(out: str, entries: int, seed: int) -> Tree:
    """`entries` files directly in `out` (the .dockerignore and Dockerfile included)."""
    rng = random.Random(seed)
    t = Tree(out, rng)
    t.text(".dockerignore", FLAT_DOCKERIGNORE)
    t.text("Dockerfile", FLAT_DOCKERFILE)
    exts = [k[0] for k in FLAT_KINDS]
    weights = [k[1] for k in FLAT_KINDS]
    median = {k[0]: k[2] for k in FLAT_KINDS}
    for i in range(entries - t.count):
        ext = rng.choices(exts, weights)[0]
        t.f(f"item-{i:06d}-{t.hexs(6)}.{ext}", t.size(median[ext], 1.0, 1, 20_000_000))
    return t


def generate_deep(out: str, depth: int, seed: int) -> Tree:
    """A chain of `depth` directories lvl001/lvl002/..., a few files at each level."""
    rng = random.Random(seed)
    t = Tree(out, rng)
    t.text(".dockerignore", DEEP_DOCKERIGNORE)
    t.text("Dockerfile", DEEP_DOCKERFILE)
    d = ""
    for level in range(1, depth + 1):
        d = t.d(f"{d}/lvl{level:03d}" if d else f"lvl{level:03d}")
        t.f(f"{d}/README.md", t.size(2_000, 0.8, 100, 50_000))
        t.f(f"{d}/index.ts", t.size(3_000, 0.9, 80, 120_000))
        t.f(f"{d}/config.json", t.size(500, 0.6, 20, 20_000))
        if level % 4 == 0:
            t.f(f"{d}/debug.log", t.size(200_000, 1.0, 1_000, 50_000_000))
        if level % 10 == 0:
            t.f(f"{d}/build.tmp", t.size(30_000, 1.0, 100, 5_000_000))
    return t


# ---------------------------------------------------------------- .dockerignore model

def _pattern_regex(pat: str) -> re.Pattern[str]:
    """Docker patternmatcher's glob -> regex (subset: *, **, ?, literals)."""
    out = "^"
    i = 0
    while i < len(pat):
        c = pat[i]
        if c == "*":
            if i + 1 < len(pat) and pat[i + 1] == "*":
                i += 1
                if i + 1 < len(pat) and pat[i + 1] == "/":
                    i += 1
                out += ".*" if i + 1 >= len(pat) else "(.*/)?"
            else:
                out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        else:
            out += re.escape(c)
        i += 1
    return re.compile(out + "$")


def dockerignore_kept(entries, text: str) -> tuple[int, int]:
    """Entries and file bytes that the .dockerignore keeps (BuildKit semantics:
    a pattern matches a path or any of its parents; the last match wins).
    Only handles what our own .dockerignore uses."""
    pats = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        neg = line.startswith("!")
        p = os.path.normpath(line[1:] if neg else line).lstrip("/")
        pats.append((neg, _pattern_regex(p)))
    kept = kept_bytes = 0
    # Per path: which patterns match it or one of its parents. Entries come
    # parents first, so the parent's answer is always known.
    matched: dict[str, tuple[bool, ...]] = {"": (False,) * len(pats)}
    for rel, kind, size in entries:
        parent = matched[rel.rpartition("/")[0]]
        here = tuple(pm or bool(rx.match(rel)) for pm, (_, rx) in zip(parent, pats))
        if kind == "d":
            matched[rel] = here
        excluded = False
        for hit, (neg, _) in zip(here, pats):
            if hit:
                excluded = not neg
        if not excluded:
            kept += 1
            if kind == "f":
                kept_bytes += size
    return kept, kept_bytes


# ---------------------------------------------------------------- main

def human(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    return str(n)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", help="directory to create (must not exist, or be empty)")
    ap.add_argument("--shape", choices=("monorepo", "flat", "deep"), default="monorepo",
                    help="monorepo (default), flat (N files in one directory) or deep "
                         "(a chain of D directories)")
    ap.add_argument("--entries", type=int,
                    help=f"monorepo: approximate number of entries (default {DEFAULT_ENTRIES}); "
                         f"flat: number of files (default {DEFAULT_FLAT_ENTRIES})")
    ap.add_argument("--depth", type=int,
                    help=f"deep: number of nested directories (default {DEFAULT_DEPTH}, "
                         f"at most {MAX_DEPTH})")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED,
                    help=f"random seed (default {DEFAULT_SEED})")
    ap.add_argument("--summary-json", metavar="FILE",
                    help="also write the summary as JSON to FILE")
    args = ap.parse_args()
    if args.shape == "deep":
        if args.entries is not None:
            ap.error("--entries does not apply to --shape deep; use --depth")
        if args.depth is None:
            args.depth = DEFAULT_DEPTH
        if not 1 <= args.depth <= MAX_DEPTH:
            ap.error(f"--depth must be between 1 and {MAX_DEPTH}")
    else:
        if args.depth is not None:
            ap.error("--depth applies only to --shape deep")
        if args.entries is None:
            args.entries = DEFAULT_ENTRIES if args.shape == "monorepo" else DEFAULT_FLAT_ENTRIES
        if args.shape == "monorepo" and args.entries < 2_000:
            ap.error("--entries must be at least 2000")
        if args.shape == "flat" and args.entries < 3:
            ap.error("--entries must be at least 3 for --shape flat")

    out = args.out_dir
    if os.path.exists(out):
        if not os.path.isdir(out) or os.listdir(out):
            print(f"gen_tree: {out} exists and is not an empty directory", file=sys.stderr)
            return 2
    else:
        os.makedirs(out)

    t0 = time.monotonic()
    if args.shape == "monorepo":
        t, ignore_text = generate(out, args.entries, args.seed), DOCKERIGNORE
    elif args.shape == "flat":
        t, ignore_text = generate_flat(out, args.entries, args.seed), FLAT_DOCKERIGNORE
    else:
        t, ignore_text = generate_deep(out, args.depth, args.seed), DEEP_DOCKERIGNORE
    gen_s = time.monotonic() - t0
    kept, kept_bytes = dockerignore_kept(t.entries, ignore_text)

    summary = {
        "generator": "bench/gen_tree.py",
        "shape": args.shape,
        "requested_entries": args.entries,
        "depth": args.depth,
        "seed": args.seed,
        "entries": t.count,
        "dirs": t.dirs,
        "files": t.files,
        "symlinks": t.links,
        "file_bytes": t.file_bytes,
        "dockerignore_kept_entries": kept,
        "dockerignore_kept_file_bytes": kept_bytes,
        "seconds": round(gen_s, 2),
    }
    print(f"generated {os.path.abspath(out)} ({args.shape}, seed {args.seed}) in {gen_s:.1f} s")
    asked = (f"depth {args.depth}" if args.shape == "deep" else
             f"requested {'~' if args.shape == 'monorepo' else ''}{args.entries:,}")
    print(f"  entries   {t.count:>10,}  ({asked}; root not counted)")
    print(f"  dirs      {t.dirs:>10,}")
    print(f"  files     {t.files:>10,}")
    print(f"  symlinks  {t.links:>10,}")
    print(f"  apparent  {t.file_bytes:>14,} bytes in files ({human(t.file_bytes)}), "
          "written sparse")
    print(f"  .dockerignore keeps {kept:,} entries, {kept_bytes:,} file bytes "
          f"({human(kept_bytes)})")
    if args.summary_json:
        with open(args.summary_json, "w") as fh:
            json.dump(summary, fh, indent=2)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
