/* Forms marked data-no-enter-submit are not sent by Enter in a single-line field (or by the phone
 * keyboard's "Gå" key): a long form half filled in must not be saved as it stands. Enter moves to the
 * next field instead, and the phone keyboard labels the key "next" (enterkeyhint). Enter still makes
 * new lines in a textarea and still presses a focused button. Without JavaScript, such a form should
 * put its safest action first (e.g. "Gem som kladde"), since Enter presses the first submit button.
 */
(function () {
  "use strict";

  var NOT_SINGLE_LINE = ["button", "submit", "reset", "image", "file", "hidden"];

  function isSingleLine(element) {
    return element.tagName === "INPUT" && NOT_SINGLE_LINE.indexOf(element.type) === -1;
  }

  function nextField(form, current) {
    var fields = Array.prototype.filter.call(form.elements, function (element) {
      return !element.disabled && element.type !== "hidden" && element.tabIndex !== -1 &&
        element.offsetParent !== null && element.tagName !== "FIELDSET";
    });
    var index = fields.indexOf(current);
    return index >= 0 ? fields[index + 1] : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-no-enter-submit]").forEach(function (form) {
      Array.prototype.forEach.call(form.elements, function (element) {
        if (isSingleLine(element) && !element.hasAttribute("enterkeyhint")) {
          element.setAttribute("enterkeyhint", "next");
        }
      });
      form.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || event.isComposing || !isSingleLine(event.target)) {
          return;
        }
        event.preventDefault();
        var next = nextField(form, event.target);
        if (next && next.type !== "submit" && next.tagName !== "BUTTON") {
          next.focus();
        }
      });
    });
  });
})();
