/**
 * The handout's lessons, ticked off: a ✓ on each lesson the server saw you do,
 * and a hint under each that it can see, folded until asked for.
 *
 * /workshop/ loads this only while the attack labs are on; progress is your own
 * (GET /lab/progress/, by the card in your cookie).
 */
const stylesheet = document.createElement("link");
stylesheet.rel = "stylesheet";
stylesheet.href = new URL("./lab.css", import.meta.url).href;
document.head.append(stylesheet);

function mark(solved) {
  const badge = document.createElement("span");
  badge.className = "solved-mark";
  badge.textContent = "✓ solved";
  badge.dataset.lessonSolved = "";
  badge.hidden = !solved;
  return badge;
}

function hint(text) {
  const details = document.createElement("details");
  details.className = "hint";
  const summary = document.createElement("summary");
  summary.textContent = "Hint";
  const body = document.createElement("p");
  body.textContent = text;
  details.append(summary, body);
  return details;
}

async function progress() {
  const response = await fetch("/lab/progress/", {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  return response.ok ? response.json() : null;
}

const answer = await progress();
if (answer) {
  let ticked = 0;
  const checked = answer.lessons.filter((lesson) => lesson.checked);
  for (const lesson of checked) {
    const heading = document.getElementById(lesson.anchor);
    if (!heading) continue;
    const solved = lesson.id in answer.solved;
    ticked += solved ? 1 : 0;
    heading.append(" ", mark(solved));
    heading.after(hint(lesson.hint));
    const entry = document.querySelector(`.workshop-toc a[href="#${lesson.anchor}"]`);
    if (entry && solved) entry.append(" ✓");
  }
  const summary = document.createElement("p");
  summary.className = "lab-progress";
  summary.dataset.labProgress = "";
  const labs = document.createElement("a");
  labs.href = "/lab/";
  labs.textContent = "the attack labs";
  summary.append(
    `The server saw you do ${ticked} of the ${checked.length} lessons it can see; `,
    "then try ",
    labs,
    ".",
  );
  document.querySelector(".workshop-handout")?.prepend(summary);
}
