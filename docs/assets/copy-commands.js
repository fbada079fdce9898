// Copy buttons on code blocks; a console block's button copies only the commands.
//
// Material adds copy buttons itself (feature `content.code.copy`), but either all at load, with
// a forced layout per block (on an article made of dozens of blocks: 160 ms of blocking time
// on a phone), or, with `content.lazy`, when a block scrolls into view: a keyboard user tabbing
// down the page skips most of them, since a button appears when the focus has already moved
// past its block. Here every block gets its button as soon as the page is parsed (this script
// is deferred), in reading order, without reading any layout. The markup, title and place are
// Material's own (its `renderClipboardButton`), so its styles apply, and its clipboard.js
// integration copies for any `[data-clipboard-target]` button and says "Copied to clipboard".
// Written by the script rather than into the HTML: without JavaScript they could do nothing,
// and 60 of them were 0.8 kB of each post's gzip (`make bench`).
"use strict";

// A block marked `{.no-copy}` (a class on the fence) keeps no button, as with Material.
function addCopyButtons() {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const title = config.translations["clipboard.copy"];
  const blocks = document.querySelectorAll("div.highlight:not(.no-copy) > pre > code");
  blocks.forEach((code, index) => {
    code.id = `__copy_${index}`;
    const nav = document.createElement("nav");
    nav.className = "md-code__nav";
    const button = nav.appendChild(document.createElement("button"));
    button.className = "md-code__button";
    button.title = title;
    button.dataset.clipboardTarget = `#${code.id}`;
    button.dataset.mdType = "copy";
    code.before(nav);
  });
}

// The article's console blocks are lab transcripts (lab/README.md): `$ command`, then `> `
// lines that continue it, then its output. Material's copy button copies an element's
// `data-copy` attribute when the code (or an ancestor) has one, and its innerText otherwise
// (bundle.js, clipboard setup), so a console block gets a `data-copy` holding its commands,
// read with the same grammar as lab/labrun/transcript.py. Pygments' classes are not
// enough: its console lexer reads heredoc `> ` lines as output.
function transcriptCommands(text) {
  const commands = [];
  let continuing = false;
  for (const line of text.split("\n")) {
    if (line === "$" || line.startsWith("$ ")) {
      commands.push(line.slice(2));
      continuing = true;
    } else if (continuing && (line === ">" || line.startsWith("> "))) {
      commands.push(line.slice(2));
    } else {
      continuing = false;
    }
  }
  return commands.join("\n");
}

// The attribute is written when a copy button is clicked, just before Material reads it:
// a capturing listener on the document runs before clipboard.js's own (it listens on the body,
// bubbling). Reading all 76 blocks at load instead cost the phone 70 ms of blocking time.
function markBeforeCopy(event) {
  const button = event.target instanceof Element && event.target.closest("[data-clipboard-target]");
  if (!button) {
    return;
  }
  const code = document.querySelector(button.getAttribute("data-clipboard-target"));
  if (code && code.closest(".language-console") && !code.dataset.copy) {
    const commands = transcriptCommands(code.textContent);
    if (commands) {
      code.dataset.copy = commands;
    }
  }
}

addCopyButtons();
document.addEventListener("click", markBeforeCopy, { capture: true });
