// The bank editor: rows added and removed in the lists, confirmation before deleting, and the
// question form checked as the user types (the server answers with the bank format's messages).
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  var form = document.getElementById("question-form");
  if (!form) return;

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.classList.contains("add-row")) {
      var template = document.getElementById(button.dataset.template);
      var target = document.getElementById(button.dataset.target);
      var row = template.content.firstElementChild.cloneNode(true);
      target.appendChild(row);
      var first = row.querySelector("textarea, input:not([type=hidden])");
      if (first) first.focus();
    } else if (button.classList.contains("remove-row")) {
      button.closest(".row").remove();
      schedule();
    }
  });

  var status = document.getElementById("form-problems");
  var timer = null;
  var sent = 0;

  function filled(row) {
    return Array.prototype.some.call(row.querySelectorAll("[data-part]"), function (el) {
      return el.value.trim() !== "";
    });
  }

  // "key_points[1].text" -> the text field of the second filled key point row.
  function fieldFor(path) {
    var list = /^(key_points|misconceptions|errata)\[(\d+)\](?:\.(\w+))?/.exec(path);
    if (list) {
      var rows = Array.prototype.filter.call(
        form.querySelectorAll('.row[data-list="' + list[1] + '"]'), filled);
      var row = rows[Number(list[2])];
      if (!row) return null;
      return row.querySelector('[data-part="' + (list[3] || "") + '"]') ||
        row.querySelector("[data-part]");
    }
    var plain = path.replace(/\[\d+\].*$/, "");
    return form.querySelector('[data-field="' + path + '"]') ||
      form.querySelector('[data-field="' + plain + '"]');
  }

  function clear() {
    Array.prototype.forEach.call(form.querySelectorAll(".field-problem"), function (el) {
      el.remove();
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
    });
  }

  function show(problems) {
    clear();
    var general = [];
    problems.forEach(function (problem) {
      var field = problem.field ? fieldFor(problem.field) : null;
      if (!field) {
        general.push((problem.field ? problem.field + ": " : "") + problem.message);
        return;
      }
      field.setAttribute("aria-invalid", "true");
      var note = document.createElement("span");
      note.className = "field-problem";
      note.textContent = problem.message;
      field.insertAdjacentElement("afterend", note);
    });
    status.textContent = problems.length === 0 ? "No problems found." :
      problems.length + (problems.length === 1 ? " problem" : " problems") + " to fix before saving." +
      (general.length ? " " + general.join(" ") : "");
    status.classList.toggle("has-problems", problems.length > 0);
  }

  function check() {
    var number = ++sent;
    var token = document.querySelector('meta[name="csrf-token"]');
    var headers = token ? {"X-CSRF-Token": token.content} : {};
    fetch(form.dataset.checkUrl,
      {method: "POST", body: new FormData(form), credentials: "same-origin", headers: headers})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (body && number === sent) show(body.problems);
      })
      .catch(function () { /* offline or restarting: the save checks again */ });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 300);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
