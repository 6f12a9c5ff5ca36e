/* Optional enhancements; every page reads fully without them.
   1. <time data-local> gains a line with the time in the reader's own zone when it differs,
      in the site's language and clock (12- or 24-hour, from <body data-hour12>).
   2. Things marked data-end (upcoming sessions) are retired once they are over, so a page
      built days ago never leads with a session that has already happened.
   3. Wide equations, code and tables that scroll sideways can be reached by keyboard.
   4. The header's switch between the light and dark scheme, remembered in localStorage.
   5. The header's search box: "/" reaches it, and results drop down under it. */
(function () {
  "use strict";
  var now = Date.now();
  var all = function (selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  };
  var over = function (el) {
    return Date.parse(el.getAttribute("data-end")) <= now;
  };

  var format = null;
  var body = document.body;
  var label = body.getAttribute("data-your-time") || "{time}";
  all("time[data-local]").forEach(function (el) {
    var iso = el.getAttribute("datetime");
    var match = /([+-])(\d\d):(\d\d)$/.exec(iso);
    var when = new Date(iso);
    var until = new Date(el.getAttribute("data-local-end") || "");
    if (!match || isNaN(when)) return;
    var offset = (match[1] === "-" ? -1 : 1) * (60 * +match[2] + +match[3]);
    if (offset === -when.getTimezoneOffset()) return;
    try {
      format = format || new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        weekday: "short", day: "numeric", month: "short",
        hour: "numeric", minute: "2-digit", timeZoneName: "short",
        hour12: body.getAttribute("data-hour12") === "true"
      });
    } catch (e) {
      return;
    }
    var text = isNaN(until) || !format.formatRange ? format.format(when) : format.formatRange(when, until);
    // A line of its own at the end of what holds the time, never inside a sentence.
    var note = document.createElement("span");
    note.className = "local-time";
    note.textContent = label.replace("{time}", text);
    el.parentNode.appendChild(note);
  });

  all("[data-end]").forEach(function (el) {
    if (over(el)) el.setAttribute("data-state", "past");
  });

  // Home: feature the first session that is not over yet.
  var features = all("[data-feature]");
  if (features.length) {
    var shown = null;
    features.forEach(function (el) {
      el.hidden = Boolean(shown) || over(el);
      if (!el.hidden) shown = el;
    });
    var later = document.querySelector("[data-later]");
    if (later) {
      all("li[data-end]", later).forEach(function (li) {
        li.hidden = over(li) || (shown !== null && li.getAttribute("data-slug") === shown.getAttribute("data-slug"));
      });
      later.hidden = !later.querySelector("li:not([hidden])");
    }
    // Nothing left to come: the section goes, and the latest recaps lead.
    var next = document.querySelector(".next-session");
    if (next) next.hidden = !shown && (!later || later.hidden);
  }

  // A display formula scrolls inside a box of its own, so the cue at its edges (site.css)
  // stays put while it scrolls; a wide one is a named region the keyboard can reach.
  var wideLabel = document.body.getAttribute("data-wide-formula") || "";
  all("math[display=block]").forEach(function (math) {
    var box = document.createElement("div");
    box.className = "math-scroll";
    math.before(box);
    box.appendChild(math);
  });
  var scrollers = all(".prose pre, .prose table, .math-scroll");
  var reachable = function () {
    scrollers.forEach(function (el) {
      // Any overflow at all scrolls, so any must be reachable by keyboard.
      var wide = el.scrollWidth > el.clientWidth;
      if (wide) el.setAttribute("tabindex", "0");
      else if (el.getAttribute("tabindex") === "0") el.removeAttribute("tabindex");
      if (el.className !== "math-scroll" && !el.classList.contains("is-wide")) return;
      el.classList.toggle("is-wide", wide);
      if (wide) {
        el.setAttribute("role", "group");
        el.setAttribute("aria-label", wideLabel);
      } else {
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
      }
    });
  };
  if (scrollers.length) {
    reachable();
    window.addEventListener("resize", reachable);
    // A formula grows when the math font arrives, after the first look.
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(reachable);
    if (window.ResizeObserver) {
      var watch = new ResizeObserver(reachable);
      scrollers.forEach(function (el) { if (el.firstElementChild) watch.observe(el.firstElementChild); });
    }
  }

  // The archive: a session that has happened moves from Upcoming to the top of Past.
  var upcoming = document.querySelector("[data-upcoming]");
  var past = document.querySelector("[data-past]");
  if (upcoming && past) {
    var done = all("li[data-state=past]", upcoming);
    if (done.length) {
      var list = past.querySelector(".session-list");
      if (!list) {
        list = document.createElement("ul");
        list.className = "session-list";
        past.appendChild(list);
      }
      past.hidden = false;
      done.forEach(function (li) { list.insertBefore(li, list.firstChild); });
      if (!upcoming.querySelector("li")) upcoming.hidden = true;
    }
  }

  // The colour scheme: the system's, until the reader picks the other one. Picking the
  // system's own again forgets the choice, so the page follows the system once more.
  var root = document.documentElement;
  var toggle = document.querySelector(".theme-switch");
  var system = window.matchMedia("(prefers-color-scheme: dark)");
  var dark = function () {
    return root.dataset.theme ? root.dataset.theme === "dark" : system.matches;
  };
  if (toggle) {
    var mirror = function () { toggle.setAttribute("aria-pressed", String(dark())); };
    toggle.addEventListener("click", function () {
      var want = dark() ? "light" : "dark";
      try {
        if ((want === "dark") === system.matches) localStorage.removeItem("rgsite-theme");
        else localStorage.setItem("rgsite-theme", want);
      } catch (e) { /* storage refused: the choice lasts for this page */ }
      if ((want === "dark") === system.matches) delete root.dataset.theme;
      else root.dataset.theme = want;
      mirror();
    });
    if (system.addEventListener) system.addEventListener("change", mirror);
    mirror();
  }

  // Search: "/" focuses the box unless the reader is typing somewhere; search.js, with the
  // index behind it, loads only once the box is used.
  var box = document.querySelector("[data-search-input]");
  var form = document.querySelector(".header-search");
  var loading = false;
  var load = function () {
    if (!form) return;
    if (window.rgsiteSearch) { window.rgsiteSearch.dropdown(form); return; }
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = form.dataset.script;
    script.onload = function () { window.rgsiteSearch.dropdown(form); };
    document.head.appendChild(script);
  };
  if (form) {
    box.addEventListener("focus", load);
    box.addEventListener("input", load);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || !box) return;
    var at = document.activeElement;
    if (at && (at.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(at.tagName))) return;
    event.preventDefault();
    box.focus();
  });
})();
