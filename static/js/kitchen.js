/**
 * The kitchen board: the restaurant's orders from GET /api/kitchen/orders/, by
 * status, each with one button that moves it a step on. Asked again every few
 * seconds, so new orders appear by themselves.
 *
 * The API's board is the work: the orders still to deliver and those placed in
 * the last hours, newest first, a page at a time; the board follows the `next`
 * links to the end of it (up to MAX_PAGES pages: far more than a kitchen cooks).
 */
import { callApi } from "./api.js";
import { text } from "./dom.js";
import { POLL_MS, STATUS_LABELS } from "./status.js";

const DONE = new Set(["delivered", "cancelled"]);
const DONE_SHOWN = 10;
const MAX_PAGES = 20;
let shown = "";

/** When the order came in: the time today, the date too for an older one. */
function placedAt(order) {
  const placed = new Date(order.created_at);
  const today = placed.toDateString() === new Date().toDateString();
  return today ? placed.toLocaleTimeString() : placed.toLocaleString();
}

function ticket(order) {
  const item = document.createElement("li");
  item.className = "ticket";
  item.dataset.orderId = String(order.id);
  item.append(
    text("h3", `#${order.id} · ${order.customer}`),
    text("p", placedAt(order), "meta"),
  );
  const lines = document.createElement("ul");
  lines.className = "ticket-lines";
  for (const line of order.items) lines.append(text("li", `${line.quantity} × ${line.name}`));
  item.append(lines);
  if (order.note) item.append(text("p", `Note: ${order.note}`, "ticket-note"));
  if (order.next_status) {
    const advance = text("button", `Move to ${STATUS_LABELS[order.next_status]}`, "button-small");
    advance.type = "button";
    advance.dataset.advance = String(order.id);
    advance.addEventListener("click", () => move(order, advance));
    item.append(advance);
  } else {
    item.append(text("p", STATUS_LABELS[order.status], "meta"));
  }
  return item;
}

function show(orders) {
  const fingerprint = JSON.stringify(orders);
  if (fingerprint === shown) return;
  shown = fingerprint;
  const columns = new Map();
  for (const order of orders) {
    const key = DONE.has(order.status) ? "done" : order.status;
    if (!columns.has(key)) columns.set(key, []);
    columns.get(key).push(order);
  }
  for (const column of document.querySelectorAll("[data-column]")) {
    let orders = columns.get(column.dataset.column) ?? [];
    // Oldest first while waiting: the kitchen cooks in order of arrival.
    orders = column.dataset.column === "done" ? orders.slice(0, DONE_SHOWN) : orders.slice().reverse();
    column.querySelector(".tickets").replaceChildren(...orders.map(ticket));
    column.querySelector("[data-column-count]").textContent = String(orders.length);
  }
}

/** The path and query of a "next" link, so the call stays on this origin. */
function samePath(url) {
  const next = new URL(url, location.href);
  return next.pathname + next.search;
}

async function fetchOrders() {
  const orders = [];
  let path = "/api/kitchen/orders/";
  for (let page = 0; path && page < MAX_PAGES; page += 1) {
    const answer = await callApi("GET", path);
    if (!answer.ok) return answer;
    orders.push(...answer.data.results);
    path = answer.data.next ? samePath(answer.data.next) : null;
  }
  return { ok: true, status: 200, data: orders };
}

async function refresh() {
  const answer = await fetchOrders();
  const error = document.querySelector("[data-board-error]");
  if (answer.ok) {
    error.hidden = true;
    show(answer.data);
  } else {
    error.textContent =
      answer.status === 401
        ? "The waiter no longer accepts your card. Log in again."
        : "The orders could not be loaded just now.";
    error.hidden = false;
  }
  return answer;
}

async function move(order, button) {
  button.disabled = true;
  // The status the board showed goes along, so a second click cannot move it twice.
  const answer = await callApi("POST", `/api/kitchen/orders/${order.id}/advance/`, {
    body: { current_status: order.status },
  });
  if (!answer.ok) {
    const error = document.querySelector("[data-board-error]");
    error.textContent = answer.data?.detail ?? "The order could not be moved.";
    error.hidden = false;
  }
  shown = "";
  await refresh();
}

async function poll() {
  const answer = await refresh();
  if (answer.status !== 401) setTimeout(poll, POLL_MS);
}

poll();
