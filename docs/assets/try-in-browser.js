// "Try it in your browser": a button under each section whose lab can run in the page.
//
// hooks/lab_controls.py marks those sections' headings with `data-lab` (the URL of the lab VM's
// instructions, the other way to follow them). All this script does before a click is add the
// buttons: the emulator, its image and the terminal (assets/lab/) are fetched only when a
// reader asks for them, so a reader who never clicks pays for these lines alone. The page holds
// this script (hooks/inline_assets.py), like copy-commands.js.
"use strict";

function addLabButtons() {
  const { base } = JSON.parse(document.getElementById("__config").textContent);
  const lab = new URL(`${base}/assets/lab/lab-panel.mjs`, location.href);
  document.querySelectorAll("h2[data-lab]").forEach((heading) => {
    const paragraph = document.createElement("p");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button lab-try";
    button.textContent = "Try it in your browser";
    button.onclick = () => {
      button.disabled = true;
      import(lab).then(
        (panel) => panel.open(heading, paragraph),
        // The panel's own script did not load: say so here, with the other way in.
        () => {
          paragraph.setAttribute("role", "alert");
          paragraph.innerHTML = `The lab could not be loaded. <a href="${heading.dataset.lab}">Follow it in the lab VM</a>.`;
        },
      );
    };
    paragraph.append(button);
    heading.after(paragraph);
  });
}

addLabButtons();
