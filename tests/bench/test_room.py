"""The room scenario's bookkeeping: every request recorded, timeouts counted."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.room import (
    AT_MOST,
    Recorder,
    Sample,
    percentile,
    render,
    summarize,
    verdicts,
)
from bench.server import Server


class Handler(BaseHTTPRequestHandler):
    """200 with JSON on /ok, 500 on /broken, an answer after 0.5 s on /slow."""

    def do_GET(self):
        if self.path == "/slow":
            time.sleep(0.5)
        status = 500 if self.path == "/broken" else 200
        body = json.dumps({"path": self.path}).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except BrokenPipeError:  # the client gave up waiting: that is the test
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Server(f"http://127.0.0.1:{httpd.server_port}", pid=0, workers=1)
    httpd.shutdown()
    httpd.server_close()


def test_every_request_is_recorded_with_its_outcome(server):
    recorder = Recorder(timeout=0.2)
    assert recorder.request(server, "ok", "GET", "/ok") == (200, {"path": "/ok"})
    assert recorder.request(server, "broken", "GET", "/broken")[0] == 500
    assert recorder.request(server, "slow", "GET", "/slow") == (0, None)
    outcomes = [(s.endpoint, s.status, s.error) for s in recorder.samples]
    assert outcomes == [("ok", 200, ""), ("broken", 500, "500"), ("slow", 0, "timeout")]
    assert recorder.samples[2].seconds >= 0.2
    sent = [sample.sent for sample in recorder.samples]
    assert sent == sorted(sent)
    assert sent[0] > 0


def samples(endpoint: str, milliseconds: list[float], *, error: str = "") -> list:
    return [Sample(endpoint, ms / 1000, 200, error) for ms in milliseconds]


def test_percentiles_are_nearest_rank():
    assert percentile(list(range(1, 101)), 99) == 99
    assert percentile(list(range(1, 11)), 99) == 10
    assert percentile([5.0], 50) == 5.0


def test_a_room_within_its_targets():
    measured = summarize(
        samples("floor", [1.0] * 98 + [10.0] * 2)
        + samples("my-orders", [20.0] * 98 + [100.0] * 2)
        + samples("login", [900.0] * 10)
    )
    assert list(measured) == ["login", "my-orders", "floor"]
    found = {target: met for target, met, _ in verdicts(measured)}
    assert found == {
        "0 errors and 0 timeouts": True,
        # 100 ms against the floor's 10: exactly ten times, within.
        f"my-orders p99 <= {AT_MOST:.0f} x the floor's": True,
    }


def test_a_slow_endpoint_or_one_error_misses():
    measured = summarize(
        samples("floor", [1.0] * 98 + [10.0] * 2)
        + samples("board", [20.0] * 98 + [100.5] * 2)
        + samples("advance", [5.0], error="409")
        + samples("place-order", [5.0], error="timeout")
    )
    found = {target: (met, shown) for target, met, shown in verdicts(measured)}
    assert found["0 errors and 0 timeouts"] == (False, "1 errors, 1 timeouts")
    assert found["board p99 <= 10 x the floor's"][0] is False
    table = render(
        measured,
        attendees=100,
        kitchens=6,
        seconds=300,
        spread=60,
        placed=(10, 10),
        load=((0.5, 0.5, 0.5), (0.6, 0.5, 0.5)),
        steady=summarize(samples("board", [20.0])),
    )
    assert "MISS 10.1 x (100.5 / 10.0 ms)" in table
    assert measured["advance"].failures == "409 x1"
    assert measured["place-order"].failures == "timeout x1"
    assert "orders: 10 answered 201, 10 in the database" in table
    assert "After the logins (requests sent from 60 s on)" in table
