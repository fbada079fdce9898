// The lab in the page, once a reader asked for it ("Try it in your browser",
// try-in-browser.js): one emulator for the whole page, its terminal in a panel under the
// section the reader opened, and a button after each of that section's console blocks that
// types the block's commands. When the emulator cannot run, the panel says why and points to
// the lab VM instead (the Vagrant path, the heading's `data-lab`).
//
// A block's commands print what the page shows only after the steps its transcript runs before
// them: some shown in earlier blocks, some on no page at all (loopback up, stand-in cards,
// waits for a server). The page's lab-steps.json (hooks/lab_steps.py) lists them; the button
// types those the terminal has not typed yet, under a comment that says so, and goes back to
// the snapshot first when the block belongs to another transcript or comes before what was
// typed. What a reader types by hand is theirs: the lab does not track it.
"use strict";

import { Interrupted, LabError, PROMPT_SECONDS, fetched, start } from "./lab-emulator.mjs";
import { Terminal } from "./lab-terminal.mjs";

// The site publishes the emulator and the image here (hooks/browser_lab_files.py).
const FOLDER = new URL("../../lab/browser/", import.meta.url);

// Typed before the steps a block needs that it does not show.
const NOT_SHOWN = "# not in this block, but the lab needs it first:";
const STEPS = new URL("lab-steps.json", document.baseURI);

let panel = null;
let session = null; // the emulator's start and the page's steps: once per page
let typing = Promise.resolve(); // what the buttons typed, one after the other
let queued = 0; // blocks clicked and not typed yet
let generation = 0; // Ctrl-C starts a new one: what was queued before it is dropped
// How far the terminal is in which transcript: the index of its next step. null: the snapshot
// as restored, nothing typed yet; UNKNOWN after a Ctrl-C stopped the typing midway.
let position = null;
const UNKNOWN = { transcript: null, next: Infinity };

// The tests play a device too slow for the emulator by lowering the deadline; a reader's
// browser never sets it.
const seconds = () => window.browserLabPromptSeconds ?? PROMPT_SECONDS;

export function open(heading, placeholder) {
  if (panel === null) panel = makePanel();
  placeholder.replaceWith(panel.element);
  if (session === null) {
    document.head.append(stylesheet());
    const shell = start(FOLDER, {
      seconds: seconds(),
      onText: (text) => panel.terminal.write(text),
      onStatus: (text) => {
        panel.status.textContent = text;
      },
    });
    session = Promise.all([shell, downloadSteps()]).catch((error) => {
      // Either failed: an emulator that started anyway must not run on unseen.
      shell.then((started) => started.destroy()).catch(() => {});
      throw error;
    });
  }
  session
    .then(([shell, steps]) => ready(heading, shell, steps))
    .catch((error) => failed(heading, error));
}

async function downloadSteps() {
  return (await fetched(STEPS, "The lab's steps")).json();
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
    (line) => session.then(([shell]) => shell.send(`${line}\n`)),
    () => session.then(([shell]) => interrupt(shell)),
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

const READY =
  "A Debian 12 PC emulated in your browser (v86), at a root shell. Nothing you type leaves this page.";

function ready(heading, shell, steps) {
  panel.status.textContent = READY;
  // In page order, as lab-steps.json lists them (hooks/lab_steps.py).
  const blocks = [...document.querySelectorAll(".md-content div.language-console")];
  if (blocks.length !== steps.blocks.length) {
    throw new LabError("This page and its lab's steps are from different builds: reload it.");
  }
  for (const block of sectionBlocks(heading, blocks)) {
    const typed = steps.blocks[blocks.indexOf(block)];
    if (!typed || block.nextElementSibling?.classList.contains("lab-run")) continue;
    const run = document.createElement("button");
    run.type = "button";
    run.className = "md-button lab-run";
    run.textContent = "Type these commands";
    run.onclick = () => queue(run, shell, steps.transcripts[typed.transcript], typed);
    block.after(run);
  }
  heading.dataset.labOpen = ""; // its buttons are in place (the tests wait for it)
  panel.terminal.input.focus({ preventScroll: true });
}

// A click: the block is typed once the blocks clicked before it are. Meanwhile its button is
// off (a second click would type it again, from a fresh PC), and so is the input line, whose
// lines would land in the middle of the commands typed; Ctrl-C stays on, to stop it all.
function queue(run, shell, steps, typed) {
  run.after(panel.element); // the terminal follows the reader, under the block it types
  run.disabled = true;
  queued += 1;
  busy();
  const mine = generation;
  typing = typing
    .then(async () => {
      if (mine !== generation) return;
      await typeBlock(shell, steps, typed, mine);
      await panel.terminal.flushed();
      panel.status.textContent = DONE;
    })
    .catch((error) => {
      panel.status.textContent =
        error instanceof Interrupted ? INTERRUPTED : `The lab stopped typing: ${error.message}`;
    })
    .finally(async () => {
      await panel.terminal.flushed();
      queued -= 1;
      run.disabled = false;
      busy();
    });
}

const DONE = "Typed: the shell is back at its prompt, yours to try more.";
const INTERRUPTED = "Stopped (Ctrl-C). The next block you type starts from a fresh PC.";

function busy() {
  panel.element.dataset.typing = queued; // the tests wait for 0, as a reader would
  panel.terminal.typing(queued > 0);
}

function interrupt(shell) {
  if (queued > 0) {
    generation += 1;
    position = UNKNOWN;
    shell.interrupt();
  }
  shell.send("\x03");
}

// A block's steps, after those of its transcript the terminal has not typed yet.
async function typeBlock(shell, steps, { transcript, shows }, mine) {
  let next = 0;
  if (position?.transcript === transcript && position.next <= shows[0]) {
    next = position.next;
  } else if (position !== null) {
    panel.status.textContent = "Back to a fresh PC for this block (the snapshot again)";
    panel.terminal.write("\n(back to a fresh PC: the snapshot restored)\n");
    position = UNKNOWN;
    await shell.restore();
    position = null;
  }
  const last = shows[shows.length - 1];
  const setup = last + 1 - next - shows.length;
  panel.status.textContent =
    `Typing ${last + 1 - next} commands` +
    (setup ? `, ${setup} of them steps this block needs first and does not show` : "");
  let shown = true;
  for (let index = next; index <= last; index++) {
    if (mine !== generation) throw new Interrupted("interrupted");
    if (shown && !shows.includes(index)) await shell.type(NOT_SHOWN);
    shown = shows.includes(index);
    await shell.type(command(steps[index]));
    position = { transcript, next: index + 1 };
  }
}

// What a step types: its command; or, to move into another network namespace, a shell there
// (as the lab's runner does; the shell's prompt is the same), and `exit` to come back.
function command(step) {
  if ("enter" in step) return `ip netns exec ${step.enter} bash`;
  if ("leave" in step) return "exit";
  return step.run;
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

// The section's console blocks.
function sectionBlocks(heading, blocks) {
  const next = [...document.querySelectorAll("h2")].find(
    (other) => heading.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING,
  );
  return blocks.filter(
    (block) =>
      heading.compareDocumentPosition(block) & Node.DOCUMENT_POSITION_FOLLOWING &&
      (!next || next.compareDocumentPosition(block) & Node.DOCUMENT_POSITION_PRECEDING),
  );
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
