/**
 * The waiter's notepad: a panel listing every API call a page makes, with what
 * came back and how the ID card travelled, and the refusals explained in words.
 */

const MAX_LINES = 40;

const STATUS_TEXT = {
  0: "no answer",
  200: "OK",
  201: "Created",
  204: "No Content",
  205: "Reset Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Server Error",
};

/** Plain words for an answer that was not a success; "" for one that was. */
export function explain(status, body) {
  const code = body && typeof body === "object" ? body.code : undefined;
  const detail = body && typeof body === "object" ? body.detail : undefined;
  if (status === 401) {
    if (code === "not_authenticated") {
      return "401: no ID card came with this request. The waiter takes orders only from someone who shows a valid token; log in to get one.";
    }
    if (code === "token_not_valid") {
      return "401: the card was refused. It is expired, was changed after it was signed, or was not signed by this server: the signature and expiry are checked on every request.";
    }
    return `401: the waiter does not know who you are${detail ? ` (${detail})` : ""}. Log in again for a new card.`;
  }
  if (status === 403) {
    if (typeof detail === "string" && detail.startsWith("CSRF Failed")) {
      return "403: the card is fine, but the CSRF token is missing or wrong. A request that travels with a cookie must prove it comes from this site's own page.";
    }
    return `403: the card is valid, so the waiter knows who you are, but it does not allow this${detail ? ` (${detail})` : ""}. Authentication says who you are; permission says what you may do.`;
  }
  if (status === 400) return "400: the waiter understood who you are, but not the order: see the messages next to the fields.";
  if (status === 404) return "404: there is no such thing here, or it belongs to someone else.";
  if (status === 409) return `409: this conflicts with the current state${detail ? ` (${detail})` : ""}.`;
  if (status === 429) return "429: too many tries in a short time; wait a little.";
  if (status === 0) return "The request got no answer: is the server running?";
  if (status >= 500) return "The server failed. This is a bug: the API should answer every mistake with a 4xx.";
  return "";
}

function statusClass(status) {
  if (status >= 200 && status < 300) return "call-ok";
  if (status === 401 || status === 403) return "call-refused";
  return "call-error";
}

function panel() {
  return document.querySelector("[data-notepad-calls]");
}

function sameCall(item, entry) {
  return (
    item.dataset.method === entry.method &&
    item.dataset.path === entry.path &&
    item.dataset.status === String(entry.status) &&
    item.dataset.travel === entry.travel
  );
}

function line(entry) {
  const item = document.createElement("li");
  item.className = `call ${statusClass(entry.status)}`;
  Object.assign(item.dataset, {
    method: entry.method,
    path: entry.path,
    status: String(entry.status),
    travel: entry.travel,
    repeats: "1",
  });

  const head = document.createElement("p");
  head.className = "call-head";
  const method = document.createElement("span");
  method.className = "call-method";
  method.textContent = entry.method;
  const path = document.createElement("code");
  path.className = "call-path";
  path.textContent = entry.path;
  const status = document.createElement("span");
  status.className = "call-status";
  status.textContent = `${entry.status || "—"} ${STATUS_TEXT[entry.status] ?? ""}`.trim();
  head.append(method, " ", path, " ", status);

  const facts = document.createElement("p");
  facts.className = "call-facts";
  const time = document.createElement("time");
  time.dataset.callTime = "";
  const took = document.createElement("span");
  took.dataset.callTook = "";
  const travel = document.createElement("span");
  travel.className = "call-travel";
  travel.textContent = `ID card: ${entry.travel}`;
  const repeats = document.createElement("span");
  repeats.className = "call-repeats";
  repeats.dataset.callRepeats = "";
  facts.append(time, " · ", took, " · ", travel, repeats);

  item.append(head, facts);
  const words = explain(entry.status, entry.body);
  if (words) {
    const explanation = document.createElement("p");
    explanation.className = "call-explain";
    explanation.textContent = words;
    item.append(explanation);
  }
  return item;
}

function stamp(item, entry) {
  const time = item.querySelector("[data-call-time]");
  time.dateTime = entry.at.toISOString();
  time.textContent = entry.at.toLocaleTimeString();
  item.querySelector("[data-call-took]").textContent = `${entry.ms} ms`;
  const repeats = Number(item.dataset.repeats);
  item.querySelector("[data-call-repeats]").textContent = repeats > 1 ? ` · ${repeats} times` : "";
}

/** Write one call on the notepad; a repeat of the newest line only counts up. */
export function record(entry) {
  const list = panel();
  if (!list) return;
  const full = { ...entry, at: new Date() };
  let item = list.firstElementChild;
  if (item && sameCall(item, full)) {
    item.dataset.repeats = String(Number(item.dataset.repeats) + 1);
  } else {
    item = line(full);
    list.prepend(item);
    while (list.children.length > MAX_LINES) list.lastElementChild.remove();
  }
  stamp(item, full);
  const empty = document.querySelector("[data-notepad-empty]");
  if (empty) empty.hidden = true;
}

document.querySelector("[data-notepad-clear]")?.addEventListener("click", () => {
  panel()?.replaceChildren();
  const empty = document.querySelector("[data-notepad-empty]");
  if (empty) empty.hidden = false;
});
