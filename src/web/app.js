// warmpath's page. Plain JavaScript, no build step: the server compiles this file into its
// binary and serves it at /app/app.js. The page holds no data; everything comes from /v1,
// with `Authorization: Bearer KEY` when a key was entered, without one otherwise (a keyless
// server on loopback). Text from the server is only ever set as text, never as HTML.

const KEY_NAME = "warmpath.key";
const STATES = ["reconnect", "draft", "asked", "introduced", "met", "thanked", "declined", "no_answer"];
// The transitions of the requests API; the server is the judge (409 otherwise).
const NEXT = {
  reconnect: ["draft"],
  draft: ["asked"],
  asked: ["introduced", "declined", "no_answer"],
  introduced: ["met", "declined", "no_answer"],
  met: ["thanked"],
  no_answer: ["asked"],
  thanked: [],
  declined: [],
};
const STATE_LABELS = {
  reconnect: "reconnect first",
  draft: "draft",
  asked: "asked",
  introduced: "introduced",
  met: "met",
  thanked: "thanked",
  declined: "declined",
  no_answer: "no answer",
};
const FOLLOW_UP_LABELS = {
  ask_again: "ask again",
  thank: "say thank you",
  meet: "meet them",
  reconnect: "reconnect",
};

/** A state's words ("no answer"), or the state itself when the page does not know it. */
const stateLabel = (state) => STATE_LABELS[state] || state;
/** A follow-up's words ("say thank you"), or its kind itself. */
const followUpLabel = (kind) => FOLLOW_UP_LABELS[kind] || kind;

const $ = (id) => document.getElementById(id);

// ---------- the key ----------

function storedKey() {
  return sessionStorage.getItem(KEY_NAME) || localStorage.getItem(KEY_NAME) || "";
}

function showKeyState() {
  const key = storedKey();
  const remembered = Boolean(localStorage.getItem(KEY_NAME));
  $("key-state").textContent = key
    ? `A key is in use (${key.slice(0, 6)}…${remembered ? ", remembered on this device" : ", for this browser tab"}).`
    : "No key entered: the page calls the server without one (a server on this machine without keys allows that).";
  $("key-forget").disabled = !key;
}

// ---------- talking to the server ----------

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

async function api(method, path, { json, body, contentType } = {}) {
  const headers = { Accept: "application/json" };
  const key = storedKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  let payload = body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(json);
  } else if (body !== undefined) {
    headers["Content-Type"] = contentType || "application/octet-stream";
  }
  const response = await fetch(path, { method, headers, body: payload, credentials: "omit", cache: "no-store" });
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text };
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && String(value).trim() !== "") search.set(name, String(value).trim());
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

// ---------- building DOM ----------

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") element.className = value;
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

const SVG = "http://www.w3.org/2000/svg";
function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

function say(message) {
  $("status").textContent = message;
}

function clearAlert() {
  const alert = $("alert");
  alert.hidden = true;
  alert.replaceChildren();
}

function fail(error, what) {
  const alert = $("alert");
  const problem = (error && error.problem) || {};
  const lines = Array.isArray(problem.errors) ? problem.errors : [];
  const title = `${what}: ${error.message || error}`;
  alert.replaceChildren(
    h("p", {}, h("strong", {}, title)),
    lines.length
      ? h("ul", {}, lines.slice(0, 50).map((line) => h("li", {}, `line ${line.line}${line.column ? `, column ${line.column}` : ""}: ${line.message}`)))
      : null,
    error.status === 401 ? h("p", {}, "Enter the workspace's key under ", h("a", { href: "#key" }, "Key"), ".") : null,
  );
  alert.hidden = false;
  say("");
}

function person(p) {
  if (!p) return "someone";
  return p.name || `#${p.id}`;
}

function personLine(p) {
  const role = [p.title, p.company].filter(Boolean).join(" at ");
  return role ? `${person(p)} (${role})` : person(p);
}

/** "1 row", "3 rows": a number and its noun, singular or plural. */
const count = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const strengthText = (value) => (typeof value === "number" ? value.toFixed(2) : "?");

// ---------- who am I ----------

let me = null;

async function loadMe() {
  try {
    me = await api("GET", "/v1/people/me");
    $("whoami").textContent = `You are ${personLine(me)}.`;
    return true;
  } catch (error) {
    if (error.status === 503) {
      $("whoami").textContent = "The server is loading the network…";
      await new Promise((resolve) => setTimeout(resolve, 500));
      return loadMe();
    }
    $("whoami").textContent = error.status === 401 ? "This server needs a key: enter it below." : `Cannot reach the server: ${error.message}`;
    if (error.status === 401) $("key-input").focus();
    return false;
  }
}

async function refreshAll() {
  clearAlert();
  if (!(await loadMe())) return;
  await Promise.allSettled([loadFields(), loadImports(), loadRequests(), loadFollowUps()]);
}

// ---------- contact lists ----------

let importsCursor = null;
const ownerNames = new Map();

async function ownerName(id) {
  if (!ownerNames.has(id)) {
    ownerNames.set(
      id,
      api("GET", `/v1/people/${encodeURIComponent(id)}`).then(person, () => `person #${id}`),
    );
  }
  return ownerNames.get(id);
}

async function loadImports(more = false) {
  const list = $("imports");
  try {
    const page = await api("GET", `/v1/imports${query({ limit: 50, cursor: more ? importsCursor : "" })}`);
    const cards = await Promise.all(page.items.map(importCard));
    // Replaced in one step, so the list never shows half loaded.
    if (more) list.append(...cards);
    else list.replaceChildren(...cards);
    if (!list.children.length) list.append(h("li", { class: "muted" }, "No list imported yet."));
    importsCursor = page.next_cursor || null;
    $("imports-more").hidden = !importsCursor;
  } catch (error) {
    fail(error, "Cannot list the contact lists");
  }
}

async function importCard(report) {
  const owner = report.owner === (me && me.id) ? "you" : await ownerName(report.owner);
  const title = `List ${report.id}: ${owner === "you" ? "your own contacts" : `${owner}'s contacts`} (${report.format})`;
  return h(
    "li",
    { class: "card", "data-import": report.id },
    h("h4", {}, title),
    h("p", { class: "meta" }, `${count(report.rows, "row")} · ${count(report.people_created, "person", "people")} added · ${count(report.ties_created, "tie")}`),
    report.warnings && report.warnings.length ? h("p", { class: "warn" }, report.warnings.join(" ")) : null,
    h(
      "div",
      { class: "buttons" },
      h("button", { type: "button", class: "danger", "aria-label": `Withdraw list ${report.id} (${owner})`, onclick: () => withdraw(report.id) }, "Withdraw list"),
    ),
  );
}

async function withdraw(id) {
  if (!confirm(`Withdraw list ${id}? Its ties go, and the people only it brought in.`)) return;
  clearAlert();
  try {
    await api("DELETE", `/v1/imports/${id}`);
    say(`List ${id} withdrawn.`);
    await Promise.allSettled([loadImports(), loadFields(), refreshAnswer()]);
  } catch (error) {
    fail(error, `Cannot withdraw list ${id}`);
  }
}

async function upload(event) {
  event.preventDefault();
  clearAlert();
  const file = $("upload-file").files[0];
  if (!file) return;
  const button = event.submitter || event.target.querySelector("button[type=submit]");
  button.disabled = true;
  say(`Uploading ${file.name}…`);
  try {
    const owner = $("upload-owner").value.trim();
    const relationship = $("upload-relationship").value;
    const report = await api("POST", `/v1/imports${query({ owner, relationship })}`, {
      body: file,
      contentType: file.type || "application/octet-stream",
    });
    const message = `Imported ${file.name}: ${count(report.rows, "row")}, ${count(report.people_created, "person", "people")} added, ${report.people_merged} matched to people already known, ${count(report.ties_created, "tie")}.`;
    $("upload-result").replaceChildren(h("p", {}, message));
    say(message);
    event.target.reset();
    await Promise.allSettled([loadImports(), loadFields(), loadMe(), refreshAnswer()]);
  } catch (error) {
    $("upload-result").replaceChildren();
    fail(error, `Cannot import ${file.name}`);
  } finally {
    button.disabled = false;
  }
}

// ---------- fields and their suggestions ----------

async function loadFields() {
  try {
    const body = await api("GET", "/v1/fields");
    const options = body.fields.map((field) =>
      h("option", { value: field.id, label: `${field.name}${field.people ? ` (${field.people})` : ""}` }),
    );
    $("field-options").replaceChildren(...options);
  } catch (error) {
    fail(error, "Cannot read the fields");
  }
}

let resolveTimer = null;
let resolveSerial = 0;

function resolveField() {
  clearTimeout(resolveTimer);
  const text = $("ask-field").value.trim();
  const means = $("field-means");
  if (!text) {
    means.replaceChildren();
    return;
  }
  resolveTimer = setTimeout(async () => {
    const serial = ++resolveSerial;
    try {
      const body = await api("GET", `/v1/fields/resolve${query({ q: text })}`);
      if (serial !== resolveSerial) return;
      const parts = [];
      if (body.fields.length) parts.push(`Means: ${body.fields.map((f) => `${f.label} (${f.reason})`).join("; ")}.`);
      else parts.push("No field matches this text.");
      if (body.company) parts.push(`It looks like a company: try "${body.company}" in Company.`);
      if (body.title) parts.push(`It looks like a role: try "${body.title}" in Title.`);
      if (body.hint) parts.push(body.hint);
      means.textContent = parts.join(" ");
    } catch {
      if (serial === resolveSerial) means.textContent = "";
    }
  }, 250);
}

// ---------- asking ----------

let lastQuestion = null;

// After a write (a list, a request's state, an erasure) the answer on screen is asked again,
// so strengths, staleness and paths show the network as it is now.
async function refreshAnswer() {
  if (lastQuestion) await ask(null, lastQuestion);
}

async function ask(event, again) {
  if (event) {
    event.preventDefault();
    clearAlert();
  }
  const question = again || {
    field: $("ask-field").value,
    company: $("ask-company").value,
    title: $("ask-title-filter").value,
    max_hops: $("ask-hops").value,
  };
  if (![question.field, question.company, question.title].some((value) => value.trim())) {
    fail(new Error("give a field, a company or a title"), "Nothing to ask");
    $("ask-field").focus();
    return;
  }
  lastQuestion = question;
  const answer = $("answer");
  answer.setAttribute("aria-busy", "true");
  if (!again) say("Searching…");
  try {
    const [introducers, paths] = await Promise.all([
      api("GET", `/v1/introducers${query({ ...question, limit: 10 })}`),
      api("GET", `/v1/paths${query({ ...question, limit: 10 })}`),
    ]);
    answer.replaceChildren(...renderAnswer(introducers, paths));
    if (!again) say(`${count(paths.paths.length, "path")}, ${count(introducers.introducers.length, "introducer")}.`);
  } catch (error) {
    answer.replaceChildren();
    if (again) lastQuestion = null;
    else fail(error, "Cannot answer");
  } finally {
    answer.removeAttribute("aria-busy");
  }
}

function renderAnswer(introducers, paths) {
  const out = [];
  if (paths.fields && paths.fields.length) out.push(h("p", { class: "meta" }, `Fields: ${paths.fields.join(", ")}`));
  const known = paths.already_know;
  if (known && known.count) {
    out.push(
      h(
        "p",
        {},
        `You already know ${known.count} of them`,
        known.people.length ? `: ${known.people.map((k) => `${person(k.person)} (${k.relationship || "tie"}, ${strengthText(k.strength)})`).join(", ")}` : "",
        ".",
      ),
    );
  }
  out.push(h("h3", {}, "Introducers"));
  if (!introducers.introducers.length) out.push(h("p", { class: "muted" }, "No introducer found."));
  else
    out.push(
      h(
        "ol",
        { class: "introducers" },
        introducers.introducers.map((i) =>
          h(
            "li",
            {},
            h("strong", {}, personLine(i.person)),
            ` — ${i.relationship || "tie"}, tie ${strengthText(i.strength)}, best path ${strengthText(i.score)}, leads to ${i.reach} `,
            i.reach === 1 ? "person" : "people",
            i.targets.length ? `: ${i.targets.map((t) => person(t.person)).join(", ")}` : "",
          ),
        ),
      ),
    );
  out.push(h("h3", {}, "Paths"));
  if (!paths.paths.length) out.push(h("p", { class: "muted" }, "No path found."));
  else out.push(h("ol", { class: "cards", id: "paths" }, paths.paths.map((path, index) => renderPath(path, index))));
  return out;
}

// A hop is stale when the server warned about it: warnings name the first hop (your tie to
// the introducer) when you have not been in touch for longer than the stale threshold.
function staleHops(path) {
  const stale = new Set();
  if (path.warnings && path.warnings.length && path.hops.length) stale.add(0);
  return stale;
}

function renderPath(path, index) {
  const stale = staleHops(path);
  const titleId = `path-${index}-title`;
  const listId = `path-${index}-hops`;
  const card = h(
    "li",
    { class: "card path", "data-target": path.target.id },
    h("h4", { id: titleId }, `${index + 1}. ${personLine(path.target)} · score ${strengthText(path.score)}`),
    drawPath(path, stale, titleId, listId),
    h("p", {}, path.explanation),
    h(
      "ol",
      { id: listId, "aria-label": "Each hop, explained" },
      path.hops.map((hop, i) =>
        h(
          "li",
          {},
          `${person(hop.from)} → ${person(hop.to)}: ${hop.why}`,
          stale.has(i) ? h("span", { class: "badge stale" }, " stale") : null,
        ),
      ),
    ),
    (path.warnings || []).map((warning) => h("p", { class: "warn" }, `⚠ ${warning}`)),
  );
  if (path.hops.length >= 2) card.append(requestStarter(path));
  return card;
}

// The picture: you → introducer → [second hop] → target, left to right (top to bottom on a
// narrow screen); the line's width is the tie's strength, a stale hop is dashed and
// labelled. The hop list beside it is its text alternative.
function drawPath(path, stale, titleId, listId) {
  const people = [path.hops[0].from, ...path.hops.map((hop) => hop.to)];
  const vertical = window.matchMedia("(max-width: 40rem)").matches;
  const gap = vertical ? 110 : 190;
  const width = vertical ? 320 : 60 + gap * (people.length - 1) + 100;
  const height = vertical ? 60 + gap * (people.length - 1) : 125;
  const at = (i) => (vertical ? { x: 40, y: 30 + gap * i } : { x: 70 + gap * i, y: 55 });
  const summary = people
    .map((p, i) => (i === 0 ? "You" : `${person(p)}${i <= path.hops.length ? ` (${path.hops[i - 1].relationship || "tie"}, ${strengthText(path.hops[i - 1].strength)}${stale.has(i - 1) ? ", stale" : ""})` : ""}`))
    .join(" → ");
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`,
    // Drawn larger than its units on a wide screen; CSS shrinks it to the card when needed.
    width: vertical ? width : Math.round(width * 1.4),
    height: vertical ? height : Math.round(height * 1.4),
    role: "img",
    "aria-labelledby": titleId,
    "aria-describedby": listId,
    "data-names": people.map(person).join("|"),
  });
  svg.append(s("title", {}, `Path: ${summary}`));
  path.hops.forEach((hop, i) => {
    const a = at(i);
    const b = at(i + 1);
    const isStale = stale.has(i);
    const widthPx = (1.5 + 10 * Math.max(0, Math.min(1, hop.strength))).toFixed(1);
    svg.append(
      s("line", {
        class: `edge${isStale ? " stale" : ""}`,
        x1: a.x, y1: a.y, x2: b.x, y2: b.y,
        "stroke-width": widthPx,
        "data-strength": hop.strength,
      }),
    );
    const label = `${hop.relationship || "tie"} · ${strengthText(hop.strength)}`;
    const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    if (vertical) {
      svg.append(s("text", { class: "edge-label", x: mid.x + 18, y: mid.y + 4 }, label));
      if (isStale) svg.append(s("text", { class: "edge-label stale", x: mid.x + 18, y: mid.y + 18 }, "stale: reconnect first"));
    } else {
      svg.append(s("text", { class: "edge-label", x: mid.x, y: mid.y - 12, "text-anchor": "middle" }, label));
      if (isStale) svg.append(s("text", { class: "edge-label stale", x: mid.x, y: mid.y - 28, "text-anchor": "middle" }, "stale: reconnect first"));
    }
  });
  people.forEach((p, i) => {
    const { x, y } = at(i);
    const role = i === 0 ? "me" : i === people.length - 1 ? "target" : "introducer";
    const name = i === 0 ? `You (${person(p)})` : person(p);
    const sub = [p.title, p.company].filter(Boolean).join(", ");
    const short = sub.length > 28 ? `${sub.slice(0, 27)}…` : sub;
    const node = s("g", { class: `node ${role}` }, s("circle", { cx: x, cy: y, r: 12 }));
    if (vertical) {
      node.append(s("text", { class: "name", x: x + 22, y: y - 2 }, name));
      if (short) node.append(s("text", { class: "sub", x: x + 22, y: y + 13 }, short));
    } else {
      node.append(s("text", { class: "name", x, y: y + 32, "text-anchor": "middle" }, name));
      if (short) node.append(s("text", { class: "sub", x, y: y + 47, "text-anchor": "middle" }, short));
    }
    svg.append(node);
  });
  return svg;
}

// ---------- requests ----------

/** The button that opens request `id` in the editor. */
function openRequestButton(id) {
  return h("button", { type: "button", class: "secondary", onclick: () => openRequestById(id) }, `Open request ${id}`);
}

function requestStarter(path) {
  const introducer = path.hops[0].to;
  const target = path.target;
  const wrap = h("div", { class: "buttons" });
  const open = h(
    "button",
    { type: "button", class: "secondary", "aria-expanded": "false", onclick: () => {
      const shown = form.hidden;
      form.hidden = !shown;
      open.setAttribute("aria-expanded", String(shown));
      if (shown) form.querySelector("textarea").focus();
    } },
    `Ask ${person(introducer)} for an introduction…`,
  );
  const reasonId = `reason-${introducer.id}-${target.id}`;
  const form = h(
    "form",
    { class: "request-start", hidden: true, onsubmit: (event) => startRequest(event, introducer, target) },
    h("label", { for: reasonId }, `Why do you want to meet ${person(target)}? (optional)`),
    h("textarea", { id: reasonId, name: "reason", maxlength: 500, rows: 3 }),
    h("div", { class: "buttons" }, h("button", { type: "submit" }, "Start request")),
  );
  wrap.append(open);
  return h("div", {}, wrap, form);
}

async function startRequest(event, introducer, target) {
  event.preventDefault();
  clearAlert();
  const reason = event.target.elements.reason.value.trim();
  try {
    const request = await api("POST", "/v1/requests", {
      json: { introducer: introducer.id, target: target.id, ...(reason ? { reason } : {}) },
    });
    say(`Request ${request.id} started (${stateLabel(request.state)}).`);
    event.target.hidden = true;
    await loadRequests();
    openRequest(request);
    await loadFollowUps();
  } catch (error) {
    fail(error, "Cannot start the request");
  }
}

async function loadRequests() {
  const list = $("request-list");
  try {
    const state = $("requests-state").value;
    const page = await api("GET", `/v1/requests${query({ state, limit: 100 })}`);
    list.replaceChildren(
      ...page.items.map((request) =>
        h(
          "li",
          { class: "card", "data-request": request.id },
          h("h4", {}, `${person(request.introducer)} → ${person(request.target)}`),
          h(
            "p",
            { class: "meta" },
            h("span", { class: "badge" }, stateLabel(request.state)),
            request.stale ? h("span", { class: "badge stale" }, "stale tie") : null,
            request.follow_up ? ` next: ${followUpLabel(request.follow_up.kind)} on ${request.follow_up.due}` : "",
          ),
          h("div", { class: "buttons" }, openRequestButton(request.id)),
        ),
      ),
    );
    if (!page.items.length) list.append(h("li", { class: "muted" }, "No request yet: start one from a path."));
  } catch (error) {
    fail(error, "Cannot list the requests");
  }
}

async function openRequestById(id) {
  clearAlert();
  try {
    openRequest(await api("GET", `/v1/requests/${id}`));
  } catch (error) {
    fail(error, `Cannot open request ${id}`);
  }
}

function openRequest(request) {
  const editor = $("request-editor");
  const next = NEXT[request.state] || [];
  const headingId = "request-editor-title";
  const draft = request.draft || { subject: "", body: "" };
  editor.className = "editor";
  editor.setAttribute("data-request", request.id);
  editor.replaceChildren(
    h("h3", { id: headingId, tabindex: "-1" }, `Request ${request.id}: ${person(request.introducer)} → ${personLine(request.target)}`),
    h(
      "p",
      { class: "meta" },
      "State: ",
      h("span", { class: "badge", id: "request-state" }, stateLabel(request.state)),
      ` · ${request.relationship || "tie"}`,
      request.last_contact ? `, last contact ${request.last_contact}` : ", no last contact known",
      request.stale ? h("span", { class: "badge stale" }, " stale: reconnect first") : null,
    ),
    request.reason ? h("p", {}, `Why: ${request.reason}`) : null,
    request.follow_up ? h("p", {}, `Next follow-up: ${followUpLabel(request.follow_up.kind)}, due ${request.follow_up.due}.`) : null,
    h(
      "form",
      { id: "draft-form", onsubmit: (event) => saveDraft(event, request.id) },
      h("h4", {}, request.state === "reconnect" ? "Reconnect note" : "Draft to the introducer", request.edited ? " (edited by you)" : ""),
      h("label", { for: "draft-subject" }, "Subject"),
      h("input", { id: "draft-subject", type: "text", value: draft.subject }),
      h("label", { for: "draft-body" }, "Message"),
      h("textarea", { id: "draft-body" }, draft.body),
      h("div", { class: "buttons" }, h("button", { type: "submit" }, "Save draft"), h("button", { type: "button", class: "secondary", onclick: copyDraft }, "Copy message")),
    ),
    next.length
      ? h(
          "form",
          { id: "state-form", class: "grid", onsubmit: (event) => changeState(event, request.id) },
          h("div", {}, h("label", { for: "state-next" }, "New state"), h("select", { id: "state-next" }, next.map((state) => h("option", { value: state }, stateLabel(state))))),
          h("div", {}, h("label", { for: "state-on" }, "On (empty: today)"), h("input", { id: "state-on", type: "date" })),
          h("div", {}, h("label", { for: "state-note" }, "Note (optional)"), h("input", { id: "state-note", type: "text", maxlength: 500 })),
          h("div", { class: "actions" }, h("button", { type: "submit" }, "Change state")),
        )
      : h("p", { class: "muted" }, "This request is finished."),
    h("h4", {}, "History"),
    h("ol", { class: "history" }, (request.history || []).map((entry) => h("li", {}, `${entry.on}: ${stateLabel(entry.state)}${entry.note ? ` (${entry.note})` : ""}`))),
    h("div", { class: "buttons" }, h("button", { type: "button", class: "danger", onclick: () => deleteRequest(request.id) }, "Delete request"), h("button", { type: "button", class: "secondary", onclick: closeRequest }, "Close")),
  );
  editor.hidden = false;
  $(headingId).focus();
}

function closeRequest() {
  $("request-editor").hidden = true;
  $("request-list").querySelector("button")?.focus();
}

async function copyDraft() {
  const text = `${$("draft-subject").value}\n\n${$("draft-body").value}`;
  try {
    await navigator.clipboard.writeText(text);
    say("The draft is on the clipboard.");
  } catch {
    $("draft-body").select();
    say("Select the message and copy it.");
  }
}

async function saveDraft(event, id) {
  event.preventDefault();
  clearAlert();
  try {
    const request = await api("PATCH", `/v1/requests/${id}`, {
      json: { draft: { subject: $("draft-subject").value, body: $("draft-body").value } },
    });
    say(`Draft of request ${id} saved.`);
    openRequest(request);
  } catch (error) {
    fail(error, "Cannot save the draft");
  }
}

async function changeState(event, id) {
  event.preventDefault();
  clearAlert();
  const state = $("state-next").value;
  const on = $("state-on").value;
  const note = $("state-note").value.trim();
  try {
    const request = await api("PATCH", `/v1/requests/${id}`, {
      json: { state, ...(on ? { on } : {}), ...(note ? { note } : {}) },
    });
    say(`Request ${id} is now ${stateLabel(request.state)}.`);
    openRequest(request);
    await Promise.allSettled([loadRequests(), loadFollowUps(), refreshAnswer()]);
  } catch (error) {
    fail(error, "Cannot change the state");
  }
}

async function deleteRequest(id) {
  if (!confirm(`Delete request ${id}?`)) return;
  clearAlert();
  try {
    await api("DELETE", `/v1/requests/${id}`);
    say(`Request ${id} deleted.`);
    $("request-editor").hidden = true;
    await Promise.allSettled([loadRequests(), loadFollowUps()]);
  } catch (error) {
    fail(error, `Cannot delete request ${id}`);
  }
}

// ---------- follow-ups ----------

async function loadFollowUps(event) {
  if (event) event.preventDefault();
  const list = $("follow-up-list");
  try {
    const body = await api("GET", `/v1/follow-ups${query({ today: $("follow-ups-today").value })}`);
    list.replaceChildren(
      ...body.items.map((item) =>
        h(
          "li",
          { class: "card", "data-follow-up": item.request },
          h("h4", {}, h("span", { class: "badge due" }, followUpLabel(item.kind)), ` ${person(item.introducer)} → ${person(item.target)}`),
          h("p", {}, item.message),
          h("p", { class: "meta" }, `Due ${item.due}`),
          h("div", { class: "buttons" }, openRequestButton(item.request)),
        ),
      ),
    );
    if (!body.items.length) list.append(h("li", { class: "muted" }, `Nothing due as of ${body.today}.`));
  } catch (error) {
    fail(error, "Cannot list the follow-ups");
  }
}

// ---------- people ----------

async function findPeople(event) {
  event.preventDefault();
  clearAlert();
  const list = $("people-list");
  try {
    const page = await api("GET", `/v1/people${query({ q: $("people-q").value, limit: 20 })}`);
    list.replaceChildren(
      ...page.items.map((p) =>
        h(
          "li",
          { class: "card", "data-person": p.id },
          h("h4", {}, personLine(p)),
          h("p", { class: "meta" }, [p.emails.join(", "), p.fields.join(", ")].filter(Boolean).join(" · ")),
          me && p.id === me.id
            ? h("p", { class: "meta" }, "This is you.")
            : h("div", { class: "buttons" }, h("button", { type: "button", class: "danger", "aria-label": `Erase ${person(p)}`, onclick: () => erase(p) }, "Erase everywhere")),
        ),
      ),
    );
    if (!page.items.length) list.append(h("li", { class: "muted" }, "Nobody matches."));
  } catch (error) {
    fail(error, "Cannot search people");
  }
}

async function erase(p) {
  if (!confirm(`Erase ${person(p)} everywhere? Later imports will skip them. This cannot be undone.`)) return;
  clearAlert();
  try {
    await api("DELETE", `/v1/people/${p.id}`);
    say(`${person(p)} was erased.`);
    document.querySelector(`[data-person="${p.id}"]`)?.remove();
    await Promise.allSettled([loadImports(), loadFields(), loadRequests(), loadFollowUps(), refreshAnswer()]);
  } catch (error) {
    fail(error, `Cannot erase ${person(p)}`);
  }
}

// ---------- wiring ----------

function init() {
  showKeyState();
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("key-input").value.trim();
    if (!key) return;
    sessionStorage.removeItem(KEY_NAME);
    localStorage.removeItem(KEY_NAME);
    ($("key-remember").checked ? localStorage : sessionStorage).setItem(KEY_NAME, key);
    $("key-input").value = "";
    showKeyState();
    say("Key saved.");
    ownerNames.clear();
    refreshAll();
  });
  $("key-forget").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_NAME);
    localStorage.removeItem(KEY_NAME);
    showKeyState();
    say("The key was forgotten.");
    ownerNames.clear();
    refreshAll();
  });
  $("upload-form").addEventListener("submit", upload);
  $("imports-more").addEventListener("click", () => loadImports(true));
  $("ask-field").addEventListener("input", resolveField);
  $("ask-form").addEventListener("submit", ask);
  $("requests-state").addEventListener("change", loadRequests);
  $("follow-ups-form").addEventListener("submit", loadFollowUps);
  $("people-form").addEventListener("submit", findPeople);
  refreshAll();
}

init();
