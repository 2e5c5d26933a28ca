"""Benchmark: server CPU spent per unauthenticated hostile SOAP request, against serverVersion.

The server runs as ``qbwc-server serve`` does (waitress, SQLite in a temporary directory) in a
child process; this process plays the clients over HTTP on 127.0.0.1. For each case a bounded
loop of requests is sent one after another, and the child's CPU time (user + system, from
``/proc/<pid>/stat``) over the loop is divided by the number of requests. The baseline is a
plain ``serverVersion`` measured in the same run, so the ratios hold on any machine.

Cases: 100,000 attributes on a parameter (1.1 MB), 100,000 nested elements, a megabyte of
text in ``authenticate``, a charset that contradicts the body, a body over the limit, and an
entity bomb in a DTD. Goal: every ratio at most 3.

The last line is ``worst_hostile_cpu_ratio=…`` followed by each case's ratio.

Usage: ``.venv/bin/python bench/hostile.py [--requests N]`` (Linux: reads ``/proc``).
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIMIT = 4 * 1024 * 1024
NS = "http://developer.intuit.com/"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
UTF8 = "text/xml; charset=utf-8"


def _call(method: str, inner: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>{prolog}<soap:Envelope '
            f'xmlns:soap="{SOAP_ENV}"><soap:Body><{method} xmlns="{NS}">{inner}</{method}>'
            "</soap:Body></soap:Envelope>").encode()


def _cases() -> dict[str, tuple[bytes, str]]:
    attrs = " ".join(f'a{i}="x"' for i in range(100_000))
    return {
        "server_version": (_call("serverVersion", ""), UTF8),
        "many_attributes": (_call("clientVersion", f"<strVersion {attrs}>2.1</strVersion>"),
                            UTF8),
        "deep_nesting": (_call("clientVersion", "<a>" * 100_000 + "</a>" * 100_000), UTF8),
        "huge_text": (_call("authenticate", f"<strUserName>{'x' * 1_000_000}</strUserName>"
                                            "<strPassword>p</strPassword>"), UTF8),
        "charset_mismatch": (_call("authenticate", "<strUserName>admin</strUserName>"
                                                   "<strPassword>secret</strPassword>"),
                             "text/xml; charset=utf-16"),
        "oversized_body": (_call("receiveResponseXML", "<ticket>t</ticket><response>"
                                 + "x" * LIMIT + "</response>"), UTF8),
        "dtd": (_call("clientVersion", "<strVersion>&c;</strVersion>",
                      prolog='<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">'
                             '<!ENTITY c "&b;&b;&b;&b;">]>'), UTF8),
    }


def _serve(port_file: Path, directory: Path) -> None:
    """The child: serve the app until killed; write the port once listening."""
    import logging

    from qbwc_server.app import create_app
    from qbwc_server.serving import make_server
    from qbwc_server.store.database import make_engine, upgrade

    logging.basicConfig(level=logging.WARNING)
    url = f"sqlite:///{directory / 'qbwc.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    app = create_app({"database_url": url, "secret_key": "b" * 40, "max_body_bytes": LIMIT})
    server = make_server(app, "127.0.0.1", 0, threads=4)
    port_file.write_text(str(server.effective_port))
    server.run()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _post(port: int, body: bytes, content_type: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", "/qbwc", body=body, headers={
            "Content-Type": content_type, "SOAPAction": f'"{NS}x"', "Connection": "close"})
        response = conn.getresponse()
        response.read()
        return response.status
    except (BrokenPipeError, ConnectionResetError):
        return 413  # refused from the headers, before the body was all sent
    finally:
        conn.close()


def _measure(pid: int, port: int, body: bytes, content_type: str, requests: int
             ) -> tuple[float, int]:
    _post(port, body, content_type)  # warm up
    start = _cpu_seconds(pid)
    for _ in range(requests):
        status = _post(port, body, content_type)
    return (_cpu_seconds(pid) - start) / requests, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200,
                        help="requests per case (/proc counts CPU in 10 ms ticks: fewer is noisy)")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.serve, args.serve.parent)
        return
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        child = subprocess.Popen([sys.executable, __file__, "--serve", str(port_file)], env=env)
        try:
            deadline = time.monotonic() + 60
            while not port_file.exists() or not port_file.read_text():
                if time.monotonic() > deadline or child.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.1)
            port = int(port_file.read_text())
            with socket.create_connection(("127.0.0.1", port)):
                pass
            cases = _cases()
            body, content_type = cases.pop("server_version")
            baseline, _ = _measure(child.pid, port, body, content_type, args.requests * 5)
            print(f"server_version: {baseline * 1000:.2f} ms CPU per request")
            ratios: dict[str, float] = {}
            for name, (body, content_type) in cases.items():
                cpu, status = _measure(child.pid, port, body, content_type, args.requests)
                ratios[name] = cpu / baseline
                print(f"{name}: HTTP {status}, {len(body)} bytes, {cpu * 1000:.2f} ms CPU per "
                      f"request, {ratios[name]:.2f} x serverVersion")
        finally:
            child.terminate()
            child.wait(timeout=10)
    figures = " ".join(f"{name}_cpu_ratio={ratio:.2f}" for name, ratio in ratios.items())
    print(f"worst_hostile_cpu_ratio={max(ratios.values()):.2f} {figures}")


if __name__ == "__main__":
    main()
