// The web page in a real browser: Debian's Chromium driven by playwright-core (no browser is
// downloaded). Starts the real binary on 127.0.0.1:0 over a temporary database, then drives
// upload → ask → path drawn → request started → draft edited → state changed with a date →
// follow-up listed, at desktop and phone widths, a keyboard-only pass over the question
// form, withdrawing a list, erasing a person, and a server with a key. Screenshots go to
// target/browser-screenshots/. Exits non-zero on the first failure.
//
//   WARMPATH_BIN=target/release/warmpath node tests/browser/flow.mjs
//   (CHROMIUM=/usr/bin/chromium by default)

import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = resolve(
  root,
  process.env.WARMPATH_BIN ||
    (existsSync(join(root, "target/release/warmpath")) ? "target/release/warmpath" : "target/debug/warmpath"),
);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = join(root, "target/browser-screenshots");
const TODAY = "2026-01-01";
// Eight days after asking: the "ask again" follow-up (after 7 days) is due.
const LATER = "2026-01-09";
mkdirSync(shots, { recursive: true });

const work = mkdtempSync(join(tmpdir(), "warmpath-browser-"));
const servers = [];
let context = null;

function log(message) {
  console.log(`  ${message}`);
}

// Starts `warmpath serve` on port 0 and resolves to its URL once /readyz answers.
async function startServer(db) {
  const child = spawn(bin, ["--db", db, "serve", "--bind", "127.0.0.1:0"], {
    env: { ...process.env, WARMPATH_TODAY: TODAY, WARMPATH_LOG: "warn" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  servers.push(child);
  let stderr = "";
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server printed no address:\n${stderr}`)), 30000);
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const match = /^warmpath listening on (http:\S+)\r?\n/m.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`the server exited (${code}):\n${stderr}`)));
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return url;
    } catch (error) {
      if (i % 50 === 49) log(`waiting for ${url}/readyz: ${error.cause ? error.cause.message : error.message}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server never became ready:\n${stderr}`);
}

// Every page fails the test on a script error, a console error (a CSP violation is one)
// or a request the server answered with 5xx.
function watch(page, problems) {
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 500) problems.push(`${response.status()} ${response.url()}`);
  });
  page.on("dialog", (dialog) => dialog.accept());
}

const MINE = [
  "name,email,company,title,relationship,last_contacted",
  "Maria Lopez,maria@example.com,Acme Bank,Analyst,family,2025-10-01",
  "Tom Baker,tom@example.com,Baker & Partners,Lawyer,friend,2019-06-01",
].join("\n");
const MARIAS = [
  "name,email,company,title,relationship,last_contacted",
  "Dana Ortiz,dana@example.com,Goldman Sachs,Vice President,colleague,2025-11-01",
].join("\n");
const TOMS = [
  "name,email,company,title,relationship",
  "Priya Shah,priya@example.com,Sequoia Capital,Partner,colleague",
].join("\n");

async function uploadList(page, name, csv, owner, relationship) {
  await page.setInputFiles("#upload-file", { name, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.fill("#upload-owner", owner);
  await page.selectOption("#upload-relationship", relationship);
  await page.click("#upload-form button[type=submit]");
  await page.locator("#upload-result", { hasText: `Imported ${name}` }).waitFor();
}

async function askField(page, field) {
  await page.fill("#ask-field", field);
  await page.click("#ask-submit");
  // The page marks the answer busy as soon as the form is sent, until the new one is shown.
  await page.locator("#answer:not([aria-busy]) #paths svg").first().waitFor();
}

// Waits until exactly `count` elements match (lists are reloaded after each write).
async function cards(page, selector, count) {
  await page.waitForFunction(
    ([selector, count]) => document.querySelectorAll(selector).length === count,
    [selector, count],
    { timeout: 10000 },
  );
}

async function noHorizontalScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scroll <= width + 1, `the page scrolls sideways: ${scroll} > ${width}`);
}

async function main() {
  const started = Date.now();
  const url = await startServer(join(work, "web.db"));
  log(`server at ${url} (${bin})`);
  context = await chromium.launchPersistentContext(join(work, "profile"), {
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
  });
  const problems = [];
  const page = await context.newPage();
  watch(page, problems);

  // The page and its headers.
  const response = await page.goto(url);
  assert.equal(response.status(), 200);
  assert.match(response.headers()["content-security-policy"], /script-src 'self'/);
  await page.locator("#whoami", { hasText: "You are" }).waitFor();
  log("page loaded keyless");

  // Upload: my own list, then Maria's (family) and Tom's (friend).
  await uploadList(page, "mine.csv", MINE, "", "");
  await uploadList(page, "maria.csv", MARIAS, "maria@example.com", "family");
  await uploadList(page, "tom.csv", TOMS, "tom@example.com", "friend");
  await cards(page, "#imports li.card", 3);
  log("three lists uploaded");

  // Suggestions: the field box resolves text.
  await page.fill("#ask-field", "investment banking");
  await page.locator("#field-means", { hasText: "Means:" }).waitFor();
  assert.ok((await page.locator("#field-options option").count()) > 20, "the field list is offered");

  // Ask by field: a path you → Maria → Dana is drawn.
  await askField(page, "finance");
  const svg = page.locator("#paths li.path").filter({ hasText: "Dana Ortiz" }).locator("svg");
  await svg.waitFor();
  const names = await svg.getAttribute("data-names");
  assert.match(names, /Maria Lopez\|Dana Ortiz$/);
  const svgText = await svg.textContent();
  for (const expected of ["Maria Lopez", "Dana Ortiz", "family"]) assert.ok(svgText.includes(expected), `${expected} in the picture`);
  const widths = await svg.locator("line.edge").evaluateAll((lines) => lines.map((line) => Number(line.getAttribute("stroke-width"))));
  assert.equal(widths.length, 2);
  assert.ok(widths.every((w) => w > 1.5), `edge widths ${widths}`);
  await page.screenshot({ path: join(shots, "1-path-desktop.png"), fullPage: true });
  log(`path drawn (edge widths ${widths.join(", ")})`);

  // A stale hop (Tom, last spoken to in 2019) is dashed and labelled.
  await askField(page, "venture capital");
  const stalePath = page.locator("#paths li.path").filter({ hasText: "Priya Shah" });
  await stalePath.locator("line.edge.stale").waitFor({ state: "attached" });
  assert.ok((await stalePath.locator("svg").textContent()).includes("stale"));
  log("stale hop marked");

  // Start a request from the finance path, edit the draft, mark it asked today.
  await askField(page, "finance");
  const path = page.locator("#paths li.path").filter({ hasText: "Dana Ortiz" });
  await path.getByRole("button", { name: "Ask Maria Lopez for an introduction…" }).click();
  await path.getByLabel("Why do you want to meet Dana Ortiz?").fill("I am applying to analyst roles in investment banking");
  await path.getByRole("button", { name: "Start request" }).click();
  const editor = page.locator("#request-editor");
  await editor.locator("#request-state", { hasText: "draft" }).waitFor();
  assert.ok((await page.inputValue("#draft-body")).includes("Dana"), "the draft names the target");
  log("request started in draft");

  await page.fill("#draft-subject", "A quick favour, Maria?");
  await page.fill("#draft-body", "Hi Maria, could you introduce me to Dana Ortiz? Thanks!");
  await page.click("#draft-form button[type=submit]");
  await editor.getByText("(edited by you)").waitFor();
  const requestId = await editor.getAttribute("data-request");
  await page.click(`#request-list [data-request="${requestId}"] button`);
  await editor.getByText("(edited by you)").waitFor();
  assert.equal(await page.inputValue("#draft-subject"), "A quick favour, Maria?");
  log("draft edited and kept");

  await page.selectOption("#state-next", "asked");
  await page.fill("#state-on", TODAY);
  await page.fill("#state-note", "sent by email");
  await page.click("#state-form button[type=submit]");
  await editor.locator("#request-state", { hasText: "asked" }).waitFor();
  assert.ok((await editor.locator(".history").textContent()).includes(TODAY));
  log(`state changed to asked on ${TODAY}`);

  await page.fill("#follow-ups-today", LATER);
  await page.click("#follow-ups-form button[type=submit]");
  const followUp = page.locator(`#follow-up-list [data-follow-up="${requestId}"]`);
  await followUp.waitFor();
  const followUpText = await followUp.textContent();
  assert.ok(followUpText.includes("Maria Lopez") && followUpText.includes("ask again"), followUpText);
  await page.screenshot({ path: join(shots, "2-follow-up-desktop.png"), fullPage: true });
  log("follow-up listed");

  // A request through a stale tie starts as a reconnect note.
  await askField(page, "venture capital");
  const stale = page.locator("#paths li.path").filter({ hasText: "Priya Shah" });
  await stale.getByRole("button", { name: "Ask Tom Baker for an introduction…" }).click();
  await stale.getByRole("button", { name: "Start request" }).click();
  await editor.locator("#request-state", { hasText: "reconnect first" }).waitFor();
  await editor.getByRole("heading", { name: "Reconnect note" }).waitFor();
  await cards(page, "#request-list li.card", 2);
  log("a request through a stale tie starts with a reconnect note");

  // Phone width: the same page, the path drawn top to bottom, nothing wider than the screen.
  const phone = await context.newPage();
  watch(phone, problems);
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(url);
  await phone.locator("#whoami", { hasText: "You are" }).waitFor();
  await askField(phone, "finance");
  const phoneSvg = phone.locator("#paths li.path").filter({ hasText: "Dana Ortiz" }).locator("svg");
  const box = await phoneSvg.boundingBox();
  await phone.locator("#paths li.path").first().screenshot({ path: join(shots, "3-phone-path.png") });
  assert.ok(box && box.width <= 390 && box.height > box.width * 0.5, `phone picture ${JSON.stringify(box)}`);
  await phone.fill("#follow-ups-today", LATER);
  await phone.click("#follow-ups-form button[type=submit]");
  await phone.locator(`#follow-up-list [data-follow-up="${requestId}"]`).waitFor();
  await noHorizontalScroll(phone);
  await phone.screenshot({ path: join(shots, "3-phone.png"), fullPage: true });
  await phone.close();
  log("phone width: path drawn, follow-up listed, no sideways scroll");

  // Keyboard only: Tab to the question form, type, submit with Enter.
  const keys = await context.newPage();
  watch(keys, problems);
  await keys.goto(url);
  await keys.locator("#whoami", { hasText: "You are" }).waitFor();
  let tabs = 0;
  while ((await keys.evaluate(() => document.activeElement && document.activeElement.id)) !== "ask-field") {
    await keys.keyboard.press("Tab");
    assert.ok(++tabs < 40, "the field box is reachable with Tab");
  }
  await keys.keyboard.type("finance");
  await keys.keyboard.press("Escape"); // closes the datalist's suggestions
  for (const id of ["ask-company", "ask-title-filter", "ask-hops", "ask-submit"]) {
    await keys.keyboard.press("Tab");
    assert.equal(await keys.evaluate(() => document.activeElement.id), id, `Tab reaches #${id}`);
  }
  await keys.keyboard.press("Enter");
  await keys.locator("#paths svg").first().waitFor();
  const unlabelled = await keys.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea, button")]
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label") && !(el.textContent || "").trim())
      .map((el) => el.id || el.outerHTML.slice(0, 60)),
  );
  assert.deepEqual(unlabelled, [], "every control has a label");
  await keys.screenshot({ path: join(shots, "4-keyboard.png") });
  await keys.close();
  log(`keyboard only: ${tabs} Tabs to the field, Enter asks; every control labelled`);

  // Withdraw Tom's list, erase Dana.
  await page.reload();
  await page.locator("#whoami", { hasText: "You are" }).waitFor();
  await page.locator("#imports li.card").nth(2).waitFor();
  await page.locator("#imports li.card").filter({ hasText: "Tom Baker" }).getByRole("button", { name: /Withdraw/ }).click();
  await page.locator("#status", { hasText: "withdrawn" }).waitFor();
  await cards(page, "#imports li.card", 2);
  await page.fill("#people-q", "Dana");
  await page.click("#people-form button[type=submit]");
  await page.getByRole("button", { name: "Erase Dana Ortiz" }).click();
  await page.locator("#status", { hasText: "Dana Ortiz was erased" }).waitFor();
  log("list withdrawn, person erased");

  // A server with a key: the page asks for it, then works with it.
  const keyed = join(work, "keyed.db");
  const key = execFileSync(bin, ["--db", keyed, "workspace", "create", "web"], { encoding: "utf8" }).trim();
  const keyedUrl = await startServer(keyed);
  const withKey = await context.newPage();
  watch(withKey, []);
  await withKey.goto(keyedUrl);
  await withKey.locator("#whoami", { hasText: "needs a key" }).waitFor();
  await withKey.fill("#key-input", key);
  await withKey.click("#key-form button[type=submit]");
  await withKey.locator("#whoami", { hasText: "You are" }).waitFor();
  await uploadList(withKey, "mine.csv", MINE, "", "");
  await withKey.click("#key-forget");
  await withKey.locator("#key-state", { hasText: "No key entered" }).waitFor();
  await withKey.close();
  log("a key is entered, used and forgotten");

  assert.deepEqual(problems, [], "no script error, CSP violation or 5xx");
  log(`screenshots in ${shots}`);
  console.log(`browser flow passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error(`browser flow FAILED: ${error.stack || error}`);
  if (context) {
    for (const [i, page] of context.pages().entries()) {
      await page.screenshot({ path: join(shots, `failure-${i}.png`), fullPage: true }).catch(() => {});
    }
  }
} finally {
  if (context) await context.close().catch(() => {});
  for (const server of servers) server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
