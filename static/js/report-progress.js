// The report page's progress bar: polls the report's small JSON status while it runs and updates
// the bar, the stage and the download link in place (no reload). Does nothing without the markup.
(function () {
  "use strict";
  var box = document.querySelector("[data-report-status]");
  if (!box) { return; }
  var url = box.getAttribute("data-report-status");
  var bar = box.querySelector("progress");
  var live = box.querySelector("[data-report-live]");
  var done = box.querySelector("[data-report-done]");
  var failed = box.querySelector("[data-report-failed]");
  var link = box.querySelector("[data-report-download]");
  var field = function (name) { return box.querySelector('[data-report-field="' + name + '"]'); };
  var delay = 1000;
  var lastStatus = null;

  function show(data) {
    bar.value = data.progress;
    bar.textContent = data.progress + " %";
    field("status_label").textContent = data.status_label;
    // The stage and its separator (": ") are shown and hidden together.
    var stage = field("stage");
    var stageBox = box.querySelector("[data-report-stage]");
    if (stage && stageBox) {
      stage.textContent = data.finished ? "" : data.stage;
      stageBox.hidden = data.finished || !data.stage;
    }
    if (data.status === "done") {
      if (!data.download_url) { return; }
      link.href = data.download_url;
      done.hidden = false;
      live.textContent = box.getAttribute("data-text-done");
    } else if (data.status === "failed") {
      field("error").textContent = data.error;
      failed.hidden = false;
      live.textContent = box.getAttribute("data-text-failed");
    } else if (data.status !== lastStatus || data.progress % 25 === 0) {
      live.textContent = data.progress + " % " + box.getAttribute("data-text-progress") + ".";
    }
    lastStatus = data.status;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        show(data);
        if (!data.finished) { window.setTimeout(poll, delay); }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  if (box.hasAttribute("data-finished")) { return; }
  window.setTimeout(poll, 500);
})();
