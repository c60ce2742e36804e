// The backforge web UI: no build step, no dependencies. Events come through fetch (an
// EventSource cannot send the API key header) and resume with Last-Event-ID.
"use strict";

const $ = (id) => document.getElementById(id);
const STATES = { unit_started: "running", unit_retried: "retrying", unit_validated: "validated",
  unit_partial: "partial", unit_failed: "failed", unit_blocked: "blocked",
  unit_cancelled: "cancelled" };
let jobId = null;

function headers() {
  return { Authorization: "Bearer " + $("api-key").value.trim() };
}

async function api(path, options = {}) {
  const resp = await fetch(path, { ...options, headers: { ...headers(), ...(options.headers || {}) } });
  if (!resp.ok) {
    let detail = resp.statusText;
    try {
      const body = await resp.json();
      detail = [body.detail, ...(body.problems || [])].filter(Boolean).join("\n");
    } catch (e) { /* not JSON */ }
    throw new Error(resp.status + ": " + detail);
  }
  return resp;
}

async function init() {
  $("api-key").value = sessionStorage.getItem("backforge-key") || "";
  const info = await (await fetch("/v1/stacks")).json();
  $("stack").replaceChildren(new Option("(the spec's own)", ""), ...info.stacks.map((s) => new Option(s, s)));
  $("provider").replaceChildren(...info.providers.map((p) => new Option(p, p)));
}

async function loadExample() {
  const name = $("example").value;
  $("spec").value = await (await fetch("examples/" + name)).text();
  $("spec-name").value = name;
}

function unitRow(unit) {
  let row = document.querySelector(`#units tr[data-unit="${CSS.escape(unit)}"]`);
  if (!row) {
    row = document.createElement("tr");
    row.dataset.unit = unit;
    for (let i = 0; i < 4; i++) row.appendChild(document.createElement("td"));
    row.cells[0].textContent = unit;
    row.cells[2].textContent = "0";
    $("units").tBodies[0].appendChild(row);
  }
  return row;
}

function onEvent(event) {
  if (event.event === "run_started") {
    $("status").textContent = `Running: ${event.data.units} units in ${event.data.modules} modules`;
  } else if (event.unit && STATES[event.event]) {
    const row = unitRow(event.unit);
    const state = STATES[event.event];
    row.cells[1].textContent = state;
    row.cells[1].className = state;
    if (event.event === "unit_started") row.cells[2].textContent = String(event.attempt);
    row.cells[3].textContent = event.time.toFixed(2);
  } else if (event.event === "run_finished") {
    $("status").textContent = event.message;
  }
}

// Server-sent events over fetch; reconnects with the last id seen until the `end` event.
async function follow(id) {
  let last = null;
  for (let tries = 0; tries < 20; tries++) {
    try {
      const extra = last ? { "Last-Event-ID": last } : {};
      const resp = await api(`/v1/jobs/${id}/events`, { headers: extra });
      const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields = { event: "message", data: [] };
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) continue;
            const at = line.indexOf(":");
            const key = line.slice(0, at), val = line.slice(at + 1).replace(/^ /, "");
            if (key === "data") fields.data.push(val); else fields[key] = val;
          }
          if (fields.id) last = fields.id;
          if (fields.event === "end") return JSON.parse(fields.data.join("\n"));
          if (fields.data.length) onEvent(JSON.parse(fields.data.join("\n")));
        }
      }
    } catch (err) {
      $("error").textContent = "Event stream: " + err.message + " (reconnecting)";
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error("the event stream kept failing");
}

async function submit(e) {
  e.preventDefault();
  $("error").textContent = "";
  $("done").hidden = true;
  $("units").tBodies[0].replaceChildren();
  sessionStorage.setItem("backforge-key", $("api-key").value.trim());
  const options = { provider: $("provider").value };
  if ($("stack").value) options.stack = $("stack").value;
  try {
    const resp = await api("/v1/jobs", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ spec: $("spec").value, filename: $("spec-name").value, options }) });
    jobId = (await resp.json()).id;
    $("status").textContent = `Job ${jobId} queued`;
    const end = await follow(jobId);
    $("status").textContent = `Job ${jobId} ${end.status}` + (end.reason ? `: ${end.reason}` : "");
    await showResult(jobId);
  } catch (err) {
    $("error").textContent = err.message;
  }
}

async function showResult(id) {
  const job = await (await api(`/v1/jobs/${id}`)).json();
  const report = (job.result && job.result.report) || {};
  const counts = report.counts || {};
  $("report").textContent = JSON.stringify({ status: job.status, success: report.success,
    counts, access: report.access, impact: job.result && job.result.impact }, null, 2);
  const files = (await (await api(`/v1/jobs/${id}/files`)).json()).files;
  $("files").replaceChildren(new Option("(choose)", ""), ...files.map((f) => new Option(f, f)));
  $("done").hidden = false;
}

async function openFile() {
  const path = $("files").value;
  if (!path) return;
  const resp = await api(`/v1/jobs/${jobId}/files/${path.split("/").map(encodeURIComponent).join("/")}`);
  $("file-view").textContent = await resp.text();
}

async function download() {
  const blob = await (await api(`/v1/jobs/${jobId}/archive`)).blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `backforge-${jobId}.zip`;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

$("job-form").addEventListener("submit", submit);
$("load-example").addEventListener("click", loadExample);
$("spec-file").addEventListener("change", async () => {
  const file = $("spec-file").files[0];
  if (!file) return;
  $("spec").value = await file.text();
  $("spec-name").value = file.name;
});
$("files").addEventListener("change", () => openFile().catch((e) => { $("error").textContent = e.message; }));
$("download").addEventListener("click", () => download().catch((e) => { $("error").textContent = e.message; }));
init().catch((e) => { $("error").textContent = e.message; });
