#!/usr/bin/env python3
"""`designgate lsp` under editing load: how long after a change the
diagnostics arrive for a 5,000-line design document, and whether the
server's memory stays flat over 1,000 edits.

    cargo build --release && python3 bench/lsp.py [target/release/designgate]

It makes a git repository in a temp folder with design/big.md: the complete
example document (tests/fixtures/complete.md) followed by sections of prose,
lists, tables, relative links (half of them broken) and a placeholder now
and then, to 5,000 lines. Then, as an editor would, over stdio:

1. latency: 300 single-character edits (incremental `didChange`), each
   waited for: the time from writing the change to reading the
   `publishDiagnostics` of that version;
2. memory: 1,000 more edits (alternately inserting and deleting a line, so
   the document keeps its size), each waited for, with the resident set
   size (VmRSS) read from /proc every 100 edits, and the peak (VmHWM);
3. a burst: 1,000 edits written without waiting, then the time until the
   diagnostics of the last version arrive (changes coalesce).

Prints the numbers; docs/performance.md keeps a run.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import queue

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "target/release/designgate")
LINES = 5000


def document():
    with open(os.path.join(HERE, "tests/fixtures/complete.md"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    i = 0
    while len(lines) < LINES:
        i += 1
        lines += [
            f"## Appendix {i}: batch window {i}",
            "",
            f"The exporter reads invoices of tenant group {i} in pages of 500 and writes",
            "them to the ledger in one transaction per page; a failed page is retried",
            "three times with backoff before the night is marked as failed.",
            "",
            f"- Owner: team ledger-{i % 7}; see [runbook](../docs/runbook-{i}.md).",
            f"- Diagram: ![flow](export-flow-{i % 3}.png)",
            "- Ünïcödé and emoji 😀 so that columns differ in UTF-16.",
            "" if i % 25 else "- TODO: confirm the page size with the ledger team.",
            "",
            "| page | rows | ms |",
            "|------|------|----|",
            f"| {i} | 500 | {i % 90 + 10} |",
            "",
        ]
    return "\n".join(lines[:LINES]) + "\n"


class Server:
    def __init__(self, root):
        self.proc = subprocess.Popen(
            [EXE, "lsp"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL)
        self.inbox = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.inbox.put((time.perf_counter(), json.loads(out.read(length))))

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            _, m = self.inbox.get(timeout=60)
            if m.get("id") == self.next_id and "method" not in m:
                return m

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri, version):
        while True:
            at, m = self.inbox.get(timeout=60)
            p = m.get("params", {})
            if m.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri \
                    and p.get("version") == version:
                return at, p["diagnostics"]

    def memory(self):
        fields = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def main():
    root = tempfile.mkdtemp(prefix="designgate-lsp-bench-")
    os.makedirs(os.path.join(root, "design"))
    text = document()
    path = os.path.join(root, "design/big.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    uri = "file://" + path
    server = Server(root)
    server.request("initialize", {"processId": None, "rootUri": "file://" + root, "capabilities": {}})
    server.notify("initialized", {})
    start = time.perf_counter()
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": text}})
    at, diags = server.diagnostics(uri, 1)
    print(f"document: {LINES} lines, {len(text.encode())} bytes, {len(diags)} diagnostics")
    print(f"open: {1000 * (at - start):.1f} ms to the first diagnostics")

    version = 1
    line = LINES // 2

    def edit(insert):
        nonlocal version
        version += 1
        if insert:
            change = {"range": {"start": {"line": line, "character": 0},
                                "end": {"line": line, "character": 0}}, "text": "x"}
        else:
            change = {"range": {"start": {"line": line, "character": 0},
                                "end": {"line": line, "character": 1}}, "text": ""}
        t = time.perf_counter()
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        return t

    latencies = []
    for i in range(300):
        t = edit(i % 2 == 0)
        at, _ = server.diagnostics(uri, version)
        latencies.append(1000 * (at - t))
    latencies.sort()
    print("change -> diagnostics over 300 edits: median %.1f ms, p95 %.1f ms, max %.1f ms" % (
        statistics.median(latencies), latencies[int(0.95 * len(latencies)) - 1], latencies[-1]))

    samples = [server.memory()[0]]
    for i in range(1000):
        edit(i % 2 == 0)
        server.diagnostics(uri, version)
        if (i + 1) % 100 == 0:
            samples.append(server.memory()[0])
    rss, hwm = server.memory()
    print("RSS (KiB) every 100 of 1,000 edits: " + " ".join(str(s) for s in samples))
    print(f"peak RSS: {hwm} KiB")

    t = time.perf_counter()
    for i in range(1000):
        edit(i % 2 == 0)
    at, _ = server.diagnostics(uri, version)
    print("burst of 1,000 edits unwaited: %.1f ms until the last version's diagnostics; RSS %d KiB" % (
        1000 * (at - t), server.memory()[0]))

    server.request("shutdown", None)
    server.notify("exit", None)
    server.proc.wait(timeout=30)


if __name__ == "__main__":
    main()
