// Practice pages: the answer countdown, drafts saved as you type, rating keys, and the set-up
// form's categories. Every page works without this file: forms post and redirect, and the
// server keeps the clock (it marks a late answer as timed out, and submits an abandoned one).
(function () {
  "use strict";

  var submitting = false;

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function format(seconds) {
    var whole = Math.max(0, Math.ceil(seconds));
    var hours = Math.floor(whole / 3600);
    var minutes = Math.floor((whole % 3600) / 60);
    var rest = pad(whole % 60);
    return hours ? hours + ":" + pad(minutes) + ":" + rest : minutes + ":" + rest;
  }

  function isTyping(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function submitAnswer(form) {
    if (submitting) return;
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  // The countdown runs from the time left when the server rendered the page, so a resumed
  // session continues from the server's deadline whatever the computer's clock says.
  function countdown(form) {
    var box = document.querySelector("[data-countdown]");
    if (!box) return;
    var value = box.querySelector("[data-countdown-value]");
    var bar = box.querySelector("[data-countdown-bar]");
    var status = form.querySelector("[data-form-status]");
    var limit = parseFloat(box.getAttribute("data-limit")) || 0;
    var remaining = parseFloat(box.getAttribute("data-remaining")) || 0;
    var end = performance.now() + remaining * 1000;
    var warned = false;

    function tick() {
      var left = (end - performance.now()) / 1000;
      value.textContent = format(left);
      if (bar) bar.value = Math.max(0, left);
      if (left <= Math.min(30, limit / 4) && !warned) {
        warned = true;
        box.classList.add("is-low");
      }
      if (left <= 0) {
        box.classList.add("is-over");
        if (status && !submitting) status.textContent = "Time is up: submitting your answer as it stands…";
        submitAnswer(form);
        return;
      }
      // Wake just after the displayed second changes.
      var wait = (left * 1000) % 1000 || 1000;
      window.setTimeout(tick, Math.min(wait + 15, left * 1000 + 15));
    }
    tick();
  }

  function drafts(form) {
    var url = form.getAttribute("data-draft-url");
    var textarea = form.querySelector("textarea[name=answer]");
    if (!url || !textarea) return;
    var saved = textarea.value;
    var timer = null;

    function body() {
      var data = new FormData();
      data.append("index", form.elements.index.value);
      data.append("answer", textarea.value);
      // Team mode: the page's CSRF token (sendBeacon cannot send it as a header).
      if (form.elements.csrf_token) data.append("csrf_token", form.elements.csrf_token.value);
      return data;
    }

    function save() {
      timer = null;
      if (submitting || textarea.value === saved) return;
      var text = textarea.value;
      fetch(url, { method: "POST", body: body(), credentials: "same-origin" })
        .then(function (response) { if (response.ok) saved = text; })
        .catch(function () { /* offline: the next keystroke tries again */ });
    }

    textarea.addEventListener("input", function () {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(save, 1500);
    });
    // A tab closed or left mid-answer keeps what was typed.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "hidden" || submitting || textarea.value === saved) return;
      if (navigator.sendBeacon && navigator.sendBeacon(url, body())) saved = textarea.value;
    });
    form.addEventListener("submit", function () {
      if (timer) window.clearTimeout(timer);
    });
  }

  function answerPage() {
    var form = document.getElementById("answer-form");
    if (!form) return;
    var textarea = form.querySelector("textarea[name=answer]");
    form.addEventListener("submit", function (event) {
      if (submitting) {
        event.preventDefault();
        return;
      }
      // Only a click on "Submit answer" asks: the countdown submits whatever stands, and a
      // skip is meant to leave the answer empty.
      var button = event.submitter;
      var empty = textarea && !textarea.value.trim();
      if (empty && button && button.hasAttribute("data-submit") &&
          !window.confirm("Submit an empty answer?")) {
        event.preventDefault();
        return;
      }
      submitting = true;
      var button = form.querySelector("[data-submit]");
      if (button) button.setAttribute("aria-disabled", "true");
      var status = form.querySelector("[data-form-status]");
      if (status && !status.textContent) status.textContent = "Grading your answer…";
    });
    countdown(form);
    drafts(form);
  }

  function ratingKeys() {
    var form = document.querySelector(".rating-form");
    if (!form) return;
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      var button = form.querySelector('button[data-key="' + event.key + '"]');
      if (button) {
        event.preventDefault();
        button.click();
      }
    });
  }

  // The category boxes list every bank's categories; once a bank is chosen, show its own.
  function setupForm() {
    var bank = document.getElementById("setup-bank");
    if (!bank) return;
    function filter() {
      document.querySelectorAll(".category-choice li[data-banks]").forEach(function (item) {
        var banks = item.getAttribute("data-banks").split(" ");
        var shown = !bank.value || banks.indexOf(bank.value) !== -1;
        item.hidden = !shown;
        if (!shown) item.querySelector("input").checked = false;
      });
    }
    bank.addEventListener("change", filter);
    filter();
  }

  function ready() {
    answerPage();
    ratingKeys();
    setupForm();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
