/**
 * My orders: the customer's orders from GET /api/orders/, asked again every few
 * seconds, so that a status the kitchen changes shows here without a reload.
 */
import { callApi } from "./api.js";
import { text } from "./dom.js";
import { POLL_MS, statusBadge } from "./status.js";

const list = document.querySelector("[data-orders]");
const restaurantNames = JSON.parse(document.getElementById("restaurant-names").textContent);
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

function show(orders) {
  const fingerprint = JSON.stringify(orders);
  if (fingerprint === shown) return;
  shown = fingerprint;
  list.replaceChildren(...orders.map(card));
  document.querySelector("[data-orders-empty]").hidden = orders.length > 0;
}

async function refresh() {
  const answer = await callApi("GET", "/api/orders/");
  const error = document.querySelector("[data-orders-error]");
  if (answer.ok) {
    error.hidden = true;
    show(answer.data.results);
  } else {
    error.textContent =
      answer.status === 401
        ? "The waiter no longer accepts your card. Log in again to see your orders."
        : "Your orders could not be loaded just now.";
    error.hidden = false;
  }
  return answer;
}

async function poll() {
  const answer = await refresh();
  if (answer.status !== 401) setTimeout(poll, POLL_MS);
}

poll();
