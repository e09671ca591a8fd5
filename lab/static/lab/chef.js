/**
 * The chef's screen of the Lab Bistro. DELIBERATELY VULNERABLE: never copy this.
 *
 * Two mistakes, each marked: the chef's card is kept in localStorage, and a
 * customer's review is put into the page as markup.
 */
import { callApi } from "../js/api.js";

const answer = await callApi("POST", "/lab/stolen-from-storage/card/");
if (answer.ok) {
  // MISTAKE: the card is kept where every script of this page can read it.
  localStorage.setItem("lab-card", answer.data.card);
}

const review = JSON.parse(document.getElementById("review-text").textContent);
if (review) {
  // MISTAKE: a customer's text becomes markup: its elements, and their event
  // handlers, are the page's own.
  document.querySelector("[data-reviews]").innerHTML = review;
}

const card = localStorage.getItem("lab-card");
document.querySelector("[data-storage]").textContent = card
  ? `lab-card = ${card.slice(0, 24)}… (the chef's card, whole)`
  : "nothing";
document.querySelector("[data-cookies]").textContent =
  document.cookie
    .split(";")
    .map((pair) => pair.split("=")[0].trim())
    .filter(Boolean)
    .join(", ") || "nothing";
