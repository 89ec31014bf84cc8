/* A live character counter under long text fields (kompetence.forms.apply_text_limits marks them
 * with data-char-counter and data-maxlength; the limit is also stated in the help text).
 * The field has no maxlength attribute on purpose: the browser would cut a long paste off silently.
 * The counter shows what is left, or how much is too much; the server refuses an overlong text with
 * a message next to the field. The count matches the server's: characters (not UTF-16 units), and a
 * line break counts two, as browsers send it (CR LF).
 * The visible counter is not a live region (it would speak at every key); a hidden one says the same
 * once typing pauses. The texts come from the page (data-counter-text, data-counter-over-text).
 */
(function () {
  "use strict";

  var format = new Intl.NumberFormat(document.documentElement.lang || "da");

  function length(value) {
    return Array.from(value.replace(/\r?\n/g, "\r\n")).length;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function setUp(field) {
    var limit = parseInt(field.getAttribute("data-maxlength"), 10);
    if (!limit || !field.id) {
      return;
    }
    var counter = document.createElement("div");
    counter.className = "form-text char-counter";
    counter.id = field.id + "_counter";
    counter.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    var help = document.getElementById(field.id + "_helptext");
    var anchor = help && help.parentNode === field.parentNode ? help : field;
    anchor.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", spoken);
    var timer = null;

    function update(speak) {
      var count = length(field.value);
      var over = count - limit;
      var text = over > 0
        ? fill(field.getAttribute("data-counter-over-text") || "%(over)s / %(limit)s", { over: format.format(over), limit: format.format(limit) })
        : fill(field.getAttribute("data-counter-text") || "%(count)s / %(limit)s", { count: format.format(count), limit: format.format(limit) });
      counter.textContent = text;
      counter.classList.toggle("char-counter-over", over > 0);
      if (speak) {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { spoken.textContent = text; }, 1000);
      }
    }

    field.addEventListener("input", function () { update(true); });
    update(false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-char-counter]").forEach(setUp);
  });
})();
