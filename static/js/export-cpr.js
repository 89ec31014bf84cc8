// The export page's form for the ESF file with full CPR numbers: it takes the period and the
// partnership chosen in the form above it when it is sent (without script: those the page showed).
(function () {
  "use strict";
  var form = document.querySelector("form[data-cpr-export]");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    ["periode", "partnerskab"].forEach(function (name) {
      var chosen = document.querySelector('form[method="get"] [name="' + name + '"]');
      var hidden = form.querySelector('input[type="hidden"][name="' + name + '"]');
      if (chosen && hidden) { hidden.value = chosen.value; }
    });
  });
})();
