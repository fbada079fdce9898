// The browser lab's emulator, started for a reader: v86 restores the image's snapshot (a Debian
// 12 i386 PC already at its root shell) from the site's own lab folder, and the serial console
// is the terminal. The snapshot stays in memory (10 MB), so the page can go back to it: a fresh
// PC again in a second or two, without a download.
//
// Every way it can fail ends in a LabError whose message a reader can act on, never a terminal
// that waits forever: no WebAssembly, a folder the site was published without (HTTP 404), a
// download that fails, and a device too slow to show a prompt before the deadline (which
// covers the downloads too: a stalled one is a failure like any other).
"use strict";

// Downloads and restore, click to prompt: generous for a phone on a slow network.
export const PROMPT_SECONDS = 90;
// A root shell's prompt ends the output: bash's `\u@\h:\w# ` (after output with no final newline
// too; the echo of a typed `# comment` is no prompt); its continuation prompt (PS2), after a
// line ending in `\`, an open loop or quote, is `> ` on a line of its own.
const PROMPT = /[\w.-]+@[\w.-]+:[^\n]*# $/;
const CONTINUATION = /(^|\n)> $/;

export class LabError extends Error {}
// Ctrl-C while the lab types: what it was waiting for will not come.
export class Interrupted extends Error {}

// The lab folder's files (hooks/browser_lab_files.py publishes them; lab.json says what the
// snapshot was saved with).
export async function start(folder, { seconds = PROMPT_SECONDS, onText, onStatus }) {
  if (typeof WebAssembly !== "object") {
    throw new LabError("This browser has no WebAssembly, which the emulator needs.");
  }
  let emulator = null;
  let cancelled = false; // past the deadline: whatever boot() still gets must not start
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new LabError(
            `The emulator showed no prompt within ${seconds} seconds: this device or its connection may be too slow for it.`,
          ),
        ),
      seconds * 1000,
    );
  });
  const boot = async () => {
    const settings = await downloadJson(new URL("lab.json", folder));
    const [{ V86 }, state] = await Promise.all([
      import(new URL("libv86.mjs", folder)).catch(() => {
        throw new LabError("The emulator could not be downloaded (a network error).");
      }),
      download(new URL("state.bin.zst", folder), onStatus),
    ]);
    if (cancelled) throw new LabError("cancelled");
    return new Promise((resolve, reject) => {
      emulator = new V86({
        wasm_path: new URL("v86.wasm", folder).href,
        memory_size: settings.memory_mib * 1024 * 1024,
        vga_memory_size: 2 * 1024 * 1024,
        bios: { url: new URL("bios.bin", folder).href },
        vga_bios: { url: new URL("vgabios-stdvga.bin", folder).href },
        filesystem: {
          basefs: new URL("fs.json", folder).href,
          baseurl: new URL("blobs/", folder).href,
        },
        initial_state: { buffer: state },
        autostart: true,
        disable_keyboard: true,
        disable_mouse: true,
        disable_speaker: true,
      });
      const decoder = new TextDecoder("utf-8");
      const shell = new Shell(emulator, state);
      emulator.add_listener("serial0-output-byte", (byte) => {
        const text = decoder.decode(new Uint8Array([byte]), { stream: true });
        onText(text);
        shell.heard(text);
      });
      emulator.add_listener("download-progress", (event) => {
        if (event.lengthComputable && event.total > 1e6) {
          onStatus(`Downloading the lab: ${mb(event.loaded)} of ${mb(event.total)} MB`);
        }
      });
      emulator.add_listener("download-error", (event) =>
        reject(new LabError(`A file of the lab could not be downloaded (${event.file_name}).`)),
      );
      emulator.add_listener("emulator-ready", () => {
        onStatus("Starting the lab's shell");
        shell.wake(() => cancelled).then(() => resolve(shell));
      });
    });
  };
  try {
    return await Promise.race([boot(), deadline]);
  } catch (error) {
    cancelled = true;
    if (emulator) emulator.destroy();
    throw error instanceof LabError ? error : new LabError(`The emulator failed: ${error}.`);
  } finally {
    clearTimeout(timer);
  }
}

// The guest's root shell: what the reader types goes as is; typed commands go one line at a
// time, each once the shell asks for it (its prompt, or `> ` for a continuation line), so the
// terminal reads as the page does: prompt, command, output.
class Shell {
  constructor(emulator, state) {
    this.emulator = emulator;
    this.state = state;
    this.recent = "";
    this.waiting = null; // {pattern, wake, fail}: what the line being typed waits for
  }

  heard(text) {
    this.recent = (this.recent + text).slice(-128);
    if (this.waiting?.pattern.test(this.recent)) {
      const { wake } = this.waiting;
      this.waiting = null;
      wake();
    }
  }

  // Ctrl-C: whatever the typing waits for is given up.
  interrupt() {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.fail(new Interrupted("interrupted"));
  }

  destroy() {
    this.interrupt();
    this.emulator.destroy();
  }

  send(text) {
    this.recent = "";
    this.emulator.serial0_send(text);
  }

  // Resolves once the output ends in `pattern`: the shell is waiting for a line.
  asked(pattern) {
    if (pattern.test(this.recent)) return Promise.resolve();
    if (this.waiting) throw new Error("the shell is already waited for");
    return new Promise((wake, fail) => {
      this.waiting = { pattern, wake, fail };
    });
  }

  // A command (its lines joined by newlines), typed a line at a time; resolves at the next
  // prompt, once it has run.
  async type(command) {
    const [first, ...more] = command.split("\n");
    await this.asked(PROMPT);
    this.send(`${first}\n`);
    for (const line of more) {
      await this.asked(CONTINUATION);
      this.send(`${line}\n`);
    }
    await this.asked(PROMPT);
  }

  // The snapshot was saved at the prompt: an empty line makes the shell show it again. The
  // first can come before the restored serial port listens: one a second, until a prompt
  // answers (each extra one only shows another), or until `stop()` says to give up.
  async wake(stop = () => false) {
    this.recent = "";
    const prompt = this.asked(PROMPT);
    let answered = false;
    prompt.then(
      () => {
        answered = true;
      },
      () => {},
    );
    while (!answered && !stop()) {
      this.emulator.serial0_send("\n");
      await Promise.race([prompt, new Promise((later) => setTimeout(later, 1000))]);
    }
    return prompt;
  }

  // Back to the snapshot: a fresh PC at its prompt, as the reader's click first gave; a
  // LabError if no prompt comes within PROMPT_SECONDS.
  async restore() {
    // After a Ctrl-C the stopped command may still be ending (a file it opened still arriving
    // over 9p, whose answer must not land in the restored PC): the snapshot goes back in once
    // the shell is idle at its prompt, or after the deadline.
    this.interrupt();
    const idle = this.asked(PROMPT);
    await Promise.race([idle, new Promise((later) => setTimeout(later, PROMPT_SECONDS * 1000))]);
    this.interrupt();
    await this.emulator.stop();
    await this.emulator.restore_state(this.state);
    await this.emulator.run();
    const started = Date.now();
    const late = () => Date.now() - started > PROMPT_SECONDS * 1000;
    await Promise.race([this.wake(late), until(late)]);
    if (late()) {
      this.interrupt();
      throw new LabError("The lab did not come back from its snapshot.");
    }
  }
}

const until = (done) =>
  new Promise((resolve) => {
    const check = setInterval(() => done() && resolve(clearInterval(check)), 1000);
  });

// The snapshot, with its progress told as it comes: v86 reads it from memory, and so does
// every later restore.
async function download(url, onStatus) {
  const response = await fetched(url, "The lab");
  // A compressed answer's length is not the snapshot's: then the progress is not told.
  const encoded = response.headers.get("Content-Encoding");
  const total = (!encoded && Number(response.headers.get("Content-Length"))) || 0;
  const chunks = [];
  let loaded = 0;
  try {
    for (const reader = response.body.getReader(); ; ) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      if (total) onStatus(`Downloading the lab: ${mb(loaded)} of ${mb(total)} MB`);
    }
  } catch {
    throw new LabError("The lab could not be downloaded (a network error).");
  }
  if (total && loaded !== total) {
    throw new LabError("The lab's snapshot arrived incomplete (a network error).");
  }
  const state = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    state.set(chunk, offset);
    offset += chunk.length;
  }
  return state.buffer;
}

const mb = (bytes) => (bytes / 1e6).toFixed(1);

async function downloadJson(url) {
  const missing = "This copy of the site was published without the lab's image.";
  return (await fetched(url, "The lab", missing)).json();
}

// The answer to a request, or a LabError a reader can act on: `what` could not be downloaded
// (a network error, an HTTP status), or `missing` for a 404 when it says more.
export async function fetched(url, what, missing = null) {
  let response;
  try {
    response = await fetch(url);
  } catch {
    throw new LabError(`${what} could not be downloaded (a network error).`);
  }
  if (response.status === 404 && missing) throw new LabError(missing);
  if (!response.ok) {
    throw new LabError(`${what} could not be downloaded (HTTP ${response.status}).`);
  }
  return response;
}
