/**
 * The room at a glance: polls /lab/room/feed/ and redraws the table and the list
 * of attendees who have gone quiet. Every value is set as text.
 */
const POLL_MS = 3000;
const table = document.querySelector("[data-room]");
const quiet = document.querySelector("[data-quiet]");

function cell(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

function draw(room) {
  const head = document.createElement("tr");
  head.append(cell("th", "attendee"));
  for (const challenge of room.challenges) {
    const th = cell("th", challenge.short, "num");
    th.title = challenge.title;
    th.scope = "col";
    head.append(th);
  }
  head.append(cell("th", "solved", "num"));
  table.tHead.replaceChildren(head);

  const rows = room.attendees.map((attendee) => {
    const row = document.createElement("tr");
    row.dataset.attendee = attendee.username;
    const name = cell("th", attendee.username);
    name.scope = "row";
    row.append(name);
    for (const challenge of room.challenges) {
      const solved = challenge.id in attendee.solved;
      row.append(cell("td", solved ? "✓" : "", solved ? "num solved" : "num"));
    }
    row.append(cell("td", String(attendee.count), "num"));
    return row;
  });
  table.tBodies[0].replaceChildren(...rows);

  const foot = document.createElement("tr");
  foot.append(cell("th", "solved by"));
  for (const challenge of room.challenges) {
    const count = cell("td", String(room.counts[challenge.id]), "num");
    count.dataset.count = challenge.id;
    foot.append(count);
  }
  foot.append(cell("td", ""));
  table.tFoot.replaceChildren(foot);

  quiet.replaceChildren(
    ...(room.quiet.length
      ? room.quiet.map((username) => cell("span", username, "quiet-name"))
      : [cell("span", "Everyone is moving.", "empty")]),
  );
}

async function refresh() {
  try {
    const response = await fetch("/lab/room/feed/", {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (response.ok) draw(await response.json());
  } finally {
    setTimeout(refresh, POLL_MS);
  }
}

if (table) refresh();
