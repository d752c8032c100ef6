// Interview Prep: small progressive enhancements. Every page works without this file;
// it adds keyboard shortcuts, "expand all"/"collapse all", keeps aria-expanded in step, and
// tells the server the visitor's time zone (cookie "tz").
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // The server counts practice days and writes times in the visitor's time zone: tell it which.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var known = document.cookie.split("; ").some(function (pair) {
      return pair === "tz=" + encodeURIComponent(zone);
    });
    if (zone && !known) {
      document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (error) {
    // No Intl time zone support: the server uses UTC.
  }

  function questions() {
    return Array.prototype.slice.call(document.querySelectorAll("#results details.question"));
  }

  function syncExpanded(details) {
    var summary = details.querySelector(":scope > summary");
    if (summary) summary.setAttribute("aria-expanded", details.open ? "true" : "false");
  }

  function syncAll(root) {
    (root || document).querySelectorAll("details.question").forEach(syncExpanded);
  }

  function setAll(open) {
    questions().forEach(function (details) {
      details.open = open;
      syncExpanded(details);
    });
  }

  var current = null;

  function setCurrent(details, focus) {
    if (current && current !== details) current.classList.remove("is-current");
    current = details;
    if (!details) return;
    details.classList.add("is-current");
    if (focus) {
      var summary = details.querySelector(":scope > summary");
      summary.focus({ preventScroll: true });
      details.scrollIntoView({ block: "nearest" });
    }
  }

  function currentIndex(list) {
    var active = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("details.question")
      : null;
    var index = list.indexOf(active || current);
    return index;
  }

  function move(step) {
    var list = questions();
    if (!list.length) return;
    var index = currentIndex(list);
    var next = index === -1 ? (step > 0 ? 0 : list.length - 1) : index + step;
    next = Math.max(0, Math.min(list.length - 1, next));
    setCurrent(list[next], true);
  }

  function toggleCurrent() {
    var list = questions();
    var index = currentIndex(list);
    if (index === -1) return false;
    var details = list[index];
    details.open = !details.open;
    syncExpanded(details);
    setCurrent(details, true);
    return true;
  }

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (target && target.matches("details.question")) {
      target.open = true;
      syncExpanded(target);
      setCurrent(target, false);
    }
  }

  function isTyping(target) {
    return (
      target &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    );
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var search = document.getElementById("search");
    if (isTyping(event.target)) {
      if (event.key === "Escape" && event.target === search) {
        search.blur();
        var list = questions();
        if (list.length) setCurrent(list[0], true);
      }
      return;
    }
    var onQuestionPage = document.body.classList.contains("page-question");
    switch (event.key) {
      case "j":
      case "k":
        if (onQuestionPage) {
          var link = document.querySelector(event.key === "j" ? "a[rel=next]" : "a[rel=prev]");
          if (link) link.click();
        } else {
          move(event.key === "j" ? 1 : -1);
        }
        event.preventDefault();
        break;
      case "o":
        if (toggleCurrent()) event.preventDefault();
        break;
      case "Enter":
        // A focused <summary>, link or button already handles Enter itself.
        if (event.target === document.body || event.target.id === "main") {
          if (toggleCurrent()) event.preventDefault();
        }
        break;
      case "/":
        if (search) {
          event.preventDefault();
          search.focus();
          search.select();
        }
        break;
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-action]");
    if (!button) return;
    var action = button.getAttribute("data-action");
    if (action === "expand-all") setAll(true);
    if (action === "collapse-all") setAll(false);
  });

  // "toggle" does not bubble; listen in the capture phase to see every <details>.
  document.addEventListener(
    "toggle",
    function (event) {
      if (event.target.matches && event.target.matches("details.question")) {
        syncExpanded(event.target);
      }
    },
    true
  );

  document.addEventListener("focusin", function (event) {
    var details = event.target.closest && event.target.closest("#results details.question");
    if (details) setCurrent(details, false);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    current = null;
    syncAll(event.target);
  });

  // Printing shows every answer; the print stylesheet does too, this covers older browsers.
  var closedBeforePrint = [];
  window.addEventListener("beforeprint", function () {
    closedBeforePrint = Array.prototype.filter.call(
      document.querySelectorAll("details.question"),
      function (details) { return !details.open; }
    );
    closedBeforePrint.forEach(function (details) { details.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedBeforePrint.forEach(function (details) { details.open = false; });
    closedBeforePrint = [];
  });

  window.addEventListener("hashchange", openTarget);

  function ready() {
    syncAll(document);
    openTarget();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
