/**
 * The ticket rail: polls /ticket-rail/feed/ and redraws the table, newest first.
 * Every value is set as text, so nothing in a ticket can become markup.
 */
const POLL_MS = 3000;
const body = document.querySelector("[data-ticket-rail] tbody");

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
  tr.append(
    cell(ticket.at),
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

if (body) setTimeout(refresh, POLL_MS);
