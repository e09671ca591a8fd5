/**
 * The token inspector and its tamper lab.
 *
 * The inspection itself is the server's (POST /api/auth/inspect/, or GET
 * /jwt/mine/ for the token in this browser's cookie): this page only shows it,
 * with each part in its colour and each claim in words, and counts down to expiry.
 * The lab edits a payload, glues it back to the old signature, and shows the
 * waiter the forgery. Below the checks, the card's login is drawn step by step
 * (born, each renewal, the current card or its end) when the server shows it:
 * to the card's owner, or for a card it accepts.
 */
import { callApi } from "./api.js";
import { text } from "./dom.js";
import { explain } from "./notepad.js";

const CLAIMS = {
  token_type: "What kind of card: \"access\" goes with every request; \"refresh\" only buys a new pair at the front desk.",
  exp: "Expires: seconds since 1 January 1970 (UTC). From then on the waiter refuses the card.",
  iat: "Issued at: when the front desk signed the card.",
  jti: "The card's serial number (JWT ID). A single refresh token can be blacklisted by it.",
  user_id: "Who the card speaks for: an account number, a reference rather than personal data.",
  username: "The account's name, so that nobody needs to ask the database who this is.",
  role: "What the holder may do: \"customer\" orders, \"kitchen\" moves orders on. Change it, and the signature no longer fits.",
  nbf: "Not before: the card is not valid until then.",
  fam: "The login this card comes from: every pair renewed from one login shares it, so one login can be ended without ending the others.",
};

const HEADER_FIELDS = {
  alg: "The signing algorithm. The server accepts only the one it is configured for, whatever the header says, so 'none' gets nowhere.",
  typ: "The type of token: a JWT.",
  kid: "Key ID: which of the server's keys signed the card, so keys can be changed without logging everyone out.",
};

const inspection = document.querySelector("[data-inspection]");
let countdownTimer = null;
let labToken = null;

function encodeSegment(value) {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** A token's three parts, each in its colour; null parts are shown as withheld. */
function colouredToken(target, [header, payload, signature]) {
  target.replaceChildren(
    text("span", header, "part-header"),
    ".",
    text("span", payload, "part-payload"),
    ".",
    text("span", signature, "part-signature"),
  );
}

function describe(list, object, words, unknown) {
  list.replaceChildren();
  for (const [name, value] of Object.entries(object ?? {})) {
    list.append(text("dt", `${name}: ${JSON.stringify(value)}`));
    list.append(text("dd", words[name] ?? unknown));
  }
}

function startCountdown(result) {
  clearInterval(countdownTimer);
  const target = document.querySelector("[data-countdown]");
  const exp = result.times?.exp;
  if (!exp) {
    target.textContent = "No expiry time to count down to.";
    return;
  }
  // The server's "seconds from now" is used rather than this computer's clock.
  const endsAt = Date.now() + exp.seconds_from_now * 1000;
  const tick = () => {
    const left = Math.round((endsAt - Date.now()) / 1000);
    if (left > 0) {
      const minutes = Math.floor(left / 60);
      const seconds = String(left % 60).padStart(2, "0");
      target.textContent = `Expires in ${minutes}:${seconds} (at ${exp.iso}).`;
      target.className = "countdown";
    } else {
      target.textContent = `Expired ${-left} seconds ago (at ${exp.iso}). The waiter refuses it now.`;
      target.className = "countdown countdown-over";
    }
  };
  tick();
  countdownTimer = setInterval(tick, 1000);
}

const STEP_TITLES = {
  born: "Born",
  renewed: "Renewed",
  "renewed again": "Renewed again",
  current: "Current card",
  ended: "Ended",
};

function when(iso) {
  return new Date(iso).toLocaleString();
}

function showFamily(family) {
  const box = document.querySelector("[data-family]");
  box.hidden = !family;
  if (!family) return;
  const summary = document.querySelector("[data-family-summary]");
  const steps = document.querySelector("[data-family-steps]");
  const card = document.querySelector("[data-family-card]");
  const opening = `Login ${family.id.slice(0, 12)}…, born ${when(family.born_at)}`;
  if (!family.shown) {
    summary.textContent = `${opening}. ${family.withheld}`;
    steps.replaceChildren();
    card.textContent = "";
    return;
  }
  const device = family.device ? ` on ${family.device}` : "";
  summary.textContent = `${opening}${device}: ${family.state}.`;
  steps.replaceChildren(
    ...family.steps.map((step) => {
      const item = text("li", "", `family-step family-step-${step.kind.replaceAll(" ", "-")}`);
      if (step.this_card) item.classList.add("family-step-this");
      item.append(text("strong", STEP_TITLES[step.kind] ?? step.kind), ` ${when(step.at)}`);
      if (step.this_card) item.append(text("span", "this card", "family-this"));
      if (step.jti) item.append(text("p", `refresh token jti ${step.jti}`, "mono meta"));
      item.append(text("p", step.detail));
      return item;
    }),
  );
  card.textContent = family.this_card;
}

function show(result, raw) {
  const header = result.header ?? {};
  const payload = result.payload ?? {};
  if (raw) {
    colouredToken(document.querySelector("[data-token-raw]"), raw.split("."));
  } else {
    colouredToken(document.querySelector("[data-token-raw]"), [
      encodeSegment(header),
      encodeSegment(payload),
      `[signature withheld: ${result.signature_length} characters]`,
    ]);
  }
  const verdict = document.querySelector("[data-verdict]");
  verdict.textContent = result.valid
    ? "Valid: the server accepts this token."
    : "Not valid: the server refuses it. The checks below say why.";
  verdict.className = `verdict ${result.valid ? "verdict-ok" : "verdict-bad"}`;
  document.querySelector("[data-header-json]").textContent = JSON.stringify(result.header, null, 2);
  document.querySelector("[data-payload-json]").textContent = JSON.stringify(result.payload, null, 2);
  describe(document.querySelector("[data-header-claims]"), header, HEADER_FIELDS, "Not a field this server writes.");
  describe(document.querySelector("[data-payload-claims]"), payload, CLAIMS, "Not a claim this server issues.");
  const signature = document.querySelector("[data-signature]");
  const note = document.querySelector("[data-signature-note]");
  if (result.source === "cookie") {
    signature.textContent = `${result.signature_length} characters, withheld`;
    note.textContent =
      "The server checked it (see below) but does not show it: header + payload + signature is the whole token, and this page must never hold yours.";
  } else {
    signature.textContent = result.signature || "(empty)";
    note.textContent =
      "Computed over the header and payload with a key only the server has. Change one character of either and it no longer matches.";
  }
  document.querySelector("[data-checks]").replaceChildren(
    ...result.checks.map((check) => {
      const item = text("li", "", check.ok ? "check check-ok" : "check check-bad");
      item.append(text("strong", `${check.ok ? "✓" : "✗"} ${check.name}`), ` — ${check.detail}`);
      return item;
    }),
  );
  document.querySelector("[data-size]").textContent = `${result.size_bytes} bytes in all.`;
  showFamily(result.family);
  startCountdown(result);
  inspection.hidden = false;
}

document.querySelector("[data-inspect-mine]")?.addEventListener("click", async () => {
  const answer = await callApi("GET", "/jwt/mine/");
  if (answer.ok) show(answer.data, null);
});

const pasteForm = document.querySelector("[data-inspect-form]");
pasteForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const token = pasteForm.elements.token.value.trim();
  const error = pasteForm.querySelector('[data-error-for="token"]');
  error.textContent = "";
  const answer = await callApi("POST", "/api/auth/inspect/", {
    body: { token },
    travel: "none: the token to explain goes in the body",
  });
  if (answer.ok) {
    show(answer.data, token);
  } else {
    error.textContent = (answer.data?.token ?? [answer.data?.detail ?? "Not inspected."]).join(" ");
  }
});

/* --- The tamper lab --------------------------------------------------------- */

const bench = document.querySelector("[data-lab-bench]");
const labError = document.querySelector("[data-lab-error]");
const payloadBox = document.querySelector("[data-lab-payload]");
const sendButton = document.querySelector("[data-lab-send]");
let forged = null;

function labProblem(message) {
  labError.textContent = message;
  labError.hidden = !message;
}

function decodeSegment(segment) {
  const base64 = segment.replaceAll("-", "+").replaceAll("_", "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
}

function loadLab(token) {
  const parts = token.split(".");
  try {
    if (parts.length !== 3) throw new Error("three parts");
    payloadBox.value = JSON.stringify(decodeSegment(parts[1]), null, 2);
  } catch {
    labProblem("That is not a JWT with a readable payload.");
    return;
  }
  labToken = token;
  forged = null;
  sendButton.disabled = true;
  document.querySelector("[data-lab-forged]").replaceChildren();
  document.querySelector("[data-lab-result]").replaceChildren();
  labProblem("");
  bench.hidden = false;
}

document.querySelector("[data-lab-login]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const answer = await callApi("POST", "/api/auth/token/", {
    body: { username: form.elements.username.value, password: form.elements.password.value },
    travel: "none: a username and password go in the body",
  });
  form.elements.password.value = "";
  if (answer.ok) {
    loadLab(answer.data.access);
  } else {
    labProblem(answer.data?.detail ?? "No token: check the username and password.");
  }
});

document.querySelector("[data-lab-use-pasted]").addEventListener("click", () => {
  const token = pasteForm.elements.token.value.trim();
  if (token) loadLab(token);
  else labProblem("Paste a token in the box above first.");
});

for (const button of document.querySelectorAll("[data-lab-set]")) {
  button.addEventListener("click", () => {
    let payload;
    try {
      payload = JSON.parse(payloadBox.value);
    } catch {
      labProblem("The payload is not valid JSON any more.");
      return;
    }
    payloadBox.value = JSON.stringify({ ...payload, ...JSON.parse(button.dataset.labSet) }, null, 2);
  });
}

document.querySelector("[data-lab-forge]").addEventListener("click", () => {
  let payload;
  try {
    payload = JSON.parse(payloadBox.value);
  } catch {
    labProblem("The payload is not valid JSON: fix it first.");
    return;
  }
  labProblem("");
  const [header, , signature] = labToken.split(".");
  forged = `${header}.${encodeSegment(payload)}.${signature}`;
  colouredToken(document.querySelector("[data-lab-forged]"), forged.split("."));
  sendButton.disabled = false;
});

const FORGERY_REFUSED =
  "401 Unauthorized: the old signature does not match the changed payload, so the waiter refuses the card outright. Forging a claim would need the server's key.";

async function showToWaiter(token, label, isForgery) {
  const answer = await callApi("GET", "/api/kitchen/orders/", { bearer: token });
  const result = document.querySelector("[data-lab-result]");
  const line = text("p", "", answer.ok ? "lab-answer lab-answer-ok" : "lab-answer lab-answer-bad");
  line.dataset.status = String(answer.status);
  let verdict;
  if (answer.ok) verdict = "200: the waiter accepted the card and showed the kitchen's orders.";
  else if (answer.status === 401 && isForgery) verdict = FORGERY_REFUSED;
  else verdict = explain(answer.status, answer.data);
  line.append(text("strong", `${label}: `), verdict);
  result.prepend(line);
}

sendButton.addEventListener("click", () => showToWaiter(forged, "The forged card", true));
document.querySelector("[data-lab-send-original]").addEventListener("click", () =>
  showToWaiter(labToken, "The untouched card", false),
);
