// The copy button of a console block copies only the commands: no `$ ` prompt, no output.
//
// The article's console blocks are lab transcripts (lab/README.md): `$ command`, then `> `
// lines that continue it, then its output. Material's copy button copies an element's
// `data-copy` attribute when the code (or an ancestor) has one, and its innerText otherwise
// (bundle.js, clipboard setup), so each console block gets a `data-copy` holding its
// commands, read with the same grammar as lab/labrun/transcript.py. Pygments' classes are not
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

function markConsoleBlocks() {
  for (const code of document.querySelectorAll(".language-console pre > code")) {
    const commands = transcriptCommands(code.textContent);
    if (commands) {
      code.dataset.copy = commands;
    }
  }
}

// Material's `document$` emits on every page, including after instant navigation.
if (typeof document$ !== "undefined") {
  document$.subscribe(markConsoleBlocks);
} else {
  markConsoleBlocks();
}
