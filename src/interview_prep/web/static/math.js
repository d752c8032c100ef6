// Math in questions, answers, key points and feedback, typeset by KaTeX (vendored in katex/).
// KaTeX is loaded only on a page whose text has a math delimiter, so other pages stay light.
// Delimiters: $$...$$ and \[...\] for display math, \(...\) and $...$ inline. A single "$" is
// math only by pandoc's rule (no space just inside either "$", no digit just after the closing
// one), so that "$5 and $10" or "$5-$10" stay prices.
(function () {
  "use strict";

  var script = document.currentScript;
  var ROOT = "main";
  var DELIMITERS = [
    { left: "$$", right: "$$", display: true },
    { left: "\\[", right: "\\]", display: true },
    { left: "\\(", right: "\\)", display: false },
  ];
  var IGNORED_TAGS = ["script", "noscript", "style", "textarea", "pre", "code", "option", "input"];
  // A "$" not escaped and not part of "$$", math up to the next such "$" on the same line.
  var SINGLE_DOLLAR = /(^|[^\\$])\$(?!\$)([^\s$](?:[^$\n]*?[^\s$\\])?)\$(?![\d$])/g;
  var HAS_MATH = /\$\$|\\\[|\\\(|(^|[^\\$])\$[^\s$]([^$\n]*?[^\s$\\])?\$(?![\d$])/;

  var loading = null;

  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = script.dataset.css;
      document.head.appendChild(css);
      var sources = [script.dataset.katex, script.dataset.autoRender];
      (function next() {
        if (!sources.length) return resolve();
        var tag = document.createElement("script");
        tag.src = sources.shift();
        tag.onload = next;
        tag.onerror = reject;
        document.head.appendChild(tag);
      })();
    });
    return loading;
  }

  function skipped(node) {
    for (var el = node.parentElement; el; el = el.parentElement) {
      if (IGNORED_TAGS.indexOf(el.tagName.toLowerCase()) !== -1) return true;
      if (el.classList.contains("katex") || el.classList.contains("no-math")) return true;
    }
    return false;
  }

  function textNodes(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) {
      if (!skipped(walker.currentNode)) nodes.push(walker.currentNode);
    }
    return nodes;
  }

  // auto-render cannot tell a price from inline math, so single-dollar math it would render is
  // rewritten as \(...\) first, and "$" is not one of its delimiters.
  function markSingleDollars(nodes) {
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      if (text.indexOf("$") === -1) return;
      var marked = text.replace(SINGLE_DOLLAR, function (match, before, tex) {
        return before + "\\(" + tex + "\\)";
      });
      if (marked !== text) node.nodeValue = marked;
    });
  }

  function typeset(root) {
    if (!root) return;
    var nodes = textNodes(root).filter(function (node) { return HAS_MATH.test(node.nodeValue); });
    if (!nodes.length) return;
    load().then(function () {
      markSingleDollars(nodes);
      window.renderMathInElement(root, {
        delimiters: DELIMITERS,
        ignoredTags: IGNORED_TAGS,
        ignoredClasses: ["no-math", "katex"],
        throwOnError: false,
      });
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    typeset(event.target);
  });

  function ready() {
    typeset(document.querySelector(ROOT));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
