/* rgsite embed: a reading group's next sessions, on any page.

   <script src="https://group.example/embed.js" data-count="3" async></script>

   Inserts, right after the tag, a list of the next data-count sessions (default 3):
   each title linked to its page, its time in the reader's zone (and the group's, when
   they differ), speakers and kind, in the site's language and clock (sessions.js names
   them, with the embed's few words translated). The data comes from sessions.js beside this file,
   loaded with a <script> element, so it works from any origin with no CORS headers.
   Everything is drawn in a shadow root: the page's styles do not reach in, nor ours out.
   If the data cannot be loaded, a link to the group's sessions page is shown instead. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !me.src || !me.parentNode) return;
  var base = me.src.replace(/[?#].*$/, "").replace(/[^/]*$/, "");
  var wanted = parseInt(me.getAttribute("data-count") || "3", 10);
  var count = isFinite(wanted) && wanted > 0 ? Math.min(wanted, 50) : 3;
  var host = document.createElement("div");
  host.className = "rgsite-embed";
  me.parentNode.insertBefore(host, me.nextSibling);
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var done = false;

  var CSS =
    ":host{display:block}" +
    ".rgsite-embed__list{list-style:none;margin:0;padding:0}" +
    ".rgsite-embed__item{margin:0 0 .75em;padding:0}" +
    ".rgsite-embed__title{font-weight:600}" +
    ".rgsite-embed__meta{display:block;font-size:.9em}" +
    ".rgsite-embed__more{font-size:.9em}";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = "rgsite-embed__" + cls;
    if (text) node.textContent = text;
    return node;
  }

  function draw(nodes) {
    done = true;
    while (root.firstChild) root.removeChild(root.firstChild);
    var style = el("style");
    style.textContent = CSS;
    root.appendChild(style);
    nodes.forEach(function (node) { root.appendChild(node); });
  }

  function allLink(text) {
    var p = el("p", "more");
    var a = el("a", "", text);
    a.href = base + "sessions/";
    p.appendChild(a);
    return p;
  }

  var labels = {};
  var language;
  var hour12;
  function say(key, english, values) {
    var text = labels[key] || english;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(values[name]);
    });
    return text;
  }

  function fallback() {
    if (!done) draw([allLink("See the schedule of upcoming sessions")]);
  }

  function zoneOf() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return ""; }
  }

  function format(moment, zone, withDate) {
    var options = { hour: "numeric", minute: "2-digit", timeZoneName: "short" };
    if (hour12 !== undefined) options.hour12 = hour12;
    if (withDate) {
      options.weekday = "short"; options.day = "numeric"; options.month = "short"; options.year = "numeric";
    }
    if (zone) options.timeZone = zone;
    try { return new Intl.DateTimeFormat(language, options).format(moment); }
    catch (e) { return moment.toString(); }
  }

  function when(session, groupZone) {
    var time = el("time", "when");
    time.setAttribute("datetime", session.start);
    if (!session.time_known) {
      // A bare day: shown as that day wherever the reader is.
      var day = new Date(session.start + "T12:00:00Z");
      time.textContent = say(
        session.date_approximate ? "date_approximate" : "time_tba",
        session.date_approximate ? "%(day)s (date approximate)" : "%(day)s, time to be announced",
        {
          day: new Intl.DateTimeFormat(language, {
            weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC"
          }).format(day)
        }
      );
      return time;
    }
    var start = new Date(session.start);
    var text = format(start, "", true);
    if (groupZone && groupZone !== zoneOf()) text += " (" + format(start, groupZone, false) + ")";
    time.textContent = text;
    return time;
  }

  function over(session, now) {
    var end = session.time_known ? Date.parse(session.end) : Date.parse(session.end) + 86400000;
    return !(end > now);
  }

  function show(data) {
    if (done) return;
    var now = Date.now();
    var next = (data.sessions || []).filter(function (s) {
      return (s.status === "upcoming" || s.status === "tba") && !over(s, now);
    }).slice(0, count);
    var site = data.site || {};
    labels = site.labels || {};
    language = site.language || undefined;
    hour12 = typeof site.hour12 === "boolean" ? site.hour12 : undefined;
    var title = site.title || "the reading group";
    var section = el("section", "sessions");
    section.setAttribute("aria-label", say("next", "Next sessions of %(group)s", { group: title }));
    if (language) section.setAttribute("lang", language);
    if (!next.length) {
      section.appendChild(el("p", "empty", say("none", "No sessions are scheduled yet.")));
    } else {
      var list = el("ul", "list");
      next.forEach(function (s) {
        var item = el("li", "item");
        var name = s.url ? el("a", "title", s.title) : el("span", "title", s.title);
        // A site built with a relative base_url gives "/sessions/x/": from its own host.
        if (s.url) name.href = new URL(s.url, base).href;
        item.appendChild(name);
        var meta = el("span", "meta");
        meta.appendChild(when(s, data.site && data.site.timezone));
        var who = (s.speakers || []).map(function (p) {
          return p.affiliation ? p.name + " (" + p.affiliation + ")" : p.name;
        });
        var extra = [];
        if (s.status === "tba") extra.push(say("tba", "To be announced"));
        if (who.length) extra.push(who.join(", "));
        if (s.kind) extra.push(s.kind.name);
        if (extra.length) meta.appendChild(document.createTextNode(" · " + extra.join(" · ")));
        item.appendChild(meta);
        list.appendChild(item);
      });
      section.appendChild(list);
    }
    section.appendChild(allLink(say("all", "All sessions of %(group)s", { group: title })));
    draw([section]);
  }

  // sessions.js calls window.rgsiteSessions(data, its own address); every embed
  // waiting for that address is given the data, whichever script defined the callback.
  var waiting = (window.rgsiteSessionsWaiting = window.rgsiteSessionsWaiting || {});
  var source = base + "sessions.js";
  (waiting[source] = waiting[source] || []).push(show);
  if (typeof window.rgsiteSessions !== "function") {
    window.rgsiteSessions = function (data, from) {
      var shows = window.rgsiteSessionsWaiting[from] || [];
      delete window.rgsiteSessionsWaiting[from];
      shows.forEach(function (give) { give(data); });
    };
  }
  var loader = document.createElement("script");
  loader.src = source;
  loader.async = true;
  loader.onerror = fallback;
  loader.onload = function () { setTimeout(fallback, 0); };
  (document.head || document.documentElement).appendChild(loader);
  setTimeout(fallback, 15000);
})();
