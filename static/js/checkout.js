/**
 * The cart page: change quantities, then place the order with POST /api/orders/.
 *
 * One checkout attempt has one Idempotency-Key. A double click, or a retry after
 * an answer that never arrived, sends the same key again and gets the same order
 * back (200) instead of a second one (201). A changed cart or address is a new
 * attempt with a new key.
 */
import { callApi } from "./api.js";
import { clearCart, formatCents, readCart, setQuantity, subtotalCents, toCents } from "./cart.js";

const form = document.querySelector("[data-checkout-form]");
const button = document.querySelector("[data-checkout-button]");
let attempt = null;
let sending = false;

function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function cell(content, className) {
  const td = document.createElement("td");
  if (className) td.className = className;
  td.append(content);
  return td;
}

function quantityInput(line) {
  const input = document.createElement("input");
  input.type = "number";
  input.min = "0";
  input.max = "20";
  input.value = String(line.quantity);
  input.className = "quantity";
  input.setAttribute("aria-label", `Quantity of ${line.name}`);
  input.addEventListener("change", () => {
    const quantity = Math.max(0, Math.min(20, Math.trunc(Number(input.value) || 0)));
    setQuantity(line.id, quantity);
  });
  return input;
}

function removeButton(line) {
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "button-secondary button-small";
  remove.textContent = "Remove";
  remove.setAttribute("aria-label", `Remove ${line.name}`);
  remove.addEventListener("click", () => setQuantity(line.id, 0));
  return remove;
}

function showCart() {
  const cart = readCart();
  const hasLines = cart.lines.length > 0;
  document.querySelector("[data-cart-empty]").hidden = hasLines;
  document.querySelector("[data-cart-full]").hidden = !hasLines;
  const lines = document.querySelector("[data-cart-lines]");
  if (!hasLines) {
    // No stale rows of an order already placed, should the table show again.
    lines.replaceChildren();
    return;
  }
  // Dishes added since (in another tab): a new order, no longer the one placed.
  document.querySelector("[data-order-placed]").hidden = true;
  const link = document.querySelector("[data-cart-restaurant]");
  link.textContent = cart.restaurant.name;
  link.href = `/restaurants/${encodeURIComponent(cart.restaurant.slug)}/`;
  lines.replaceChildren(
    ...cart.lines.map((line) => {
      const row = document.createElement("tr");
      row.dataset.dishId = String(line.id);
      row.append(
        cell(line.name),
        cell(quantityInput(line)),
        cell(line.price, "num narrow-hide"),
        cell(formatCents(toCents(line.price) * line.quantity), "num"),
        cell(removeButton(line)),
      );
      return row;
    }),
  );
  const subtotal = subtotalCents(cart);
  const fee = toCents(cart.restaurant.fee ?? "0");
  document.querySelector("[data-cart-subtotal]").textContent = formatCents(subtotal);
  document.querySelector("[data-cart-fee]").textContent = formatCents(fee);
  document.querySelector("[data-cart-total]").textContent = formatCents(subtotal + fee);
}

function clearErrors() {
  for (const slot of document.querySelectorAll("[data-error-for]")) {
    slot.textContent = "";
    if (slot.dataset.errorFor === "form") slot.hidden = true;
  }
}

/** Every message in an error value, however deeply the API nested it. */
function messages(value) {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(messages);
  if (value && typeof value === "object") return Object.values(value).flatMap(messages);
  return [];
}

function showErrors(data) {
  const general = [];
  if (data && typeof data === "object" && !Array.isArray(data)) {
    for (const [field, value] of Object.entries(data)) {
      if (field === "code") continue;
      const slot = document.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
      if (slot && field !== "form") {
        slot.textContent = messages(value).join(" ");
      } else {
        general.push(...messages(value));
      }
    }
  } else {
    general.push("The order could not be placed.");
  }
  if (general.length) {
    const box = document.querySelector('[data-error-for="form"]');
    box.textContent = general.join(" ");
    box.hidden = false;
  }
}

function orderBody() {
  const cart = readCart();
  return {
    restaurant: cart.restaurant.slug,
    items: cart.lines.map((line) => ({ menu_item: line.id, quantity: line.quantity })),
    delivery_address: form.elements.delivery_address.value.trim(),
    note: form.elements.note.value.trim(),
  };
}

async function placeOrder(event) {
  event.preventDefault();
  if (sending) return;
  sending = true;
  button.disabled = true;
  clearErrors();
  const body = orderBody();
  const fingerprint = JSON.stringify(body);
  if (!attempt || attempt.fingerprint !== fingerprint) {
    attempt = { key: newKey(), fingerprint };
  }
  const answer = await callApi("POST", "/api/orders/", {
    body,
    headers: { "Idempotency-Key": attempt.key },
  });
  sending = false;
  if (answer.status === 201 || answer.status === 200) {
    attempt = null;
    clearCart();
    form.reset();
    const placed = document.querySelector("[data-order-placed]");
    placed.querySelector("[data-order-placed-title]").textContent =
      `Order #${answer.data.id} is placed: ${answer.data.total} in all. The kitchen has it.`;
    placed.hidden = false;
    placed.focus();
  } else {
    if (answer.status === 401) {
      showErrors({ form: ["Your ID card was not accepted: log in again, your cart stays here."] });
    } else {
      showErrors(answer.data);
    }
  }
  button.disabled = false;
}

showCart();
document.addEventListener("cart-changed", showCart);
form?.addEventListener("submit", placeOrder);
