// The lab's terminal: plain elements, not a terminal emulator. The guest's shell runs with
// TERM=dumb and answers line by line, so an output log and an input line are all a reader
// needs, and they are what a screen reader and a phone's keyboard handle best: the log is a
// `role="log"` region (announced as it grows), the input an ordinary labelled text field.
"use strict";

// What the serial console sends that is not text: escape sequences (bash's bracketed-paste
// switches, colours) and carriage returns.
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-B]|\r/g;
// The log keeps this many characters: a long session must not slow the page down.
const KEEP = 200_000;

export class Terminal {
  constructor(onLine, onInterrupt) {
    this.element = document.createElement("div");
    this.element.className = "lab-terminal";
    this.log = document.createElement("pre");
    this.log.className = "lab-log";
    this.log.setAttribute("role", "log");
    this.log.setAttribute("aria-label", "Lab terminal output");
    this.log.tabIndex = 0;
    const form = document.createElement("form");
    form.className = "lab-input";
    const label = document.createElement("label");
    label.textContent = "Command";
    this.input = document.createElement("input");
    this.input.type = "text";
    this.input.autocomplete = "off";
    this.input.spellcheck = false;
    this.input.setAttribute("autocapitalize", "none");
    this.input.setAttribute("enterkeyhint", "send");
    label.append(this.input);
    const send = button("Send", "submit");
    this.send = send;
    const interrupt = button("Ctrl-C", "button");
    interrupt.setAttribute("aria-label", "Interrupt the running command (Ctrl-C)");
    interrupt.onclick = () => onInterrupt();
    form.append(label, send, interrupt);
    form.onsubmit = (event) => {
      event.preventDefault();
      onLine(this.input.value);
      this.input.value = "";
    };
    this.element.append(this.log, form);
    this.pending = "";
    this.scheduled = false;
    this.flushing = []; // waiting for what was written to be in the log
  }

  // Resolves once everything written so far is in the log: the lab says a block is typed
  // only when its last output shows.
  flushed() {
    if (!this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.flushing.push(resolve));
  }

  // While the lab types a block, the reader's lines would land in the middle of its commands:
  // the input line waits (Ctrl-C does not: it stops the typing).
  typing(on) {
    this.input.disabled = on;
    this.send.disabled = on;
  }

  // Bytes come one by one: they are shown in batches, so the log (and a screen reader
  // following it) gets lines, not letters. Appended, not rewritten: only what is new is read.
  write(text) {
    this.pending += text;
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => this.flush(), 30);
    }
  }

  flush() {
    this.scheduled = false;
    let text = this.pending.replace(ESCAPES, "");
    this.pending = "";
    // A backspace erases the character before it, as on a terminal.
    while (text.includes("\b")) text = text.replace(/[^\n]?\x08/, "");
    // The first prompt comes after the empty line that woke the shell: the log starts at it.
    if (!this.log.textContent) text = text.replace(/^\n+/, "");
    this.log.append(text);
    if (this.log.textContent.length > KEEP) {
      this.log.textContent = this.log.textContent.slice(-KEEP / 2);
    }
    this.log.scrollTop = this.log.scrollHeight;
    for (const resolve of this.flushing.splice(0)) resolve();
  }
}

function button(text, type) {
  const element = document.createElement("button");
  element.type = type;
  element.className = "md-button";
  element.textContent = text;
  return element;
}
