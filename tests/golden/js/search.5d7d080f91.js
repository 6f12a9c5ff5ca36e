/* Search over the Pagefind index: the header's box (results drop down under it) and the
   search page (results, filters, ?q= in the address). Loaded by site.js when a reader
   first reaches for the header's box, and by the search page itself. Results say what
   they are (the "type" filter each page records) and when (the "date" metadata, or the
   year of a paper). */
(function () {
  "use strict";
  if (window.rgsiteSearch) return;

  var engines = {};
  // One index per bundle; a large archive's index comes in shards named by shards.json.
  var engine = function (bundle, base) {
    if (!engines[bundle]) {
      engines[bundle] = import(bundle + "pagefind.js").then(function (pagefind) {
        return pagefind.options({ baseUrl: base, excerptLength: 24 })
          .then(function () { return fetch(bundle + "shards.json"); })
          .then(function (answer) { return answer.ok ? answer.json() : []; })
          .catch(function () { return []; })
          .then(function (shards) {
            return Promise.all(shards.map(function (shard) {
              return pagefind.mergeIndex(bundle + shard, { baseUrl: base });
            }));
          })
          .then(function () { return pagefind; });
      });
    }
    return engines[bundle];
  };

  var element = function (tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  };

  // Pagefind's excerpts are text with <mark> around the words found; keep only those marks.
  var decoder = document.createElement("textarea");
  var excerpt = function (html) {
    var p = element("p", "hit-excerpt");
    html.split(/(<mark>.*?<\/mark>)/).forEach(function (part) {
      var found = /^<mark>(.*)<\/mark>$/.exec(part);
      decoder.innerHTML = found ? found[1] : part;  // a textarea's content is text, never markup
      var text = decoder.value;
      p.appendChild(found ? element("mark", "", text) : document.createTextNode(text));
    });
    return p;
  };

  var hit = function (data) {
    var li = element("li", "hit");
    var about = [];
    if (data.filters && data.filters.type) about.push(data.filters.type[0]);
    if (data.meta.date) about.push(data.meta.date);
    else if (data.filters && data.filters.year) about.push(data.filters.year[0]);
    var title = element("a", "hit-title", data.meta.title || data.url);
    title.href = data.meta.url || data.url;
    var heading = element("p", "hit-heading");
    heading.appendChild(title);
    li.appendChild(heading);
    if (about.length) li.appendChild(element("p", "hit-about", about.join(" · ")));
    if (data.excerpt) li.appendChild(excerpt(data.excerpt));
    return li;
  };

  var say = function (el, text) { el.textContent = text; };
  // The sentences are the template's, in the site's language, with {n} and {q} to fill.
  var count = function (status, n, query) {
    var sentence = status.dataset[n === 0 ? "none" : n === 1 ? "one" : "many"] || "";
    return sentence.replace("{n}", String(n)).replace("{q}", query);
  };

  /* The header's box: the first results under it as the reader types; Enter (or "All
     results") opens the search page, which is also where the form goes without JavaScript. */
  var dropdown = function (form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    var input = form.querySelector("input[type=search]");
    var panel = form.querySelector(".search-panel");
    var status = panel.querySelector(".search-status");
    var list = panel.querySelector(".hits");
    var all = panel.querySelector(".search-all");
    input.setAttribute("aria-controls", panel.id);
    var ready = engine(form.dataset.bundle, form.dataset.base);
    var shown = function (open) {
      panel.hidden = !open;
    };
    var run = function () {
      var query = input.value.trim();
      all.href = form.dataset.searchPage + "?q=" + encodeURIComponent(query);
      if (!query) { shown(false); return; }
      ready.then(function (pagefind) {
        return pagefind.debouncedSearch(query, {}, 200);
      }).then(function (found) {
        if (!found || input.value.trim() !== query) return;
        return Promise.all(found.results.slice(0, 6).map(function (r) { return r.data(); }))
          .then(function (datas) {
            list.replaceChildren.apply(list, datas.map(hit));
            say(status, count(status, found.results.length, query));
            shown(true);
          });
      }).catch(function () {
        say(status, status.dataset.failed);
        shown(true);
      });
    };
    input.addEventListener("input", run);
    input.addEventListener("focus", function () { if (input.value.trim()) run(); });
    var links = function () { return Array.prototype.slice.call(panel.querySelectorAll("a")); };
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        shown(false);
        input.focus();
      } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !panel.hidden) {
        var targets = links();
        var at = targets.indexOf(document.activeElement);
        var next = event.key === "ArrowDown" ? at + 1 : at - 1;
        if (next < 0) input.focus();
        else if (targets.length) targets[Math.min(next, targets.length - 1)].focus();
        event.preventDefault();
      }
    });
    form.addEventListener("focusout", function (event) {
      if (!form.contains(event.relatedTarget)) shown(false);
    });
    if (input.value.trim()) run();
  };

  /* The search page: every result, ten at a time, with filters by type, kind, topic,
     speaker and year (checked boxes of one group widen, groups narrow). */
  var page = function (root) {
    var input = root.querySelector("input[type=search]");
    var status = root.querySelector(".search-status");
    var list = root.querySelector(".hits");
    var more = root.querySelector(".search-more");
    var groups = root.querySelector(".filter-groups");
    var details = root.querySelector(".search-filters");
    var chosen = {};
    var found = null;
    var shown = 0;
    if (window.matchMedia("(min-width: 48rem)").matches) details.open = true;

    var selected = function () {
      var filters = {};
      Object.keys(chosen).forEach(function (name) {
        var values = Object.keys(chosen[name]).filter(function (v) { return chosen[name][v]; });
        if (values.length) filters[name] = { any: values };
      });
      return filters;
    };
    var showMore = function () {
      var next = found.results.slice(shown, shown + 10);
      shown += next.length;
      return Promise.all(next.map(function (r) { return r.data(); })).then(function (datas) {
        datas.forEach(function (data) { list.appendChild(hit(data)); });
        more.hidden = shown >= found.results.length;
      });
    };
    var ready = engine(root.dataset.bundle, root.dataset.base);
    // Each option's count: of every page, or of the pages the current search finds.
    var totals = {};
    var counts = function (by) {
      Array.prototype.slice.call(groups.querySelectorAll("input")).forEach(function (box) {
        var n = (by[box.name] || {})[box.value] || 0;
        box.parentNode.querySelector(".filter-count").textContent = "(" + n + ")";
        box.parentNode.classList.toggle("is-none", n === 0 && !box.checked);
      });
    };
    var run = function () {
      var query = input.value.trim();
      var filters = selected();
      var address = new URL(window.location.href);
      if (query) address.searchParams.set("q", query);
      else address.searchParams.delete("q");
      window.history.replaceState(null, "", address);
      if (!query && !Object.keys(filters).length) {
        counts(totals);
        list.replaceChildren();
        say(status, "");
        more.hidden = true;
        return;
      }
      ready.then(function (pagefind) {
        return pagefind.debouncedSearch(query || null, { filters: filters }, 150);
      }).then(function (answer) {
        if (!answer) return;
        found = answer;
        counts(answer.filters);
        shown = 0;
        list.replaceChildren();
        var total = found.results.length;
        // The count is said once the results it counts are on the page.
        return showMore().then(function () {
          say(status, query ? count(status, total, query)
            : (status.dataset.filtered || "").replace("{n}", String(total)));
        });
      });
    };

    // Each group's legend is written in the page, in the site's language.
    var legends = Array.prototype.slice.call(groups.querySelectorAll("legend"));
    ready.then(function (pagefind) { return pagefind.filters(); }).then(function (filters) {
      totals = filters;
      legends.forEach(function (legend) {
        var set = legend.parentNode;
        var name = set.dataset.filter;
        var values = filters[name];
        if (!values || !Object.keys(values).length) {
          set.remove();
          return;
        }
        var names = Object.keys(values).sort(function (a, b) {
          return name === "year" ? b.localeCompare(a) : a.localeCompare(b);
        });
        names.forEach(function (value) {
          var label = element("label", "filter-option");
          var box = document.createElement("input");
          box.type = "checkbox";
          box.name = name;
          box.value = value;
          box.addEventListener("change", function () {
            chosen[name] = chosen[name] || {};
            chosen[name][value] = box.checked;
            run();
          });
          var text = element("span", "", value + " ");
          text.appendChild(element("span", "filter-count", "(" + values[value] + ")"));
          label.append(box, text);
          set.appendChild(label);
        });
        set.hidden = false;
      });
      details.hidden = !groups.querySelector("fieldset");
    }).catch(function () {
      root.querySelector(".search-form").hidden = true;
      details.hidden = true;
      document.getElementById("search-unavailable").hidden = false;
    });

    input.addEventListener("input", run);
    root.querySelector(".search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      run();
    });
    more.addEventListener("click", function () { showMore(); });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      input.value = query;
      run();
    }
  };

  window.rgsiteSearch = { dropdown: dropdown };
  var root = document.getElementById("search");
  if (root) page(root);
})();
