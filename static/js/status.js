/** The words for an order's status, as the API names them. */

export const STATUS_LABELS = {
  placed: "Placed",
  preparing: "Preparing",
  ready: "Ready",
  out_for_delivery: "Out for delivery",
  delivered: "Delivered",
  cancelled: "Cancelled",
};

export function statusBadge(status) {
  const badge = document.createElement("span");
  badge.className = `status status-${status}`;
  badge.dataset.status = status;
  badge.textContent = STATUS_LABELS[status] ?? status;
  return badge;
}

/** How often a page asks the API for news, in milliseconds. */
export const POLL_MS = 3000;
