// Offline stand-in for Shopify's App Bridge script, served only when APP_BRIDGE_URL points here (the
// demo): there is no Shopify admin around the app, so the session token comes from the page's URL and
// is added to the app's own requests, as App Bridge does.
(function () {
  var params = new URLSearchParams(window.location.search);
  var token = params.get("id_token") || window.sessionStorage.getItem("demo-id-token");
  if (token) window.sessionStorage.setItem("demo-id-token", token);
  var script = document.currentScript;
  window.shopify = {
    config: { apiKey: script && script.dataset.apiKey, shop: params.get("shop"), host: params.get("host") },
    idToken: function () {
      return Promise.resolve(token);
    },
    toast: {
      show: function (message) {
        console.info(message);
      },
    },
    loading: function () {},
  };
  var originalFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" ? input : input.url, window.location.href);
    if (url.origin === window.location.origin && token) {
      var headers = new Headers((init && init.headers) || (typeof input !== "string" && input.headers) || {});
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      init = Object.assign({}, init, { headers: headers });
    }
    return originalFetch(input, init);
  };
})();
