// The copy button of a console block copies only the commands: no `$ ` prompt, no output.
//
// The article's console blocks are lab transcripts (lab/README.md): `$ command`, then `> `
// lines that continue it, then its output. Material's copy button copies an element's
// `data-copy` attribute when the code (or an ancestor) has one, and its innerText otherwise
// (bundle.js, clipboard setup), so a console block gets a `data-copy` holding its commands,
// read with the same grammar as lab/labrun/transcript.py. Pygments' classes are not
// enough: its console lexer reads heredoc `> ` lines as output.
"use strict";

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

document.addEventListener("click", markBeforeCopy, { capture: true });
