#!/usr/bin/env python3
"""Starts a web server and times start → first complete answer of URL_PATH.

    first_view.py PORT LOG URL_PATH OUT CMD...

Runs CMD (its output to LOG), then tries to connect to 127.0.0.1:PORT every 5 ms; once connected,
sends GET URL_PATH and reads the whole answer into OUT. A 200 ends the timing; anything else (a
server that answers before its profile is loaded) is retried. Prints "SECONDS PID" and leaves the
server running. Polling in-process keeps the measurement within ~5 ms for both servers (a curl
process per attempt and a 50 ms sleep added up to a tenth of a second).
"""
import socket, subprocess, sys, time

port, log, path, out, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
start = time.monotonic()
server = subprocess.Popen(cmd, stdout=open(log, "wb"), stderr=subprocess.STDOUT, start_new_session=True)
deadline = start + 120
while time.monotonic() < deadline:
    if server.poll() is not None:
        sys.exit(f"server exited with status {server.returncode} (see {log})")
    try:
        conn = socket.create_connection(("127.0.0.1", port), timeout=120)
    except OSError:
        time.sleep(0.005)
        continue
    conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    chunks = []
    while True:
        data = conn.recv(1 << 20)
        if not data:
            break
        chunks.append(data)
    conn.close()
    answer = b"".join(chunks)
    if answer.startswith(b"HTTP/1.1 200"):
        elapsed = time.monotonic() - start
        open(out, "wb").write(answer.split(b"\r\n\r\n", 1)[-1])
        print(f"{elapsed:.3f} {server.pid}")
        sys.exit(0)
    time.sleep(0.005)
server.kill()
sys.exit(f"no 200 from {path} within 120 s (see {log})")
