"""The script ``rgsite serve`` adds to every HTML page it sends, and only when serving.

It is inserted into the response at response time (:func:`inject`), never written to
the output folder, so ``rgsite build`` output never carries it. The script:

* listens to the server's event stream (server-sent events) and, after a build, reloads
  the page when the server says the page's own content changed, swaps stylesheets in
  place when only CSS changed (their fingerprinted names come in the event), and shows
  or clears the build-error overlay;
* keeps the scroll position across a reload (``sessionStorage``);
* closes the stream while the tab is hidden and opens it again when the tab is shown;
  the server then compares the page's digest with the current file and tells it whether
  to reload, so a tab that slept through builds catches up once.

This module must not read files or know about routes.
"""

from __future__ import annotations

import json
import re
from typing import Any

EVENTS = "/__rgsite/events"

CLIENT_JS = r"""
(function (cfg) {
  "use strict";
  var KEY = "rgsite-scroll:" + location.pathname;
  var source = null;
  var saved = null;
  try { saved = sessionStorage.getItem(KEY); sessionStorage.removeItem(KEY); } catch (e) {}
  if (saved) {
    var xy = JSON.parse(saved);
    var restore = function () {
      window.scrollTo({ left: xy[0], top: xy[1], behavior: "instant" });
    };
    restore();
    if (document.readyState !== "complete") window.addEventListener("load", restore);
  }

  function reload() {
    try {
      sessionStorage.setItem(KEY, JSON.stringify([window.scrollX, window.scrollY]));
    } catch (e) {}
    disconnect();
    location.reload();
  }

  function swapStyles(assets) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin || link.dataset.rgsiteOld) return;
      var plain = url.pathname.replace(/\.[0-9a-f]{8,64}\.css$/, ".css");
      var next = assets[plain];
      if (!next || next === url.pathname) return;
      var fresh = link.cloneNode(false);
      link.dataset.rgsiteOld = "1";
      var done = function () { if (link.parentNode) link.parentNode.removeChild(link); };
      fresh.addEventListener("load", done);
      fresh.addEventListener("error", done);
      fresh.href = next;
      link.parentNode.insertBefore(fresh, link.nextSibling);
    });
  }

  function overlay(errors) {
    var box = document.getElementById("rgsite-errors");
    if (!errors || !errors.length) {
      if (box) box.parentNode.removeChild(box);
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "rgsite-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,20,.92);color:#fff;font:14px/1.5 ui-monospace,monospace;" +
        "padding:2rem;box-sizing:border-box";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("h2");
    title.style.cssText = "margin:0 0 1rem;color:#ff8a80;font:bold 18px/1.4 sans-serif";
    title.textContent = "The site has " + errors.length + " problem" +
      (errors.length === 1 ? "" : "s") + "; showing the last good build";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:0;padding:0;list-style:none";
    errors.forEach(function (problem) {
      var item = document.createElement("li");
      item.style.cssText = "margin:0 0 .75rem";
      var where = document.createElement("strong");
      where.style.color = "#ffd180";
      where.textContent = problem.where + ": ";
      item.appendChild(where);
      item.appendChild(document.createTextNode(problem.message));
      list.appendChild(item);
    });
    box.appendChild(list);
    var hint = document.createElement("p");
    hint.style.cssText = "color:#bbb;margin-top:1.5rem";
    hint.textContent = "Fix the file and save: this message goes away by itself.";
    box.appendChild(hint);
  }

  function handle(message) {
    overlay(message.errors);
    if (message.reload) { reload(); return; }
    if (message.assets) swapStyles(message.assets);
    window.__rgsiteEpoch = message.epoch;
  }

  function disconnect() {
    if (source) { source.close(); source = null; }
  }

  function connect() {
    if (source || document.visibilityState === "hidden") return;
    source = new EventSource(cfg.events + "?path=" + encodeURIComponent(location.pathname) +
      "&digest=" + encodeURIComponent(cfg.digest));
    source.addEventListener("build", function (event) { handle(JSON.parse(event.data)); });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") disconnect(); else connect();
  });
  window.addEventListener("pagehide", disconnect);
  var start = function () { overlay(cfg.errors); connect(); };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})
"""

_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def snippet(config: dict[str, Any]) -> bytes:
    """The ``<script>`` element for one response, with its config as JSON."""
    data = json.dumps(config, separators=(",", ":"), ensure_ascii=True)
    # Inside <script>, "</" could end the element; JSON allows escaping it.
    data = data.replace("</", "<\\/").replace("<!--", "<\\!--")
    return f'<script id="rgsite-live">{CLIENT_JS.strip()}({data});</script>\n'.encode()


def inject(html: bytes, config: dict[str, Any]) -> bytes:
    """``html`` with the live-reload script before its last ``</body>`` (or at the end)."""
    script = snippet(config)
    matches = list(_BODY_END.finditer(html))
    if not matches:
        return html + script
    at = matches[-1].start()
    return html[:at] + script + html[at:]
