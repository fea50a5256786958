// The offline admin shell's page: frames the app, answers its App Bridge stand-in (session tokens,
// toasts, loading, navigation menu, title bar, the app's URL mirrored in the shell's), and drives the
// simulated-store panel.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("shell-config").textContent);
  var appOrigin = new URL(config.appUrl).origin;
  var frame = document.getElementById("app");

  // ---- session tokens, kept fresh: minted by the simulator with the app's secret
  var current = null;
  function expiresAt(jwt) {
    var payload = JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return payload.exp * 1000;
  }
  function sessionToken() {
    if (current && expiresAt(current) - Date.now() > 15000) return Promise.resolve(current);
    return fetch("/api/session-token", { method: "POST" })
      .then(function (response) {
        if (!response.ok) throw new Error("The simulator did not mint a session token (" + response.status + ")");
        return response.json();
      })
      .then(function (body) {
        current = body.token;
        return current;
      });
  }

  // ---- the app's URL inside the shell's: /apps/{handle}/{app path}
  function appPathFromShell() {
    var rest = location.pathname === "/" ? "" : location.pathname.slice(config.appBase.length);
    return (rest || "/app") + location.search;
  }
  function open(path) {
    return sessionToken().then(function (token) {
      var url = new URL(path, config.appUrl + "/");
      url.searchParams.set("embedded", "1");
      url.searchParams.set("shop", config.shop);
      url.searchParams.set("host", config.host);
      url.searchParams.set("locale", "en");
      url.searchParams.set("id_token", token);
      frame.src = url.toString();
    });
  }

  // ---- toasts and the loading bar
  var toasts = document.getElementById("toasts");
  var shown = {};
  function toast(id, message, isError, duration) {
    var node = document.createElement("div");
    node.className = "toast" + (isError ? " error" : "");
    node.setAttribute("role", isError ? "alert" : "status");
    node.textContent = message;
    toasts.appendChild(node);
    shown[id] = node;
    setTimeout(
      function () {
        hideToast(id);
      },
      Math.min(Math.max(duration || 5000, 2000), 30000),
    );
  }
  function hideToast(id) {
    if (shown[id]) shown[id].remove();
    delete shown[id];
  }
  var loading = document.getElementById("loading");

  // ---- navigation menu and title
  var nav = document.getElementById("app-nav");
  var home = document.getElementById("app-home");
  var title = document.getElementById("title");
  var items = [];
  var appPath = "/app";
  function linkTo(href) {
    return config.appBase + href;
  }
  function renderNav() {
    nav.textContent = "";
    var path = appPath.split("?")[0];
    var best = null;
    items.forEach(function (item) {
      if (path === item.href || path.indexOf(item.href + "/") === 0) {
        if (!best || item.href.length > best.href.length) best = item;
      }
    });
    items.forEach(function (item) {
      if (item.home) {
        home.setAttribute("href", linkTo(item.href));
        home.dataset.href = item.href;
        if (best === item) home.setAttribute("aria-current", "page");
        else home.removeAttribute("aria-current");
        return;
      }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = linkTo(item.href);
      a.dataset.href = item.href;
      a.textContent = item.label;
      if (best === item) a.setAttribute("aria-current", "page");
      li.appendChild(a);
      nav.appendChild(li);
    });
  }
  document.getElementById("sidebar").addEventListener("click", function (event) {
    var a = event.target.closest("a[data-href]");
    if (!a || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    frame.contentWindow.postMessage({ type: "navigate", href: a.dataset.href }, appOrigin);
    document.getElementById("sidebar").classList.remove("open");
  });
  var menu = document.getElementById("menu");
  menu.addEventListener("click", function () {
    var open = document.getElementById("sidebar").classList.toggle("open");
    menu.setAttribute("aria-expanded", String(open));
  });

  // ---- messages from the App Bridge stand-in inside the frame
  window.addEventListener("message", function (event) {
    if (event.origin !== appOrigin || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.source !== "app-bridge") return;
    var reply = function (value, error) {
      frame.contentWindow.postMessage({ reply: data.id, value: value, error: error }, appOrigin);
    };
    if (data.type === "idToken") {
      sessionToken().then(
        function (token) {
          reply(token);
        },
        function (error) {
          reply(null, String(error.message || error));
        },
      );
    } else if (data.type === "toast") {
      toast(data.toastId, data.message, data.isError, data.duration);
    } else if (data.type === "toast-hide") {
      hideToast(data.toastId);
    } else if (data.type === "loading") {
      loading.hidden = !data.on;
    } else if (data.type === "state") {
      items = Array.isArray(data.nav) ? data.nav : [];
      appPath = typeof data.path === "string" && data.path.charAt(0) === "/" ? data.path : "/app";
      title.textContent = data.title ? config.appName + " › " + data.title : config.appName;
      document.title = (data.title ? data.title + " · " : "") + config.appName + " · Shopify (offline)";
      renderNav();
      var shellPath = config.appBase + appPath;
      if (location.pathname + location.search !== shellPath) history.replaceState(null, "", shellPath);
    }
  });

  // ---- the simulated store's panel
  var panel = document.getElementById("panel");
  var toggle = document.getElementById("panel-toggle");
  var message = document.getElementById("panel-message");
  var list = document.getElementById("orders");
  toggle.addEventListener("click", function () {
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
  });
  function say(text, isError) {
    message.textContent = text;
    message.className = "panel-message" + (isError ? " error" : "");
  }
  function call(path) {
    return fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).then(
      function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error || "The simulator answered " + response.status);
          return body;
        });
      },
    );
  }
  function renderOrders(orders) {
    list.textContent = "";
    orders.forEach(function (order) {
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = order.name;
      var status = document.createElement("span");
      status.className = "status";
      status.textContent =
        order.total +
        " " +
        order.currency +
        " · " +
        order.financialStatus.replace(/_/g, " ") +
        (order.cancelled ? " · cancelled" : "");
      var refund = document.createElement("button");
      refund.type = "button";
      refund.textContent = "Refund";
      refund.disabled = order.cancelled || order.financialStatus === "refunded";
      refund.addEventListener("click", function () {
        act(order, "refund", "refunded");
      });
      var cancel = document.createElement("button");
      cancel.type = "button";
      cancel.textContent = "Cancel";
      cancel.disabled = order.cancelled;
      cancel.addEventListener("click", function () {
        act(order, "cancel", "cancelled");
      });
      li.append(name, refund, cancel, status);
      list.appendChild(li);
    });
  }
  var orders = [];
  function act(order, action, done) {
    say(action === "refund" ? "Refunding " + order.name + " …" : "Cancelling " + order.name + " …");
    call("/api/orders/" + order.id + "/" + action).then(
      function (body) {
        orders = orders.map(function (o) {
          return o.id === body.order.id ? body.order : o;
        });
        renderOrders(orders);
        say(order.name + " " + done + ". Shopify sends the app an orders/updated webhook.");
      },
      function (error) {
        say(error.message, true);
      },
    );
  }
  document.getElementById("create-order").addEventListener("click", function () {
    say("Creating an order …");
    call("/api/orders").then(
      function (body) {
        orders = [body.order].concat(orders).slice(0, 10);
        renderOrders(orders);
        say(
          body.order.name +
            " created (" +
            body.order.total +
            " " +
            body.order.currency +
            "). Shopify sends the app an orders/create webhook.",
        );
      },
      function (error) {
        say(error.message, true);
      },
    );
  });
  fetch("/api/orders")
    .then(function (response) {
      return response.json();
    })
    .then(function (body) {
      orders = body.orders || [];
      renderOrders(orders);
    });

  open(appPathFromShell()).catch(function (error) {
    title.textContent = String(error.message || error);
  });
})();
