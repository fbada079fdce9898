// Copy buttons on code blocks, in the keyboard's reach as soon as the page is parsed.
//
// Material adds copy buttons itself (feature `content.code.copy`), but either all at load, with
// a forced layout per block (on an article made of dozens of blocks, long blocking time on a
// phone), or, with `content.lazy`, when a block scrolls into view: a keyboard user tabbing
// down the page skips most of them, since a button appears when the focus has already moved
// past its block. Here every block gets its button once the page is parsed, in reading order,
// without reading any layout. The markup, title and place are
// Material's own (its `renderClipboardButton`), so its styles apply, and its clipboard.js
// integration copies for any `[data-clipboard-target]` button and says "Copied to clipboard".
// The page holds this script (hooks/inline_assets.py) at the end of its body: it runs once the
// content above it is parsed, so the buttons are there before Material's deferred bundle
// starts up and lays the page out (written later, in a task of their own, they cost a second
// style and layout pass: Lighthouse's blocking time doubled).
// A console block's button copies only its commands: the page's markup and extra.css see to
// that (hooks/console_lines.py). Written by the script rather than into the HTML: without
// JavaScript they could do nothing, and dozens of them weighed on every post's first load.
"use strict";

// A block marked `{.no-copy}` (a class on the fence) keeps no button, as with Material.
function addCopyButtons() {
  const { translations } = JSON.parse(document.getElementById("__config").textContent);
  const button = document.createElement("button");
  button.className = "md-code__button";
  button.title = translations["clipboard.copy"];
  button.dataset.mdType = "copy";
  document.querySelectorAll("div.highlight:not(.no-copy) > pre > code").forEach((code, index) => {
    code.id = `__copy_${index}`;
    const nav = document.createElement("nav");
    nav.className = "md-code__nav";
    nav.append(button.cloneNode());
    nav.firstChild.dataset.clipboardTarget = `#${code.id}`;
    code.before(nav);
  });
}

addCopyButtons();
