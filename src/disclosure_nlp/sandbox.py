"""Run untrusted-file parsers in a child process with a time and a memory limit.

A persistent worker (`python -m disclosure_nlp.sandbox`) serves one call at a time over its
stdin/stdout, so the per-document cost is a pipe round trip, not a process start. A call that runs
past its time limit kills the worker; one that exhausts memory or crashes the parser (a segfault in
native code) loses only the worker. Either way the caller gets a `DocumentError` and the next call
starts a fresh worker. Messages are JSON plus raw byte frames (never pickle: the worker's output is
as untrusted as its input).
"""

from __future__ import annotations

import importlib
import json
import os
import struct
import subprocess
import sys
import threading
from typing import Any

from .errors import (
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    ExtractionResourceError,
    ExtractionTimeout,
    UnsupportedFormat,
)

# Only these functions may be called in the worker.
ALLOWED = {"disclosure_nlp.extract.pdf:parse_pdf"}

_ERRORS: dict[str, type[DocumentError]] = {
    cls.code: cls
    for cls in (
        DocumentError,
        UnsupportedFormat,
        EncryptedDocument,
        CorruptDocument,
        EmptyDocument,
        DocumentTooLarge,
        ExtractionTimeout,
        ExtractionResourceError,
    )
}
_HEADER = struct.Struct("<Q")


def _write_frame(stream, payload: bytes) -> None:
    stream.write(_HEADER.pack(len(payload)))
    stream.write(payload)


def _read_exact(stream, n: int) -> bytes:
    chunks, remaining = [], n
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _read_frame(stream) -> bytes:
    (size,) = _HEADER.unpack(_read_exact(stream, _HEADER.size))
    return _read_exact(stream, size)


class Sandbox:
    """A lazily started worker process; thread-safe (calls are serialised)."""

    def __init__(self, memory_mb: int = 2048):
        self.memory_mb = memory_mb
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ, PYTHONUNBUFFERED="1", OMP_THREAD_LIMIT="1")
        src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
        return subprocess.Popen(
            [sys.executable, "-m", "disclosure_nlp.sandbox", str(self.memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None

    def close(self) -> None:
        with self._lock:
            self._kill()

    def call(self, func: str, payload: bytes, timeout: float, **kwargs: Any) -> tuple[dict, list[bytes]]:
        """Call `func(payload, **kwargs)` in the worker; returns its JSON result and byte frames."""
        if func not in ALLOWED:
            raise ValueError(f"{func} is not allowed in the sandbox")
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = self._start()
            proc = self._proc
            result: dict[str, Any] = {}

            def exchange() -> None:
                try:
                    _write_frame(proc.stdin, json.dumps({"func": func, "kwargs": kwargs}).encode())
                    _write_frame(proc.stdin, payload)
                    proc.stdin.flush()
                    head = json.loads(_read_frame(proc.stdout))
                    frames = [_read_frame(proc.stdout) for _ in range(head.get("frames", 0))]
                    result["head"], result["frames"] = head, frames
                except (EOFError, OSError, ValueError) as exc:
                    result["died"] = exc

            thread = threading.Thread(target=exchange, daemon=True)
            thread.start()
            thread.join(timeout)
            if thread.is_alive():
                self._kill()
                thread.join()
                raise ExtractionTimeout(f"parsing took longer than the {timeout:g} s limit")
            if "died" in result:
                self._kill()
                raise ExtractionResourceError(
                    f"the parser ran out of memory (limit {self.memory_mb} MB) or crashed on this file"
                )
            head = result["head"]
            if head.get("error"):
                raise _ERRORS.get(head["error"], DocumentError)(head["message"])
            return head["result"], result["frames"]


def _serve(memory_mb: int) -> None:  # pragma: no cover - runs in the child process
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass  # platforms without RLIMIT_AS still get the time limit
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # stray prints must not corrupt the protocol
    while True:
        try:
            request = json.loads(_read_frame(stdin))
            payload = _read_frame(stdin)
        except EOFError:
            return
        frames: list[bytes] = []
        try:
            if request["func"] not in ALLOWED:
                raise DocumentError("function not allowed")
            module, name = request["func"].split(":")
            fn = getattr(importlib.import_module(module), name)
            result, frames = fn(payload, **request["kwargs"])
            head = {"result": result, "frames": len(frames)}
        except DocumentError as exc:
            head = {"error": exc.code, "message": str(exc)}
            frames = []
        except MemoryError:
            head = {"error": ExtractionResourceError.code, "message": f"the parser exceeded its {memory_mb} MB memory limit"}
            frames = []
        except Exception as exc:  # any parser failure is a corrupt-input error, never a traceback
            head = {"error": CorruptDocument.code, "message": f"could not parse the file: {exc}"}
            frames = []
        _write_frame(stdout, json.dumps(head).encode())
        for frame in frames:
            _write_frame(stdout, frame)
        stdout.flush()


_default: Sandbox | None = None
_default_lock = threading.Lock()


def default_sandbox(memory_mb: int) -> Sandbox:
    """The process-wide worker; restarted if a call asks for a different memory limit."""
    global _default
    with _default_lock:
        if _default is None or _default.memory_mb != memory_mb:
            if _default is not None:
                _default.close()
            _default = Sandbox(memory_mb)
        return _default


if __name__ == "__main__":  # pragma: no cover
    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else 2048)
