// The colour theme, chosen per browser: the system's (the default), light or dark. Loaded in
// <head> without defer, right after dark.css's <link>, so that the theme is in place before the
// first paint (no flash of the other one); as a file of the app it passes the CSP, which allows
// no inline script. Without JavaScript, dark.css follows the system through its media query.
(function () {
  "use strict";

  var KEY = "theme";
  var MEDIA = {
    system: "screen and (prefers-color-scheme: dark)",
    light: "not all",
    dark: "screen",
  };
  var sheet = document.getElementById("dark-theme");

  function stored() {
    try {
      var theme = window.localStorage.getItem(KEY);
      return Object.prototype.hasOwnProperty.call(MEDIA, theme) ? theme : "system";
    } catch (error) {
      return "system"; // storage blocked: the system's theme
    }
  }

  function apply(theme) {
    if (sheet) sheet.media = MEDIA[theme];
    document.documentElement.setAttribute("data-theme", theme);
    var meta = document.querySelector('meta[name="color-scheme"]');
    if (meta) meta.content = theme === "system" ? "light dark" : theme;
    var choice = document.getElementById("theme-choice");
    if (choice) choice.value = theme;
  }

  apply(stored());

  // Another tab changed the theme: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) apply(stored());
  });

  function ready() {
    var choice = document.getElementById("theme-choice");
    if (!choice) return;
    choice.value = stored();
    choice.closest(".theme-choice").hidden = false;
    choice.addEventListener("change", function () {
      try {
        if (choice.value === "system") window.localStorage.removeItem(KEY);
        else window.localStorage.setItem(KEY, choice.value);
      } catch (error) {
        // Storage blocked: the choice holds for this page only.
      }
      apply(choice.value);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
