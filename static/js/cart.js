/**
 * The cart, kept in the browser's localStorage. It holds dishes, never a token:
 * storage that every script of the page can read is no place for a credential.
 *
 * A cart belongs to one restaurant, because an order does.
 */

const KEY = "delivery.cart";

function empty() {
  return { restaurant: null, lines: [] };
}

export function readCart() {
  try {
    const cart = JSON.parse(localStorage.getItem(KEY));
    if (cart && Array.isArray(cart.lines)) return cart;
  } catch {
    /* a damaged cart is an empty cart */
  }
  return empty();
}

function writeCart(cart) {
  localStorage.setItem(KEY, JSON.stringify(cart));
  document.dispatchEvent(new CustomEvent("cart-changed"));
}

export function clearCart() {
  writeCart(empty());
}

export function countDishes(cart = readCart()) {
  return cart.lines.reduce((sum, line) => sum + line.quantity, 0);
}

/** Money as cents, so that sums are exact; shown again with two places. */
export function toCents(price) {
  const [units, cents = "0"] = String(price).split(".");
  return Number(units) * 100 + Number(cents.padEnd(2, "0").slice(0, 2));
}

export function formatCents(cents) {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

export function subtotalCents(cart = readCart()) {
  return cart.lines.reduce((sum, line) => sum + toCents(line.price) * line.quantity, 0);
}

/**
 * Add a dish; return the name of the restaurant whose cart it replaced, if any.
 * restaurant: {slug, name, fee}; dish: {id, name, price}.
 */
export function addDish(restaurant, dish) {
  let cart = readCart();
  let replaced = null;
  if (cart.restaurant && cart.restaurant.slug !== restaurant.slug) {
    replaced = cart.restaurant.name;
    cart = empty();
  }
  cart.restaurant = restaurant;
  const line = cart.lines.find((each) => each.id === dish.id);
  if (line) {
    line.quantity = Math.min(line.quantity + 1, 20);
  } else {
    cart.lines.push({ ...dish, quantity: 1 });
  }
  writeCart(cart);
  return replaced;
}

export function setQuantity(dishId, quantity) {
  const cart = readCart();
  cart.lines = cart.lines
    .map((line) => (line.id === dishId ? { ...line, quantity } : line))
    .filter((line) => line.quantity > 0);
  if (cart.lines.length === 0) cart.restaurant = null;
  writeCart(cart);
}

window.addEventListener("storage", (event) => {
  if (event.key === KEY) document.dispatchEvent(new CustomEvent("cart-changed"));
});
