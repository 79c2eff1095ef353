"""A real HTTP server on 127.0.0.1 (http.server in a thread) standing in for another service the
site calls (a WebSub hub, an HTTP cache): it records what each request says and answers with the
next of `statuses` (the last one repeats), after waiting for `release` when it is set (a server
that hangs)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StubServer:
    def __init__(self, method: str, record, path: str = "/"):
        """`record(handler)`: what to keep of one request (a dict), read from the handler."""
        self.received = []
        self.statuses = [200]
        self.release = None
        self.arrived = threading.Condition()
        stub = self

        def answer(handler):
            received = record(handler)
            if stub.release is not None:
                stub.release.wait(10)
            status = stub.statuses.pop(0) if len(stub.statuses) > 1 else stub.statuses[0]
            with stub.arrived:
                stub.received.append({**received, "status": status})
                stub.arrived.notify_all()
            handler.send_response(status)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        handler = type(
            "Handler",
            (BaseHTTPRequestHandler,),
            {f"do_{method}": answer, "log_message": lambda self, *args: None},
        )
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}{path}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def wait_for(self, count, timeout=5):
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout)
        return self.received

    def stop(self):
        if self.release is not None:
            self.release.set()
        self.server.shutdown()
        self.server.server_close()
