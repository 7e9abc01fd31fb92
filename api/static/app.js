// The reviewer page's behaviour: upload with progress, job polling, feedback, filters, delete.
// Plain JS, no build. Requests authenticate with the session cookie plus X-Requested-With (CSRF guard).
"use strict";

const HEADERS = { "X-Requested-With": "disclosure-nlp" };

function $(sel, root) { return (root || document).querySelector(sel); }
function $all(sel, root) { return Array.from((root || document).querySelectorAll(sel)); }

async function errorMessage(response) {
  try {
    const body = await response.json();
    if (body && body.error && body.error.message) return body.error.message;
  } catch (e) { /* not JSON */ }
  return "request failed (" + response.status + ")";
}

async function poll(id, onStatus) {
  for (;;) {
    const r = await fetch("/v1/analyses/" + id, { headers: HEADERS, credentials: "same-origin" });
    if (!r.ok) throw new Error(await errorMessage(r));
    const a = await r.json();
    onStatus(a);
    if (a.status === "done" || a.status === "failed") return a;
    await new Promise((res) => setTimeout(res, 800));
  }
}

function setupUpload() {
  const form = $("#upload-form");
  if (!form) return;
  const input = $("#file"), zone = $("#dropzone"), status = $("#upload-status");
  const progress = $("#progress"), wrap = $("#progress-wrap"), button = $("#upload-button");
  const showName = () => { $("#file-name").textContent = input.files.length ? input.files[0].name : ""; };
  input.addEventListener("change", showName);
  ["dragenter", "dragover"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.add("over"); }));
  ["dragleave", "drop"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.remove("over"); }));
  zone.addEventListener("drop", (e) => {
    if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; showName(); }
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!input.files.length) { status.textContent = "Choose a file first."; return; }
    const data = new FormData(form);
    for (const [k, v] of Array.from(data.entries())) { if (v === "") data.delete(k); }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/v1/analyses?mode=async");
    xhr.setRequestHeader("X-Requested-With", HEADERS["X-Requested-With"]);
    xhr.responseType = "json";
    wrap.hidden = false; progress.value = 0; button.disabled = true;
    status.textContent = "Uploading…";
    xhr.upload.onprogress = (ev) => { if (ev.lengthComputable) progress.value = Math.round(50 * ev.loaded / ev.total); };
    xhr.onerror = () => { status.textContent = "Upload failed: network error."; button.disabled = false; };
    xhr.onload = async () => {
      const body = xhr.response || {};
      if (xhr.status >= 400) {
        status.textContent = "Not analysed: " + ((body.error && body.error.message) || ("error " + xhr.status));
        button.disabled = false; wrap.hidden = true;
        return;
      }
      progress.value = 60;
      status.textContent = "Analysing…";
      try {
        const a = body.status === "done" || body.status === "failed" ? body
          : await poll(body.id, (s) => { status.textContent = "Analysis " + s.status + "…"; progress.value = s.status === "running" ? 80 : 65; });
        progress.value = 100;
        status.textContent = a.status === "done" ? "Done. Opening the result…" : "Not analysed: " + (a.error ? a.error.message : "failed");
        window.location.assign("/analyses/" + a.id);
      } catch (err) {
        status.textContent = "Could not follow the analysis: " + err.message;
        button.disabled = false;
      }
    };
    xhr.send(data);
  });
}

function setupPendingPage() {
  const main = $("main[data-analysis]");
  if (!main) return;
  const status = main.dataset.status;
  if (status === "queued" || status === "running") {
    poll(main.dataset.analysis, (a) => {
      const el = $("#job-status");
      if (el) el.textContent = "Analysis " + a.status + "…";
    }).then(() => window.location.reload()).catch((err) => {
      const el = $("#job-status");
      if (el) el.textContent = "Could not follow the analysis: " + err.message;
    });
  }
}

function setupFeedback() {
  const main = $("main[data-analysis]");
  if (!main) return;
  const id = main.dataset.analysis;
  $all("button.fb").forEach((btn) => {
    btn.addEventListener("click", async () => {
      const group = btn.closest(".feedback");
      const out = $(".fb-status", group);
      const labels = {};
      labels[btn.dataset.label] = btn.dataset.value === "true";
      out.textContent = "Saving…";
      const r = await fetch("/v1/analyses/" + id + "/feedback", {
        method: "POST", credentials: "same-origin",
        headers: Object.assign({ "Content-Type": "application/json" }, HEADERS),
        body: JSON.stringify({ sentence: Number(btn.dataset.sentence), labels: labels }),
      });
      if (r.ok) {
        $all("button.fb", group).forEach((b) => b.setAttribute("aria-pressed", String(b === btn)));
        out.textContent = "Saved: marked " + (btn.dataset.value === "true" ? "right" : "wrong") + ".";
      } else {
        out.textContent = "Not saved: " + (await errorMessage(r));
      }
    });
  });
}

function setupFilters() {
  const text = $("#quote-filter"), covered = $("#covered-only");
  if (!text) return;
  const apply = () => {
    const q = text.value.trim().toLowerCase();
    $all("article.criterion").forEach((art) => {
      let visible = 0;
      $all(".quote-item", art).forEach((item) => {
        const show = !q || item.textContent.toLowerCase().includes(q);
        item.hidden = !show;
        if (show) visible += 1;
      });
      const hideCovered = covered.checked && art.dataset.covered !== "yes";
      art.hidden = hideCovered || (q !== "" && visible === 0);
    });
  };
  text.addEventListener("input", apply);
  covered.addEventListener("change", apply);
}

function setupDelete() {
  const btn = $("#delete-analysis");
  if (!btn) return;
  btn.addEventListener("click", async () => {
    if (!window.confirm("Delete this analysis and its feedback?")) return;
    const id = $("main[data-analysis]").dataset.analysis;
    const r = await fetch("/v1/analyses/" + id, { method: "DELETE", headers: HEADERS, credentials: "same-origin" });
    if (r.ok) window.location.assign("/");
    else window.alert("Not deleted: " + (await errorMessage(r)));
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupUpload();
  setupPendingPage();
  setupFeedback();
  setupFilters();
  setupDelete();
});
