// Query editor of `yuegang serve`: YASGUI bound to this server only, with the ready-made
// queries as examples. Everything it loads comes from this server (see vendor/README.md).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("yuegang-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).toString();
  document.getElementById("endpoint-url").textContent = endpoint;
  var examples = {};
  config.examples.forEach(function (example) { examples[example.name] = example; });

  // Yasgui merges its config into the defaults index by index, so a shorter list given below
  // would not remove anything: cut the defaults themselves. No LOV class/property look-ups.
  Yasgui.defaults.yasqe.autocompleters = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  // A new tab opens on a query of this graph's own terms (yg:…), not YASGUI's ?sub ?pred ?obj.
  if (config.start) {
    Yasgui.defaults.yasqe.value = config.start;
    Yasgui.Yasqe.defaults.value = config.start;
  }
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    corsProxy: undefined,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
      keys: [],
    },
    persistenceId: "yuegang-serve-" + window.location.host,
    yasqe: {
      // no LOV class/property look-ups, no prefix.cc, no link shortener: nothing off this server
      autocompleters: ["prefixes", "variables"],
      prefixCcApi: null,
      createShortLink: undefined,
    },
  });
  // A tab restored from an earlier session may point elsewhere: bring every tab back here.
  Object.keys(yasgui._tabs).forEach(function (id) {
    var tab = yasgui.getTab(id);
    if (tab && tab.getEndpoint && tab.getEndpoint() !== endpoint) { tab.setEndpoint(endpoint); }
  });

  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      var example = examples[button.dataset.name];
      if (!example) { return; }
      var tab = yasgui.addTab(true, {
        name: example.title,
        requestConfig: { endpoint: endpoint, method: "POST" },
        yasqe: { value: example.query },
      });
      tab.show();
      var editor = tab.getYasqe();
      if (editor) { editor.setValue(example.query); }
    });
  });
  window.yuegangYasgui = yasgui;
})();
