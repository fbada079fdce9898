// The lab in the page, once a reader asked for it ("Try it in your browser",
// try-in-browser.js): one emulator for the whole page, its terminal in a panel under the
// section the reader opened, and a button after each of that section's console blocks that
// types the block's commands. When the emulator cannot run, the panel says why and points to
// the lab VM instead (the Vagrant path, the heading's `data-lab`).
"use strict";

import { LabError, PROMPT_SECONDS, start } from "./lab-emulator.mjs";
import { Terminal } from "./lab-terminal.mjs";

// The site publishes the emulator and the image here (hooks/browser_lab_files.py).
const FOLDER = new URL("../../lab/browser/", import.meta.url);

let panel = null;
let session = null; // the emulator's start: one per page, shared by every section

// The tests play a device too slow for the emulator by lowering the deadline; a reader's
// browser never sets it.
const seconds = () => window.browserLabPromptSeconds ?? PROMPT_SECONDS;

export function open(heading, placeholder) {
  if (panel === null) panel = makePanel();
  placeholder.replaceWith(panel.element);
  if (session === null) {
    document.head.append(stylesheet());
    session = start(FOLDER, {
      seconds: seconds(),
      onText: (text) => panel.terminal.write(text),
      onStatus: (text) => {
        panel.status.textContent = text;
      },
    });
  }
  session.then(
    (shell) => ready(heading, shell),
    (error) => failed(heading, error),
  );
}

function makePanel() {
  const element = document.createElement("section");
  element.className = "lab-panel";
  element.setAttribute("aria-label", "Lab terminal");
  const status = document.createElement("p");
  status.className = "lab-status";
  status.setAttribute("role", "status");
  status.textContent = "Starting the lab";
  const terminal = new Terminal(
    (line) => session.then((shell) => shell.send(`${line}\n`)),
    () => session.then((shell) => shell.send("\x03")),
  );
  // What the emulated PC redistributes and where its sources are, as the GPL asks
  // (hooks/browser_lab_licences.py fills the page).
  const credits = document.createElement("p");
  credits.className = "lab-status";
  const licences = document.createElement("a");
  licences.href = new URL("../../lab/licences/", import.meta.url).href;
  licences.textContent = "The lab's software, its licences and sources";
  credits.append(licences);
  element.append(status, terminal.element, credits);
  return { element, status, terminal };
}

function ready(heading, shell) {
  panel.status.textContent =
    "A Debian 12 PC emulated in your browser (v86), at a root shell. Nothing you type leaves this page.";
  for (const block of sectionBlocks(heading)) {
    if (block.nextElementSibling?.classList.contains("lab-run")) continue;
    const run = document.createElement("button");
    run.type = "button";
    run.className = "md-button lab-run";
    run.textContent = "Type these commands";
    run.onclick = () => {
      // The terminal follows the reader: under the block whose commands it types.
      run.after(panel.element);
      shell.type(commands(block));
    };
    block.after(run);
  }
  panel.terminal.input.focus({ preventScroll: true });
}

function failed(heading, error) {
  const message = document.createElement("div");
  message.className = "lab-failure";
  message.setAttribute("role", "alert");
  const reason = error instanceof LabError ? error.message : `The emulator failed: ${error}.`;
  message.innerHTML =
    `<p><strong>The lab cannot run here.</strong> ${escape(reason)}</p>` +
    `<p><a href="${heading.dataset.lab}">Follow this section in the lab VM</a> instead: ` +
    "VirtualBox and Vagrant, on your own computer.</p>";
  panel.element.replaceChildren(message);
}

// The section's console blocks, but those whose transcript cannot run in the browser
// (hooks/lab_controls.py marks them `data-lab-out`).
function sectionBlocks(heading) {
  const next = [...document.querySelectorAll("h2")].find(
    (other) => heading.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING,
  );
  return [...document.querySelectorAll("div.language-console.highlight")].filter(
    (block) =>
      !block.hasAttribute("data-lab-out") &&
      heading.compareDocumentPosition(block) & Node.DOCUMENT_POSITION_FOLLOWING &&
      (!next || next.compareDocumentPosition(block) & Node.DOCUMENT_POSITION_PRECEDING),
  );
}

// A block's commands as the reader would type them, one string each (a command and its
// continuation lines): hooks/console_lines.py wraps prompts in `gp` spans ("$ " starts a
// command, "> " continues it) and output in `go` spans, as the copy button relies on too.
function commands(block) {
  const code = block.querySelector("pre > code").cloneNode(true);
  code.querySelectorAll(".go").forEach((span) => span.remove());
  const found = [];
  for (const line of code.textContent.split("\n")) {
    if (line === "$" || line.startsWith("$ ")) found.push(line.slice(2));
    else if (line.startsWith("> ") && found.length) found.push(`${found.pop()}\n${line.slice(2)}`);
  }
  return found;
}

function stylesheet() {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("lab-panel.css", import.meta.url).href;
  return link;
}

function escape(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}
