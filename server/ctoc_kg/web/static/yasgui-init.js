// Starts YASGUI on the query page when its assets are installed (`make yasgui`).
(function () {
  var el = document.getElementById("yasgui");
  if (!el || typeof Yasgui === "undefined") return;
  var query = document.getElementById("query");
  var yasgui = new Yasgui(el, {
    requestConfig: { endpoint: el.dataset.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
  });
  var tab = yasgui.getTab();
  if (tab && query) { tab.setQuery(query.value); }
  document.getElementById("query-form").classList.add("with-yasgui");
})();
