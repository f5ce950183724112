// The portal's live panels: the last requests with every reason (the journal's live view),
// and each provider's stored rows (the state export), refreshed when a request comes in.
// Everything shown is set as text, never as HTML: the journal holds whatever clients sent.
(function () {
  "use strict";
  const root = document.getElementById("observe");
  const admin = root.dataset.admin;
  const opened = new Set(JSON.parse(root.dataset.opened));
  const KEEP = 25; // requests shown
  const CELL = 80; // characters of a value shown in a table cell
  const requestsBody = document.getElementById("requests-body");
  const requestsNote = document.getElementById("requests-note");
  const stateView = document.getElementById("state-view");
  const stateNote = document.getElementById("state-note");
  let entries = [];

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function reasonText(reason) {
    const where = reason.pointer ? reason.in + " " + reason.pointer : reason.in;
    return where + ": " + reason.message + " (" + reason.rule + ")";
  }

  function row(entry) {
    const tr = el("tr");
    tr.dataset.id = entry.id;
    tr.className = entry.status >= 400 || entry.status === 0 ? "refused" : "answered";
    tr.append(el("td", entry.at.slice(11, 23)));
    tr.append(el("td", entry.provider || "—"));
    tr.append(el("td", entry.operation || "—"));
    const request = el("td");
    const link = el("a", entry.method + " " + entry.path);
    link.href = admin + "/requests/" + entry.id;
    link.title = "the entry in full: headers, bodies, near-misses";
    request.append(link);
    tr.append(request);
    tr.append(el("td", entry.status === 0 ? "fault" : entry.status, "status"));
    const why = el("td");
    if (entry.reasons.length) {
      const list = el("ul", null, "reasons");
      entry.reasons.forEach((reason) => list.append(el("li", reasonText(reason))));
      why.append(list);
    }
    const applied = [entry.applied, entry.rule && "rule " + entry.rule].filter(Boolean);
    if (applied.length) why.append(el("div", "controls: " + applied.join(", "), "applied"));
    tr.append(why);
    return tr;
  }

  const everything = document.getElementById("requests-all");
  everything.addEventListener("change", () => showRequests());

  // Page, docs and contract loads answered fine are what the reader's own browser fetched.
  function shown(entry) {
    if (everything.checked) return true;
    if (entry.path === "/favicon.ico") return false;
    return entry.operation || entry.status >= 400 || entry.status === 0;
  }

  function showRequests() {
    const rows = entries.filter(shown);
    requestsBody.replaceChildren(...rows.map(row));
    requestsNote.textContent = rows.length
      ? ""
      : "No request yet: send one (a curl above, or Swagger UI) and it appears here.";
  }

  function add(entry) {
    if (entries.some((known) => known.id === entry.id)) return;
    entries = [entry, ...entries].sort((a, b) => b.id - a.id).slice(0, KEEP);
    showRequests();
    if (entry.provider !== "admin" || entry.method !== "GET") refreshState();
  }

  async function problem(answer) {
    try {
      const body = await answer.json();
      return body.detail || body.title || answer.status;
    } catch (_) {
      return "HTTP " + answer.status;
    }
  }

  async function loadRequests(merge) {
    const answer = await fetch(admin + "/requests?limit=" + KEEP, { cache: "no-store" });
    if (!answer.ok) {
      requestsNote.textContent = "The journal is not available: " + (await problem(answer));
      return false;
    }
    const listed = (await answer.json()).requests;
    if (merge) listed.forEach(add);
    else entries = listed;
    showRequests();
    return true;
  }

  function follow() {
    // EventSource reconnects by itself after each short stream, sending Last-Event-ID.
    const source = new EventSource(admin + "/requests?follow=1");
    source.addEventListener("request", (event) => add(JSON.parse(event.data)));
    // What came in between the listing and the first stream.
    source.addEventListener("open", () => loadRequests(true), { once: true });
    root.dataset.live = "1";
  }

  function cell(value) {
    if (value === null || value === undefined) return el("td", "null", "null");
    if (typeof value === "object" && "base64" in value) {
      return el("td", "(" + Math.floor((value.base64.length * 3) / 4) + " bytes)", "null");
    }
    const text = typeof value === "string" ? value : JSON.stringify(value);
    const td = el("td", text.length > CELL ? text.slice(0, CELL) + "…" : text);
    if (text.length > CELL) td.title = text;
    return td;
  }

  function table(name, rows) {
    const details = el("details");
    details.open = opened.has(name);
    details.dataset.table = name;
    details.append(el("summary", name + " (" + rows.length + ")"));
    if (!rows.length) return details;
    const columns = Object.keys(rows[0]);
    const grid = el("table");
    const head = el("tr");
    columns.forEach((column) => head.append(el("th", column)));
    grid.append(head);
    rows.forEach((stored) => {
      const tr = el("tr");
      columns.forEach((column) => tr.append(cell(stored[column])));
      grid.append(tr);
    });
    const scroll = el("div", null, "scroll");
    scroll.append(grid);
    details.append(scroll);
    return details;
  }

  let pending = null;
  function refreshState() {
    if (pending) return;
    pending = setTimeout(loadState, 150); // one export for a burst of requests
  }

  async function loadState() {
    const open = new Set(
      [...stateView.querySelectorAll("details")].filter((d) => d.open).map((d) => d.dataset.table)
    );
    const kept = stateView.querySelectorAll("details").length ? open : opened;
    try {
      const answer = await fetch(admin + "/state", { cache: "no-store" });
      if (!answer.ok) {
        stateNote.textContent = "The state is not available: " + (await problem(answer));
        return;
      }
      const document_ = await answer.json();
      const sections = Object.entries(document_.providers).map(([provider, tables]) => {
        const section = el("div", null, "provider-state");
        section.dataset.provider = provider;
        section.append(el("h4", provider));
        Object.entries(tables).forEach(([name, rows]) => {
          const shown = table(name, rows);
          shown.open = kept.has(name);
          section.append(shown);
        });
        return section;
      });
      stateView.replaceChildren(...sections);
      stateNote.textContent = "As of " + new Date().toISOString().slice(11, 19) + " UTC.";
    } finally {
      pending = null;
    }
  }

  loadState();
  setInterval(() => document.hidden || refreshState(), 10000); // changes made by a reset
  loadRequests().then((available) => available && follow());
})();
