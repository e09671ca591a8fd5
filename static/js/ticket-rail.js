/**
 * The ticket rail: polls /ticket-rail/feed/ and redraws the table, newest first.
 * Every value is set as text, so nothing in a ticket can become markup.
 * Times arrive as ISO 8601 (UTC) and are shown in the viewer's own clock.
 */
const POLL_MS = 3000;
const body = document.querySelector("[data-ticket-rail] tbody");

function showTime(time, iso) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return;
  time.dateTime = iso;
  time.textContent = at.toLocaleTimeString();
  time.title = at.toLocaleString();
}

function cell(content, code = false) {
  const td = document.createElement("td");
  if (code) {
    const inner = document.createElement("code");
    inner.textContent = content;
    td.append(inner);
  } else {
    td.textContent = content;
  }
  return td;
}

function row(ticket) {
  const tr = document.createElement("tr");
  tr.className = `ticket-${ticket.kind.replace(/\s+/g, "-")}`;
  const who = ticket.user_id ? `${ticket.username || "user"} #${ticket.user_id}` : "";
  const jti = ticket.jti.length > 14 ? `${ticket.jti.slice(0, 13)}…` : ticket.jti;
  const time = document.createElement("time");
  showTime(time, ticket.at);
  const when = document.createElement("td");
  when.append(time);
  tr.append(
    when,
    cell(ticket.kind),
    cell(who),
    cell(jti, true),
    cell(ticket.reason),
    cell(ticket.path),
  );
  return tr;
}

async function refresh() {
  try {
    const response = await fetch("/ticket-rail/feed/", {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (response.ok) {
      const { tickets } = await response.json();
      if (tickets.length) body.replaceChildren(...tickets.map(row));
    }
  } finally {
    setTimeout(refresh, POLL_MS);
  }
}

if (body) {
  for (const time of body.querySelectorAll("time[datetime]")) showTime(time, time.dateTime);
  setTimeout(refresh, POLL_MS);
}
