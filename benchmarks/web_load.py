"""Load test of `policy serve` on loopback: concurrent clients searching for a fixed time.

Starts `policy serve` (or uvicorn with several workers) on a free 127.0.0.1 port in a child process,
runs N client threads, each with one keep-alive connection, sending /api/search requests with the
judged queries of tests/cases/search_queries.yaml in turn, for the given seconds; then stops the
server and prints latency percentiles, throughput, errors and the server's peak memory (VmHWM of
every server process, summed). Bounded: the clients stop at the deadline, the server is stopped
in any case, and nothing leaves 127.0.0.1.

    python benchmarks/web_load.py [--clients 20] [--seconds 30] [--workers 1]
"""
from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import yaml

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def queries() -> list[str]:
    cases = yaml.safe_load((ROOT / "tests" / "cases" / "search_queries.yaml").read_text(encoding="utf-8"))
    return [c["query"] for group in cases.values() for c in group if c["expect"]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    if workers == 1:
        cmd = [sys.executable, "-m", "policycli", "serve", "--port", str(port)]
    else:
        cmd = [sys.executable, "-m", "uvicorn", "--factory", "policycli.web.app:make_app", "--host", HOST,
               "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/api/search?q=" + quote("技改"))
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.1)
    stop(server)
    raise SystemExit("the server did not start within 30 s")


def server_pids(server: subprocess.Popen) -> list[int]:
    """The server and its worker processes (same session)."""
    pids = [server.pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == server.pid and int(entry.name) != server.pid:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def peak_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def stop(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def client(port: int, words: list[str], offset: int, deadline: float, latencies: list[float], errors: list[str]) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    i = offset
    while time.monotonic() < deadline:
        path = "/api/search?q=" + quote(words[i % len(words)])
        i += 1
        start = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{response.status} {path}")
        except OSError as exc:
            errors.append(f"{type(exc).__name__} {path}")
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=10)
            continue
        latencies.append(time.perf_counter() - start)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    words = queries()
    port = free_port()
    server = start_server(port, args.workers)
    try:
        pids = server_pids(server)
        latencies: list[float] = []
        errors: list[str] = []
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client, args=(port, words, n * 7, deadline, latencies, errors), daemon=True)
                   for n in range(args.clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 15)
        elapsed = time.perf_counter() - started
        peak = sum(peak_kib(pid) for pid in pids)
    finally:
        stop(server)
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    print(f"clients {args.clients} · {args.seconds:.0f} s · server workers {args.workers} · {len(words)} distinct queries")
    print(f"requests {len(latencies)} · {len(latencies) / elapsed:.0f} req/s · errors {len(errors)}")
    if latencies:
        print(f"latency ms: p50 {pct(0.50):.1f} · p95 {pct(0.95):.1f} · p99 {pct(0.99):.1f} · max {latencies[-1] * 1000:.1f}"
              f" · mean {statistics.fmean(latencies) * 1000:.1f}")
    print(f"server peak memory (VmHWM, {len(pids)} process{'es' if len(pids) > 1 else ''}): {peak / 1024:.1f} MiB")
    for line in errors[:5]:
        print("error:", line)


if __name__ == "__main__":
    main()
