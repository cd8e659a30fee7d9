"""A local fake of genspark.ai for the end-to-end tests, built from shared/GENSPARK.md.

It serves agent pages with the selectors public scripts use, the JSON endpoints the
extension reads, and the generation traffic it watches (the ask stream, image and video
task polling), over HTTPS with a certificate for www.genspark.ai made at test time. The
browser reaches it through a host-resolver rule (Chromium) or a CONNECT proxy (Firefox),
so nothing leaves the machine. Switches model the site's failure modes, and every
request is logged, so a test can assert that nothing, or exactly one thing, was sent.

Run it by hand to look at the pages: `python -m devkit.fake_genspark` prints its port.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import select
import shutil
import socket
import ssl
import subprocess
import threading
import time
import uuid
from dataclasses import asdict, dataclass, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

HOST = "www.genspark.ai"
ORIGIN = f"https://{HOST}"
SITE_DIR = Path(__file__).with_name("fake_site")

# What a completed operation costs on the fake site (the real costs are not published).
COSTS: dict[str, int] = {"chat": 1, "image": 10, "video": 50}
# Agent page type → the operation it starts and the model the page puts in its request.
AGENT_TYPES: dict[str, tuple[str, str]] = {
    "ai_chat": ("chat", "gpt-5.1"),
    "moa_chat": ("chat", "claude-sonnet"),
    "slides_agent": ("chat", "claude-opus"),
    "image_generation_agent": ("image", "flux"),
    "video_generation_agent": ("video", "veo3.1"),
}
GENERATION_PATHS = ("/api/agent/ask_proxy", "/api/copilot/ask")
TASK_STATUS_PATHS = {"/api/ig_tasks_status": "image", "/api/vg_tasks_status": "video"}
# The `redesigned` variant: Genspark as it might look after a change the site rules do not
# know yet. Its endpoints under new names (each serving its old one's role, the old names
# answer 404), its JSON under new field names, its markup under new class names. These
# are the page's own names for its markup and endpoints, as page.html and app.js use them.
SITE_NAMES: dict[bool, dict[str, str]] = {  # keyed by Switches.redesigned
    False: {
        "composer": "search-input-wrapper",
        "prompt": "search-input",
        "actions": "right-icon-group",
        "send": "enter-icon",
        "model": "model-button",
        "settings": "setting-button",
        "user": "/api/user",
        "balance": "/api/payment/get_credit_balance",
        "ask": "/api/agent/ask_proxy",
        "image_status": "/api/ig_tasks_status",
        "video_status": "/api/vg_tasks_status",
    },
    True: {
        "composer": "composer",
        "prompt": "composer-input",
        "actions": "composer-actions",
        "send": "composer-send",
        "model": "composer-model",
        "settings": "composer-options",
        "user": "/api/v2/me",
        "balance": "/api/billing/credits",
        "ask": "/api/agent/ask_stream",
        "image_status": "/api/tasks/image_status",
        "video_status": "/api/tasks/video_status",
    },
}
# A redesigned endpoint → the role (the old path) it plays on the fake.
REDESIGNED_ROLES = {
    SITE_NAMES[True][name]: path for name, path in SITE_NAMES[False].items() if path[0] == "/"
}

EXHAUSTED_TEXT = "You've reached your free usage limit today"
RATE_LIMIT_TEXT = "Rate limit exceeded cf1"
OVERLOADED_TEXT = "Server overloaded, please try again later."
# UI texts of the page, per language (the server's own messages stay in English).
UI_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "exhausted": EXHAUSTED_TEXT,
        "placeholder": "Ask anything, create anything",
        "credits": "Credits",
        "sign_in": "Sign in",
        "signed_out": "Please sign in to continue.",
        "working": "Generating…",
        "done": "Done",
    },
    "ja": {
        "exhausted": "クレジットを使い切りました",
        "placeholder": "何でも聞いて、何でも作成",
        "credits": "クレジット",
        "sign_in": "ログイン",
        "signed_out": "続けるにはログインしてください。",
        "working": "生成中…",
        "done": "完了",
    },
}
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAfbLI3wAAAABJRU5ErkJggg=="
)


@dataclass
class Switches:
    """The fake site's state a test can flip (POST /__fake/state or FakeGenspark.set)."""

    balance: float = 100.0
    email: str = "tester@example.com"
    plan: str = "free"
    signed_in: bool = True
    exhausted: bool = False
    rate_limited: bool = False
    overloaded: bool = False
    lang: str = "en"
    # Status polls a task answers as still running before SUCCESS.
    polls_before_done: int = 1
    # When an image or video is charged: "completion" (its SUCCESS) or "request" (the ask).
    charge_at: str = "completion"
    # The page reads its balance again as soon as the ask's reply ends, not only at the end.
    reread_after_reply: bool = False
    # Endpoints, JSON fields and markup under new names (SITE_NAMES[True]).
    redesigned: bool = False


@dataclass
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    at: float
    kind: str  # generation, task_status, balance, user, history, quota, page, asset, control


@dataclass
class Task:
    task_id: str
    operation: str
    polls_left: int
    done: bool = False
    charged: bool = False


@dataclass
class Certificate:
    cert_path: Path
    key_path: Path
    spki_sha256_b64: str  # for Chromium's --ignore-certificate-errors-spki-list


def make_certificate(directory: Path) -> Certificate:
    """A self-signed certificate for www.genspark.ai (cryptography, else the openssl CLI)."""
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "genspark.pem", directory / "genspark.key"
    try:
        _certificate_with_cryptography(cert_path, key_path)
    except ImportError:
        _certificate_with_openssl(cert_path, key_path)
    der = ssl.PEM_cert_to_DER_cert(cert_path.read_text())
    return Certificate(cert_path, key_path, _spki_hash(der))


def _certificate_with_cryptography(cert_path: Path, key_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(HOST), x509.DNSName("genspark.ai")]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _certificate_with_openssl(cert_path: Path, key_path: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("neither the cryptography package nor the openssl CLI is available")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "30", "-subj", f"/CN={HOST}",
         "-addext", f"subjectAltName=DNS:{HOST},DNS:genspark.ai",
         "-keyout", str(key_path), "-out", str(cert_path)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def _spki_hash(der_cert: bytes) -> str:
    """base64(sha256(SubjectPublicKeyInfo)), the form Chromium's SPKI allow-list takes."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        spki = (
            x509.load_der_x509_certificate(der_cert)
            .public_key()
            .public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    except ImportError:
        pem = ssl.DER_cert_to_PEM_cert(der_cert).encode()
        pub = subprocess.run(
            ["openssl", "x509", "-pubkey", "-noout"], input=pem, capture_output=True, check=True
        ).stdout
        spki = subprocess.run(
            ["openssl", "pkey", "-pubin", "-outform", "DER"],
            input=pub,
            capture_output=True,
            check=True,
        ).stdout
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


class FakeGenspark:
    """The fake site: an HTTPS server on 127.0.0.1 (a free port) plus its state and log."""

    def __init__(self, cert: Certificate) -> None:
        self.cert = cert
        self.switches = Switches()
        self.lock = threading.Lock()
        self.log: list[Recorded] = []
        self.tasks: dict[str, Task] = {}
        self.completed: list[dict[str, Any]] = []  # operations that finished (and were charged)
        self._changed = threading.Condition(self.lock)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.proxy: ConnectProxy | None = None

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> FakeGenspark:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert.cert_path, self.cert.key_path)
        handler = type("Handler", (_Handler,), {"fake": self})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        server.socket = context.wrap_socket(server.socket, server_side=True)
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="fake-genspark")
        self._thread.daemon = True
        self._thread.start()
        return self

    def start_proxy(self) -> ConnectProxy:
        """A CONNECT proxy that sends www.genspark.ai:443 here and refuses every other host."""
        if self.proxy is None:
            self.proxy = ConnectProxy(self.port).start()
        return self.proxy

    def stop(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() first"
        return int(self._server.server_address[1])

    @property
    def host_resolver_rules(self) -> str:
        """Chromium's --host-resolver-rules value: genspark here, every other name nowhere."""
        return f"MAP {HOST} 127.0.0.1:{self.port},MAP * ~NOTFOUND,EXCLUDE 127.0.0.1"

    # -- switches and log --------------------------------------------------------------
    def set(self, **changes: Any) -> Switches:
        """Flip switches: balance, signed_in, exhausted, rate_limited, overloaded, lang, …"""
        known = {f.name for f in fields(Switches)}
        unknown = set(changes) - known
        if unknown:
            raise KeyError(f"unknown switches {sorted(unknown)}; known: {sorted(known)}")
        if "lang" in changes and changes["lang"] not in UI_TEXTS:
            raise ValueError(f"lang must be one of {sorted(UI_TEXTS)}")
        with self.lock:
            for name, value in changes.items():
                setattr(self.switches, name, value)
            return Switches(**asdict(self.switches))

    def requests(self, kind: str | None = None) -> list[Recorded]:
        with self.lock:
            return [r for r in self.log if kind is None or r.kind == kind]

    def generation_requests(self) -> list[Recorded]:
        """Every request that asked the site to generate something (and could spend credits)."""
        return self.requests("generation")

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> bool:
        """Wait until predicate(self) is true (checked on every request), up to timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.25))
        return True

    def balance(self) -> float:
        with self.lock:
            return self.switches.balance

    # -- internals used by the handler -----------------------------------------------
    def _record(self, entry: Recorded) -> None:
        with self._changed:
            self.log.append(entry)
            self._changed.notify_all()

    def _charge(self, operation: str, ref: str) -> None:
        with self._changed:
            self.switches.balance = max(0.0, self.switches.balance - COSTS[operation])
            self.completed.append({"operation": operation, "ref": ref, "at": time.time()})
            self._changed.notify_all()


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGenspark
    server_version = "fake-genspark/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record."""

    # -- plumbing ----------------------------------------------------------------------
    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode("utf-8", "replace")

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, payload: Any, status: int = 200) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _stream(self, events: list[dict[str, Any]], delay: float = 0.03) -> None:
        """Server-sent events, one `data:` line each, flushed one by one (chunked)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event in events:
            data = f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode()
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()
            time.sleep(delay)  # a stream, not one blob: the page sees the events arrive
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        body = self._body() if method == "POST" else None
        with self.fake.lock:
            state = Switches(**asdict(self.fake.switches))
        requested = path
        if state.redesigned:  # new names play the old roles; the old names are gone
            gone = path in REDESIGNED_ROLES.values()
            path = "/api/gone" if gone else REDESIGNED_ROLES.get(path, path)
        kind = _kind_of(path)
        self.fake._record(Recorded(method, requested, query, body, time.time(), kind))
        try:
            if path.startswith("/__fake/"):
                self._control(method, path, body)
            elif path in GENERATION_PATHS and method == "POST":
                self._ask(state, body)
            elif path in TASK_STATUS_PATHS and method == "POST":
                self._task_status(state, TASK_STATUS_PATHS[path], body)
            elif path.startswith("/api/") and not path.startswith("/api/files/"):
                self._api(state, path)
            else:
                self._page(state, path, query)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass  # the browser went away mid-answer (a navigation): nothing to do

    def do_GET(self) -> None:
        self._route("GET")

    def do_HEAD(self) -> None:
        self._route("HEAD")

    def do_POST(self) -> None:
        self._route("POST")

    # -- the site ------------------------------------------------------------------------
    def _page(self, state: Switches, path: str, query: dict[str, list[str]]) -> None:
        if path == "/favicon.ico" or path.startswith("/api/files/s/"):
            self._send(200, PNG_1PX, "image/png")
        elif path == "/static/app.js":
            self._send(200, (SITE_DIR / "app.js").read_bytes(), "text/javascript; charset=utf-8")
        elif path == "/":
            self._send(302, b"", "text/plain", {"Location": "/agents?type=ai_chat"})
        elif path in ("/agents", "/credit-usage"):
            agent = query.get("type", ["ai_chat"])[0] if path == "/agents" else ""
            texts = UI_TEXTS[state.lang]
            names = SITE_NAMES[state.redesigned]
            config = {
                "names": names,
                "lang": state.lang,
                "type": agent,
                "operation": AGENT_TYPES.get(agent, ("chat", ""))[0],
                "model": AGENT_TYPES.get(agent, ("chat", "gpt-5.1"))[1],
                "texts": texts,
                "rereadAfterReply": state.reread_after_reply,
            }
            html = (SITE_DIR / "page.html").read_text(encoding="utf-8")
            for name, value in names.items():
                html = html.replace(f"{{{{{name}}}}}", value)
            html = (
                html.replace("{{lang}}", state.lang)
                .replace("{{placeholder}}", texts["placeholder"])
                .replace("{{credits}}", texts["credits"])
                .replace("{{title}}", f"Genspark - {agent or 'credit usage'}")
                .replace("{{config}}", _script_json(config))
            )
            self._send(200, html.encode(), "text/html; charset=utf-8")
        else:
            self._send(404, b"<h1>404</h1>", "text/html")

    def _api(self, state: Switches, path: str) -> None:
        not_login = {"status": -5, "message": "not login", "data": {}}
        if path == "/api/user":
            if not state.signed_in:
                self._json(not_login)
                return
            user = {"email": state.email, "name": "Test User", "plan": state.plan}
            if state.redesigned:
                self._json({"status": 0, "data": {"profile": user}})
                return
            self._json(
                {
                    "status": 0,
                    "data": {
                        "cogen": {
                            **user,
                            "personal_plan": state.plan,
                            "personal_paid_sub_interval": None,
                        }
                    },
                }
            )
        elif path == "/api/payment/get_credit_balance":
            field = "credits" if state.redesigned else "balance"
            self._json(
                {"status": 0, "data": {field: state.balance}} if state.signed_in else not_login
            )
        elif path == "/api/payment/get_credit_history":
            if not state.signed_in:
                self._json(not_login)
                return
            now = dt.datetime.now(dt.UTC).replace(microsecond=0)
            start = now.replace(hour=0, minute=0, second=0)
            with self.fake.lock:
                usage: dict[str, int] = {}
                for done in self.fake.completed:
                    usage[done["operation"]] = usage.get(done["operation"], 0) + 1
            self._json(
                {
                    "status": 0,
                    "data": {
                        "current_balance": state.balance,
                        "plan": state.plan,
                        "model_usage": usage,
                        "query_period": {
                            "start_time": start.isoformat(),
                            "end_time": (start + dt.timedelta(days=1)).isoformat(),
                        },
                    },
                }
            )
        elif path == "/api/quota/free_pool":
            reset = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=5)
            window = {
                "limit_dollars": 1.0,
                "spent_dollars": 0.25,
                "remaining_dollars": 0.75,
                "reset_at": reset.isoformat(),
            }
            # GENSPARK.md: `windows[...]` at the top (the other endpoints name `data.`).
            self._json({"status": 0, "windows": {"5h": window, "7d": dict(window)}})
        else:
            self._json({"status": -1, "message": "not found", "data": {}}, status=404)

    def _ask(self, state: Switches, body: Any) -> None:
        """The ask endpoint: refusals per switch, else a stream (chat) or a task id (media)."""
        if not state.signed_in:
            self._json({"status": -5, "message": "not login", "data": {}})
            return
        if state.rate_limited:
            self._send(429, RATE_LIMIT_TEXT.encode(), "text/plain; charset=utf-8")
            return
        if state.overloaded:
            self._json({"status": -1, "message": OVERLOADED_TEXT, "data": {}}, status=503)
            return
        body = body if isinstance(body, dict) else {}
        agent = str(body.get("type", "ai_chat"))
        operation, default_model = AGENT_TYPES.get(agent, ("chat", "gpt-5.1"))
        project = str(uuid.uuid4())
        start = {"type": "project_start", "id": project}
        if state.exhausted:
            self._stream(
                [
                    start,
                    {
                        "type": "message_result",
                        "id": project,
                        "content": EXHAUSTED_TEXT,
                        "action": {"type": "ACTION_QUOTA_EXCEEDED"},
                        "session_state": {"consume_usage_quota_exceeded": True},
                    },
                ]
            )
            return
        model = str(body.get("ai_chat_model") or default_model)
        if operation == "chat":
            words = ["Here", " is", " a", " short", " answer."]
            events: list[dict[str, Any]] = [start]
            events += [
                {"type": "message_field_delta", "id": project, "field_name": "content", "delta": w}
                for w in words
            ]
            events.append(
                {"type": "message_result", "id": project, "content": "".join(words), "model": model}
            )
            self._stream(events)
            self.fake._charge("chat", project)
            return
        task_id = str(uuid.uuid4())
        at_request = state.charge_at == "request"
        with self.fake.lock:
            self.fake.tasks[task_id] = Task(
                task_id, operation, state.polls_before_done, charged=at_request
            )
        if at_request:
            self.fake._charge(operation, task_id)
        self._stream(
            [
                start,
                {"type": "message_field", "id": project, "field_name": "task_ids",
                 "field_value": [task_id]},
                {"type": "message_result", "id": project, "content": "", "model": model,
                 "task_ids": [task_id]},
            ]
        )  # fmt: skip

    def _task_status(self, state: Switches, operation: str, body: Any) -> None:
        ids = body.get("task_ids", []) if isinstance(body, dict) else []
        final: dict[str, Any] = {}
        charge: list[Task] = []
        with self.fake.lock:
            for task_id in ids:
                task = self.fake.tasks.get(str(task_id))
                if task is None or task.operation != operation:
                    final[str(task_id)] = {"status": "NOT_FOUND"}
                    continue
                if not task.done and task.polls_left > 0:
                    task.polls_left -= 1
                    final[task.task_id] = {"status": "PROCESSING"}
                    continue
                if not task.done:
                    task.done = True
                    if not task.charged:
                        task.charged = True
                        charge.append(task)
                media = "image_urls" if operation == "image" else "video_urls"
                final[task.task_id] = {"status": "SUCCESS", media: [f"/api/files/s/{task_id}"]}
        for task in charge:
            self.fake._charge(task.operation, task.task_id)
        complete = bool(final) and all(v["status"] != "PROCESSING" for v in final.values())
        self._json(
            {
                "status": 0,
                "data": {
                    "status": "TASKS_STATUS_COMPLETE" if complete else "TASKS_STATUS_PROCESSING",
                    "final_status": final,
                },
            }
        )

    def _control(self, method: str, path: str, body: Any) -> None:
        """/__fake/state (GET, POST switches), /__fake/requests, /__fake/completed."""
        if path == "/__fake/state":
            if method == "POST":
                try:
                    self.fake.set(**(body or {}))
                except (KeyError, ValueError, TypeError) as exc:
                    self._json({"error": str(exc)}, status=400)
                    return
            self._json(asdict(self.fake.set()))
        elif path == "/__fake/requests":
            self._json([asdict(r) for r in self.fake.requests() if r.kind != "control"])
        elif path == "/__fake/completed":
            with self.fake.lock:
                self._json(list(self.fake.completed))
        else:
            self._json({"error": "unknown control"}, status=404)


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def _kind_of(path: str) -> str:
    if path.startswith("/__fake/"):
        return "control"
    if path in GENERATION_PATHS:
        return "generation"
    if path in TASK_STATUS_PATHS:
        return "task_status"
    return {
        "/api/payment/get_credit_balance": "balance",
        "/api/user": "user",
        "/api/payment/get_credit_history": "history",
        "/api/quota/free_pool": "quota",
    }.get(path, "api" if path.startswith("/api/") else "page")


class ConnectProxy:
    """An HTTP CONNECT proxy for Firefox (which has no host-resolver rules).

    It tunnels www.genspark.ai:443 to the fake site and refuses every other host, so the
    browser under test cannot reach the network through it.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.refused: list[str] = []
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fake-proxy", daemon=True)

    @property
    def port(self) -> int:
        return int(self._sock.getsockname()[1])

    def start(self) -> ConnectProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._sock.close()

    def _serve(self) -> None:
        self._sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client: socket.socket) -> None:
        with client:
            client.settimeout(10)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 8192:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            method, _, rest = request_line.partition(" ")
            target = rest.split(" ", 1)[0]
            if method != "CONNECT" or target not in (f"{HOST}:443",):
                self.refused.append(request_line)
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                return
            with socket.create_connection(("127.0.0.1", self.target_port), timeout=10) as up:
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                client.settimeout(None)
                up.settimeout(None)
                pair = {client: up, up: client}
                while not self._stop.is_set():
                    readable, _, _ = select.select(list(pair), [], [], 0.5)
                    for sock in readable:
                        data = sock.recv(65536)
                        if not data:
                            return
                        pair[sock].sendall(data)


def main() -> None:
    """Serve the fake site until interrupted (for looking at it by hand)."""
    import tempfile

    fake = FakeGenspark(make_certificate(Path(tempfile.mkdtemp()))).start()
    print(f"fake genspark on https://127.0.0.1:{fake.port}  SPKI {fake.cert.spki_sha256_b64}")
    print(f"chromium --host-resolver-rules='{fake.host_resolver_rules}'")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
