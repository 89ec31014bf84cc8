/* The error summary (templates/_partials/error_summary.html), GOV.UK pattern:
 * - when the page loads with a summary, focus moves to it, so a screen reader reads it and a phone
 *   shows it, instead of leaving the user at the bottom of a long form;
 * - a link in it moves focus to its field and scrolls the field's label (or the group's legend) into
 *   view, so the question is visible above the input.
 * Without JavaScript the summary and its links still work. No inline scripts (strict CSP).
 */
(function () {
  "use strict";

  function labelFor(input) {
    var group = input.closest("fieldset");
    if ((input.type === "checkbox" || input.type === "radio") && group) {
      var legend = group.querySelector("legend");
      if (legend) {
        return legend;
      }
    }
    if (input.id) {
      var label = document.querySelector("label[for='" + CSS.escape(input.id) + "']");
      if (label) {
        return label;
      }
    }
    return input;
  }

  function focusField(id) {
    var input = document.getElementById(id);
    if (!input) {
      return false;
    }
    labelFor(input).scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
    return document.activeElement === input;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      if (focusField(decodeURIComponent(link.getAttribute("href").slice(1)))) {
        event.preventDefault();
      }
    });
  });
})();
