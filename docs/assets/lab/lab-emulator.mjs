// The browser lab's emulator, started for a reader: v86 restores the image's snapshot (a Debian
// 12 i386 PC already at its root shell) from the site's own lab folder, and the serial console
// is the terminal.
//
// Every way it can fail ends in a LabError whose message a reader can act on, never a terminal
// that waits forever: no WebAssembly, a folder the site was published without (HTTP 404), a
// download that fails, and a device too slow to show a prompt before the deadline (which
// covers the downloads too: a stalled one is a failure like any other).
"use strict";

// Downloads and restore, click to prompt: generous for a phone on a slow network.
export const PROMPT_SECONDS = 90;
// A root shell's prompt ends the output: bash's `\u@\h:\w# `.
const PROMPT = /# $/;

export class LabError extends Error {}

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
    let V86;
    try {
      ({ V86 } = await import(new URL("libv86.mjs", folder)));
    } catch {
      throw new LabError("The emulator could not be downloaded (a network error).");
    }
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
        initial_state: { url: new URL("state.bin.zst", folder).href },
        autostart: true,
        disable_keyboard: true,
        disable_mouse: true,
        disable_speaker: true,
      });
      let knocking;
      const knock = () => (cancelled ? clearInterval(knocking) : emulator.serial0_send("\n"));
      const decoder = new TextDecoder("utf-8");
      const shell = new Shell(emulator);
      emulator.add_listener("serial0-output-byte", (byte) => {
        const text = decoder.decode(new Uint8Array([byte]), { stream: true });
        onText(text);
        if (shell.heard(text) && knocking !== undefined) {
          clearInterval(knocking);
          knocking = undefined;
          resolve(shell);
        }
      });
      emulator.add_listener("download-progress", (event) => {
        if (event.lengthComputable && event.total > 1e6) {
          const mb = (bytes) => (bytes / 1e6).toFixed(1);
          onStatus(`Downloading the lab: ${mb(event.loaded)} of ${mb(event.total)} MB`);
        }
      });
      emulator.add_listener("download-error", (event) =>
        reject(new LabError(`A file of the lab could not be downloaded (${event.file_name}).`)),
      );
      // The snapshot was saved at the prompt: an empty line makes the shell show it again.
      // The first one can come before the restored serial port listens: one a second, until
      // a prompt answers (each extra one only shows another).
      emulator.add_listener("emulator-ready", () => {
        onStatus("Starting the lab's shell");
        knock();
        knocking = setInterval(knock, 1000);
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

// The guest's root shell: what the reader types goes as is; a block's commands go one at a
// time, each once the shell is back at its prompt, so the terminal reads as the page does:
// prompt, command, output.
class Shell {
  constructor(emulator) {
    this.emulator = emulator;
    this.recent = "";
    this.atPrompt = false;
    this.waiting = [];
    this.queue = Promise.resolve();
  }

  // True when `text` brings the shell back to its prompt.
  heard(text) {
    this.recent = (this.recent + text).slice(-64);
    if (!PROMPT.test(this.recent)) return false;
    this.atPrompt = true;
    for (const wake of this.waiting.splice(0)) wake();
    return true;
  }

  send(text) {
    this.atPrompt = false;
    this.recent = "";
    this.emulator.serial0_send(text);
  }

  prompt() {
    return this.atPrompt ? Promise.resolve() : new Promise((wake) => this.waiting.push(wake));
  }

  type(commands) {
    this.queue = this.queue.then(async () => {
      for (const command of commands) {
        await this.prompt();
        this.send(`${command}\n`);
      }
    });
    return this.queue;
  }
}

async function downloadJson(url) {
  let response;
  try {
    response = await fetch(url);
  } catch {
    throw new LabError("The lab could not be downloaded (a network error).");
  }
  if (response.status === 404) {
    throw new LabError("This copy of the site was published without the lab's image.");
  }
  if (!response.ok) {
    throw new LabError(`The lab could not be downloaded (HTTP ${response.status}).`);
  }
  return response.json();
}
