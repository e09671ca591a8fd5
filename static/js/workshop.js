// Workshop handout: a "Copy" button on every code block, for a room typing along;
// in projector mode, the arrow keys turn the pages (one lesson at a time).

for (const block of document.querySelectorAll(".workshop-handout pre")) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy-button";
  button.textContent = "Copy";
  button.setAttribute("aria-label", "Copy this code");
  button.addEventListener("click", async () => {
    const text = block.querySelector("code")?.innerText ?? block.innerText;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(block);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      button.textContent = "Selected: press Ctrl+C";
    }
    setTimeout(() => { button.textContent = "Copy"; }, 2000);
  });
  block.classList.add("has-copy");
  block.prepend(button);
}

// On a phone the list of lessons starts folded, so the handout comes first.
const lessonList = document.querySelector(".workshop-lessons");
if (lessonList && window.matchMedia("(max-width: 60rem)").matches) {
  lessonList.open = false;
}

const projector = document.querySelector(".workshop.projector");
if (projector) {
  const lessons = [...projector.querySelectorAll(".lesson")];
  const current = () => {
    const shown = lessons.findIndex((lesson) => lesson.querySelector(":target"));
    return shown < 0 ? 0 : shown;
  };
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const step = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 }[event.key];
    const next = lessons[current() + (step ?? 0)];
    if (!step || !next) return;
    event.preventDefault();
    location.hash = next.getAttribute("aria-labelledby");
    window.scrollTo(0, 0);
  });
}
