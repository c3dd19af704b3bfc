#!/usr/bin/env python3
"""The benchmark of issue 11, in one run on one server process:

  1. the data set: `shortscience generate …` into SQLite, cached under target/bench/data/ by its
     parameters (and the migrations), copied to a scratch file for the run (votes write);
  2. cold start: spawn to the first 200 of GET /api/v1/health/live, polled every 2 ms;
  3. load with wrk, one endpoint after another: liveness (the baseline of every ratio), static
     files, the feeds, paper pages at random ids, paper lists with each filter, venues, years,
     keywords, a user page, search (p50/p95/p99 over ~30 queries), and votes over HTTP by many
     users with API tokens, against the raw single-writer loop `shortscience bench-raw-votes`;
     RSS is sampled throughout (idle before, peak after);
  4. the web app's wasm and JS: raw, gzip -9 and brotli -11 bytes, and what the server sends;
  5. Chromium FCP and LCP of the home page and a paper page, unthrottled and at CPU 4x + slow
     4G (scripts/bench-paint.mjs);
  6. one table on stdout, and a report: docs/performance.md (full mode) or
     target/bench/quick.md (--quick, the CI-sized run: no timing is asserted anywhere).

It exits non-zero only when a stage fails outright: the server does not start or dies, a 5xx
answer, wrk missing, a stage over its time limit. Run by scripts/bench (which builds the server
and the web app and installs wrk and brotli first). Everything listens on 127.0.0.1, on ports
18100-18199; every scratch file is under target/bench/. Standard library only.
"""

import argparse
import contextlib
import datetime
import hashlib
import http.client
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "shortscience")
BENCH_DIR = os.path.join(ROOT, "target", "bench")
DATA_DIR = os.path.join(BENCH_DIR, "data")
RUN_DIR = os.path.join(BENCH_DIR, "run")
PORT_RANGE = range(18100, 18200)
PASSWORD = "correct horse battery staple"

SIZES = {
    "full": dict(papers=100_000, summaries=300_000, votes=1_000_000, users=20_000, comments=100_000),
    "quick": dict(papers=2_000, summaries=6_000, votes=20_000, users=500, comments=2_000),
}
MODES = {
    # duration of each wrk run (s), voters with API tokens, raw-loop votes, time limits (s)
    "full": dict(duration=10, voters=500, raw_votes=20_000, generate_timeout=1200, paint_timeout=900),
    "quick": dict(duration=3, voters=100, raw_votes=2_000, generate_timeout=300, paint_timeout=420),
}
# The budgets of issue 11 (informational: the report says met or not, nothing asserts them).
BUDGET_RATIO_HOT, BUDGET_P99_HOT_MS = 0.5, 10
BUDGET_RATIO_PAPER = BUDGET_RATIO_LIST = 0.2
BUDGET_RATIO_VOTES, BUDGET_P99_VOTES_MS = 0.4, 50
BUDGET_COLD_MS, BUDGET_RSS_MB, BUDGET_WEB_BR_KB = 200, 150, 200
BUDGET_SEARCH_P95_MS, BUDGET_PAINT_MS = 50, 1000  # issue 10

COLOR = sys.stderr.isatty()


def say(message):
    print(f"\033[1;34m==>\033[0m {message}" if COLOR else f"==> {message}", file=sys.stderr, flush=True)


def warn(message):
    print(f"\033[1;33mwarning:\033[0m {message}" if COLOR else f"warning: {message}", file=sys.stderr, flush=True)


def web_entry(sizes):
    """Sizes of what the browser fetches before any page's own module: the main wasm module, its
    JS and (once the app is split) the lazy routes' loader."""
    if not (sizes.get("wasm") and sizes.get("js")):
        return None
    parts = [sizes[k] for k in ("wasm", "js", "loader") if sizes.get(k)]
    return {k: sum(p[k] for p in parts) for k in ("raw", "gzip", "brotli")}


class StageFailed(Exception):
    pass


class Fatal(Exception):
    """A failure after which nothing else can be measured."""


FAILURES = []
STAGE_TIMES = []


@contextlib.contextmanager
def stage(name, timeout):
    """Prints the stage and its elapsed time, and bounds it: past `timeout` seconds it fails."""
    say(f"[{name}]")
    started = time.monotonic()

    def expired(signum, frame):
        raise StageFailed(f"{name}: not done within its time limit of {timeout} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(max(1, int(math.ceil(timeout))))
    outcome = "ok"
    try:
        yield
    except BaseException:
        outcome = "FAILED"
        raise
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        took = time.monotonic() - started
        STAGE_TIMES.append((name, took, outcome))
        say(f"[{name}] {'done' if outcome == 'ok' else 'failed'} in {fmt_duration(took)}")


def soft_stage(name, timeout, fn, *args, **kwargs):
    """A stage whose failure is recorded (the run fails at the end) but does not stop the run."""
    try:
        with stage(name, timeout):
            return fn(*args, **kwargs)
    except (StageFailed, OSError, subprocess.SubprocessError, ValueError, KeyError) as e:
        message = str(e) if isinstance(e, StageFailed) else f"{name}: {type(e).__name__}: {e}"
        warn(message)
        FAILURES.append(message)
        return None


def fmt_duration(seconds):
    if seconds < 60:
        return f"{seconds:.1f}s"
    return f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


def fmt_ms(ms):
    if ms is None:
        return "–"
    if ms < 1:
        return f"{ms:.2f} ms"
    if ms < 100:
        return f"{ms:.1f} ms"
    if ms < 10_000:
        return f"{ms:.0f} ms"
    return f"{ms / 1000:.1f} s"


def fmt_rate(rate):
    if rate is None:
        return "–"
    return f"{rate:,.0f}" if rate >= 100 else f"{rate:,.1f}"


def fmt_bytes(n):
    if n is None:
        return "–"
    return f"{n:,}"


# ---- HTTP ---------------------------------------------------------------------------------------


class Api:
    """One keep-alive connection to the server (not shared between threads)."""

    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, body=None, token=None, headers=None):
        all_headers = dict(headers or {})
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            all_headers["content-type"] = "application/json"
        if token:
            all_headers["authorization"] = f"Bearer {token}"
        attempts = 2 if method == "GET" else 1
        for attempt in range(attempts):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=payload, headers=all_headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == attempts - 1:
                    raise
        if (response.getheader("connection") or "").lower() == "close":
            self.conn.close()
            self.conn = None
        parsed = None
        if data and (response.getheader("content-type") or "").split(";")[0].endswith("json"):
            try:
                parsed = json.loads(data)
            except ValueError:
                parsed = None
        return response.status, parsed, response, data

    def json(self, path):
        status, body, _, data = self.request("GET", path)
        if status != 200 or body is None:
            raise StageFailed(f"GET {path} answered {status}: {data[:200]!r}")
        return body

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def q(value):
    return urllib.parse.quote(str(value), safe="")


def free_ports(count):
    ports = []
    for port in PORT_RANGE:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise Fatal(f"no {count} free ports in {PORT_RANGE.start}-{PORT_RANGE.stop - 1}")


# ---- the server process -------------------------------------------------------------------------


def die_with_parent():
    """In the child: SIGTERM when this script dies, whatever kills it (Linux prctl)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Server:
    def __init__(self, database, port, metrics_port, static_dir, log_path, read_cache_ms):
        self.database = database
        self.read_cache_ms = read_cache_ms
        self.port = port
        self.metrics_port = metrics_port
        self.static_dir = static_dir
        self.log_path = log_path
        self.proc = None
        self.pid_file = os.path.join(RUN_DIR, "server.pid")

    def env(self):
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": f"sqlite://{self.database}",
            "SHORTSCIENCE_RATE_LIMITS": "off",
            "SHORTSCIENCE_SHUTDOWN_GRACE": "3",
            "SHORTSCIENCE_READ_CACHE_MS": str(self.read_cache_ms),
            "RUST_LOG": os.environ.get("BENCH_LOG", "warn"),
        })
        for name in ("SHORTSCIENCE_DEMO", "SHORTSCIENCE_READ_ONLY", "SHORTSCIENCE_PORT", "SHORTSCIENCE_BIND"):
            env.pop(name, None)
        return env

    def start(self, deadline=60.0):
        """Spawns the server; returns the ms from spawn to the first 200 of /health/live."""
        args = [BINARY, "serve", "--bind", "127.0.0.1", "--port", str(self.port),
                "--static-dir", self.static_dir, "--metrics-bind", f"127.0.0.1:{self.metrics_port}"]
        log = open(self.log_path, "ab")
        request = (f"GET /api/v1/health/live HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                   "Connection: close\r\n\r\n").encode()
        started = time.perf_counter()
        self.proc = subprocess.Popen(args, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
        log.close()
        with open(self.pid_file, "w") as f:
            f.write(f"{self.proc.pid}\n")
        end = started + deadline
        while time.perf_counter() < end:
            if self.proc.poll() is not None:
                raise Fatal(f"the server exited with {self.proc.returncode} at start-up; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(request)
                    head = s.recv(64)
                if head.startswith(b"HTTP/1.1 200"):
                    return (time.perf_counter() - started) * 1000
            except OSError:
                pass
            time.sleep(0.002)
        raise Fatal(f"the server did not answer 200 on /api/v1/health/live within {deadline:.0f} s; see {self.log_path}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.pid_file)

    def proc_status(self):
        """VmRSS, VmHWM (kB) and Threads from /proc/<pid>/status."""
        out = {}
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    key, _, value = line.partition(":")
                    if key in ("VmRSS", "VmHWM", "Threads"):
                        out[key] = int(value.split()[0])
        except (OSError, AttributeError):
            pass
        return out

    def storage_reads(self):
        """(bytes the server has had read from storage, its major page faults) so far, from
        /proc/<pid>/io and /proc/<pid>/stat (None where unreadable). Pages the kernel had evicted
        from its cache come back through these; page-cache hits count in neither."""
        read_bytes = faults = None
        with contextlib.suppress(OSError, AttributeError, ValueError):
            with open(f"/proc/{self.proc.pid}/io") as f:
                for line in f:
                    if line.startswith("read_bytes:"):
                        read_bytes = int(line.split()[1])
        with contextlib.suppress(OSError, AttributeError, ValueError, IndexError):
            with open(f"/proc/{self.proc.pid}/stat") as f:
                # Fields after the command name (which may hold spaces): majflt is the 12th field.
                faults = int(f.read().rpartition(")")[2].split()[9])
        return read_bytes, faults

    def statuses(self):
        """HTTP answers so far by status, from the Prometheus endpoint (None if unavailable)."""
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.metrics_port, timeout=10)
            conn.request("GET", "/metrics")
            text = conn.getresponse().read().decode()
            conn.close()
        except (OSError, http.client.HTTPException):
            return None
        counts = {}
        for line in text.splitlines():
            if line.startswith("shortscience_http_requests_total{"):
                match = re.search(r'status="(\d+)"\}\s+([0-9.e+]+)$', line)
                if match:
                    counts[match.group(1)] = counts.get(match.group(1), 0) + int(float(match.group(2)))
        return counts


class RssSampler(threading.Thread):
    """Samples the server's VmRSS and thread count every 50 ms; `window()` reads and resets."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server = server
        self.done = threading.Event()
        self.lock = threading.Lock()
        self.peak_kb = 0
        self.window_kb = 0
        self.threads_max = 0

    def run(self):
        while not self.done.wait(0.05):
            s = self.server.proc_status()
            rss = s.get("VmRSS", 0)
            with self.lock:
                self.peak_kb = max(self.peak_kb, rss)
                self.window_kb = max(self.window_kb, rss)
                self.threads_max = max(self.threads_max, s.get("Threads", 0))

    def window(self):
        with self.lock:
            peak, self.window_kb = self.window_kb, 0
        return peak

    def stop(self):
        self.done.set()


# ---- wrk ----------------------------------------------------------------------------------------

LUA_DONE = r'''
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCHJSON {\"requests\":%d,\"duration_us\":%d,\"bytes\":%d,\"connect\":%d,\"read\":%d," ..
    "\"write\":%d,\"status\":%d,\"timeout\":%d,\"p50\":%d,\"p90\":%d,\"p95\":%d,\"p99\":%d," ..
    "\"max\":%d,\"mean\":%d}\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
'''

# Each wrk thread gets its own seed (setup runs in the main Lua state, init in the thread's).
LUA_SEED = r'''
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
init = function(args)
  math.randomseed(os.time() * 100 + seed)
  for _ = 1, 10 do math.random() end
  cursor = seed * 7919
end
'''


def lua_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def lua_list(name, values):
    return f"local {name} = {{\n  " + ",\n  ".join(lua_string(str(v)) for v in values) + "\n}\n"


def lua_random_paths(paths):
    return (lua_list("paths", paths) + LUA_SEED +
            "request = function()\n  return wrk.format(nil, paths[math.random(#paths)])\nend\n")


def lua_cycle_paths(paths):
    return (lua_list("paths", paths) + LUA_SEED +
            "request = function()\n  cursor = cursor + 1\n"
            "  return wrk.format(nil, paths[(cursor % #paths) + 1])\nend\n")


def lua_votes(tokens, summary_ids):
    return (lua_list("tokens", tokens) + lua_list("ids", summary_ids) + LUA_SEED + r'''
request = function()
  local value = 1
  if math.random(2) == 1 then value = -1 end
  local headers = {
    ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
    ["Content-Type"] = "application/json",
  }
  return wrk.format("PUT", "/api/v1/summaries/" .. ids[math.random(#ids)] .. "/vote", headers,
                    "{\"value\":" .. value .. "}")
end
''')


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_wrk(text):
    """Reads wrk's --latency report (and the JSON line of our `done` hook, when present)."""
    out = {}
    m = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    out["rps"] = float(m.group(1)) if m else None
    for pct, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M):
        out[f"p{pct}_ms"] = float(value) * UNITS_MS[unit]
    m = re.search(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h), ([\d.]+)([KMGT]?B) read", text, re.M)
    if m:
        out["requests"] = int(m.group(1))
        out["seconds"] = float(m.group(2)) * UNITS_MS[m.group(3)] / 1000
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    out["socket_errors"] = sum(int(x) for x in m.groups()[:3]) if m else 0
    out["timeouts"] = int(m.group(4)) if m else 0
    m = re.search(r"^BENCHJSON (\{.*\})\s*$", text, re.M)
    if m:
        exact = json.loads(m.group(1))
        out["exact"] = exact
        out["p95_ms"] = exact["p95"] / 1000
        out["max_ms"] = exact["max"] / 1000
        out["bytes_per_answer"] = exact["bytes"] / exact["requests"] if exact["requests"] else None
        out.setdefault("requests", exact["requests"])
    return out


class Bench:
    def __init__(self, args):
        self.args = args
        self.mode = "quick" if args.quick else "full"
        self.settings = dict(MODES[self.mode])
        if args.duration:
            self.settings["duration"] = args.duration
        if args.voters:
            self.settings["voters"] = args.voters
        self.size = dict(SIZES[self.mode])
        for key in self.size:
            if getattr(args, key) is not None:
                self.size[key] = getattr(args, key)
        self.seed = args.seed
        self.until = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
        self.rows = []
        self.info = {"mode": self.mode, "size": self.size, "seed": self.seed, "settings": self.settings}
        self.server = None
        self.sampler = None
        self.baseline = None
        self.row_filter = re.compile(args.rows) if args.rows else None
        self.web = not args.no_web_app and os.path.exists(os.path.join(args.static_dir, "index.html"))

    # ---- data set --------------------------------------------------------------------------

    def migrations_hash(self):
        h = hashlib.sha256()
        base = os.path.join(ROOT, "migrations", "sqlite")
        for folder, dirs, files in sorted(os.walk(base)):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                h.update(os.path.relpath(path, base).encode())
                with open(path, "rb") as f:
                    h.update(f.read())
        return h.hexdigest()[:10]

    def dataset(self):
        os.makedirs(DATA_DIR, exist_ok=True)
        if self.args.demo_data:
            key = f"demo-m{self.migrations_hash()}"
        else:
            s = self.size
            # History ends today (`generate --until`), so that `top` for a day, a week and a month
            # ranks recent summaries; a data set is reused on the day it was made.
            key = (f"p{s['papers']}-s{s['summaries']}-v{s['votes']}-u{s['users']}-c{s['comments']}"
                   f"-seed{self.seed}-until{self.until}-m{self.migrations_hash()}")
        path = os.path.join(DATA_DIR, f"{key}.db")
        meta_path = os.path.join(DATA_DIR, f"{key}.json")
        if os.path.exists(path) and os.path.exists(meta_path) and not self.args.regenerate:
            with open(meta_path) as f:
                meta = json.load(f)
            meta["reused"] = True
            say(f"reusing the cached data set {os.path.relpath(path, ROOT)} "
                f"(generated in {fmt_duration(meta['seconds'])} on {meta['created']})")
            return path, meta
        tmp = os.path.join(DATA_DIR, f"{key}.tmp.db")
        remove_sqlite(tmp)
        url = f"sqlite://{tmp}"
        env = dict(os.environ, DATABASE_URL=url, RUST_LOG=os.environ.get("BENCH_LOG", "warn"))
        env.pop("SHORTSCIENCE_DEMO", None)
        if not self.args.demo_data:
            probe = subprocess.run([BINARY, "generate", "--help"], capture_output=True, text=True, timeout=30)
            if probe.returncode != 0:
                raise Fatal("target/release/shortscience has no `generate` subcommand yet (issue 11, item 1: "
                            "`shortscience generate --papers N --summaries N --votes N --users N --comments N "
                            "--seed S`). Rebuild once it exists; `--demo-data` runs the harness on the "
                            f"demo data meanwhile.\n{probe.stderr.strip()}")
        started = time.monotonic()
        run_checked([BINARY, "--database-url", url, "migrate", "up"], env, 120, "migrate up")
        if self.args.demo_data:
            command = [BINARY, "--database-url", url, "seed"]
        else:
            s = self.size
            command = [BINARY, "--database-url", url, "generate", "--papers", str(s["papers"]),
                       "--summaries", str(s["summaries"]), "--votes", str(s["votes"]), "--users", str(s["users"]),
                       "--comments", str(s["comments"]), "--seed", str(self.seed), "--until", self.until]
        say("$ " + " ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c for c in command))
        generate_started = time.monotonic()
        run_checked(command, env, self.settings["generate_timeout"], "generate", stream=True)
        generate_seconds = time.monotonic() - generate_started
        # One file: fold the write-ahead log in before the rename.
        db = sqlite3.connect(tmp)
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        os.replace(tmp, path)
        remove_sqlite(tmp)
        # Copies of this data set from older days or migrations (each as large as this one) are
        # not used again.
        if not self.args.demo_data:
            stale_prefix = key.split("-until")[0] + "-"
            for name in os.listdir(DATA_DIR):
                if name.startswith(stale_prefix) and not name.startswith(key + "."):
                    say(f"removing {name}, an older copy of this data set")
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(os.path.join(DATA_DIR, name))
        meta = {
            "key": key,
            "command": " ".join(command[3:]),
            "seconds": generate_seconds,
            "total_seconds": time.monotonic() - started,
            "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": git_commit(),
            "bytes": os.path.getsize(path),
        }
        with open(meta_path, "w") as f:
            json.dump(meta, f, indent=1)
        meta["reused"] = False
        say(f"generated {os.path.relpath(path, ROOT)} ({os.path.getsize(path) / 1e6:.1f} MB) "
            f"in {fmt_duration(generate_seconds)}")
        return path, meta

    # ---- fixtures ---------------------------------------------------------------------------

    def fixtures(self, api):
        rng = random.Random(self.seed)
        fx = {}
        fx["stats"] = api.json("/api/v1/stats")
        # Papers of several lists: ids, titles, authors.
        papers = {}
        cursor = None
        for page in range(10):
            body = api.json("/api/v1/papers?limit=100" + (f"&cursor={q(cursor)}" if cursor else ""))
            for p in body["items"]:
                papers[p["id"]] = p
            cursor = body.get("next_cursor")
            if not cursor:
                break
        for sort in ("summaries", "top", "recent"):
            for p in api.json(f"/api/v1/papers?limit=100&sort={sort}")["items"]:
                papers[p["id"]] = p
        if not papers:
            raise StageFailed("the data set has no papers")
        fx["papers_seen"] = len(papers)
        # The paper of the browser figures: a typical one (its number of summaries the average),
        # not the one with the most.
        stats = fx["stats"]
        average = max(1, round(stats.get("public_summaries", 0) / max(1, stats.get("papers", 1))))
        typical = min(papers.values(), key=lambda p: (abs((p.get("summary_count") or 0) - average), p["id"]))
        fx["paint_paper"] = typical["id"]
        fx["paint_paper_summaries"] = typical.get("summary_count")
        # Paper ids at random over the whole id range, each checked to exist (~1000).
        max_id = max(papers)
        ids = set()
        if max_id > len(papers):
            candidates = rng.sample(range(1, max_id + 1), min(max_id, 3000))
            for pid in candidates:
                if len(ids) >= 1000:
                    break
                status, _, _, _ = api.request("GET", f"/api/v1/papers/{pid}")
                if status == 200:
                    ids.add(pid)
        for pid in papers:
            if len(ids) >= 1000:
                break
            ids.add(pid)
        fx["paper_ids"] = sorted(ids)

        venues = api.json("/api/v1/venues")["items"]
        years = api.json("/api/v1/years")["items"]
        keywords = api.json("/api/v1/keywords")["items"]
        if not venues or not years or not keywords:
            raise StageFailed("the data set has no venues, years or keywords")
        venue = max(venues, key=lambda v: v.get("paper_count", 0))["slug"]
        fx["venue"] = venue
        fx["year"] = max(years, key=lambda y: y.get("paper_count", 0))["year"]
        fx["keyword"] = max(keywords, key=lambda k: k.get("paper_count", 0))["slug"]
        venue_years = api.json(f"/api/v1/venues/{q(venue)}").get("years") or []
        fx["venue_year"] = max(venue_years, key=lambda y: y.get("paper_count", 0))["year"] if venue_years else fx["year"]
        author_counts = {}
        for p in papers.values():
            for a in p.get("authors") or []:
                author_counts[a["id"]] = author_counts.get(a["id"], 0) + 1
        fx["author"] = max(author_counts, key=author_counts.get)
        fx["counts"] = {"venues": len(venues), "years": len(years), "keywords": len(keywords)}

        # Summaries: ids for the votes, their authors for the user page, and the deep cursor.
        summary_ids, authors = set(), {}
        cursor = None
        for page in range(10):
            body = api.json("/api/v1/summaries?sort=new&limit=100" + (f"&cursor={q(cursor)}" if cursor else ""))
            for s in body["items"]:
                summary_ids.add(s["id"])
                name = (s.get("author") or {}).get("username")
                if name:
                    authors[name] = authors.get(name, 0) + 1
            cursor = body.get("next_cursor")
            if not cursor:
                break
        if not summary_ids:
            raise StageFailed("the data set has no public summaries")
        fx["summary_ids"] = sorted(summary_ids)[:1000]
        fx["user"] = max(authors, key=authors.get)
        cursor, depth = None, 0
        for _ in range(10):
            body = api.json("/api/v1/summaries?sort=hot" + (f"&cursor={q(cursor)}" if cursor else ""))
            if not body.get("next_cursor"):
                break
            cursor, depth = body["next_cursor"], depth + 1
        fx["deep_depth"] = depth
        fx["deep_path"] = "/api/v1/summaries?sort=hot" + (f"&cursor={q(cursor)}" if cursor else "")

        fx["search"] = self.search_queries(rng, list(papers.values()))
        hits = 0
        for query in fx["search"]:
            body = api.json(f"/api/v1/search?q={q(query['q'])}")
            query["hits"] = len(body.get("items") or []) + (1 if body.get("exact") else 0)
            hits += query["hits"] > 0
        say(f"{len(fx['paper_ids'])} paper ids, {len(fx['summary_ids'])} summary ids, venue {venue}, "
            f"year {fx['year']}, keyword {fx['keyword']}, author {fx['author']}, user {fx['user']}, "
            f"deep cursor after {depth} pages, {len(fx['search'])} search queries ({hits} with results)")
        return fx

    @staticmethod
    def search_queries(rng, papers):
        stop = {"about", "after", "their", "there", "these", "those", "through", "under", "using",
                "which", "while", "with", "without", "towards", "toward", "from", "into", "over", "than"}

        def words(title):
            return [w for w in re.findall(r"[A-Za-z][A-Za-z-]+", title) if len(w) >= 5 and w.lower() not in stop]

        titled = [p for p in papers if len(words(p["title"])) >= 2] or papers
        rng.shuffle(titled)
        picks = [titled[i % len(titled)] for i in range(30)]
        queries = []
        for i in range(5):
            queries.append({"kind": "word", "q": rng.choice(words(picks[i]["title"]) or ["model"])})
        for i in range(5, 10):
            w = words(picks[i]["title"]) or ["neural", "network"]
            queries.append({"kind": "two words", "q": " ".join(rng.sample(w, min(2, len(w))))})
        for i in range(10, 15):
            raw = re.findall(r"[A-Za-z][A-Za-z-]+", picks[i]["title"])
            start = rng.randrange(max(1, len(raw) - 1))
            queries.append({"kind": "phrase", "q": '"' + " ".join(raw[start:start + 2]) + '"'})
        for i in range(15, 20):
            names = [a["name"] for a in picks[i].get("authors") or []] or ["Smith"]
            queries.append({"kind": "author", "q": rng.choice(names).split()[-1]})
        for i in range(20, 25):
            a = words(picks[i]["title"]) or ["model"]
            b = words(picks[(i + 7) % len(picks)]["title"]) or ["learning"]
            queries.append({"kind": "or", "q": f"{rng.choice(a)} OR {rng.choice(b)}"})
        for i in range(25, 30):
            w = words(picks[i]["title"]) or ["model", "learning"]
            other = words(picks[(i + 3) % len(picks)]["title"]) or ["vision"]
            queries.append({"kind": "exclusion", "q": f"{w[0]} -{rng.choice(other)}"})
        arxiv = [p["arxiv_id"] for p in picks if p.get("arxiv_id")][:3]
        queries += [{"kind": "arxiv id", "q": a} for a in arxiv]
        unique, seen = [], set()
        for query in queries:
            if query["q"].lower() not in seen:
                seen.add(query["q"].lower())
                unique.append(query)
        return unique

    # ---- load -------------------------------------------------------------------------------

    def wrk(self, name, group, path, *, script=None, connections=None, duration=None, headers=(), method="GET",
            note="", threads=None):
        """Loads one endpoint; returns (and records) its row, or None when skipped."""
        if self.row_filter and not self.row_filter.search(name):
            return None
        connections = connections or self.args.connections
        duration = duration or self.settings["duration"]
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]
        lua = os.path.join(RUN_DIR, "lua", f"{slug}.lua")
        with open(lua, "w") as f:
            f.write((script or "") + LUA_DONE)
        threads = min(threads or self.args.threads, connections)
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
                   "--timeout", "2s", "-s", lua]
        for h in headers:
            command += ["-H", h]
        command.append(f"http://127.0.0.1:{self.server.port}{path}")
        row = {"name": name, "group": group, "path": path, "method": method, "connections": connections,
               "duration": duration, "note": note}

        def run():
            before = self.server.statuses()
            self.sampler.window()
            proc = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30)
            row["rss_kb"] = self.sampler.window()
            after = self.server.statuses()
            if proc.returncode != 0:
                raise StageFailed(f"{name}: wrk failed ({proc.returncode}): {proc.stderr.strip()[:300]}")
            row.update(parse_wrk(proc.stdout))
            if before is not None and after is not None:
                row["statuses"] = {k: after.get(k, 0) - before.get(k, 0) for k in after
                                   if after.get(k, 0) - before.get(k, 0) > 0}
            with open(os.path.join(RUN_DIR, "wrk.log"), "a") as f:
                f.write(f"### {name}\n$ {' '.join(command)}\n{proc.stdout}{proc.stderr}\n")
            if not self.server.alive():
                raise Fatal(f"{name}: the server died under load (exit {self.server.proc.returncode}); "
                            f"see {self.server.log_path}")
            if row.get("rps") is None:
                raise StageFailed(f"{name}: could not read wrk's report: {proc.stdout[-300:]}")
            if row.get("requests") and row.get("exact") and not row["exact"]["max"]:
                # wrk records no latency for answers past its timeout: here none came sooner.
                for key in ("p50_ms", "p75_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms"):
                    row[key] = None
                row["note"] = (row["note"] + "; " if row["note"] else "") + "every answer took over 2 s"
            if not row.get("requests"):
                # Every answer took longer than the run: wrk has no latency to report.
                for key in ("p50_ms", "p75_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms"):
                    row[key] = None
                row["note"] = (row["note"] + "; " if row["note"] else "") + \
                    f"no answer completed within the {duration} s run"
                if not row.get("statuses"):
                    raise StageFailed(f"{name}: the server answered nothing in {duration} s")
            errors = sum(v for k, v in row.get("statuses", {}).items() if k.startswith("5"))
            row["5xx"] = errors
            if errors:
                raise StageFailed(f"{name}: {errors} answers with 5xx ({row['statuses']})")
            if row.get("requests") and row["non2xx"] >= row["requests"]:
                raise StageFailed(f"{name}: no 2xx answer at all ({row.get('statuses') or row['non2xx']})")

        label = f"load: {name}"
        try:
            with stage(label, duration + 45):
                run()
        except (StageFailed, subprocess.SubprocessError, OSError) as e:
            message = str(e) if isinstance(e, StageFailed) else f"{name}: {type(e).__name__}: {e}"
            warn(message)
            FAILURES.append(message)
            row["failed"] = message
        self.rows.append(row)
        self.settle()
        return row

    def settle(self, limit=15.0):
        """Waits until the server is idle again (liveness answers in under 20 ms): answers that
        wrk gave up on may still be in the works, and would slow the next row."""
        time.sleep(self.args.pause)
        api = Api(self.server.port, timeout=limit)
        end = time.monotonic() + limit
        try:
            while time.monotonic() < end:
                started = time.perf_counter()
                with contextlib.suppress(OSError, http.client.HTTPException):
                    api.request("GET", "/api/v1/health/live")
                if time.perf_counter() - started < 0.02:
                    return
                time.sleep(0.1)
            warn(f"the server was still busy {limit:.0f} s after the load")
        finally:
            api.close()

    def load(self, fx, assets):
        api = "/api/v1"
        live = self.wrk("liveness", "baseline", f"{api}/health/live")
        if live and live.get("rps"):
            self.baseline = live["rps"]
        if self.web:
            br = ["Accept-Encoding: br"]
            for kind in ("wasm", "js"):
                if assets.get(kind):
                    self.wrk(f"static {kind} (br)", "static", "/" + assets[kind], headers=br)
            if assets.get("css"):
                self.wrk("static css (br)", "static", "/" + assets["css"], headers=br)
            if assets.get("small"):
                self.wrk(f"static small file ({assets['small']})", "static", "/" + assets["small"])
                # A fixed delay per answer (Nagle's algorithm meeting delayed ACKs) shows on one
                # connection, next to a small JSON answer.
                self.wrk("static small file, 1 connection", "one connection", "/" + assets["small"],
                         connections=1)
                self.wrk("years, 1 connection", "one connection", f"{api}/years", connections=1)
            self.wrk("app page / (br)", "static", "/", headers=br)
        self.wrk("hot feed, first page", "feed", f"{api}/summaries?sort=hot")
        self.wrk(f"hot feed, page {fx['deep_depth'] + 1} (cursor)", "feed", fx["deep_path"])
        for period in ("day", "week", "month", "year", "all"):
            self.wrk(f"top, period={period}", "feed", f"{api}/summaries?sort=top&period={period}")
        self.wrk(f"paper page, random of {len(fx['paper_ids'])}", "paper", f"{api}/papers/{fx['paper_ids'][0]}",
                 script=lua_random_paths([f"{api}/papers/{i}" for i in fx["paper_ids"]]))
        lists = [("papers, sort=new", ""), ("papers, sort=recent", "sort=recent"),
                 ("papers, sort=summaries", "sort=summaries"), ("papers, sort=top", "sort=top"),
                 (f"papers, venue={fx['venue']}", f"venue={q(fx['venue'])}"),
                 (f"papers, year={fx['year']}", f"year={fx['year']}"),
                 (f"papers, keyword={fx['keyword']}", f"keyword={q(fx['keyword'])}"),
                 (f"papers, author={fx['author']}", f"author={fx['author']}"),
                 (f"papers, venue={fx['venue']}&year={fx['venue_year']}",
                  f"venue={q(fx['venue'])}&year={fx['venue_year']}")]
        for name, query in lists:
            self.wrk(name, "list", f"{api}/papers" + (f"?{query}" if query else ""))
        self.wrk("venues", "list", f"{api}/venues")
        self.wrk("years", "list", f"{api}/years")
        self.wrk("keywords", "list", f"{api}/keywords")
        self.wrk(f"venue {fx['venue']}", "list", f"{api}/venues/{q(fx['venue'])}")
        self.wrk(f"user {fx['user']}", "user", f"{api}/users/{q(fx['user'])}")
        self.wrk(f"user {fx['user']}, summaries", "user", f"{api}/users/{q(fx['user'])}/summaries")
        queries = fx["search"]
        self.wrk(f"search, {len(queries)} queries", "search", f"{api}/search?q={q(queries[0]['q'])}",
                 script=lua_cycle_paths([f"{api}/search?q={q(x['q'])}" for x in queries]))
        # Issue 10's latency target is what one reader waits for a result page: measured with
        # one client at a time (the 64-connection rows above and below measure throughput, where
        # 2 cores queue the requests and the wait grows with the queue).
        self.wrk(f"search, {len(queries)} queries, 1 connection", "search one", f"{api}/search?q={q(queries[0]['q'])}",
                 script=lua_cycle_paths([f"{api}/search?q={q(x['q'])}" for x in queries]), connections=1)
        kinds = []
        for x in queries:
            if x["kind"] not in kinds:
                kinds.append(x["kind"])
        short = max(2, self.settings["duration"] // 2)
        for kind in kinds:
            paths = [f"{api}/search?q={q(x['q'])}" for x in queries if x["kind"] == kind]
            self.wrk(f"search: {kind}", "search kind", paths[0], script=lua_cycle_paths(paths), duration=short)
        if self.web:
            self.wrk(f"app page /papers/{fx['paint_paper']} (br)", "static", f"/papers/{fx['paint_paper']}",
                     headers=["Accept-Encoding: br"])
        again = self.wrk("liveness, again", "baseline check", f"{api}/health/live")
        # The faster of the two is the baseline: a machine that sped up during the run (a noisy
        # neighbour gone) must not flatter the ratios measured while it was slow.
        if again and again.get("rps"):
            first = self.baseline
            self.baseline = max(first or 0, again["rps"])
            if first and abs(again["rps"] - first) > 0.15 * max(first, again["rps"]):
                self.info["baseline_drift"] = [first, again["rps"]]
                warn(f"liveness went from {first:,.0f} to {again['rps']:,.0f} req/s during the run: "
                     "the machine's speed changed, the ratios use the faster")

    # ---- votes ------------------------------------------------------------------------------

    def voters(self):
        count = self.settings["voters"]
        tag = "%04x" % random.randrange(0x10000)

        def one(i):
            api = Api(self.server.port, timeout=60)
            try:
                name = f"bv{tag}x{i:04d}"
                status, body, _, data = api.request("POST", "/api/v1/auth/register",
                                                    {"username": name, "email": f"{name}@bench.example",
                                                     "password": PASSWORD})
                if status != 201:
                    raise StageFailed(f"registering {name} answered {status}: {data[:200]!r}")
                status, body, _, data = api.request("POST", "/api/v1/me/tokens", {"name": "bench"},
                                                    token=body["access_token"])
                if status not in (200, 201):
                    raise StageFailed(f"creating a token for {name} answered {status}: {data[:200]!r}")
                return body["token"]
            finally:
                api.close()

        started = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            tokens = list(pool.map(one, range(count)))
        took = time.monotonic() - started
        say(f"{count} users registered with an API token each in {fmt_duration(took)}")
        self.info["voters"] = {"count": count, "seconds": took}
        return tokens

    def raw_votes(self, database):
        count = self.settings["raw_votes"]
        command = [BINARY, "--database-url", f"sqlite://{database}", "bench-raw-votes", "--count", str(count)]
        env = dict(os.environ, RUST_LOG=os.environ.get("BENCH_LOG", "warn"))
        proc = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
        if proc.returncode != 0:
            if "unrecognized subcommand" in proc.stderr:
                say("the server has no `bench-raw-votes` subcommand yet: the raw loop is n/a")
                return None
            raise StageFailed(f"bench-raw-votes failed ({proc.returncode}): {proc.stderr.strip()[:300]}")
        for line in reversed(proc.stdout.strip().splitlines()):
            with contextlib.suppress(ValueError):
                result = json.loads(line)
                if isinstance(result, dict) and "per_second" in result:
                    say(f"raw loop: {result.get('votes')} votes in {result.get('seconds'):.2f} s "
                        f"= {result['per_second']:,.0f}/s")
                    return result
        raise StageFailed(f"bench-raw-votes printed no JSON result: {proc.stdout[-300:]!r}")

    # ---- the web app ------------------------------------------------------------------------

    def assets(self):
        static = self.args.static_dir
        with open(os.path.join(static, "index.html")) as f:
            index = f.read()
        found = {}
        for ref in re.findall(r"""['"]/([^'"?#]+\.(?:wasm|js|css|svg|ico|png))['"]""", index):
            kind = ref.rsplit(".", 1)[1]
            kind = "small" if kind in ("svg", "ico", "png") else kind
            if os.path.exists(os.path.join(static, ref)):
                found.setdefault(kind, ref)
        for kind, pattern in (("wasm", r"\.wasm$"), ("js", r"\.js$")):
            if kind not in found:
                names = sorted(n for n in os.listdir(static) if re.search(pattern, n))
                if names:
                    found[kind] = names[0]
        if "wasm" not in found or "js" not in found:
            raise StageFailed(f"no wasm or JS file named in {static}/index.html")
        # The loader of the lazy routes' modules (scripts/split-wasm), which the app's JS imports.
        loaders = sorted(n for n in os.listdir(static) if re.fullmatch(r"__wasm_split-[0-9a-f]+\.js", n))
        if loaders:
            found["loader"] = loaders[0]
        return found

    @staticmethod
    def compressed(path, work):
        """raw, gzip -9 and brotli -11 bytes of a file (compressed in `work`)."""
        copy = os.path.join(work, os.path.basename(path))
        shutil.copyfile(path, copy)
        subprocess.run(["gzip", "-9", "-k", "-f", copy], check=True, timeout=120)
        subprocess.run(["brotli", "-q", "11", "-k", "-f", copy], check=True, timeout=300)
        return {"raw": os.path.getsize(copy), "gzip": os.path.getsize(copy + ".gz"),
                "brotli": os.path.getsize(copy + ".br")}

    def route_modules(self, loader, work):
        """Per module of lazy routes: the files a first visit to one of its pages fetches (its own
        module and the chunks it shares with others, as the loader lists them) and their sizes."""
        with open(os.path.join(self.args.static_dir, loader)) as f:
            js = f.read()
        chunks = dict(re.findall(r'const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = '
                                 r'fetch\(new URL\("\./([^"]+)"', js))
        out = {}
        for name, body in re.findall(r"export const __wasm_split_load_(\w+) = "
                                     r"wrapAsyncCb\(makeLoad\((.*?)\]\)\);", js, re.S):
            files = re.findall(r'new URL\("\./([^"]+)"', body)[:1]
            files += [chunks[c] for c in re.findall(r"__chunk_\d+", body.rsplit("[", 1)[-1]) if c in chunks]
            sizes = [self.compressed(os.path.join(self.args.static_dir, f), work) for f in files]
            out[name] = {"files": files, **{k: sum(x[k] for x in sizes) for k in ("raw", "gzip", "brotli")}}
        return out

    def sizes(self, assets):
        out = {}
        work = os.path.join(RUN_DIR, "sizes")
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        for kind in ("wasm", "js", "loader"):
            name = assets.get(kind)
            if not name:
                continue
            source = os.path.join(self.args.static_dir, name)
            entry = {"file": name, **self.compressed(source, work),
                     "precompressed": [ext for ext in (".br", ".gz") if os.path.exists(source + ext)]}
            api = Api(self.server.port)
            for label, accept in (("sent", "br, gzip"), ("sent_gzip", "gzip"), ("sent_identity", "identity")):
                t = time.perf_counter()
                status, _, response, data = api.request("GET", "/" + name, headers={"Accept-Encoding": accept})
                entry[label] = {"status": status, "encoding": response.getheader("content-encoding") or "identity",
                                "bytes": len(data), "ms": (time.perf_counter() - t) * 1000}
                if status != 200:
                    raise StageFailed(f"GET /{name} answered {status}")
            api.close()
            out[kind] = entry
            say(f"{kind}: {entry['raw']:,} raw, {entry['gzip']:,} gzip -9, {entry['brotli']:,} brotli -11; "
                f"the server sends {entry['sent']['encoding']} {entry['sent']['bytes']:,} bytes "
                f"in {entry['sent']['ms']:.0f} ms")
        if assets.get("loader"):
            out["routes"] = self.route_modules(assets["loader"], work)
            for name, m in out["routes"].items():
                say(f"module {name}: {len(m['files'])} files, {m['brotli']:,} brotli -11 more on a first visit")
        return out

    def paint(self, fx):
        node = shutil.which("node")
        if not node:
            raise StageFailed("node is not installed: no paint timing")
        if not os.path.exists(os.path.join(ROOT, "e2e", "node_modules", "playwright")):
            raise StageFailed("e2e/node_modules has no playwright (scripts/bench installs it): no paint timing")
        command = [node, os.path.join(ROOT, "scripts", "bench-paint.mjs"),
                   "--base", f"http://127.0.0.1:{self.server.port}",
                   "--path", "/", "--path", f"/papers/{fx['paint_paper']}", "--runs", str(self.args.paint_runs)]
        proc = subprocess.run(command, stdout=subprocess.PIPE, text=True, timeout=self.settings["paint_timeout"])
        if proc.returncode != 0:
            raise StageFailed(f"bench-paint.mjs failed ({proc.returncode})")
        return json.loads(proc.stdout)

    # ---- the run ----------------------------------------------------------------------------

    def run(self):
        os.makedirs(os.path.join(RUN_DIR, "lua"), exist_ok=True)
        for name in ("wrk.log", "server.log"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(RUN_DIR, name))
        if not shutil.which("wrk"):
            raise Fatal("wrk is not installed (scripts/bench installs it with apt)")
        if not os.access(BINARY, os.X_OK):
            raise Fatal(f"{BINARY} is missing: cargo build --release --locked -p shortscience-server")
        if not self.web:
            warn("no web app (dist/ is missing): the static-file, size and paint rows are skipped")
        web_build = self.web_fingerprint()

        with stage("data set", self.settings["generate_timeout"] + 180):
            cached, meta = self.dataset()
            self.info["dataset"] = meta
        database = os.path.join(RUN_DIR, "site.db")
        with stage("scratch copy of the data set", 600):
            remove_sqlite(database)
            shutil.copyfile(cached, database)
            # Written back now, not during the first measurements: the copy leaves the whole
            # file dirty in the page cache, and its writeback made one cold start of three take
            # 1.4-1.6 s (the server's own start is ~50 ms).
            os.sync()
            self.info["dataset"]["file_bytes"] = os.path.getsize(database)

        port, metrics_port = free_ports(2)
        self.server = Server(database, port, metrics_port, self.args.static_dir, os.path.join(RUN_DIR, "server.log"),
                             self.args.read_cache_ms)
        colds = []
        with stage("cold start", 180):
            for i in range(3):
                colds.append(self.server.start())
                say(f"start {i + 1}: first 200 of /api/v1/health/live after {colds[-1]:.1f} ms")
                if i < 2:
                    self.server.stop()
        self.info["cold_start_ms"] = colds
        time.sleep(1)
        idle = self.server.proc_status()
        self.info["rss_idle_kb"] = idle.get("VmRSS")
        self.info["threads_idle"] = idle.get("Threads")
        self.sampler = RssSampler(self.server)
        self.sampler.start()

        api = Api(port)
        with stage("fixtures from the API", 300):
            fx = self.fixtures(api)
        api.close()
        self.info["fixtures"] = {k: v for k, v in fx.items() if k not in ("paper_ids", "summary_ids")}
        self.info["fixtures"]["paper_ids"] = len(fx["paper_ids"])
        self.info["fixtures"]["summary_ids"] = len(fx["summary_ids"])

        assets = {}
        if self.web:
            assets = soft_stage("web app sizes", 600, lambda: self.assets()) or {}
            if assets:
                self.info["sizes"] = soft_stage("web app sizes: compress and fetch", 600, self.sizes, assets)
        self.load(fx, assets)
        if self.web and not self.args.skip_paint and not self.row_filter:
            self.info["paint"] = soft_stage("paint timing (Chromium)", self.settings["paint_timeout"] + 30,
                                            self.paint, fx)

        status = self.server.proc_status()
        self.info["rss_reads_hwm_kb"] = status.get("VmHWM")
        self.info["rss_reads_kb"] = status.get("VmRSS")
        if not self.args.skip_votes and not (self.row_filter and not self.row_filter.search("votes")):
            tokens = soft_stage("voters: register and create API tokens", 900, self.voters)
            status = self.server.proc_status()
            self.info["rss_after_register_kb"] = status.get("VmRSS")
            say(f"RSS {status.get('VmRSS', 0) / 1024:.0f} MB after the registrations "
                f"(VmHWM {status.get('VmHWM', 0) / 1024:.0f} MB)")
            if tokens:
                reads_before = self.server.storage_reads()
                row = self.wrk(f"votes PUT, {len(tokens)} users", "votes", f"/api/v1/summaries/{fx['summary_ids'][0]}/vote",
                               script=lua_votes(tokens, fx["summary_ids"]), connections=self.args.vote_connections,
                               method="PUT")
                if row and row.get("requests"):
                    ok = sum(v for k, v in row.get("statuses", {}).items() if k.startswith("2"))
                    if not row.get("statuses"):
                        ok = row["requests"] - row["non2xx"]
                    row["votes_ok"] = ok
                    row["votes_per_second"] = ok / row["seconds"] if row.get("seconds") else None
                if row:
                    # Pages read back from storage during the votes would stall the single writer.
                    after = self.server.storage_reads()
                    row["storage_reads"] = [a - b if a is not None and b is not None else None
                                            for a, b in zip(after, reads_before)]

        status = self.server.proc_status()
        self.info["rss_hwm_kb"] = status.get("VmHWM")
        self.info["rss_peak_sampled_kb"] = self.sampler.peak_kb
        self.info["threads_max"] = self.sampler.threads_max
        self.sampler.stop()
        with stage("stop the server", 60):
            self.server.stop()
        if not self.args.skip_votes and not self.row_filter:
            self.info["raw_votes"] = soft_stage("raw vote loop (bench-raw-votes)", 660, self.raw_votes, database)
        if self.web and self.web_fingerprint() != web_build:
            self.info["web_changed"] = True
            warn("dist/index.html changed during the run (another build?): the web-app figures may mix two builds")
        return self.report()

    def web_fingerprint(self):
        try:
            with open(os.path.join(self.args.static_dir, "index.html"), "rb") as f:
                return hashlib.sha256(f.read()).hexdigest()
        except OSError:
            return None

    # ---- report -----------------------------------------------------------------------------

    def table_rows(self):
        """(stage, req/s, ratio, p50, p99, notes) for every row of the table."""
        out = []
        colds = self.info.get("cold_start_ms") or []
        if colds:
            out.append(("cold start (spawn → first 200)", "", "", "", "",
                        f"{statistics.median(colds):.0f} ms median of {len(colds)} "
                        f"({', '.join(f'{c:.0f}' for c in colds)} ms)"))
        raw = self.info.get("raw_votes")
        for row in self.rows:
            if row.get("failed") and row.get("rps") is None:
                out.append((row["name"], "", "", "", "", f"FAILED: {row['failed']}"))
                continue
            notes = []
            rps = row.get("rps")
            ratio = ""
            if row["group"] == "votes":
                rps = row.get("votes_per_second", rps)
                if raw and raw.get("per_second"):
                    ratio = f"{rps / raw['per_second']:.2f}× raw"
                else:
                    ratio = "raw n/a"
                notes.append(f"{row.get('votes_ok', 0):,} votes ok, {row['connections']} conns")
                read_bytes, faults = row.get("storage_reads") or (None, None)
                if read_bytes is not None:
                    notes.append(f"{read_bytes / 1e6:.1f} MB read from storage by the server"
                                 + (f", {faults:,} major page faults" if faults is not None else ""))
            elif self.baseline and rps is not None:
                ratio = f"{rps / self.baseline:.2f}×"
            if row.get("p95_ms") is not None and row["group"].startswith("search"):
                notes.append(f"p95 {fmt_ms(row['p95_ms'])}")
            statuses = row.get("statuses") or {}
            bad = {k: v for k, v in statuses.items() if not k.startswith("2")}
            if bad:
                notes.append("statuses " + ", ".join(f"{k}×{v:,}" for k, v in sorted(bad.items())))
            elif row.get("non2xx"):
                notes.append(f"{row['non2xx']:,} non-2xx")
            if row.get("timeouts"):
                notes.append(f"{row['timeouts']:,} timeouts")
            if row.get("socket_errors"):
                notes.append(f"{row['socket_errors']:,} socket errors")
            if row.get("bytes_per_answer"):
                notes.append(f"{row['bytes_per_answer'] / 1000:,.1f} KB/answer")
            if row.get("failed"):
                notes.append(f"FAILED: {row['failed']}")
            if row.get("note"):
                notes.append(row["note"])
            out.append((row["name"], fmt_rate(rps), ratio, fmt_ms(row.get("p50_ms")), fmt_ms(row.get("p99_ms")),
                        "; ".join(notes)))
        if raw:
            out.append(("raw vote loop (single writer)", fmt_rate(raw.get("per_second")), "", "", "",
                        f"{raw.get('votes')} votes in {raw.get('seconds', 0):.2f} s"))
        elif "raw_votes" in self.info:
            out.append(("raw vote loop (single writer)", "n/a", "", "", "", "no `bench-raw-votes` subcommand"))
        if self.info.get("rss_idle_kb"):
            mb = lambda key: (self.info.get(key) or 0) / 1024  # noqa: E731
            text = (f"idle {mb('rss_idle_kb'):.0f} MB; peak {mb('rss_reads_hwm_kb'):.0f} MB after the read loads "
                    f"(VmHWM)")
            if self.info.get("rss_after_register_kb"):
                text += (f", {mb('rss_after_register_kb'):.0f} MB after registering the voters, "
                         f"peak {mb('rss_hwm_kb'):.0f} MB after the votes")
            out.append(("RSS", "", "", "", "", text + f"; {self.info.get('threads_max')} threads at most"))
        sizes = self.info.get("sizes") or {}
        for kind in ("wasm", "js", "loader"):
            e = sizes.get(kind)
            if e:
                out.append((f"web app {kind}", "", "", "", "",
                            f"{e['raw']:,} raw, {e['gzip']:,} gzip -9, {e['brotli']:,} brotli -11; server sends "
                            f"{e['sent']['encoding']} {e['sent']['bytes']:,} B in {e['sent']['ms']:.0f} ms"))
        entry = web_entry(sizes)
        if entry:
            out.append(("web app wasm + JS", "", "", "", "",
                        f"{entry['brotli'] / 1000:,.1f} KB brotli -11, {entry['gzip'] / 1000:,.1f} KB gzip -9 "
                        "(the main module, its JS and the lazy routes' loader)"))
            for name, m in (sizes.get("routes") or {}).items():
                out.append((f"web app + {name} pages", "", "", "", "",
                            f"{(entry['brotli'] + m['brotli']) / 1000:,.1f} KB brotli -11 on a first visit "
                            f"({len(m['files'])} more files, {m['brotli'] / 1000:,.1f} KB)"))
        for r in (self.info.get("paint") or {}).get("results", []):
            troubled = sum(1 for run in r["runs"] if run.get("errors"))
            out.append((f"paint {r['path']} {r['profile']}", "", "", "", "",
                        f"FCP {fmt_ms(r['fcp_ms'])}, LCP {fmt_ms(r['lcp_ms'])}, content {fmt_ms(r['ready_ms'])} "
                        f"(median of {len(r['runs'])})" +
                        (f"; browser errors in {troubled} load(s)" if troubled else "")))
        if self.info.get("web_changed"):
            out.append(("web app", "", "", "", "", "dist/ changed during the run: the figures may mix two builds"))
        if self.info.get("baseline_drift"):
            first, last = self.info["baseline_drift"]
            out.append(("machine speed", "", "", "", "",
                        f"liveness {first:,.0f} req/s at the start, {last:,.0f} at the end: the ratios use the faster"))
        return out

    def budgets(self):
        """(budget, measured, met) of issues 10 and 11, from this run."""
        out = []
        by_group = {}
        for row in self.rows:
            by_group.setdefault(row["group"], []).append(row)

        def ratio(row):
            return row["rps"] / self.baseline if self.baseline and row.get("rps") else None

        hot = next((r for r in self.rows if r["name"] == "hot feed, first page"), None)
        if hot and ratio(hot) is not None:
            out.append((f"hot feed ≥ {BUDGET_RATIO_HOT}× liveness, p99 ≤ {BUDGET_P99_HOT_MS} ms",
                        f"{ratio(hot):.2f}×, p99 {fmt_ms(hot.get('p99_ms'))}",
                        ratio(hot) >= BUDGET_RATIO_HOT and (hot.get("p99_ms") or 1e9) <= BUDGET_P99_HOT_MS))
        for row in by_group.get("paper", []):
            if ratio(row) is not None:
                out.append((f"paper page ≥ {BUDGET_RATIO_PAPER}× liveness", f"{ratio(row):.2f}×",
                            ratio(row) >= BUDGET_RATIO_PAPER))
        lists = [r for r in by_group.get("list", []) if ratio(r) is not None]
        if lists:
            worst = min(lists, key=ratio)
            out.append((f"every list ≥ {BUDGET_RATIO_LIST}× liveness", f"worst {ratio(worst):.2f}× ({worst['name']})",
                        ratio(worst) >= BUDGET_RATIO_LIST))
        raw = self.info.get("raw_votes")
        for row in by_group.get("votes", []):
            if row.get("votes_per_second") is not None:
                if raw and raw.get("per_second"):
                    r = row["votes_per_second"] / raw["per_second"]
                    out.append((f"votes ≥ {BUDGET_RATIO_VOTES}× raw loop, p99 ≤ {BUDGET_P99_VOTES_MS} ms",
                                f"{r:.2f}×, p99 {fmt_ms(row.get('p99_ms'))}",
                                r >= BUDGET_RATIO_VOTES and (row.get("p99_ms") or 1e9) <= BUDGET_P99_VOTES_MS))
                else:
                    out.append((f"votes p99 ≤ {BUDGET_P99_VOTES_MS} ms (ratio: raw loop n/a)",
                                f"p99 {fmt_ms(row.get('p99_ms'))}", (row.get("p99_ms") or 1e9) <= BUDGET_P99_VOTES_MS))
        single = {r["name"]: r for r in by_group.get("one connection", []) if r.get("p50_ms") is not None}
        s, j = single.get("static small file, 1 connection"), single.get("years, 1 connection")
        if s and j:
            out.append(("static files at the speed of JSON (no fixed delay)",
                        f"on 1 connection: small file p50 {fmt_ms(s['p50_ms'])}, {fmt_rate(s['rps'])}/s; "
                        f"/years p50 {fmt_ms(j['p50_ms'])}, {fmt_rate(j['rps'])}/s",
                        s["p50_ms"] <= max(2 * j["p50_ms"], j["p50_ms"] + 2)))
        one = next((r for r in by_group.get("search one", []) if r.get("p95_ms") is not None), None)
        if one:
            out.append((f"search p95 ≤ {BUDGET_SEARCH_P95_MS} ms, one client (issue 10)",
                        f"p95 {fmt_ms(one['p95_ms'])}, p50 {fmt_ms(one.get('p50_ms'))}",
                        one["p95_ms"] <= BUDGET_SEARCH_P95_MS))
        for r in (self.info.get("paint") or {}).get("results", []):
            if r.get("profile") == "throttled":
                worst = max((r.get("fcp_ms") or 1e9), (r.get("lcp_ms") or 1e9))
                out.append((f"{r['path']} FCP and LCP ≤ {BUDGET_PAINT_MS} ms, CPU 4× + slow 4G (issue 10)",
                            f"FCP {fmt_ms(r.get('fcp_ms'))}, LCP {fmt_ms(r.get('lcp_ms'))} (median)",
                            worst <= BUDGET_PAINT_MS))
        colds = self.info.get("cold_start_ms")
        if colds:
            out.append((f"cold start ≤ {BUDGET_COLD_MS} ms", f"{statistics.median(colds):.0f} ms",
                        statistics.median(colds) <= BUDGET_COLD_MS))
        if self.info.get("rss_hwm_kb"):
            reads = (self.info.get("rss_reads_hwm_kb") or 0) / 1024
            mb = self.info["rss_hwm_kb"] / 1024
            out.append((f"RSS ≤ {BUDGET_RSS_MB} MB under load", f"{reads:.0f} MB after the reads, {mb:.0f} MB at the end",
                        mb <= BUDGET_RSS_MB))
        sizes = self.info.get("sizes") or {}
        entry = web_entry(sizes)
        if entry:
            kb = entry["brotli"] / 1000
            out.append((f"wasm + JS ≤ {BUDGET_WEB_BR_KB} KB brotli (before any page's own module)", f"{kb:,.1f} KB",
                        kb <= BUDGET_WEB_BR_KB))
            pre = all(sizes[k].get("precompressed") for k in ("wasm", "js", "loader") if sizes.get(k))
            out.append(("precompressed at build time (.br and .gz beside each asset)",
                        "yes" if pre else "no: compressed per request", pre))
        return out

    def report(self):
        rows = self.table_rows()
        headers = ("stage", "req/s", "ratio", "p50", "p99", "notes")
        widths = [max(len(headers[i]), *(len(r[i]) for r in rows)) if rows else len(headers[i]) for i in range(5)]
        lines = ["  ".join(h.ljust(widths[i]) if i in (0, 2) else h.rjust(widths[i])
                           for i, h in enumerate(headers[:5])) + "  notes"]
        for r in rows:
            lines.append("  ".join(r[i].ljust(widths[i]) if i in (0, 2) else r[i].rjust(widths[i])
                                   for i in range(5)) + "  " + r[5])
        print("\n".join(lines), flush=True)
        print(flush=True)

        markdown = self.markdown(rows)
        results = os.path.join(BENCH_DIR, f"{self.mode}-results.json")
        with open(results, "w") as f:
            json.dump({"info": self.info, "rows": self.rows, "failures": FAILURES}, f, indent=1, default=str)
        if self.args.report:
            target = self.args.report
        elif self.mode == "quick":
            target = os.path.join(BENCH_DIR, "quick.md")
        elif FAILURES or self.args.demo_data or self.row_filter:
            target = os.path.join(BENCH_DIR, "full-incomplete.md")
            warn(f"not writing docs/performance.md from an incomplete or demo run; see {os.path.relpath(target, ROOT)}")
        else:
            target = os.path.join(ROOT, "docs", "performance.md")
        with open(target, "w") as f:
            f.write(markdown)
        say(f"wrote {os.path.relpath(target, ROOT)} and {os.path.relpath(results, ROOT)}")

    def markdown(self, rows):
        info = self.info
        s = self.size
        m = machine()
        out = []
        out.append("# Performance\n")
        out.append(f"Measured by `{'just bench' if self.mode == 'full' else 'just bench-quick'}` "
                   f"(`scripts/bench{' --quick' if self.mode == 'quick' else ''}`, driver `scripts/bench.py`) "
                   f"on {m['date']}. Generated: rerun it rather than editing this file.\n")
        if self.mode == "quick":
            out.append("This is the **quick** run (a small data set, short loads): it proves the harness works; "
                       "its figures are not the budgets' measurements.\n")
        if self.args.demo_data:
            out.append("**Data: the five-paper demo set (`--demo-data`)**, not a generated one.\n")
        out.append("## Machine\n")
        out.append(f"- CPU: {m['cpu']}, {m['nproc']} cores available (`nproc`)")
        out.append(f"- RAM: {m['ram']}")
        out.append(f"- OS: {m['os']}, Linux {platform.release()}")
        out.append(f"- Commit: `{m['commit']}`")
        out.append(f"- Tools: {m['wrk']}; {m['chromium']}; {m['rustc']}")
        out.append("")
        out.append("## Data set\n")
        d = info.get("dataset") or {}
        if self.args.demo_data:
            out.append("- The demo data (`shortscience seed`)")
        else:
            out.append(f"- `shortscience generate --papers {s['papers']} --summaries {s['summaries']} --votes {s['votes']} "
                       f"--users {s['users']} --comments {s['comments']} --seed {self.seed}` on SQLite")
        if d:
            out.append(f"- Generated in {fmt_duration(d['seconds'])} on {d['created']} "
                       f"(commit `{(d.get('commit') or '?')[:12]}`){'; reused from the cache for this run' if d.get('reused') else ''}")
            out.append(f"- Database file: {(d.get('file_bytes') or d.get('bytes') or 0) / 1e6:,.1f} MB")
        stats = (info.get("fixtures") or {}).get("stats")
        if stats:
            out.append("- `GET /api/v1/stats`: " + ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}"
                                                            for k, v in stats.items()))
        fx = info.get("fixtures") or {}
        if fx:
            out.append(f"- Chosen from the API: venue `{fx.get('venue')}`, year {fx.get('year')}, keyword "
                       f"`{fx.get('keyword')}`, author {fx.get('author')}, venue + year {fx.get('venue')} "
                       f"{fx.get('venue_year')}, user `{fx.get('user')}`, {fx.get('paper_ids')} random paper ids, "
                       f"{fx.get('summary_ids')} summary ids for the votes, the hot feed's page "
                       f"{(fx.get('deep_depth') or 0) + 1} for the deep cursor, paper {fx.get('paint_paper')} "
                       f"({fx.get('paint_paper_summaries')} summaries, the average) for the browser figures")
        out.append("")
        out.append("## Method\n")
        st = self.settings
        out.append(f"One release server (`target/release/shortscience serve`, one worker per core, "
                   f"`SHORTSCIENCE_RATE_LIMITS=off`, `SHORTSCIENCE_READ_CACHE_MS={self.args.read_cache_ms}`, `RUST_LOG={os.environ.get('BENCH_LOG', 'warn')}`) on a scratch copy "
                   f"of the data set; wrk on the same machine, one endpoint after another: `wrk -t{self.args.threads} "
                   f"-c{self.args.connections} -d{st['duration']}s --latency --timeout 2s` (votes: "
                   f"-c{self.args.vote_connections}; search by kind: -d{max(2, st['duration'] // 2)}s; the \"1 connection\" "
                   "rows: -t1 -c1). "
                   "**ratio** = the row's req/s ÷ the liveness req/s of the same run, the faster of its two "
                   "liveness rows (first and last; votes: ÷ the raw loop's votes/s). Statuses are counted by the server's Prometheus counters; latencies are wrk's. "
                   "Random ids and query lists are Lua scripts, each wrk thread seeded apart. API requests "
                   "carry no Accept-Encoding (the sizes are those of the JSON); static files and app pages "
                   "ask for `br`, as browsers do. Before each row the server must be idle again (liveness "
                   "under 20 ms). Issue 10's search target (p95 ≤ 50 ms) is judged on the \"search, 1 "
                   "connection\" row: the wait of one reader, as a latency; at 64 connections on 2 cores the "
                   "requests queue, and those rows measure throughput.\n")
        out.append("## Results\n")
        out.append("| stage | req/s | ratio | p50 | p99 | notes |")
        out.append("| --- | ---: | ---: | ---: | ---: | --- |")
        for r in rows:
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
        out.append("")
        budgets = self.budgets()
        if budgets:
            out.append("## Budgets (issues 10 and 11)\n")
            out.append("| budget | measured | met |")
            out.append("| --- | --- | --- |")
            for name, measured, met in budgets:
                out.append(f"| {name} | {measured} | {'yes' if met else '**no**'} |")
            out.append("")
        search = fx.get("search")
        if search:
            out.append("## Search queries\n")
            out.append("| kind | query | results on page 1 |")
            out.append("| --- | --- | ---: |")
            for x in search:
                out.append(f"| {x['kind']} | `{x['q']}` | {x.get('hits', '')} |")
            out.append("")
        sizes = info.get("sizes")
        if sizes:
            out.append("## Web app\n")
            out.append("| file | raw | gzip -9 | brotli -11 | server sends (Accept-Encoding: br, gzip) | gzip only | precompressed in dist/ |")
            out.append("| --- | ---: | ---: | ---: | --- | --- | --- |")
            for kind in ("wasm", "js", "loader"):
                e = sizes.get(kind)
                if e:
                    out.append(f"| `{e['file']}` | {e['raw']:,} | {e['gzip']:,} | {e['brotli']:,} | "
                               f"{e['sent']['encoding']}, {e['sent']['bytes']:,} B, {e['sent']['ms']:.0f} ms | "
                               f"{e['sent_gzip']['encoding']}, {e['sent_gzip']['bytes']:,} B, {e['sent_gzip']['ms']:.0f} ms | "
                               f"{', '.join(e['precompressed']) or 'none'} |")
            out.append("")
            routes = sizes.get("routes")
            entry = web_entry(sizes)
            if routes and entry:
                out.append("Every page is a lazy route (frontend/src/routes.rs): the files above are what the browser "
                           "fetches before any page's own code. A first visit to a page then fetches its module "
                           "and the chunks it shares with the other modules (scripts/split-wasm):\n")
                out.append("| module | files | raw | gzip -9 | brotli -11 | first visit, with the files above (brotli -11) |")
                out.append("| --- | ---: | ---: | ---: | ---: | ---: |")
                for name, m in routes.items():
                    out.append(f"| {name} | {len(m['files'])} | {m['raw']:,} | {m['gzip']:,} | {m['brotli']:,} | "
                               f"{entry['brotli'] + m['brotli']:,} |")
                out.append("")
        paint = info.get("paint")
        if paint:
            out.append("## Paint timing\n")
            out.append(f"Chromium {paint.get('browser', '')} headless, 1280×900, a fresh context (empty cache) per load; "
                       "throttled = CDP `Emulation.setCPUThrottlingRate` 4 and `Network.emulateNetworkConditions` "
                       "150 ms latency, 200,000 B/s down (1.6 Mbps), 93,750 B/s up (750 kbps). Medians of "
                       f"{paint.get('runs')} loads; *content* is when the page's main element appeared.\n")
            out.append("| page | profile | FCP | LCP | content | bytes transferred | runs (FCP / LCP ms) |")
            out.append("| --- | --- | ---: | ---: | ---: | ---: | --- |")
            for r in paint.get("results", []):
                runs = ", ".join(f"{fmt_num(x.get('fcp'))}/{fmt_num(x.get('lcp'))}" for x in r["runs"])
                out.append(f"| `{r['path']}` | {r['profile']} | {fmt_ms(r['fcp_ms'])} | {fmt_ms(r['lcp_ms'])} | "
                           f"{fmt_ms(r['ready_ms'])} | {fmt_bytes(int(r['transferred_bytes'] or 0))} | {runs} |")
            out.append("")
            problems = []
            for r in paint.get("results", []):
                for run in r["runs"]:
                    for e in run.get("errors") or []:
                        if e not in problems:
                            problems.append(e)
            if problems:
                out.append("Browser errors during these loads:\n")
                out += [f"- {e[:300]}" for e in problems[:10]]
                out.append("")
        out.append("## Other figures\n")
        colds = info.get("cold_start_ms")
        if colds:
            out.append(f"- Cold start (spawn → first 200 of `/api/v1/health/live`, polled every 2 ms), three starts on "
                       f"the data set: {', '.join(f'{c:.1f}' for c in colds)} ms")
        if info.get("rss_idle_kb"):
            mb = lambda key: (info.get(key) or 0) / 1024  # noqa: E731
            out.append(f"- RSS (`/proc/<pid>/status`): {mb('rss_idle_kb'):.1f} MB idle after start "
                       f"({info.get('threads_idle')} threads); VmHWM {mb('rss_reads_hwm_kb'):.1f} MB after the read "
                       f"loads (VmRSS then {mb('rss_reads_kb'):.1f} MB); VmRSS {mb('rss_after_register_kb'):.1f} MB after "
                       f"registering the voters (password hashing); VmHWM {mb('rss_hwm_kb'):.1f} MB at the end; "
                       f"{mb('rss_peak_sampled_kb'):.1f} MB the highest 50 ms sample; up to {info.get('threads_max')} threads")
        v = info.get("voters")
        if v:
            out.append(f"- Voters: {v['count']} users registered over HTTP, each with an API token, in "
                       f"{fmt_duration(v['seconds'])}")
        raw = info.get("raw_votes")
        if raw:
            out.append(f"- Raw vote loop (`shortscience bench-raw-votes --count {self.settings['raw_votes']}`): "
                       f"`{json.dumps(raw)}`")
        elif "raw_votes" in info:
            out.append("- Raw vote loop: n/a (the server has no `bench-raw-votes` subcommand)")
        out.append("")
        if FAILURES:
            out.append("## Failures\n")
            for f in FAILURES:
                out.append(f"- {f}")
            out.append("")
        out.append("## Stage times\n")
        for name, took, outcome in STAGE_TIMES:
            out.append(f"- {name}: {fmt_duration(took)}{'' if outcome == 'ok' else ' (' + outcome + ')'}")
        out.append("")
        out.append("## How to reproduce\n")
        out.append("```sh")
        out.append("just bench          # or ./scripts/bench: builds, generates (cached in target/bench/data/), loads, writes this file")
        out.append("just bench-quick    # the small CI-sized run; writes target/bench/quick.md")
        out.append("```\n")
        out.append("The scripts install wrk and brotli with apt when missing. Raw wrk output: `target/bench/run/wrk.log`; "
                   "every figure as JSON: "
                   f"`target/bench/{self.mode}-results.json`.\n")
        return "\n".join(out)


def fmt_num(x):
    return "–" if x is None else f"{x:.0f}"


def remove_sqlite(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path + suffix)


def run_checked(command, env, timeout, what, stream=False):
    proc = subprocess.run(command, env=env, timeout=timeout, stdin=subprocess.DEVNULL,
                          stdout=None if stream else subprocess.PIPE,
                          stderr=None if stream else subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        raise Fatal(f"{what} failed with exit code {proc.returncode}" + ("" if stream else f":\n{proc.stdout[-2000:]}"))


def git_commit():
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=30).stdout.strip()
        return commit + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def machine():
    def first(path, key):
        with contextlib.suppress(OSError):
            with open(path) as f:
                for line in f:
                    if line.startswith(key):
                        return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip().strip('"')
        return "unknown"

    def version(command):
        try:
            out = subprocess.run(command, capture_output=True, text=True, timeout=20)
            text = (out.stdout or out.stderr).strip().splitlines()
            return text[0] if text else "unknown"
        except (OSError, subprocess.SubprocessError):
            return f"{command[0]}: not found"

    mem = first("/proc/meminfo", "MemTotal")
    ram = f"{int(mem.split()[0]) / 1024 / 1024:.1f} GiB" if mem != "unknown" else mem
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": first("/proc/cpuinfo", "model name"),
        "nproc": len(os.sched_getaffinity(0)),
        "ram": ram,
        "os": first("/etc/os-release", "PRETTY_NAME"),
        "commit": git_commit(),
        "wrk": version(["wrk", "--version"]).split(" Copyright")[0],
        "chromium": version(["/usr/bin/chromium", "--version"]),
        "rustc": version(["rustc", "--version"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the small CI-sized run (writes target/bench/quick.md)")
    for key in ("papers", "summaries", "votes", "users", "comments"):
        parser.add_argument(f"--{key}", type=int, help=f"data set: {key} (default: by mode)")
    parser.add_argument("--seed", type=int, default=1, help="data set seed (default 1)")
    parser.add_argument("--regenerate", action="store_true", help="generate the data set even if it is cached")
    parser.add_argument("--duration", type=int, help="seconds of each wrk run (default 10, --quick 3)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (default 64)")
    parser.add_argument("--vote-connections", type=int, default=32, help="wrk connections for votes (default 32)")
    parser.add_argument("--voters", type=int, help="users voting over HTTP (default 500, --quick 100)")
    parser.add_argument("--read-cache-ms", type=int, default=2000,
                        help="the server's signed-out read cache in ms (default 2000, as served; 0 measures every "
                             "read against the database)")
    parser.add_argument("--paint-runs", type=int, default=3, help="loads per page and profile (default 3)")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between two loads (default 0.5)")
    parser.add_argument("--static-dir", default=os.path.join(ROOT, "dist"), help="the built web app (default dist/)")
    parser.add_argument("--no-web-app", action="store_true", help="skip the static, size and paint rows")
    parser.add_argument("--skip-paint", action="store_true", help="skip the Chromium paint timing")
    parser.add_argument("--skip-votes", action="store_true", help="skip the votes and the raw loop")
    parser.add_argument("--rows", help="only the load rows whose name matches this regex (no report to docs/)")
    parser.add_argument("--report", help="write the Markdown report here instead")
    parser.add_argument("--demo-data", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.static_dir = os.path.abspath(args.static_dir)

    def terminate(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, terminate)
    bench = Bench(args)
    started = time.monotonic()
    try:
        bench.run()
    except Fatal as e:
        FAILURES.append(str(e))
        print(f"error: {e}", file=sys.stderr)
        return 1
    except StageFailed as e:
        FAILURES.append(str(e))
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    finally:
        if bench.sampler:
            bench.sampler.stop()
        if bench.server:
            bench.server.stop()
        say("Stage times:")
        for name, took, outcome in STAGE_TIMES:
            print(f"    {name:<52} {fmt_duration(took):>8}{'' if outcome == 'ok' else '  ' + outcome}", file=sys.stderr)
        say(f"total {fmt_duration(time.monotonic() - started)}")
    if FAILURES:
        print(f"error: {len(FAILURES)} stage(s) failed:", file=sys.stderr)
        for f in FAILURES:
            print(f"  - {f}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
