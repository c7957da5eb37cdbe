/* helpdeck default theme: progressive enhancement only.
   Without this file every page still works: questions are native <details>,
   the language menu is a native <details>, search is a plain GET form. */
(function () {
  "use strict";
  var doc = document;

  /* Open the <details> targeted by the URL fragment (and any closed
     <details> around the target), e.g. /faq/orders/#where-is-my-order. */
  function openTarget() {
    var id = location.hash.slice(1);
    if (!id) return;
    try { id = decodeURIComponent(id); } catch (e) { /* keep raw */ }
    var el = doc.getElementById(id);
    if (!el) return;
    var opened = false;
    for (var n = el; n; n = n.parentElement) {
      if (n.tagName === "DETAILS" && !n.open) { n.open = true; opened = true; }
    }
    if (opened && el.tagName !== "DETAILS") el.scrollIntoView();
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  var live = doc.getElementById("hd-live");

  /* Print buttons are hidden until JS can make them work. */
  Array.prototype.forEach.call(doc.querySelectorAll("[data-print]"), function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

  /* Print every answer, not only the open ones; restore afterwards. */
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(doc.querySelectorAll("main details:not([open])"), function (d) {
      d.open = true;
      openedForPrint.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });

  doc.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) return;

    /* "Copy link": the link still navigates to #id; we also copy the full URL. */
    var a = t.closest("a.copy-link");
    if (a && navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(a.href).then(function () {
        var label = a.querySelector(".copy-link-text");
        var msg = a.getAttribute("data-copied");
        if (!label || !msg) return;
        if (!label.hasAttribute("data-label")) label.setAttribute("data-label", label.textContent);
        label.textContent = msg;
        if (live) live.textContent = msg;
        setTimeout(function () {
          label.textContent = label.getAttribute("data-label");
          if (live) live.textContent = "";
        }, 2000);
      }, function () { /* clipboard refused: plain navigation is enough */ });
    }

    /* Close an open language menu when clicking outside it. */
    Array.prototype.forEach.call(doc.querySelectorAll(".lang-switch details[open]"), function (d) {
      if (!d.contains(t)) d.open = false;
    });
  });

  /* Tabbing out of the language menu closes it. */
  Array.prototype.forEach.call(doc.querySelectorAll(".lang-switch details"), function (d) {
    d.addEventListener("focusout", function (ev) {
      if (ev.relatedTarget && !d.contains(ev.relatedTarget)) d.open = false;
    });
  });

  /* Search: the client (search.js) loads on first use of the box, or at once on the search
     page. `window.helpdeck.search(query)` loads it too, for tests and theme authors. */
  var searchForm = doc.querySelector("form[data-search-index]");
  var searchLoading = null;
  function loadSearch() {
    if (!searchLoading) {
      searchLoading = new Promise(function (resolve, reject) {
        doc.addEventListener("helpdeck:search-ready", function () { resolve(window.helpdeck.search); });
        var script = doc.createElement("script");
        script.type = "module";
        script.src = searchForm.getAttribute("data-search-script");
        script.onerror = function () {
          searchLoading = null;
          reject(new Error("search is unavailable"));
        };
        doc.head.appendChild(script);
      });
    }
    return searchLoading;
  }
  if (searchForm) {
    window.helpdeck = {
      search: function (query) {
        return loadSearch().then(function (search) { return search(query); });
      }
    };
    var searchInput = searchForm.querySelector("input[name=q]");
    ["focus", "input", "pointerenter"].forEach(function (type) {
      searchInput.addEventListener(type, function () { loadSearch().catch(function () {}); });
    });
    if (doc.getElementById("hd-search-page")) loadSearch().catch(function () {});
    /* "/" jumps to the search box, unless the visitor is typing somewhere. */
    doc.addEventListener("keydown", function (ev) {
      var t = ev.target;
      if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (t instanceof Element && t.closest("input, textarea, select, [contenteditable]")) return;
      ev.preventDefault();
      searchInput.focus();
    });
  }

  /* Escape closes the language menu and returns focus to its toggle. */
  doc.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    Array.prototype.forEach.call(doc.querySelectorAll(".lang-switch details[open]"), function (d) {
      d.open = false;
      var s = d.querySelector("summary");
      if (s) s.focus();
    });
  });
})();
