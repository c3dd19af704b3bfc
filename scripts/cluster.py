#!/usr/bin/env python3
"""A real cluster test: three ShortScience processes on one PostgreSQL behind nginx (round
robin), a fake arXiv on localhost, and API flows through the balancer:

  - a session made on one node works on all of them;
  - failed logins spread over the nodes meet one rate-limit budget;
  - paging the hot feed while votes reorder it neither repeats nor skips;
  - arXiv is asked at most once every 3 s across the nodes, and once per record;
  - one node killed mid-run while the others keep serving;
  - SIGTERM under load: no request sent on an accepted connection goes unanswered;
  - a full disk (SQLite on a small tmpfs, when this machine may mount one): readiness 503,
    writes 503 storage_unavailable, reads 200, and the failed writes cost no rate budget.

Everything listens on 127.0.0.1 only. Run by scripts/cluster (which builds and starts
PostgreSQL first); standard library only.
"""

import http.client
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "shortscience")
PG_URL = os.environ["TEST_POSTGRES_URL"]
NODES = [18091, 18092, 18093]
LB = 18090
UPSTREAM = 18099
PASSWORD = "correct horse battery staple"

failures = []


def check(ok, message):
    print(("  ok   " if ok else "  FAIL ") + message, flush=True)
    if not ok:
        failures.append(message)


# ---- a fake arXiv that records when it was asked ----------------------------------------------

ASKED = []
ASKED_LOCK = threading.Lock()

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title>arXiv Query</title>
  <entry>
    <id>http://arxiv.org/abs/{id}v1</id>
    <updated>2020-03-23T17:59:59Z</updated>
    <published>2020-03-23T17:59:59Z</published>
    <title>Cluster Paper {id}</title>
    <summary>An abstract.</summary>
    <author><name>Ada Lovelace</name></author>
    <link href="http://arxiv.org/abs/{id}v1" rel="alternate" type="text/html"/>
    <arxiv:primary_category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
"""


class FakeArxiv(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        ident = query.get("id_list", [""])[0]
        with ASKED_LOCK:
            ASKED.append((time.monotonic(), ident))
        time.sleep(0.2)
        body = ATOM.format(id=ident).encode()
        self.send_response(200)
        self.send_header("content-type", "application/atom+xml")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


# ---- HTTP helpers -----------------------------------------------------------------------------


def request(port, method, path, body=None, token=None, headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    all_headers = dict(headers or {})
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        all_headers["content-type"] = "application/json"
    if token:
        all_headers["authorization"] = f"Bearer {token}"
    conn.request(method, path, body=payload, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = data.decode(errors="replace")
    return response.status, parsed, response


def register(port, name):
    status, body, _ = request(port, "POST", "/api/v1/auth/register",
                              {"username": name, "email": f"{name}@example.org", "password": PASSWORD})
    assert status == 201, (status, body)
    return body["access_token"]


def wait_ready(port, deadline=60):
    end = time.time() + deadline
    while time.time() < end:
        try:
            status, _, _ = request(port, "GET", "/api/v1/health/live", timeout=2)
            if status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


# ---- the cluster ------------------------------------------------------------------------------


def start_node(port, database_url, log_dir, extra_env=None):
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "SHORTSCIENCE_PORT": str(port),
        "SHORTSCIENCE_BIND": "127.0.0.1",
        "SHORTSCIENCE_STATIC_DIR": os.path.join(ROOT, "dist"),
        "SHORTSCIENCE_TRUSTED_PROXIES": "127.0.0.1",
        "SHORTSCIENCE_ARXIV_API_URL": f"http://127.0.0.1:{UPSTREAM}/api/query",
        "SHORTSCIENCE_CROSSREF_API_URL": f"http://127.0.0.1:{UPSTREAM}",
        "SHORTSCIENCE_REGISTRATIONS_PER_ADDRESS": "1000",
        "SHORTSCIENCE_SHUTDOWN_GRACE": "10",
        "SHORTSCIENCE_WORKERS": "2",
        "RUST_LOG": "warn",
    })
    env.update(extra_env or {})
    log = open(os.path.join(log_dir, f"node-{port}.log"), "wb")
    return subprocess.Popen([BINARY, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream shortscience {{
        {servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{lb};
        location / {{
            proxy_pass http://shortscience;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream error timeout http_503;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


def start_nginx(prefix):
    servers = "\n        ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in NODES)
    conf = os.path.join(prefix, "nginx.conf")
    with open(conf, "w") as f:
        f.write(NGINX_CONF.format(prefix=prefix, servers=servers, lb=LB))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen([nginx, "-p", prefix, "-c", conf],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(prefix, "nginx.out"), "wb"))
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", LB), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nginx did not start")


def create_database():
    parsed = urllib.parse.urlparse(PG_URL)
    name = f"shortscience_cluster_{os.getpid()}"
    admin = dict(user=parsed.username, password=parsed.password, host=parsed.hostname, port=parsed.port or 5432)
    env = dict(os.environ, PGPASSWORD=admin["password"] or "")
    args = ["-h", admin["host"], "-p", str(admin["port"]), "-U", admin["user"]]
    subprocess.run(["psql", *args, "-d", parsed.path.lstrip("/") or "postgres", "-qc", f"CREATE DATABASE {name}"], check=True, env=env)
    url = parsed._replace(path=f"/{name}").geturl()

    def drop():
        subprocess.run(["psql", *args, "-d", parsed.path.lstrip("/") or "postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], env=env)
    return url, drop


# ---- the flows --------------------------------------------------------------------------------


def session_across_nodes():
    print("a session made on one node works on all of them")
    token = register(NODES[0], "traveller")
    for port in NODES + [LB] * 3:
        status, body, _ = request(port, "GET", "/api/v1/me", token=token)
        check(status == 200 and body["username"] == "traveller", f"/me on :{port} -> {status}")


def one_rate_limit_budget():
    print("failed logins spread over the nodes meet one budget (10, then 429)")
    register(NODES[1], "target")
    statuses = []
    for i in range(24):
        status, _, _ = request(NODES[i % 3], "POST", "/api/v1/auth/login", {"username": "target", "password": "wrong password!!"})
        statuses.append(status)
    check(statuses.count(401) == 10 and statuses.count(429) == 14, f"statuses {statuses}")


def anonymous_reads_within_the_cache_bound():
    print("a write on one node reaches signed-out readers of another within --read-cache-ms (2 s)")
    path = "/api/v1/summaries?sort=new&limit=5"
    request(NODES[2], "GET", path)
    status, _, response = request(NODES[2], "GET", path)
    check(status == 200 and response.getheader("x-cache") == "HIT", f"a second signed-out read -> {status} {response.getheader('x-cache')}")
    writer = register(NODES[0], "cachewriter")
    status, paper, _ = request(NODES[0], "POST", "/api/v1/papers", {"title": "Cluster Cache Paper", "authors": ["A. Writer"]}, token=writer)
    assert status == 201, paper
    status, summary, _ = request(NODES[0], "POST", f"/api/v1/papers/{paper['id']}/summaries", {"body_markdown": "Seen everywhere soon."}, token=writer)
    assert status == 201, summary
    written = time.time()
    while True:
        status, page, _ = request(NODES[2], "GET", path)
        if status == 200 and any(s["id"] == summary["id"] for s in page["items"]):
            break
        if time.time() - written > 3.0:
            break
        time.sleep(0.05)
    took = time.time() - written
    check(took <= 3.0, f"the new summary showed on another node after {took:.2f} s (bound 2 s + 1 s slack)")
    print(f"  visible on the other node after {took:.2f} s")


def feed_paging_while_votes_reorder():
    print("hot feed paging through the balancer while votes reorder it: no repeat, no skip")
    voters = [register(LB, f"voter{i}") for i in range(6)]
    ids = []
    for i in range(9):
        writer = register(LB, f"writer{i}")
        status, paper, _ = request(LB, "POST", "/api/v1/papers", {"title": f"Cluster Feed Paper {i}", "authors": ["A. Writer"]}, token=writer)
        assert status == 201, paper
        status, summary, _ = request(LB, "POST", f"/api/v1/papers/{paper['id']}/summaries", {"body_markdown": f"summary {i}"}, token=writer)
        assert status == 201, summary
        ids.append(summary["id"])
    status, page, _ = request(LB, "GET", "/api/v1/summaries?sort=hot&limit=2")
    seen = [s["id"] for s in page["items"]]
    cursor = page["next_cursor"]
    round_ = 0
    while cursor:
        unseen = [i for i in ids if i not in seen]
        if unseen:
            for voter in voters[round_ % 4: round_ % 4 + 2]:
                request(LB, "PUT", f"/api/v1/summaries/{unseen[-1]}/vote", {"value": 1}, token=voter)
        round_ += 1
        status, page, _ = request(LB, "GET", f"/api/v1/summaries?sort=hot&limit=2&cursor={urllib.parse.quote(cursor)}")
        seen += [s["id"] for s in page["items"]]
        cursor = page["next_cursor"]
    mine = [i for i in seen if i in ids]
    check(len(mine) == len(set(mine)), f"no repeats: {mine}")
    check(set(mine) == set(ids), f"no skips: {sorted(set(ids) - set(mine))} missing")


def arxiv_pacing():
    print("arXiv asked at most once every 3 s across nodes, and once per record")
    token = register(LB, "importer")
    with ASKED_LOCK:
        ASKED.clear()
    ids = ["2003.20001", "2003.20002", "2003.20003"] + ["2003.20004"] * 6
    results = []

    def run(i, ident):
        status, _, _ = request(NODES[i % 3], "POST", "/api/v1/papers/import", {"arxiv": ident}, token=token, timeout=120)
        results.append(status)

    threads = [threading.Thread(target=run, args=(i, ident)) for i, ident in enumerate(ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(all(s in (200, 201) for s in results), f"imports answered {sorted(results)}")
    with ASKED_LOCK:
        times = sorted(t for t, _ in ASKED)
        asked = [i for _, i in ASKED]
    check(asked.count("2003.20004") == 1, f"six imports of one id asked arXiv {asked.count('2003.20004')} time(s)")
    gaps = [round(b - a, 2) for a, b in zip(times, times[1:])]
    check(len(times) == 4 and all(g >= 3.0 for g in gaps), f"{len(times)} requests, gaps {gaps} s")


def node_killed_mid_run(nodes):
    print("one node killed mid-run; the others keep serving")
    errors, answered = [], [0]
    stop = threading.Event()

    def load():
        while not stop.is_set():
            try:
                status, _, _ = request(LB, "GET", "/api/v1/papers?limit=5", timeout=10)
                if status == 200:
                    answered[0] += 1
                else:
                    errors.append(status)
            except OSError as e:
                errors.append(str(e))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    victim = nodes[NODES[2]]
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    time.sleep(3)
    stop.set()
    for t in threads:
        t.join()
    check(not errors and answered[0] > 50, f"{answered[0]} answered, errors {errors[:5]}")


def drain_on_sigterm(node, port):
    print(f"SIGTERM under load on :{port}: every request sent on an accepted connection is answered")
    stop = threading.Event()
    stats = {"answered": 0, "refused": 0, "unanswered": []}
    lock = threading.Lock()

    def client():
        conn = None
        while not stop.is_set():
            if conn is None:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    conn.connect()
                except OSError:
                    with lock:
                        stats["refused"] += 1
                    conn = None
                    time.sleep(0.05)
                    continue
            try:
                conn.request("GET", "/api/v1/summaries?limit=5")
                response = conn.getresponse()
                response.read()
                with lock:
                    stats["answered"] += 1
                if response.getheader("connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, OSError) as e:
                with lock:
                    stats["unanswered"].append(type(e).__name__)
                conn = None

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    node.send_signal(signal.SIGTERM)
    code = node.wait(timeout=30)
    stop.set()
    for t in threads:
        t.join()
    check(code == 0, f"exited with {code}")
    check(not stats["unanswered"] and stats["answered"] > 50,
          f"{stats['answered']} answered, {stats['refused']} connections refused after stop, unanswered {stats['unanswered'][:5]}")


def full_disk(log_dir):
    print("a full disk: readiness 503, writes 503 storage_unavailable, reads 200, no budget spent")
    mount = tempfile.mkdtemp(prefix="shortscience-full-")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount], capture_output=True).returncode != 0:
        print("  skip this machine may not mount a tmpfs (needs root): the full-disk check did not run")
        return
    port = 18094
    node = None
    try:
        node = start_node(port, f"sqlite://{mount}/site.db", log_dir, {"SHORTSCIENCE_SHUTDOWN_GRACE": "2"})
        assert wait_ready(port)
        token = register(port, "writer")
        status, paper, _ = request(port, "POST", "/api/v1/papers", {"title": "Before the disk filled", "authors": ["A"]}, token=token)
        assert status == 201, paper
        status, summary, _ = request(port, "POST", f"/api/v1/papers/{paper['id']}/summaries", {"body_markdown": "A summary."}, token=token)
        assert status == 201, summary
        # Empty the write-ahead log, so that any write has to grow a file.
        import sqlite3
        db = sqlite3.connect(os.path.join(mount, "site.db"))
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()  # a connection left open keeps the tmpfs busy at unmount
        filler = os.path.join(mount, "filler")
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        time.sleep(1.2)  # the readiness probe's answer stands for a second
        status, body, _ = request(port, "GET", "/api/v1/health")
        check(status == 503 and isinstance(body, dict) and body.get("code") == "storage_unavailable", f"/health -> {status} {body}")
        codes = []
        for i in range(40):
            status, body, response = request(port, "POST", f"/api/v1/summaries/{summary['id']}/comments", {"body_markdown": f"During {i} " + "x" * 9000}, token=token)
            codes.append((status, body.get("code") if isinstance(body, dict) else None, response.getheader("retry-after")))
        check(all(c == (503, "storage_unavailable", "30") for c in codes), f"writes -> {sorted(set(codes))}")
        status, body, _ = request(port, "GET", f"/api/v1/papers/{paper['id']}")
        check(status == 200 and body["title"] == "Before the disk filled", f"reads -> {status}")
        os.remove(filler)
        time.sleep(1.2)
        status, _, _ = request(port, "GET", "/api/v1/health")
        check(status == 200, f"/health after freeing space -> {status}")
        # The write budget (a burst of 30) was not spent by the 40 failed writes.
        status, body, _ = request(port, "POST", f"/api/v1/summaries/{summary['id']}/comments", {"body_markdown": "After."}, token=token)
        check(status == 201, f"a write after freeing space -> {status} {body if status != 201 else ''}")
    finally:
        if node:
            node.send_signal(signal.SIGTERM)
            node.wait(timeout=30)
        subprocess.run(["umount", mount])
        os.rmdir(mount)


def main():
    started = time.time()
    log_dir = tempfile.mkdtemp(prefix="shortscience-cluster-")
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", UPSTREAM), FakeArxiv)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    database_url, drop = create_database()
    nodes, nginx = {}, None
    try:
        # The first node migrates; the others start on the migrated database.
        for port in NODES:
            nodes[port] = start_node(port, database_url, log_dir)
            if not wait_ready(port):
                raise RuntimeError(f"node :{port} did not start; see {log_dir}")
        nginx = start_nginx(log_dir)
        session_across_nodes()
        one_rate_limit_budget()
        anonymous_reads_within_the_cache_bound()
        feed_paging_while_votes_reorder()
        arxiv_pacing()
        node_killed_mid_run(nodes)
        drain_on_sigterm(nodes[NODES[1]], NODES[1])
        full_disk(log_dir)
    finally:
        for proc in nodes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in nodes.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if nginx:
            nginx.terminate()
            nginx.wait()
        upstream.shutdown()
        drop()
    print(f"cluster checks took {time.time() - started:.0f} s; logs in {log_dir}")
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("all cluster checks passed")


if __name__ == "__main__":
    main()
