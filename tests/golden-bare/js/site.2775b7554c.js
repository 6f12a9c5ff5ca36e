/* Optional enhancements; every page reads fully without them.
   1. <time data-local> gains the time in the reader's own zone when it differs.
   2. Things marked data-end (upcoming sessions) are retired once they are over, so a page
      built days ago never leads with a session that has already happened.
   3. Wide equations, code and tables that scroll sideways can be reached by keyboard. */
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
  all("time[data-local]").forEach(function (el) {
    var iso = el.getAttribute("datetime");
    var match = /([+-])(\d\d):(\d\d)$/.exec(iso);
    var when = new Date(iso);
    if (!match || isNaN(when)) return;
    var offset = (match[1] === "-" ? -1 : 1) * (60 * +match[2] + +match[3]);
    if (offset === -when.getTimezoneOffset()) return;
    try {
      format = format || new Intl.DateTimeFormat(undefined, {
        weekday: "short", day: "numeric", month: "short",
        hour: "2-digit", minute: "2-digit", timeZoneName: "short"
      });
    } catch (e) {
      return;
    }
    var note = document.createElement("span");
    note.className = "local-time";
    note.textContent = " (" + format.format(when) + " your time)";
    el.after(note);
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

  var scrollers = all(".prose pre, .prose table, math[display=block]");
  var reachable = function () {
    scrollers.forEach(function (el) {
      if (el.scrollWidth > el.clientWidth) el.setAttribute("tabindex", "0");
      else if (el.getAttribute("tabindex") === "0") el.removeAttribute("tabindex");
    });
  };
  if (scrollers.length) {
    reachable();
    window.addEventListener("resize", reachable);
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
})();
