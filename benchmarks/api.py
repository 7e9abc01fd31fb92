"""Service benchmark: POST /v1/score latency and throughput over loopback vs the in-process Analyzer.

Everything runs on 127.0.0.1 only, with bounded request counts and a time cap per stage.

Stages (sequential, so they do not compete for the cores):
  inproc_text / inproc_pdf10   Analyzer.analyze() in this process: the physical limit of the service
  score_text / score_pdf10     POST /v1/score to a uvicorn server in its own process, one client;
                               every request carries new bytes, so each one is really analysed
                               (text: inline; PDF: uploaded first via /v1/documents, outside the timing)
  score_reused                 POST /v1/score with bytes already analysed: pure service overhead
                               (auth, validation, database, JSON) with no model work
  concurrency_N                N clients in parallel sending new texts: requests/s and latency

The service's overhead per request is (score_text p50 - inproc_text p50). Prints a table and writes
benchmarks/results/api.json.

    python benchmarks/api.py                          # defaults: about 3-5 minutes on 2 cores
    python benchmarks/api.py --n-text 10 --n-pdf 5 --concurrency 1,2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from disclosure_nlp.store import Store  # noqa: E402
from disclosure_nlp.testing import render_pdf, sample_statement  # noqa: E402

IDENT = "GB-COH-09506232"


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summarise(latencies: list[float], wall: float | None = None) -> dict:
    out = {"n": len(latencies), "p50_ms": round(pct(latencies, 0.5) * 1000, 1),
           "p95_ms": round(pct(latencies, 0.95) * 1000, 1),
           "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None}
    if wall:
        out["wall_s"] = round(wall, 2)
        out["requests_per_s"] = round(len(latencies) / wall, 2)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def statement_text(seed: int) -> str:
    st = sample_statement(seed, n_paragraphs=12, jurisdiction="UK")
    return "\n\n".join(s for _, s in st.sentences) + f"\n\nReference number {seed}."


def ten_page_pdf() -> bytes:
    n = 70
    for _ in range(8):
        pdf = render_pdf(sample_statement(4242, n_paragraphs=n, jurisdiction="UK").blocks)
        import pypdfium2

        pages = len(pypdfium2.PdfDocument(pdf))
        if pages == 10:
            return pdf
        n = max(10, int(n * 10 / pages))
    return pdf


def unique_pdf(pdf: bytes, i: int) -> bytes:
    return pdf + f"\n%benchmark-nonce-{i}\n".encode()  # new sha256, same content for the parser


def start_server(db_url: str, port: int, models: str | None) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=db_url, DISCLOSURE_NLP_RATE_LIMIT_PER_MINUTE="0",
               DISCLOSURE_NLP_ANALYSIS_WORKERS="2", PYTHONPATH=str(ROOT))
    if models:
        env["DISCLOSURE_NLP_MODELS"] = models
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app", "--host", "127.0.0.1",
           "--port", str(port), "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env)


def wait_ready(base: str, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not become ready")


def score_body(doc: dict) -> dict:
    return {"supplier": {"name": "Acme Apparel Ltd", "identifier": IDENT}, "jurisdiction": "uk", "documents": [doc]}


def timed_post(client: httpx.Client, url: str, body: dict) -> float:
    t0 = time.perf_counter()
    r = client.post(url, json=body)
    dt = time.perf_counter() - t0
    if r.status_code != 200:
        raise SystemExit(f"POST {url} -> {r.status_code}: {r.text[:300]}")
    return dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n-text", type=int, default=20)
    ap.add_argument("--n-pdf", type=int, default=8)
    ap.add_argument("--n-reused", type=int, default=30)
    ap.add_argument("--concurrency", default="1,2,4")
    ap.add_argument("--per-level", type=int, default=16, help="requests per concurrency level")
    ap.add_argument("--stage-timeout", type=float, default=180, help="seconds per stage at most")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "api.json")
    args = ap.parse_args()
    models = os.environ.get("DISCLOSURE_NLP_MODELS")
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "platform": platform.platform()},
                     "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    pdf10 = ten_page_pdf()
    import pypdfium2

    results["inputs"] = {"text_chars": len(statement_text(1)), "pdf_pages": len(pypdfium2.PdfDocument(pdf10)),
                         "pdf_bytes": len(pdf10)}

    # -- in-process Analyzer -------------------------------------------------------------------
    from disclosure_nlp.pipeline import Analyzer

    t0 = time.perf_counter()
    analyzer = Analyzer()
    results["model_load_s"] = round(time.perf_counter() - t0, 2)
    analyzer.analyze(unique_pdf(pdf10, -1), jurisdiction="uk")  # warm the PDF sandbox and caches
    analyzer.analyze(statement_text(-1).encode(), jurisdiction="uk")
    stages: dict = {}
    lat = []
    for i in range(args.n_text):
        t = time.perf_counter()
        analyzer.analyze(statement_text(1000 + i).encode(), jurisdiction="uk")
        lat.append(time.perf_counter() - t)
    stages["inproc_text"] = summarise(lat)
    lat = []
    for i in range(args.n_pdf):
        t = time.perf_counter()
        analyzer.analyze(unique_pdf(pdf10, 1000 + i), jurisdiction="uk")
        lat.append(time.perf_counter() - t)
    stages["inproc_pdf10"] = summarise(lat)
    del analyzer

    # -- the service over loopback -------------------------------------------------------------
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/bench.db"
        store = Store(db_url)
        store.migrate()
        _, key = store.create_key("benchmark", "service")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(db_url, port, models)
        try:
            wait_ready(base)
            headers = {"Authorization": f"Bearer {key}"}
            with httpx.Client(base_url=base, headers=headers, timeout=300) as c:
                # warm the server's sandbox and code paths
                timed_post(c, "/v1/score", score_body({"text": statement_text(-2)}))
                up = c.post("/v1/documents", files={"file": ("w.pdf", unique_pdf(pdf10, -2), "application/pdf")})
                timed_post(c, "/v1/score", score_body({"upload": up.json()["upload"]}))

                lat, deadline = [], time.time() + args.stage_timeout
                for i in range(args.n_text):
                    if time.time() > deadline:
                        break
                    lat.append(timed_post(c, "/v1/score", score_body({"text": statement_text(2000 + i)})))
                stages["score_text"] = summarise(lat)

                lat, deadline = [], time.time() + args.stage_timeout
                for i in range(args.n_pdf):
                    if time.time() > deadline:
                        break
                    ref = c.post("/v1/documents", files={"file": (f"p{i}.pdf", unique_pdf(pdf10, 2000 + i),
                                                                  "application/pdf")}).json()["upload"]
                    lat.append(timed_post(c, "/v1/score", score_body({"upload": ref})))
                stages["score_pdf10"] = summarise(lat)

                lat = []
                same = score_body({"text": statement_text(2000)})
                for _ in range(args.n_reused):
                    lat.append(timed_post(c, "/v1/score", same))
                stages["score_reused"] = summarise(lat)

            for level in [int(x) for x in args.concurrency.split(",") if x.strip()]:
                latencies: list[float] = []
                lock = threading.Lock()
                counter = iter(range(args.per_level))
                stop_at = time.time() + args.stage_timeout

                def client_loop(level=level):
                    with httpx.Client(base_url=base, headers=headers, timeout=300) as cc:
                        while time.time() < stop_at:
                            with lock:
                                i = next(counter, None)
                            if i is None:
                                return
                            dt = timed_post(cc, "/v1/score", score_body({"text": statement_text(10_000 * level + i)}))
                            with lock:
                                latencies.append(dt)

                threads = [threading.Thread(target=client_loop) for _ in range(level)]
                t0 = time.perf_counter()
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                stages[f"concurrency_{level}"] = summarise(latencies, time.perf_counter() - t0)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()

    results["stages"] = stages
    overhead = {}
    for kind in ("text", "pdf10"):
        if f"score_{kind}" in stages:
            overhead[kind] = {
                "p50_ms": round(stages[f"score_{kind}"]["p50_ms"] - stages[f"inproc_{kind}"]["p50_ms"], 1),
                "p50_ratio": round(stages[f"score_{kind}"]["p50_ms"] / stages[f"inproc_{kind}"]["p50_ms"], 3),
            }
    results["service_overhead"] = overhead
    results["notes"] = ("2 shared cores; the server and the clients share them, so concurrency above 2 "
                        "mostly queues. Each timed request analyses new bytes except score_reused.")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'stage':<16}{'n':>4}{'p50 ms':>10}{'p95 ms':>10}{'req/s':>8}")
    for name, s in stages.items():
        print(f"{name:<16}{s['n']:>4}{s['p50_ms']:>10}{s['p95_ms']:>10}{s.get('requests_per_s', ''):>8}")
    print("service overhead (p50):", json.dumps(overhead))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
