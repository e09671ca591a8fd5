/**
 * My orders: the customer's orders from GET /api/orders/, asked again every few
 * seconds, so that a status the kitchen changes shows here without a reload.
 *
 * The API sends the newest orders first, a page at a time; "Show older orders"
 * follows the page's `next` link. Only the first page is asked for again: older
 * orders are finished, or nearly so.
 */
import { callApi } from "./api.js";
import { text } from "./dom.js";
import { POLL_MS, statusBadge } from "./status.js";

const list = document.querySelector("[data-orders]");
const olderButton = document.querySelector("[data-orders-older]");
const restaurantNames = JSON.parse(document.getElementById("restaurant-names").textContent);
const known = new Map(); // every order seen, by id
let olderPath = null; // where the next older page starts, if there is one
let olderShown = false; // whether older pages were asked for
let shown = "";

function linesTable(order) {
  const table = document.createElement("table");
  table.className = "lines";
  const body = document.createElement("tbody");
  for (const line of order.items) {
    const row = document.createElement("tr");
    row.append(
      text("td", `${line.quantity} ×`, "num"),
      text("td", line.name),
      text("td", line.unit_price, "num"),
      text("td", line.line_total, "num"),
    );
    body.append(row);
  }
  const foot = document.createElement("tfoot");
  for (const [label, amount] of [
    ["Subtotal", order.subtotal],
    ["Delivery fee", order.delivery_fee],
    ["Total", order.total],
  ]) {
    const row = document.createElement("tr");
    const th = text("th", label);
    th.colSpan = 3;
    th.scope = "row";
    row.append(th, text("td", amount, "num"));
    foot.append(row);
  }
  table.append(body, foot);
  return table;
}

function card(order) {
  const item = document.createElement("li");
  item.className = "card order";
  item.id = `order-${order.id}`;
  item.dataset.orderId = String(order.id);
  const head = document.createElement("div");
  head.className = "order-head";
  const title = text("h2", `Order #${order.id} · ${restaurantNames[order.restaurant] ?? order.restaurant}`);
  head.append(title, statusBadge(order.status));
  const when = text("p", `Placed ${new Date(order.created_at).toLocaleString()} · to ${order.delivery_address}`, "meta");
  item.append(head, when);
  if (order.note) item.append(text("p", `Note: ${order.note}`, "meta"));
  const wrap = document.createElement("div");
  wrap.className = "table-wrap";
  wrap.append(linesTable(order));
  item.append(wrap);
  if (order.status === "placed") {
    const cancel = text("button", "Cancel this order", "button-secondary button-small");
    cancel.type = "button";
    cancel.addEventListener("click", async () => {
      cancel.disabled = true;
      await callApi("POST", `/api/orders/${order.id}/cancel/`);
      await refresh();
    });
    item.append(cancel);
  }
  return item;
}

/** Newest first, as the API sends them. */
function newestFirst(a, b) {
  return Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id;
}

function show() {
  const orders = [...known.values()].sort(newestFirst);
  olderButton.hidden = olderPath === null;
  const fingerprint = JSON.stringify(orders);
  if (fingerprint === shown) return;
  shown = fingerprint;
  list.replaceChildren(...orders.map(card));
  document.querySelector("[data-orders-empty]").hidden = orders.length > 0;
}

/** The path and query of a "next" link, so the call stays on this origin. */
function samePath(url) {
  const next = new URL(url, location.href);
  return next.pathname + next.search;
}

function remember(page) {
  for (const order of page.results) known.set(order.id, order);
}

async function refresh() {
  const answer = await callApi("GET", "/api/orders/");
  const error = document.querySelector("[data-orders-error]");
  if (answer.ok) {
    error.hidden = true;
    if (!olderShown) {
      // Until older pages are asked for, the page shows the first page alone.
      known.clear();
      olderPath = answer.data.next ? samePath(answer.data.next) : null;
    }
    remember(answer.data);
    show();
  } else {
    error.textContent =
      answer.status === 401
        ? "The waiter no longer accepts your card. Log in again to see your orders."
        : "Your orders could not be loaded just now.";
    error.hidden = false;
  }
  return answer;
}

async function showOlder() {
  olderButton.disabled = true;
  const answer = await callApi("GET", olderPath);
  olderButton.disabled = false;
  if (!answer.ok) return;
  olderShown = true;
  remember(answer.data);
  olderPath = answer.data.next ? samePath(answer.data.next) : null;
  show();
}

olderButton.addEventListener("click", showOlder);

async function poll() {
  const answer = await refresh();
  if (answer.status !== 401) setTimeout(poll, POLL_MS);
}

poll();
