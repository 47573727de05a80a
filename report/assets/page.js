// Filters for the doorman report: severity checkboxes and a free-text box.
// Findings carry their severity and search text in data attributes, so a
// page with ten thousand findings needs no per-finding script objects.
(function () {
  "use strict";
  var panel = document.getElementById("filters");
  if (!panel) { return; }
  var boxes = panel.querySelectorAll("input[type=checkbox]");
  var query = document.getElementById("q");
  var shown = document.getElementById("shown");
  var items = document.querySelectorAll("#findings article.f");
  var paths = document.querySelectorAll("#findings .pg");
  var groups = document.querySelectorAll("#findings section.sev");
  var timer = 0;

  function apply() {
    var on = {};
    var i;
    for (i = 0; i < boxes.length; i++) { on[boxes[i].value] = boxes[i].checked; }
    var q = query.value.trim().toLowerCase();
    var n = 0;
    for (i = 0; i < items.length; i++) {
      var f = items[i];
      var ok = on[f.getAttribute("data-sev")] !== false &&
        (q === "" || f.getAttribute("data-q").indexOf(q) >= 0);
      f.hidden = !ok;
      if (ok) { n++; }
    }
    for (i = 0; i < paths.length; i++) {
      paths[i].hidden = paths[i].querySelector("article.f:not([hidden])") === null;
    }
    for (i = 0; i < groups.length; i++) {
      groups[i].hidden = groups[i].querySelector(".pg:not([hidden])") === null;
    }
    shown.textContent = n === items.length ? "showing all " + n : "showing " + n + " of " + items.length;
  }

  for (var i = 0; i < boxes.length; i++) { boxes[i].addEventListener("change", apply); }
  // Debounced: with thousands of findings, filtering on every keystroke
  // would make typing lag.
  query.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  panel.hidden = false;
  apply();
})();
