// The emulator as tools/browserlab/emulator.py drives it: start (cold boot or a snapshot),
// what the serial console printed, typing on it, and saving a snapshot as a download.
import { V86 } from "./v86/libv86.mjs";

const decoder = new TextDecoder("utf-8");
let emulator = null;
window.serialText = "";
window.labError = null;

window.labStart = (options) =>
  new Promise((resolve, reject) => {
    const config = {
      wasm_path: "v86/v86.wasm",
      memory_size: options.memoryMiB * 1024 * 1024,
      vga_memory_size: 2 * 1024 * 1024,
      bios: { url: "bios/bios.bin" },
      vga_bios: { url: "bios/vgabios-stdvga.bin" },
      filesystem: { basefs: "image/fs.json", baseurl: "image/blobs/" },
      autostart: true,
      disable_keyboard: true,
      disable_mouse: true,
      disable_speaker: true,
    };
    if (options.state) {
      config.initial_state = { url: options.state };
    } else {
      config.bzimage = { url: "image/vmlinuz" };
      config.initrd = { url: "image/initrd.img" };
      config.cmdline = options.cmdline;
    }
    emulator = new V86(config);
    emulator.add_listener("serial0-output-byte", (byte) => {
      window.serialText += decoder.decode(new Uint8Array([byte]), { stream: true });
    });
    emulator.add_listener("download-error", (event) => {
      window.labError = `download failed: ${event.file_name}`;
      reject(new Error(window.labError));
    });
    emulator.add_listener("emulator-ready", () => resolve());
  });

window.labSend = (text) => emulator.serial0_send(text);

// A file of the same origin, written into the guest's root (9p) as `path`.
window.labPut = async (path, url) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  await emulator.create_file(path, new Uint8Array(await response.arrayBuffer()));
};

window.labSaveState = async () => {
  const state = await emulator.save_state();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([state]));
  link.download = "state.bin";
  document.body.append(link);
  link.click();
  return state.byteLength;
};
