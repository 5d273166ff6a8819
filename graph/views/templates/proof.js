// Proofreading page: the filter (all items / items needing attention / corrected items) and a
// small API for tests and scripts (window.ygProof). Builds no HTML from text.
(function () {
  "use strict";
  var main = document.getElementById("yg-proof");
  var select = document.getElementById("yg-proof-filter");
  var shown = document.getElementById("yg-shown");
  var items = Array.prototype.slice.call(main.querySelectorAll("section.yg-item"));

  function visible() {
    return items.filter(function (el) { return el.offsetParent !== null; }).length;
  }

  function setFilter(value) {
    if (["all", "attention", "corrected"].indexOf(value) < 0) {
      throw new Error("unknown filter " + value);
    }
    main.setAttribute("data-filter", value);
    select.value = value;
    shown.textContent = "显示 showing " + visible() + " / " + items.length;
    return visible();
  }

  select.addEventListener("change", function () { setFilter(select.value); });
  setFilter(select.value || "all");
  window.ygProof = {
    ready: true,
    setFilter: setFilter,
    visible: visible,
    items: items.length,
    flagged: main.querySelectorAll("section.yg-flagged-item").length,
    corrected: main.querySelectorAll("section.yg-corrected-item").length
  };
})();
