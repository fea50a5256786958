// The offline admin's App Bridge: what Shopify's app-bridge.js does for this app, served by the admin
// shell (simulator/admin/shell.ts) and loaded only when the app's APP_BRIDGE_URL points at it. The app
// runs in the shell's iframe; everything the real script asks of Shopify admin (a fresh session token,
// a toast, the loading bar, the navigation menu, the title bar) is asked of the shell by postMessage.
(function () {
  "use strict";
  var script = document.currentScript;
  var adminOrigin = new URL(script.src).origin;
  var params = new URLSearchParams(window.location.search);
  var admin = window.parent !== window ? window.parent : null;

  // ---- messages to and from the shell
  var nextId = 1;
  var waiting = {};
  function post(message) {
    if (admin) admin.postMessage(Object.assign({ source: "app-bridge" }, message), adminOrigin);
  }
  function ask(message) {
    return new Promise(function (resolve, reject) {
      if (!admin) return reject(new Error("The app is not inside the admin shell"));
      var id = nextId++;
      waiting[id] = { resolve: resolve, reject: reject };
      post(Object.assign({ id: id }, message));
    });
  }
  window.addEventListener("message", function (event) {
    if (event.origin !== adminOrigin || event.source !== admin || !event.data) return;
    var data = event.data;
    if (data.reply && waiting[data.reply]) {
      var pending = waiting[data.reply];
      delete waiting[data.reply];
      if (data.error) pending.reject(new Error(data.error));
      else pending.resolve(data.value);
    } else if (data.type === "navigate") {
      navigate(data.href);
    }
  });

  // ---- session tokens: the one in the URL first, then fresh ones from the shell before they expire
  var token = params.get("id_token");
  function expiresAt(jwt) {
    try {
      var payload = JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      return payload.exp * 1000;
    } catch {
      return 0;
    }
  }
  var renewing = null;
  function idToken() {
    if (token && expiresAt(token) - Date.now() > 10000) return Promise.resolve(token);
    if (!renewing) {
      renewing = ask({ type: "idToken" }).then(
        function (fresh) {
          token = fresh;
          renewing = null;
          return fresh;
        },
        function (error) {
          renewing = null;
          throw error;
        },
      );
    }
    return renewing;
  }

  // ---- authenticated fetch: the app's own requests carry a session token, and a request the app
  // refused for an invalid session is retried once with a fresh one (as App Bridge does)
  var originalFetch = window.fetch.bind(window);
  function withToken(input, init, fresh) {
    return idToken().then(function (jwt) {
      var request = new Request(input, init);
      var headers = new Headers(request.headers);
      if (fresh || !headers.has("Authorization")) headers.set("Authorization", "Bearer " + jwt);
      return new Request(request, { headers: headers });
    });
  }
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" || input instanceof URL ? String(input) : input.url, location.href);
    if (url.origin !== location.origin) return originalFetch(input, init);
    return withToken(input, init, false).then(function (request) {
      var retry = request.clone();
      return originalFetch(request).then(function (response) {
        if (response.status !== 401 || response.headers.get("X-Shopify-Retry-Invalid-Session-Request") !== "1") {
          return response;
        }
        token = null;
        return withToken(retry, undefined, true).then(originalFetch);
      });
    });
  };

  // ---- the bounce page: a document request without a session token is sent here to get one
  var reload = params.get("shopify-reload");
  if (reload) {
    idToken().then(function (jwt) {
      var target = new URL(reload, location.href);
      if (target.origin !== location.origin) return;
      target.searchParams.set("id_token", jwt);
      location.replace(target.toString());
    });
  }

  // ---- navigation menu and title bar: read from the app's <ui-nav-menu> and <ui-title-bar>
  function navItems() {
    var menu = document.querySelector("ui-nav-menu");
    if (!menu) return [];
    return Array.prototype.map.call(menu.querySelectorAll("a[href]"), function (a) {
      return { label: a.textContent.trim(), href: a.getAttribute("href"), home: a.getAttribute("rel") === "home" };
    });
  }
  function navigate(href) {
    var menu = document.querySelector("ui-nav-menu");
    var links = menu ? menu.querySelectorAll("a[href]") : [];
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("href") === href) {
        links[i].dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
        return;
      }
    }
    if (href.charAt(0) === "/") location.assign(href);
  }
  var hidden = new Set(["embedded", "shop", "host", "id_token", "locale", "session", "timestamp", "hmac"]);
  function appPath() {
    var search = new URLSearchParams(location.search);
    Array.from(search.keys()).forEach(function (key) {
      if (hidden.has(key)) search.delete(key);
    });
    var query = search.toString();
    return location.pathname + (query ? "?" + query : "");
  }
  var last = "";
  function report() {
    var bars = document.querySelectorAll("ui-title-bar");
    var title = bars.length ? bars[bars.length - 1].getAttribute("title") || "" : "";
    var state = JSON.stringify({ nav: navItems(), title: title, path: appPath() });
    if (state === last) return;
    last = state;
    post(Object.assign({ type: "state" }, JSON.parse(state)));
  }
  var scheduled = false;
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(function () {
      scheduled = false;
      report();
    });
  }
  // Client-side navigation changes the URL without a document load.
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      schedule();
      return result;
    };
  });
  window.addEventListener("popstate", schedule);
  function watch() {
    new MutationObserver(schedule).observe(document.documentElement, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["title", "href"],
    });
    schedule();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
  // The elements render nothing inside the app, as in Shopify admin. An adopted style sheet leaves the
  // document as the server rendered it, for React to hydrate.
  var sheet = new CSSStyleSheet();
  sheet.replaceSync("ui-nav-menu, ui-title-bar { display: none !important; }");
  document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);

  window.shopify = {
    config: { apiKey: script.dataset.apiKey, shop: params.get("shop"), host: params.get("host"), locale: "en" },
    environment: { embedded: Boolean(admin), mobile: false, pos: false },
    idToken: idToken,
    toast: {
      show: function (message, options) {
        var id = "toast-" + nextId++;
        post({
          type: "toast",
          toastId: id,
          message: String(message),
          isError: Boolean(options && options.isError),
          duration: (options && options.duration) || 5000,
        });
        return id;
      },
      hide: function (id) {
        post({ type: "toast-hide", toastId: id });
      },
    },
    loading: function (on) {
      post({ type: "loading", on: on !== false });
    },
  };
})();
