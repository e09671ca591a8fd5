/** On every page: the number of dishes in the cart, next to the Cart link. */
import { countDishes } from "./cart.js";

function showCount() {
  const badge = document.querySelector("[data-cart-count]");
  if (!badge) return;
  const count = countDishes();
  badge.textContent = String(count);
  badge.hidden = count === 0;
}

showCount();
document.addEventListener("cart-changed", showCount);
