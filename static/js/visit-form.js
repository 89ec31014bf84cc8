/* The visit form, enhanced. Everything here also works without JavaScript:
 * - "Tilføj behov" is a submit button that re-renders the form with one more need; here it adds the
 *   empty need form from a <template> instead, without a round trip.
 * - Under "Deltagende konsulenter" it shows which systems take part, and whether it is a joint visit.
 * No inline scripts, so a strict Content-Security-Policy stays possible.
 */
(function () {
  "use strict";

  var THREE_SYSTEMS = ["business", "employment", "education"];

  function addNeed(form, button) {
    var template = document.getElementById("behov-skabelon");
    var total = form.querySelector("input[name='behov-TOTAL_FORMS']");
    var max = form.querySelector("input[name='behov-MAX_NUM_FORMS']");
    var container = form.querySelector(".need-forms");
    if (!template || !total || !container) {
      return false;
    }
    var index = parseInt(total.value, 10) || 0;
    if (max && index >= parseInt(max.value, 10)) {
      button.disabled = true;
      return true;
    }
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var added = holder.firstElementChild;
    container.appendChild(added);
    total.value = String(index + 1);
    var first = added.querySelector("select, input, textarea");
    if (first) {
      first.focus();
    }
    return true;
  }

  function showSystems(form) {
    var indicator = document.getElementById("deltagende-systemer");
    if (!indicator) {
      return;
    }
    var list = indicator.querySelector(".systems-list");
    var names = [];
    var codes = [];
    form.querySelectorAll("input[name='consultants']:checked").forEach(function (box) {
      var code = box.getAttribute("data-system");
      if (code && codes.indexOf(code) === -1) {
        codes.push(code);
        names.push(box.getAttribute("data-system-name"));
      }
    });
    var kind = form.querySelector("select[name='kind']");
    var three = codes.filter(function (code) { return THREE_SYSTEMS.indexOf(code) !== -1; });
    var joint = three.length >= 2 || (kind && kind.value === "faelles");
    list.textContent = names.length ? names.join(", ") : indicator.getAttribute("data-none-label");
    var badge = indicator.querySelector(".joint-badge");
    if (joint && !badge) {
      badge = document.createElement("span");
      badge.className = "badge text-bg-success ms-2 joint-badge";
      badge.textContent = indicator.getAttribute("data-joint-label");
      indicator.appendChild(badge);
    } else if (!joint && badge) {
      badge.remove();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("besoegsformular");
    if (!form) {
      return;
    }
    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-add-need]");
      if (button && addNeed(form, button)) {
        event.preventDefault();
      }
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "consultants" || event.target.name === "kind") {
        showSystems(form);
      }
    });
    showSystems(form);
  });
})();
