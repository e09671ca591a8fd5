/** A restaurant's page: add dishes to the cart, and see the cart at a glance. */
import { addDish, formatCents, readCart, subtotalCents } from "./cart.js";

const page = document.querySelector("[data-restaurant]");
const restaurant = {
  slug: page.dataset.slug,
  name: page.dataset.name,
  fee: page.dataset.fee,
};

function showSummary() {
  const list = document.querySelector("[data-summary-lines]");
  if (!list) return;
  const cart = readCart();
  const mine = cart.restaurant?.slug === restaurant.slug ? cart.lines : [];
  list.replaceChildren(
    ...mine.map((line) => {
      const item = document.createElement("li");
      item.textContent = `${line.quantity} × ${line.name}`;
      return item;
    }),
  );
  document.querySelector("[data-summary-empty]").hidden = mine.length > 0;
  const total = document.querySelector("[data-summary-total]");
  total.hidden = mine.length === 0;
  total.textContent = `Subtotal ${formatCents(subtotalCents(cart))}`;
  document.querySelector("[data-summary-checkout]").hidden = mine.length === 0;
}

for (const button of document.querySelectorAll("[data-add-dish]")) {
  button.addEventListener("click", () => {
    const replaced = addDish(restaurant, {
      id: Number(button.dataset.dishId),
      name: button.dataset.dishName,
      price: button.dataset.dishPrice,
    });
    const notice = document.querySelector("[data-cart-replaced]");
    if (notice && replaced) {
      notice.textContent = `An order comes from one restaurant: the dishes from ${replaced} left the cart.`;
      notice.hidden = false;
    }
    button.textContent = "Added";
    setTimeout(() => {
      button.textContent = "Add";
    }, 1200);
  });
}

showSummary();
document.addEventListener("cart-changed", showSummary);
