// The backforge web UI: no build step, no dependencies. Events come through fetch (an
// EventSource cannot send the API key header) and resume with Last-Event-ID. Everything a
// job sends back (unit names, report strings, file content) is written with textContent
// or as option text, never as HTML: it echoes the spec, which is untrusted input.
"use strict";

const $ = (id) => document.getElementById(id);
const STATES = { unit_started: "running", unit_retried: "retrying", unit_validated: "validated",
  unit_partial: "partial", unit_failed: "failed", unit_blocked: "blocked",
  unit_cancelled: "cancelled" };
const ENDED = new Set(["validated", "partial", "failed", "blocked", "cancelled"]);
let jobId = null;
let units = new Map(); // unit id -> {deps, layer, state, attempt, retries, started, time, card, row}

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

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("aria") || k === "role") node.setAttribute(k.replace(/^aria/, "aria-").toLowerCase(), v);
    else node[k] = v;
  }
  for (const child of children) node.append(child); // strings become text nodes
  return node;
}

function fillTable(id, rows) {
  $(id).tBodies[0].replaceChildren(...rows.map((cells) => el("tr", {}, ...cells.map((c) => el("td", {}, String(c ?? ""))))));
}

async function init() {
  $("api-key").value = sessionStorage.getItem("backforge-key") || "";
  const info = await (await fetch("/v1/stacks")).json();
  $("stack").replaceChildren(new Option("(the spec's own)", ""), ...info.stacks.map((s) => new Option(s, s)));
  $("provider").replaceChildren(...info.providers.map((p) => new Option(p, p)));
  if ($("api-key").value) await refreshJobs();
}

// The key's succeeded jobs, newest first, as the base-job choices.
async function refreshJobs() {
  if (!$("api-key").value.trim()) return;
  const chosen = $("base-job").value;
  const jobs = (await (await api("/v1/jobs")).json()).jobs.filter((j) => j.status === "succeeded");
  $("base-job").replaceChildren(new Option("(none: a new project)", ""), ...jobs.map((j) =>
    new Option(`${j.spec} · ${new Date(j.created * 1000).toLocaleString()} · ${j.id.slice(0, 8)}`, j.id)));
  if (jobs.some((j) => j.id === chosen)) $("base-job").value = chosen;
}

async function loadExample() {
  const name = $("example").value;
  $("spec").value = await (await fetch("examples/" + name)).text();
  $("spec-name").value = name;
}

// -- the unit DAG ---------------------------------------------------------------------------

function describe(u, id) {
  const parts = [id, u.state];
  if (u.attempt) parts.push(`attempt ${u.attempt}`);
  if (u.retries) parts.push(`${u.retries} retr${u.retries === 1 ? "y" : "ies"}`);
  if (u.time !== null) parts.push(`${u.time.toFixed(2)} s`);
  parts.push(u.deps.length ? "after " + u.deps.join(", ") : "no dependencies");
  return parts.join(", ");
}

function paint(id) {
  const u = units.get(id);
  u.card.className = "unit " + u.state;
  u.card.dataset.state = u.state;
  u.card.querySelector(".state").textContent = u.state;
  const meta = [];
  if (u.attempt) meta.push(`attempt ${u.attempt}`);
  if (u.retries) meta.push(`${u.retries} retr${u.retries === 1 ? "y" : "ies"}`);
  if (u.time !== null) meta.push(`${u.time.toFixed(2)} s`);
  u.card.querySelector(".meta").textContent = meta.join(" · ");
  u.card.setAttribute("aria-label", describe(u, id));
  const cells = u.row.cells;
  cells[1].textContent = u.state;
  cells[1].className = u.state;
  cells[2].textContent = String(u.attempt);
  cells[3].textContent = String(u.retries);
  cells[4].textContent = u.time !== null ? u.time.toFixed(2) : "";
}

function mark(id, on) {
  const u = units.get(id);
  for (const dep of u.deps) units.get(dep)?.card.classList.toggle("dep", on);
  for (const [other, v] of units) if (v.deps.includes(id)) v.card.classList.toggle("dependent", on);
}

// Arrow keys move between units: up/down in a layer, left/right to the next layer.
function moveFocus(event) {
  const card = event.target.closest(".unit");
  if (!card) return;
  const layer = card.closest(".layer");
  let next = null;
  if (event.key === "ArrowDown") next = card.nextElementSibling;
  else if (event.key === "ArrowUp") next = card.previousElementSibling;
  else if (event.key === "ArrowRight") next = layer.nextElementSibling?.querySelector(".unit");
  else if (event.key === "ArrowLeft") next = layer.previousElementSibling?.querySelector(".unit");
  else return;
  event.preventDefault();
  next?.focus();
}

// graph: unit -> its dependencies, in a topological order (run_started's data.graph).
function buildDag(graph) {
  units = new Map();
  const layers = [];
  for (const [id, deps] of Object.entries(graph)) {
    const layer = deps.length ? 1 + Math.max(...deps.map((d) => units.get(d)?.layer ?? 0)) : 0;
    addUnit(id, deps, layer, layers);
  }
  drawLayers(layers);
}

function addUnit(id, deps, layer, layers) {
  const card = el("li", { tabIndex: 0, className: "unit pending", dataset: { unit: id } },
    el("span", { className: "name" }, id), el("span", { className: "state" }, "pending"),
    el("span", { className: "meta" }));
  card.addEventListener("focus", () => mark(id, true));
  card.addEventListener("blur", () => mark(id, false));
  card.addEventListener("mouseenter", () => mark(id, true));
  card.addEventListener("mouseleave", () => mark(id, false));
  const row = el("tr", { dataset: { unit: id } }, el("td", {}, id), el("td"), el("td"), el("td"),
    el("td"), el("td", {}, deps.join(", ")));
  units.set(id, { deps, layer, state: "pending", attempt: 0, retries: 0, started: null,
    time: null, card, row });
  (layers[layer] ||= []).push(id);
  paint(id);
}

function drawLayers(layers) {
  $("dag").replaceChildren(...layers.map((ids, n) => el("div", { className: "layer", role: "listitem" },
    el("h4", { id: `layer-${n}` }, `Layer ${n + 1}`),
    el("ul", { ariaLabelledby: `layer-${n}` }, ...ids.map((id) => units.get(id).card)))));
  $("units").tBodies[0].replaceChildren(...[...units.values()].map((u) => u.row));
}

// A unit the graph did not name (an older server): shown in a layer of its own.
function unitOf(id) {
  if (!units.has(id)) {
    const layers = [];
    for (const [other, u] of units) (layers[u.layer] ||= []).push(other);
    addUnit(id, [], layers.length, layers);
    drawLayers(layers);
  }
  return units.get(id);
}

function onEvent(event) {
  if (event.event === "run_started") {
    $("status").textContent = `Running: ${event.data.units} units in ${event.data.modules} modules`;
    if (event.data.graph) buildDag(event.data.graph);
  } else if (event.unit && STATES[event.event]) {
    const u = unitOf(event.unit);
    u.state = STATES[event.event];
    if (event.event === "unit_started") {
      u.attempt = event.attempt;
      if (u.started === null) u.started = event.time;
    } else if (event.event === "unit_retried") {
      u.retries += 1;
    }
    if (event.attempt && event.attempt > u.attempt) u.attempt = event.attempt;
    // From the first start to the end; a unit blocked before it started has no time.
    if (ENDED.has(u.state) && u.started !== null) u.time = event.time - u.started;
    paint(event.unit);
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
  units = new Map();
  $("dag").replaceChildren();
  $("units").tBodies[0].replaceChildren();
  sessionStorage.setItem("backforge-key", $("api-key").value.trim());
  const options = { provider: $("provider").value };
  if ($("stack").value) options.stack = $("stack").value;
  const body = { spec: $("spec").value, filename: $("spec-name").value, options };
  if ($("base-job").value) body.base_job = $("base-job").value;
  try {
    const resp = await api("/v1/jobs", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify(body) });
    jobId = (await resp.json()).id;
    $("status").textContent = `Job ${jobId} queued`;
    const end = await follow(jobId);
    $("status").textContent = `Job ${jobId} ${end.status}` + (end.reason ? `: ${end.reason}` : "");
    await showResult(jobId);
    await refreshJobs();
  } catch (err) {
    $("error").textContent = err.message;
  }
}

// -- the result: report, policy, impact, files ------------------------------------------------

async function showResult(id) {
  const job = await (await api(`/v1/jobs/${id}`)).json();
  const result = job.result || {};
  const report = result.report || {};
  fillTable("counts", Object.entries(report.counts || {}).filter(([, n]) => n).map(([k, n]) => [k, n]));
  $("report").textContent = JSON.stringify({ status: job.status, reason: job.reason, ...report,
    impact: result.impact }, null, 2);
  showPolicy(report.access);
  showImpact(result.impact);
  const files = (await (await api(`/v1/jobs/${id}/files`)).json()).files;
  buildTree(files);
  $("file-view").replaceChildren();
  $("file-name").textContent = "Choose a file in the tree.";
  $("done").hidden = false;
}

function showPolicy(access) {
  $("policy-box").hidden = !access;
  if (!access) return;
  if (!access.enabled) {
    $("policy-summary").textContent = "Authentication is off in this spec: every route is public.";
    fillTable("policy", []);
    return;
  }
  const anon = (access.anonymous || []).join(", ") || "none";
  $("policy-summary").textContent = `Public routes: ${anon}. ` +
    (access.enforced ? "The stack enforces this policy." : "This stack does not enforce it.");
  fillTable("policy", (access.tables || []).map((t) => [t.table, t.kind, t.list, t.read, t.create,
    t.update, t.delete,
    t.owner_path.length ? [...t.owner_path.map((h) => `${h.table}.${h.field}`),
      `${t.owner_path.at(-1).target_table}.${t.owner_path.at(-1).target_field}`].join(" → ") : "",
    t.fields.map((f) => `${f.field}: ${f.access}`).join("; ")]));
}

function showImpact(impact) {
  $("impact-box").hidden = !impact;
  if (!impact) return;
  const evo = impact.evolution || {};
  $("impact-summary").textContent = `${impact.units_regenerated} unit(s) regenerated, ` +
    `${impact.units_replayed} replayed unchanged; ${impact.files.length} file(s) change, ` +
    `${impact.unchanged_files} unchanged.` + (evo.destructive ? " Destructive changes." : "") +
    ((impact.conflicts || []).length ? ` Conflicts: ${impact.conflicts.join(", ")}.` : "");
  fillTable("impact-files", impact.files.map((f) => [f.path, f.action, f.unit]));
  fillTable("impact-units", impact.units.filter((u) => !u.replay).map((u) => [u.unit, u.reasons.join("; ")]));
  fillTable("impact-changes", [
    ...(evo.changes || []).map((c) => ["schema", c]),
    ...(evo.data_loss || []).map((c) => ["data loss", typeof c === "string" ? c : JSON.stringify(c)]),
    ...(evo.api || []).map((a) => [`api ${a.kind}`, `${a.target}: ${a.detail}`]),
  ]);
}

// The file tree: folders are <details> (keyboard: Enter/Space), files are buttons.
function buildTree(files) {
  const root = { dirs: new Map(), files: [] };
  for (const path of files) {
    const parts = path.split("/");
    let node = root;
    for (const dir of parts.slice(0, -1)) {
      if (!node.dirs.has(dir)) node.dirs.set(dir, { dirs: new Map(), files: [] });
      node = node.dirs.get(dir);
    }
    node.files.push([parts.at(-1), path]);
  }
  const render = (node) => el("ul", {},
    ...[...node.dirs.keys()].sort().map((name) => el("li", {},
      el("details", { dataset: { dir: name } }, el("summary", {}, name + "/"), render(node.dirs.get(name))))),
    ...node.files.sort().map(([name, path]) => el("li", {},
      el("button", { type: "button", className: "file", dataset: { path } }, name))));
  $("tree").replaceChildren(render(root));
}

async function openFile(path) {
  const resp = await api(`/v1/jobs/${jobId}/files/${path.split("/").map(encodeURIComponent).join("/")}`);
  const text = await resp.text();
  for (const b of $("tree").querySelectorAll("button[aria-current]")) b.removeAttribute("aria-current");
  $("tree").querySelector(`button[data-path="${CSS.escape(path)}"]`)?.setAttribute("aria-current", "true");
  $("file-name").textContent = path;
  Highlight.render($("file-view"), text, path);
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

const report = (e) => { $("error").textContent = e.message; };
$("job-form").addEventListener("submit", submit);
$("load-example").addEventListener("click", loadExample);
$("refresh-jobs").addEventListener("click", () => refreshJobs().catch(report));
$("api-key").addEventListener("change", () => refreshJobs().catch(report));
$("spec-file").addEventListener("change", async () => {
  const file = $("spec-file").files[0];
  if (!file) return;
  $("spec").value = await file.text();
  $("spec-name").value = file.name;
});
$("dag").addEventListener("keydown", moveFocus);
$("tree").addEventListener("click", (e) => {
  const button = e.target.closest("button.file");
  if (button) openFile(button.dataset.path).catch(report);
});
$("download").addEventListener("click", () => download().catch(report));
init().catch(report);
