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
  var helpdeck = window.helpdeck = window.helpdeck || {};

  /* Whether a request's answer came back a success; a network error is a "no". */
  function delivered(request) {
    return request.then(function (response) { return response.ok; }, function () { return false; });
  }

  /* [analytics]: one small event (see README: what is sent), no cookie, no identifier: a GET
     of the site's event file, which only the host's access log records, or a form POST to the
     seller's endpoint. A promise of whether it arrived. */
  var events = doc.querySelector("[data-event-log]");
  var eventLog = events && events.getAttribute("data-event-log");
  var eventEndpoint = events && events.getAttribute("data-event-endpoint");
  if (eventLog || eventEndpoint) {
    helpdeck.event = function (fields) {
      var params = new URLSearchParams(fields);
      return delivered(eventLog
        ? fetch(eventLog + "?" + params, { cache: "no-store", keepalive: true, credentials: "omit" })
        : fetch(eventEndpoint, { method: "POST", body: params, keepalive: true, credentials: "omit" }));
    };
  }

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

  var canCopy = navigator.clipboard && window.isSecureContext;

  /* Copies `text`, then shows `msg` in `label` for a moment, and says it to screen readers. */
  function copyAndSay(text, label, msg) {
    return navigator.clipboard.writeText(text).then(function () {
      if (!label || !msg) return;
      if (!label.hasAttribute("data-label")) label.setAttribute("data-label", label.textContent);
      label.textContent = msg;
      if (live) live.textContent = msg;
      setTimeout(function () {
        label.textContent = label.getAttribute("data-label");
        if (live) live.textContent = "";
      }, 2000);
    });
  }

  /* Copy buttons (saved replies): shown once JS can copy; they copy the text of the element
     they name. */
  Array.prototype.forEach.call(doc.querySelectorAll("[data-copy]"), function (b) {
    if (!canCopy) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      var source = doc.getElementById(b.getAttribute("data-copy"));
      if (!source) return;
      copyAndSay(source.innerText.trim(), b, b.getAttribute("data-copied"))
        .catch(function () { /* clipboard refused: the text can still be selected */ });
    });
  });

  doc.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) return;

    /* "Copy link": the link still navigates to #id; we also copy the full URL. */
    var a = t.closest("a.copy-link");
    if (a && canCopy) {
      copyAndSay(a.href, a.querySelector(".copy-link-text"), a.getAttribute("data-copied"))
        .catch(function () { /* clipboard refused: plain navigation is enough */ });
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
    helpdeck.search = function (query) {
      return loadSearch().then(function (search) { return search(query); });
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

  /* The contact block's question box: as the buyer types, the site's own answers to the
     question (its search, in the page's language) appear first; the email button carries
     what they typed. Without JavaScript the box stays hidden and the channels remain,
     unless it is the shop's own form, which posts without it. */
  var ask = doc.querySelector("[data-contact-ask]");
  if (ask && helpdeck.search) {
    ask.hidden = false;
    var askSubject = ask.querySelector("[name=subject]");
    var askMessage = ask.querySelector("[name=message]");
    var askAnswers = ask.querySelector("[data-ask-answers]");
    var askList = askAnswers.querySelector("ul");
    var askEmail = ask.querySelector("[data-ask-email]");
    var askTimer;
    var askGeneration = 0;
    var askRefresh = function () {
      if (askEmail && ask.hasAttribute("data-email")) {
        askEmail.href = "mailto:" + ask.getAttribute("data-email") +
          "?subject=" + encodeURIComponent(askSubject.value) +
          "&body=" + encodeURIComponent(askMessage.value);
      }
      clearTimeout(askTimer);
      askTimer = setTimeout(function () {
        var mine = ++askGeneration;
        var text = (askSubject.value + " " + askMessage.value).trim();
        if (!text) {
          askAnswers.hidden = true;
          askList.replaceChildren();
          return;
        }
        helpdeck.search(text).then(function (results) {
          if (mine !== askGeneration) return;
          askList.replaceChildren.apply(askList, results.slice(0, 3).map(function (r) {
            var li = doc.createElement("li");
            var a = doc.createElement("a");
            a.href = r.url;
            a.textContent = r.heading && r.heading !== r.title ? r.heading : r.title;
            li.appendChild(a);
            if (r.heading && r.heading !== r.title) {
              var from = doc.createElement("span");
              from.className = "contact-ask-page";
              from.textContent = r.title;
              li.appendChild(from);
            }
            return li;
          }));
          askAnswers.hidden = !results.length;
        }).catch(function () { askAnswers.hidden = true; });
      }, 150);
    };
    askSubject.addEventListener("input", askRefresh);
    askMessage.addEventListener("input", askRefresh);
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

  /* Notices show between their start and end by the visitor's clock, so a
     banner comes and goes on time even if the site is not rebuilt. */
  Array.prototype.forEach.call(doc.querySelectorAll("[data-notice]"), function (n) {
    var now = Date.now();
    n.hidden = !(now >= Date.parse(n.getAttribute("data-start")) && now < Date.parse(n.getAttribute("data-end")));
  });

  /* Contact block: "open now" / "closed · opens …" and "we will reply by …",
     worked out in the business's time zone and written in the visitor's. */
  var WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  var contact = doc.querySelector("[data-contact]");
  if (contact) showContactTimes(contact);

  function showContactTimes(box) {
    var zone = box.getAttribute("data-timezone");
    var hours = {};
    Array.prototype.forEach.call(box.querySelectorAll("tr[data-day]"), function (row) {
      var open = minutes(row.getAttribute("data-open")), close = minutes(row.getAttribute("data-close"));
      if (open !== null && close !== null) hours[row.getAttribute("data-day")] = [open, close];
    });
    var closures = Array.prototype.map.call(box.querySelectorAll("li[data-first]"), function (li) {
      return [li.getAttribute("data-first"), li.getAttribute("data-last"), li];
    });
    var now = Date.now();
    var today = zoned(now, zone);
    closures.forEach(function (c) { if (c[1] < today.date) c[2].hidden = true; });
    /* The opening hours of a civil date ("2026-12-24") in the business's zone, or null. */
    function openingOf(date) {
      var closed = closures.some(function (c) { return date >= c[0] && date <= c[1]; });
      return closed ? null : hours[WEEK[(new Date(date + "T00:00:00Z").getUTCDay() + 6) % 7]] || null;
    }
    var status = box.querySelector("[data-open-status]");
    if (status) {
      for (var i = 0; i < 28; i++) {
        var date = addDays(today.date, i), h = openingOf(date);
        if (!h || (i === 0 && today.minutes >= h[1])) continue;
        status.textContent = i === 0 && today.minutes >= h[0]
          ? box.getAttribute("data-open-now")
          : box.getAttribute("data-closed-opens").replace("{time}", local(instant(date, h[0], zone), zone));
        status.hidden = false;
        break;
      }
    }
    /* The promise counts hours of business days only: step an hour at a time. */
    var replyHours = parseInt(box.getAttribute("data-reply-hours"), 10);
    var replyBy = box.querySelector("[data-reply-by-text]");
    if (replyBy && replyHours > 0) {
      var t = now, counted = 0;
      for (var step = 0; counted < replyHours && step < 24 * 60; step++) {
        if (openingOf(zoned(t, zone).date)) counted++;
        t += 3600e3;
      }
      if (counted === replyHours) replyBy.textContent = box.getAttribute("data-reply-by").replace("{time}", local(promised(t), zone));
    }

    /* A promise a buyer can hold the shop to: not "by 10:08 PM" but the full hour at or
       after `t`, and when the shop is closed then, its next opening. */
    function promised(t) {
      var due = zoned(t, zone), rounded = Math.ceil(due.minutes / 60) * 60;
      for (var i = 0; i < 28; i++) {
        var date = addDays(due.date, i), h = openingOf(date);
        if (!h || (i === 0 && due.minutes > h[1])) continue;
        return instant(date, i === 0 ? Math.min(Math.max(rounded, h[0]), h[1]) : h[0], zone);
      }
      return t;
    }
  }

  /* "09:00" → 540; "" → null. */
  function minutes(text) {
    var m = /^(\d{1,2}):(\d{2})$/.exec(text || "");
    return m ? +m[1] * 60 + +m[2] : null;
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function addDays(date, n) {
    var d = new Date(date + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + n);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
  }
  /* The civil date and minute of the day at instant `ms` in `zone`. */
  function zoned(ms, zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date(ms)).forEach(function (p) { parts[p.type] = p.value; });
    return { date: parts.year + "-" + parts.month + "-" + parts.day, minutes: +parts.hour * 60 + +parts.minute };
  }
  /* The instant at which the clocks of `zone` show `date` and `mins`. */
  function instant(date, mins, zone) {
    var wall = Date.parse(date + "T00:00:00Z") + mins * 60e3, t = wall;
    for (var i = 0; i < 2; i++) {
      var z = zoned(t, zone);
      t += wall - (Date.parse(z.date + "T00:00:00Z") + z.minutes * 60e3);
    }
    return t;
  }
  /* A moment as the visitor reads it: weekday and time in their own zone, which is named
     ("2:00 AM EST") when its clocks differ from the business's, whose hours the table shows. */
  function local(ms, zone) {
    var options = { weekday: "long", hour: "numeric", minute: "2-digit" };
    var visitor = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    var theirs = zoned(ms, zone), ours = zoned(ms, visitor);
    if (theirs.date !== ours.date || theirs.minutes !== ours.minutes) options.timeZoneName = "short";
    return new Intl.DateTimeFormat(doc.documentElement.lang || undefined, options).format(new Date(ms));
  }

  /* "Was this helpful?": shown only with JS, which sends the vote. The thanks appear only
     once a destination has taken the vote; otherwise the buyer is told, and may try again. */
  Array.prototype.forEach.call(doc.querySelectorAll("[data-feedback]"), function (box) {
    var buttons = box.querySelector(".feedback-buttons");
    var thanks = box.querySelector("[data-feedback-thanks]");
    var failed = box.querySelector("[data-feedback-failed]");
    var contactOptions = box.querySelector("[data-feedback-contact]");
    var say = function (message) {
      thanks.hidden = message !== thanks;
      failed.hidden = message !== failed;
      message.setAttribute("tabindex", "-1");
      message.focus();
    };
    box.hidden = false;
    box.addEventListener("click", function (ev) {
      var button = ev.target instanceof Element && ev.target.closest("[data-vote]");
      if (!button || box.hasAttribute("aria-busy")) return;
      var vote = button.getAttribute("data-vote");
      box.setAttribute("aria-busy", "true");
      sendVote(box, vote).then(function (recorded) {
        box.removeAttribute("aria-busy");
        if (vote === "no" && contactOptions) contactOptions.hidden = false;
        if (recorded) buttons.hidden = true;
        say(recorded ? thanks : failed);
      });
    });
  });

  /* To every destination the site has: the [feedback] endpoint (a form POST: no preflight,
     and its answer says whether the vote was stored, so the endpoint must allow this site
     with Access-Control-Allow-Origin), the [analytics] event, and the gtag or Plausible
     event when the page has either. A promise of whether any of them took it. */
  function sendVote(box, vote) {
    var data = { page: location.pathname, lang: doc.documentElement.lang, helpful: vote };
    var endpoint = box.getAttribute("data-endpoint");
    var event = box.getAttribute("data-event");
    var sent = [];
    if (endpoint) sent.push(delivered(fetch(endpoint, { method: "POST", body: new URLSearchParams(data), keepalive: true, credentials: "omit" })));
    if (helpdeck.event) sent.push(helpdeck.event({ event: "vote", lang: data.lang, page: data.page, helpful: vote }));
    if (event && typeof window.gtag === "function") {
      window.gtag("event", event, { helpful: vote, page_path: data.page, language: data.lang });
      sent.push(Promise.resolve(true));
    } else if (event && typeof window.plausible === "function") {
      window.plausible(event, { props: data });
      sent.push(Promise.resolve(true));
    }
    return Promise.all(sent).then(function (results) { return results.indexOf(true) >= 0; });
  }
})();
