/* newsgraph web UI: the article page's record panel and the charts (d3, vendored).
 *
 * Safety: everything here comes from untrusted articles. Text is written with textContent (el()),
 * attributes with setAttribute, links built from ids and encodeURIComponent/URLSearchParams; no
 * innerHTML, no inline style attributes (the Content-Security-Policy forbids them). The data is read
 * from the page's <script type="application/json" id="page-data"> block. */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function pageData() {
    var node = document.getElementById("page-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function docUrl(id, anchor) {
    return "/documents/" + encodeURIComponent(id) + (anchor ? "#" + encodeURIComponent(anchor) : "");
  }

  function entityUrl(name, type, country) {
    var p = new URLSearchParams({ name: name || "" });
    if (type) p.set("type", type);
    if (country !== undefined && country !== null) p.set("country", country);
    return "/entity?" + p.toString();
  }

  function link(href, text) { return el("a", { href: href }, text); }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function empty(container, message) {
    clear(container);
    container.appendChild(el("p", { class: "empty" }, message || container.getAttribute("data-empty") || "Nothing to show."));
  }

  function showDetail(title, items) {
    var body = document.getElementById("detail-body");
    if (!body) return;
    clear(body);
    var hint = document.querySelector("#detail .hint");
    if (hint) hint.hidden = true;
    body.appendChild(el("h3", {}, title));
    var list = el("ul", { class: "plain" });
    items.forEach(function (node) { var li = el("li"); li.appendChild(node); list.appendChild(li); });
    body.appendChild(list);
  }

  function line() {
    var span = el("span");
    Array.prototype.forEach.call(arguments, function (part) {
      span.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
    return span;
  }

  /* ---- the article page ------------------------------------------------------------------------------- */

  var HIDDEN = { start: 1, end: 1, mentions: 1, speaker_mention: 1, id: 1 };
  var ORDER = ["name", "speaker_name", "type", "kind", "text", "value", "value_high", "noun", "title", "role",
    "country", "affiliation", "cue", "channel", "original_source", "mode", "source_name", "target_name", "trigger",
    "date", "place", "lat", "lon", "geonameid", "metonymy", "approx", "bound", "category", "verb", "mod"];

  function fieldText(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }

  function recordCard(key, entry, records) {
    var rec = entry.record;
    var card = el("div", { class: "record", "data-key": key });
    var heading = el("h3", {}, entry.label);
    card.appendChild(heading);
    var dl = el("dl");
    function row(name, valueNode) {
      dl.appendChild(el("dt", {}, name.replace(/_/g, " ")));
      var dd = el("dd");
      dd.appendChild(typeof valueNode === "string" ? document.createTextNode(valueNode) : valueNode);
      dl.appendChild(dd);
    }
    if (entry.layer === "quotes") {
      var who = rec.speaker_name ? rec.speaker_name : "unattributed";
      var speaker = records["e:" + rec.speaker];
      var node = speaker
        ? link(entityUrl(speaker.record.name, speaker.record.type, speaker.record.country || ""), who)
        : el("span", {}, who);
      node.classList.add("speaker-name");
      row("speaker", node);
      if (rec.speaker_mention && rec.speaker_mention.text) row("named as", rec.speaker_mention.text);
    }
    if (entry.layer === "entities") {
      row("mentions", String((rec.mentions || []).length));
    }
    var keys = Object.keys(rec).sort(function (a, b) {
      var ia = ORDER.indexOf(a), ib = ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    });
    keys.forEach(function (k) {
      if (HIDDEN[k] || (entry.layer === "quotes" && (k === "speaker" || k === "speaker_name"))) return;
      if (rec[k] === null || rec[k] === undefined || rec[k] === "") return;
      row(k, fieldText(rec[k]));
    });
    card.appendChild(dl);
    var links = el("p", { class: "small" });
    if (entry.layer === "entities") {
      links.appendChild(link(entityUrl(rec.name, rec.type, rec.country || ""), "entity page"));
      links.appendChild(document.createTextNode(" · "));
      links.appendChild(link("/timeline?" + new URLSearchParams({ entity: rec.name }).toString(), "timeline"));
    } else if (entry.layer === "places") {
      links.appendChild(link("/map?" + new URLSearchParams({ doc: documentId() }).toString(), "on the map"));
    }
    if (links.firstChild) card.appendChild(links);
    return card;
  }

  function documentId() {
    var parts = window.location.pathname.split("/");
    return parts[parts.length - 1];
  }

  function initArticle() {
    var records = pageData() || {};
    var text = document.getElementById("text");
    var body = document.getElementById("record-body");
    var hint = document.getElementById("record-hint");
    if (!text || !body) return;
    var pinned = null;

    function segmentsOf(key) {
      return text.querySelectorAll('.hl[data-r~="' + CSS.escape(key) + '"]');
    }
    function mark(cls, keys) {
      text.querySelectorAll("." + cls).forEach(function (n) { n.classList.remove(cls); });
      keys.forEach(function (k) { segmentsOf(k).forEach(function (n) { n.classList.add(cls); }); });
    }
    function show(seg) {
      var keys = (seg.getAttribute("data-r") || "").split(" ").filter(Boolean);
      // quotes first: a click on a quote shows its speaker at the top
      keys.sort(function (a, b) { return (a[0] === "q" ? 0 : 1) - (b[0] === "q" ? 0 : 1); });
      clear(body);
      if (hint) hint.hidden = true;
      keys.forEach(function (k) { if (records[k]) body.appendChild(recordCard(k, records[k], records)); });
      var speakers = keys.filter(function (k) { return k[0] === "q"; }).map(function (k) {
        var q = records[k] && records[k].record;
        return q && q.speaker ? "e:" + q.speaker : null;
      }).filter(Boolean);
      mark("linked", speakers);
      return keys;
    }
    text.addEventListener("mouseover", function (ev) {
      var seg = ev.target.closest(".hl");
      if (!seg) return;
      var keys = (seg.getAttribute("data-r") || "").split(" ").filter(Boolean);
      mark("lit", keys);
      if (!pinned) show(seg);
    });
    text.addEventListener("mouseleave", function () { mark("lit", []); });
    // on a narrow screen the panel is shown under the paragraph of the highlight tapped, not after the article
    var panel = document.getElementById("record");
    var home = panel ? { parent: panel.parentNode, next: panel.nextSibling } : null;
    var narrow = window.matchMedia("(max-width: 900px)");
    function placePanel(seg) {
      if (!panel) return;
      if (seg && narrow.matches) {
        var block = seg.closest(".para") || seg;
        if (block.nextSibling !== panel) block.parentNode.insertBefore(panel, block.nextSibling);
        panel.classList.add("near");
        panel.scrollIntoView({ block: "nearest" });
      } else if (panel.classList.contains("near")) {
        home.parent.insertBefore(panel, home.next);
        panel.classList.remove("near");
      }
    }
    if (narrow.addEventListener) narrow.addEventListener("change", function () { placePanel(pinned); });  // a turned phone
    function pin(seg) {
      pinned = seg;
      mark("sel", show(seg));
      placePanel(seg);
    }
    function unpin() {
      var was = pinned;
      pinned = null;
      mark("sel", []);
      mark("linked", []);
      clear(body);
      if (hint) hint.hidden = false;
      placePanel(null);
      return was;
    }
    text.addEventListener("click", function (ev) {
      if (panel && panel.contains(ev.target)) return;  // a link in the panel moved under the paragraph
      var seg = ev.target.closest(".hl");
      if (!seg) { pinned = null; mark("sel", []); return; }
      pin(seg);
    });
    // keyboard: Tab reaches each highlight (tabindex=0), Enter or Space opens its record, Escape closes it
    text.addEventListener("keydown", function (ev) {
      var seg = ev.target.closest && ev.target.closest(".hl");
      if (!seg || (panel && panel.contains(ev.target))) return;
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        pin(seg);
      }
    });
    text.addEventListener("focusin", function (ev) {
      var seg = ev.target.closest && ev.target.closest(".hl");
      if (seg && !pinned) { mark("lit", (seg.getAttribute("data-r") || "").split(" ").filter(Boolean)); show(seg); }
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key !== "Escape" || !pinned) return;
      var was = unpin();
      if (was) was.focus();
    });
    document.querySelectorAll("#legend input[data-layer]").forEach(function (box) {
      box.addEventListener("change", function () {
        text.classList.toggle("off-" + box.getAttribute("data-layer"), !box.checked);
      });
    });
    // the entity chips below the text light up that entity's mentions
    document.querySelectorAll(".entity-chips [data-r]").forEach(function (chip) {
      chip.addEventListener("mouseenter", function () { mark("lit", [chip.getAttribute("data-r")]); });
      chip.addEventListener("mouseleave", function () { mark("lit", []); });
    });
  }

  /* ---- charts ----------------------------------------------------------------------------------------- */

  var parseDay = function (s) { return d3.utcParse("%Y-%m-%d")(s); };
  var fmtDay = function (d) { return d3.utcFormat("%Y-%m-%d")(d); };

  function chartWidth(container, fallback) {
    return Math.max(320, container.clientWidth || fallback || 800);
  }

  function initEntityChart() {
    var data = pageData();
    var box = document.getElementById("mentions-chart");
    if (!box || !data) return;
    box.setAttribute("data-bucket", data.bucket);
    var step = data.bucket === "week" ? 7 : 1;
    var rows = data.buckets.map(function (r) { return Object.assign({ day: parseDay(r.start) }, r); })
      .filter(function (r) { return r.day; });
    if (!rows.length) { empty(box); return; }
    var width = chartWidth(box), height = 180, m = { top: 12, right: 16, bottom: 26, left: 40 };
    var lo = d3.utcDay.offset(d3.min(rows, function (r) { return r.day; }), -2 * step);
    var hi = d3.utcDay.offset(d3.max(rows, function (r) { return r.day; }), 3 * step);
    var x = d3.scaleUtc().domain([lo, hi]).range([m.left, width - m.right]);
    var y = d3.scaleLinear().domain([0, d3.max(rows, function (r) { return r.documents; })]).nice().range([height - m.bottom, m.top]);
    var bw = Math.max(2, Math.min(28, x(d3.utcDay.offset(lo, step)) - x(lo) - 1));
    var svg = d3.select(box).append("svg").attr("viewBox", [0, 0, width, height]).attr("height", height)
      .attr("role", "img").attr("aria-label", "documents naming it per " + data.bucket);
    svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (height - m.bottom) + ")")
      .call(dayAxis(d3.axisBottom(x), lo, hi, width));
    svg.append("g").attr("class", "axis").attr("transform", "translate(" + m.left + ",0)").call(d3.axisLeft(y).ticks(4).tickFormat(d3.format("~s")));
    svg.append("g").selectAll("rect").data(rows).join("rect").attr("class", "bar")
      .attr("data-start", function (r) { return r.start; })
      .attr("x", function (r) { return x(r.day) + (step > 1 ? 0 : -bw / 2); }).attr("width", bw)
      .attr("y", function (r) { return y(r.documents); }).attr("height", function (r) { return y(0) - y(r.documents); })
      .append("title").text(function (r) {
        return (r.start === r.end ? r.start : r.start + " to " + r.end) + ": " + r.documents + " document" + (r.documents === 1 ? "" : "s") + ", " + r.mentions + " mentions";
      });
    box.setAttribute("data-ready", "1");
  }

  function dayAxis(axis, lo, hi, width) {
    // whole days: day ticks on a short span, d3's own multi-scale ticks on a long one
    var days = d3.utcDay.count(lo, hi);
    if (days <= 16) return axis.ticks(d3.utcDay.every(days > 8 ? 2 : 1)).tickFormat(d3.utcFormat("%b %-d"));
    return axis.ticks(Math.max(2, Math.min(12, width / 90)));
  }

  /* ---- the timeline's volumes: articles, quotes and happenings per day or week, stacked by part --------- */

  var VOLUME_KINDS = [["articles", "Articles"], ["quotes", "Quotes"], ["events", "Happenings"]];

  function timelineUrl(params) {
    var p = new URLSearchParams(window.location.search);
    Object.keys(params).forEach(function (k) {
      if (params[k]) p.set(k, params[k]); else p.delete(k);
    });
    return "/timeline?" + p.toString();
  }

  function bucketDays(vol) { return vol.bucket === "week" ? 7 : 1; }

  function initVolume() {
    var data = pageData() || {};
    var vol = data.volume;
    var box = document.getElementById("volume");
    if (!box || !vol) return;
    box.setAttribute("data-bucket", vol.bucket);
    var buckets = vol.buckets.map(function (b) { return Object.assign({ day: parseDay(b.start) }, b); })
      .filter(function (b) { return b.day; });
    if (!buckets.length) { empty(box); box.setAttribute("data-ready", "1"); return; }
    var step = bucketDays(vol);
    // the days shown: the range asked for, else the articles' days (a happening may be dated years before)
    var withArticles = buckets.filter(function (b) { return b.articles > 0; });
    var seen = withArticles.length ? withArticles : buckets;
    var lo = vol.since ? parseDay(vol.since) : seen[0].day;
    var hi = vol.until ? d3.utcDay.offset(parseDay(vol.until), 1) : d3.utcDay.offset(seen[seen.length - 1].day, step);
    if (vol.bucket === "week") lo = d3.utcMonday.floor(lo);
    if (hi <= lo) hi = d3.utcDay.offset(lo, step);
    var shown = buckets.filter(function (b) { return b.day >= lo && b.day < hi; });
    var outside = buckets.length - shown.length;
    var width = chartWidth(box), m = { top: 8, right: 12, bottom: 26, left: 44 }, panelH = 92, gap = 26;
    var height = m.top + VOLUME_KINDS.length * (panelH + gap) + m.bottom - gap + 8;
    var x = d3.scaleUtc().domain([lo, hi]).range([m.left, width - m.right]);
    var svg = d3.select(box).append("svg").attr("viewBox", [0, 0, width, height]).attr("height", height)
      .attr("role", "img").attr("aria-label", "articles, quotes and happenings per " + vol.bucket);
    var bw = function (b) { var w = x(d3.utcDay.offset(b.day, step)) - x(b.day); return Math.max(1, w > 4 ? w - 1 : w); };
    var legend = el("div", { class: "volume-legend" });
    VOLUME_KINDS.forEach(function (kk, i) {
      var kind = kk[0], top = m.top + i * (panelH + gap) + 14;
      var keys = (vol.keys[kind] || []).slice();
      var split = keys.length > 0;
      if (!split) keys = ["all"];
      var most = d3.max(shown, function (b) { return b[kind]; }) || 1;
      var y = d3.scaleLinear().domain([0, most]).nice().range([top + panelH - 14, top + 4]);
      var g = svg.append("g").attr("class", "panel").attr("data-kind", kind);
      g.append("text").attr("class", "panel-label").attr("x", m.left).attr("y", top - 4)
        .text(kk[1] + " (" + d3.sum(shown, function (b) { return b[kind]; }).toLocaleString("en") + ")");
      g.append("g").attr("class", "axis").attr("transform", "translate(" + m.left + ",0)")
        .call(d3.axisLeft(y).ticks(Math.min(3, most)).tickFormat(d3.format("~s")));
      var rects = [];
      shown.forEach(function (b) {
        var base = 0;
        keys.forEach(function (key, ci) {
          var n = split ? (b.parts[kind] || {})[key] || 0 : b[kind];
          if (!n) return;
          rects.push({ b: b, key: key, ci: ci, y0: base, y1: base + n });
          base += n;
        });
        if (split && base < b[kind]) rects.push({ b: b, key: "", ci: 9, y0: base, y1: b[kind] });
      });
      g.append("g").selectAll("rect").data(rects).join("rect")
        .attr("class", function (r) { return "bar vbar " + (split ? "vc-" + r.ci : "vk-" + kind); })
        .attr("data-start", function (r) { return r.b.start; })
        .attr("x", function (r) { return x(r.b.day); }).attr("width", function (r) { return bw(r.b); })
        .attr("y", function (r) { return y(r.y1); }).attr("height", function (r) { return Math.max(0.5, y(r.y0) - y(r.y1)); });
      if (split && !(vol.by === "source" && i > 0)) {  // by source: one legend, the same colours in every panel
        var row = el("p", { class: "legend-row" });
        row.appendChild(el("strong", {}, (vol.by === "source" ? "Outlets" : kk[1]) + ": "));
        keys.forEach(function (key, ci) {
          var item = el("span", { class: "legend-item" });
          item.appendChild(el("span", { class: "swatch vs-" + ci }));
          item.appendChild(document.createTextNode(key));
          row.appendChild(item);
        });
        legend.appendChild(row);
      }
    });
    svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (height - m.bottom) + ")")
      .call(dayAxis(d3.axisBottom(x), lo, hi, width - m.left));
    var readout = el("p", { class: "readout", "aria-live": "polite" }, "");
    function bucketAt(px) {
      var day = x.invert(px);
      return shown.find(function (b) { return b.day <= day && day < d3.utcDay.offset(b.day, step); });
    }
    function say(b) {
      readout.textContent = b ? (b.start === b.end ? b.start : b.start + " to " + b.end) + ": " + b.articles + " articles, " +
        b.quotes + " quotes, " + b.events + " happenings" : "";
    }
    // zoom: a drag across the chart narrows the range to its days, a click to its bar's; each a stable address
    var brush = d3.brushX().extent([[m.left, m.top], [width - m.right, height - m.bottom]])
      .on("end", function (ev) {
        if (!ev.sourceEvent) return;
        if (!ev.selection) {
          var b = bucketAt(d3.pointer(ev.sourceEvent, svg.node())[0]);
          if (b) window.location.href = timelineUrl({ since: b.start, until: b.end });
          return;
        }
        var d0 = d3.utcDay.floor(x.invert(ev.selection[0])), d1 = d3.utcDay.floor(x.invert(ev.selection[1]));
        if (vol.bucket === "week") { d0 = d3.utcMonday.floor(d0); d1 = d3.utcDay.offset(d3.utcMonday.floor(d1), 6); }
        window.location.href = timelineUrl({ since: fmtDay(d0), until: fmtDay(d1) });
      });
    var brushG = svg.append("g").attr("class", "brush").call(brush);
    brushG.on("mousemove.readout", function (ev) { say(bucketAt(d3.pointer(ev, svg.node())[0])); })
      .on("mouseleave.readout", function () { say(null); });
    // by keyboard: the chart takes the focus; the arrows step through its bars, Enter zooms to the one shown
    var cursor = svg.append("rect").attr("class", "cursor").attr("y", m.top).attr("height", height - m.top - m.bottom)
      .attr("hidden", "hidden");
    var at = -1;
    svg.attr("tabindex", "0").attr("aria-label", "articles, quotes and happenings per " + vol.bucket +
      ": the arrow keys step through the bars, Enter zooms to one");
    svg.on("keydown", function (ev) {
      var moves = { ArrowRight: 1, ArrowLeft: -1, Home: -shown.length, End: shown.length };
      if (ev.key in moves) {
        ev.preventDefault();
        at = Math.max(0, Math.min(shown.length - 1, (at < 0 && moves[ev.key] < 0 ? shown.length : at) + moves[ev.key]));
        var b = shown[at];
        cursor.attr("x", x(b.day) - 1).attr("width", bw(b) + 2).attr("hidden", null);
        say(b);
      } else if (ev.key === "Enter" && at >= 0) {
        window.location.href = timelineUrl({ since: shown[at].start, until: shown[at].end });
      }
    });
    box.parentNode.insertBefore(readout, box);
    if (legend.firstChild) box.parentNode.insertBefore(legend, box.nextSibling);
    if (outside) {
      var note = el("p", { class: "muted", id: "volume-outside" }, outside + " " + vol.bucket + (outside === 1 ? "" : "s") + " with happenings dated outside these days (" +
        vol.first + " to " + vol.last + "): ");
      note.appendChild(link(timelineUrl({ since: vol.first, until: vol.last }), "show them all"));
      box.parentNode.insertBefore(note, legend.parentNode ? legend.nextSibling : box.nextSibling);
    }
    box.setAttribute("data-ready", "1");
  }

  function initTimeline() {
    var data = (pageData() || {}).items;
    var box = document.getElementById("timeline");
    if (!box || !data) return;
    var lanes = [
      { label: "Articles", cls: "m-articles", items: data.articles, kind: "articles" },
      { label: "Quotes", cls: "m-quotes", items: data.quotes, kind: "quotes" },
      { label: "Dated mentions", cls: "m-dated", items: data.dated, kind: "dated" },
      { label: "Events", cls: "m-events", items: data.events, kind: "events" }
    ];
    data.entities.forEach(function (e) {
      var items = [];
      e.days.forEach(function (d) { for (var i = 0; i < d.documents; i++) items.push({ day: d.day, mentions: d.mentions }); });
      lanes.push({ label: e.name, cls: "m-entity", items: items, kind: "entity", entity: e });
    });
    var all = [], published = [];
    lanes.forEach(function (lane) {
      var groups = d3.groups(lane.items, function (it) { return it.day + (it.span === "month" ? "/m" : ""); });
      lane.marks = groups.map(function (g) {
        var first = g[1][0];
        return { day: parseDay(first.day), key: first.day, month: first.span === "month", items: g[1], lane: lane };
      }).filter(function (mk) { return mk.day; });
      lane.marks.forEach(function (mk) {
        all.push(mk.day);
        if (lane.kind !== "dated") published.push(mk.day);
      });
    });
    if (!all.length) { empty(box); return; }
    var width = chartWidth(box), labelW = 190, right = 20, laneH = 30, top = 26, gap = 30;
    var nBase = 4, nEnt = lanes.length - nBase;
    var height = top + nBase * laneH + (nEnt ? gap + nEnt * laneH : 0) + 34;
    var x0 = d3.scaleUtc().domain([d3.utcDay.offset(d3.min(all), -3), d3.utcDay.offset(d3.max(all), 4)])
      .range([labelW, width - right]);
    // the first view: the days the articles were published (dated mentions may reach far back)
    var seen = published.length ? published : all;
    var lo = d3.utcDay.offset(d3.min(seen), -3), hi = d3.utcDay.offset(d3.max(seen), 4);
    var maxN = d3.max(lanes, function (l) { return d3.max(l.marks, function (mk) { return mk.items.length; }) || 1; });
    var r = d3.scaleSqrt().domain([1, Math.max(2, maxN)]).range([4, 12]);
    var svg = d3.select(box).append("svg").attr("viewBox", [0, 0, width, height]).attr("height", height)
      .attr("role", "img").attr("aria-label", "timeline");
    svg.append("clipPath").attr("id", "timeline-clip").append("rect")
      .attr("x", labelW - 6).attr("y", 0).attr("width", width - right - labelW + 12).attr("height", height);
    function laneY(i) { return top + i * laneH + (i >= nBase ? gap : 0) + laneH / 2; }
    svg.append("text").attr("class", "lane-group").attr("x", 8).attr("y", 16).text("In the articles");
    if (nEnt) svg.append("text").attr("class", "lane-group").attr("x", 8).attr("y", top + nBase * laneH + gap - 8).text("By entity (articles naming it)");
    var axis = svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (height - 28) + ")");
    var allMarks = [], outside = [];
    lanes.forEach(function (lane, i) {
      var g = svg.append("g").attr("class", "lane").attr("data-kind", lane.kind);
      var yy = laneY(i);
      lane.y = yy;
      g.append("line").attr("class", "lane-rule").attr("x1", labelW).attr("x2", width - right).attr("y1", yy).attr("y2", yy);
      var label = g.append("text").attr("class", "lane-label" + (lane.entity ? " entity" : "")).attr("x", 8).attr("y", yy + 4)
        .text(lane.label.length > 26 ? lane.label.slice(0, 25) + "…" : lane.label);
      label.append("title").text(lane.label + " (" + lane.items.length + ")");
      if (lane.entity) {
        label.on("click", function () { window.location.href = "/timeline?" + new URLSearchParams({ entity: lane.entity.name }).toString(); });
      }
      var marks = g.append("g").attr("clip-path", "url(#timeline-clip)").selectAll(".mark").data(lane.marks)
        .join(function (enter) {
          return enter.append(function (mk) {
            return document.createElementNS("http://www.w3.org/2000/svg", mk.month ? "rect" : "circle");
          });
        }).attr("class", "mark " + lane.cls);
      marks.filter(function (mk) { return !mk.month; }).attr("cy", yy).attr("r", function (mk) { return r(mk.items.length); });
      marks.filter(function (mk) { return mk.month; }).attr("y", yy - 5).attr("height", 10).attr("rx", 3);
      marks.append("title").text(function (mk) {
        return (mk.month ? mk.key.slice(0, 7) : mk.key) + ": " + mk.items.length + " " + lane.label.toLowerCase();
      });
      marks.on("click", function (ev, mk) {
        svg.selectAll(".mark.sel").classed("sel", false);
        d3.select(this).classed("sel", true);
        timelineDetail(mk);
      });
      allMarks.push(marks);
      // how many marks lie left or right of the view
      outside.push({ lane: lane, before: g.append("text").attr("class", "lane-more").attr("x", labelW - 8).attr("y", yy + 4).attr("text-anchor", "end"),
        after: g.append("text").attr("class", "lane-more").attr("x", width - 2).attr("y", yy + 4).attr("text-anchor", "end") });
    });
    function draw(x) {
      var dlo = x.domain()[0], dhi = x.domain()[1];
      axis.call(dayAxis(d3.axisBottom(x), dlo, dhi, width - labelW));
      allMarks.forEach(function (marks) {
        marks.filter(function (mk) { return !mk.month; }).attr("cx", function (mk) { return x(mk.day); });
        marks.filter(function (mk) { return mk.month; }).attr("x", function (mk) { return x(mk.day); })
          .attr("width", function (mk) { return Math.max(5, x(d3.utcMonth.offset(mk.day, 1)) - x(mk.day)); });
      });
      outside.forEach(function (o) {
        var before = o.lane.marks.filter(function (mk) { return (mk.month ? d3.utcMonth.offset(mk.day, 1) : mk.day) < dlo; }).length;
        var after = o.lane.marks.filter(function (mk) { return mk.day > dhi; }).length;
        o.before.text(before ? "◂" + before : "");
        o.after.text(after ? after + "▸" : "");
      });
    }
    var span = x0(hi) - x0(lo);
    var k = (width - right - labelW) / Math.max(1, span);
    var minDays = 6;
    var maxK = Math.max(k, (width - right - labelW) / Math.max(1, x0(d3.utcDay.offset(x0.domain()[0], minDays)) - x0(x0.domain()[0])));
    var zoom = d3.zoom().scaleExtent([1, maxK])
      .extent([[labelW, 0], [width - right, height]])
      .translateExtent([[labelW, 0], [width - right, height]])
      .on("zoom", function (ev) { draw(ev.transform.rescaleX(x0)); });
    svg.call(zoom);
    svg.call(zoom.transform, d3.zoomIdentity.translate(labelW - k * x0(lo), 0).scale(k));
    box.setAttribute("data-ready", "1");
  }

  function timelineDetail(mk) {
    var lane = mk.lane, day = mk.month ? mk.key.slice(0, 7) : mk.key;
    var nodes = [];
    if (lane.kind === "articles") {
      mk.items.forEach(function (a) { nodes.push(line(link(docUrl(a.id), a.title || "(untitled)"), a.source ? " · " + a.source : "")); });
    } else if (lane.kind === "quotes") {
      mk.items.forEach(function (q) {
        nodes.push(line(el("strong", {}, q.speaker_name || "unattributed"), ": “" + q.text + "” ", link(docUrl(q.doc_id, "q" + q.idx), "in context")));
      });
    } else if (lane.kind === "dated") {
      mk.items.forEach(function (t) {
        nodes.push(line("“" + t.text + "” (" + t.value + ") in ", link(docUrl(t.doc_id), t.title || "(untitled)"), t.published ? ", " + t.published : ""));
      });
    } else if (lane.kind === "events") {
      mk.items.forEach(function (v) {
        var parts = [el("strong", {}, v.type)];
        if (v.modality && v.modality !== "asserted") parts.push(" ", el("span", { class: "modality mod-" + v.modality }, v.modality));
        parts.push(" " + (v.source_name || "?") + " → " + (v.target_name || "—") + (v.trigger ? " “" + v.trigger + "” " : " "));
        if (v.cluster !== null && v.cluster !== undefined) {
          parts.push(link(clusterUrl(v.cluster), v.articles + " article" + (v.articles === 1 ? "" : "s") + ", " + v.sources + " outlet" + (v.sources === 1 ? "" : "s")));
        } else {
          parts.push(link(docUrl(v.doc_id), v.title || "(untitled)"));
        }
        nodes.push(line.apply(null, parts));
      });
    } else {
      var e = lane.entity;
      nodes.push(line(mk.items.length + " article(s) name " + e.name + " on " + day + ": ",
        link("/?" + new URLSearchParams({ entity: e.name, since: mk.key, until: mk.key }).toString(), "list them")));
      nodes.push(link(entityUrl(e.name, e.type, e.country || ""), "entity page"));
    }
    showDetail(lane.label + ", " + day, nodes);
  }

  function initMap() {
    var data = pageData();
    var box = document.getElementById("map");
    if (!box || !data) return;
    var width = chartWidth(box), height = Math.round(width * 0.52);
    var svg = d3.select(box).append("svg").attr("viewBox", [0, 0, width, height]).attr("height", height)
      .attr("role", "img").attr("aria-label", "world map of the places named");
    var zoomed = svg.append("g");
    d3.json("/static/vendor/countries-110m.json").then(function (world) {
      var countries = topojson.feature(world, world.objects.countries);
      var projection = d3.geoNaturalEarth1().fitExtent([[6, 6], [width - 6, height - 6]], { type: "Sphere" });
      var path = d3.geoPath(projection);
      var maxC = d3.max(Object.values(data.countries)) || 1;
      var shade = d3.scaleSequentialLog(d3.interpolateBlues).domain([1, Math.max(2, maxC * 1.6)]);
      zoomed.append("path").datum({ type: "Sphere" }).attr("class", "sphere").attr("d", path);
      zoomed.append("path").datum(d3.geoGraticule10()).attr("class", "graticule").attr("d", path);
      zoomed.append("g").selectAll("path").data(countries.features).join("path").attr("class", "country")
        .attr("d", path)
        .attr("fill", function (f) { var n = data.countries[f.id]; return n ? shade(n) : "#e8ecef"; })
        .append("title").text(function (f) {
          var n = data.countries[f.id];
          return f.properties.name + (n ? ": " + n + " mention" + (n === 1 ? "" : "s") + " of places" : "");
        });
      var maxM = d3.max(data.places, function (p) { return p.mentions; }) || 1;
      var r = d3.scaleSqrt().domain([1, Math.max(2, maxM)]).range([3, 16]);
      var places = data.places.slice().sort(function (a, b) { return b.mentions - a.mentions; });
      var dots = zoomed.append("g").selectAll("circle").data(places).join("circle").attr("class", "place-dot")
        .attr("cx", function (p) { return projection([p.lon, p.lat])[0]; })
        .attr("cy", function (p) { return projection([p.lon, p.lat])[1]; })
        .attr("r", function (p) { return r(p.mentions); });
      dots.append("title").text(function (p) { return p.name + (p.country ? " (" + p.country + ")" : "") + ": " + p.mentions + " mentions in " + p.documents + " documents"; });
      // labels for the most named places, skipping any that would overlap one already placed
      var boxes = [];
      var labelled = places.filter(function (p) {
        var xy = projection([p.lon, p.lat]), x1 = xy[0] + r(p.mentions) + 3, b = [x1, xy[1] - 9, x1 + 6.5 * p.name.length, xy[1] + 4];
        var clash = boxes.some(function (o) { return b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]; });
        if (clash || boxes.length >= 20) return false;
        boxes.push(b);
        return true;
      });
      var labels = zoomed.append("g").selectAll("text").data(labelled).join("text").attr("class", "place-label")
        .attr("x", function (p) { return projection([p.lon, p.lat])[0] + r(p.mentions) + 3; })
        .attr("y", function (p) { return projection([p.lon, p.lat])[1] + 4; })
        .text(function (p) { return p.name; });
      // where the events took place: diamonds, over the places
      var symbol = d3.symbol().type(d3.symbolDiamond);
      var maxE = d3.max(data.events || [], function (p) { return p.happenings; }) || 1;
      var er = d3.scaleSqrt().domain([1, Math.max(2, maxE)]).range([50, 220]);
      function eventAt(p, k) {
        var xy = projection([p.lon, p.lat]);
        return "translate(" + xy[0] + "," + xy[1] + ") scale(" + (1 / Math.sqrt(k)) + ")";
      }
      var diamonds = zoomed.append("g").selectAll("path").data(data.events || []).join("path").attr("class", "event-dot")
        .attr("d", function (p) { return symbol.size(er(p.happenings))(); })
        .attr("transform", function (p) { return eventAt(p, 1); });
      diamonds.append("title").text(function (p) {
        return (p.place || "?") + ": " + p.happenings + " event" + (p.happenings === 1 ? "" : "s") + " (" +
          Object.keys(p.types).map(function (t) { return t + " " + p.types[t]; }).join(", ") + ")";
      });
      var toggle = document.getElementById("show-events");
      if (toggle) toggle.addEventListener("change", function () { box.classList.toggle("off-events", !toggle.checked); });
      diamonds.on("click", function (ev, p) {
        dots.classed("sel", false);
        diamonds.classed("sel", false);
        d3.select(this).classed("sel", true);
        var nodes = [el("span", {}, p.happenings + " event(s) told as having happened, " + p.mentions + " mention(s)" + (p.country ? " · " + p.country : ""))];
        p.items.forEach(function (v) {
          var what = v.type + " " + (v.source_name || "?") + " → " + (v.target_name || "—") + (v.day ? ", " + v.day : "");
          nodes.push(v.cluster !== null && v.cluster !== undefined ? link(clusterUrl(v.cluster), what) : link(docUrl(v.doc_id), what));
        });
        if (p.country) nodes.push(link(eventsUrl({ country: p.country, modality: "asserted" }), "every event in " + p.country));
        showDetail("Events in " + (p.place || "?"), nodes);
      });
      dots.on("click", function (ev, p) {
        diamonds.classed("sel", false);
        dots.classed("sel", false);
        d3.select(this).classed("sel", true);
        var nodes = [el("span", {}, (p.kind || "place") + (p.country ? ", " + p.country : "") + " · " + p.lat + ", " + p.lon +
          " · " + p.mentions + " mentions" + (p.metonymy ? " (" + p.metonymy + " for its government)" : ""))];
        p.docs.forEach(function (d) { nodes.push(line(link(docUrl(d.id), d.title || "(untitled)"), d.published ? ", " + d.published : "")); });
        showDetail(p.name, nodes);
      });
      svg.call(d3.zoom().scaleExtent([1, 16]).translateExtent([[0, 0], [width, height]]).on("zoom", function (ev) {
        zoomed.attr("transform", ev.transform);
        var k = ev.transform.k;
        dots.attr("r", function (p) { return r(p.mentions) / Math.sqrt(k); }).attr("stroke-width", 1 / k);
        labels.attr("font-size", 11 / k).attr("stroke-width", 3 / k)
          .attr("x", function (p) { return projection([p.lon, p.lat])[0] + (r(p.mentions) + 3) / Math.sqrt(k); })
          .attr("y", function (p) { return projection([p.lon, p.lat])[1] + 4 / k; });
        zoomed.selectAll(".country").attr("stroke-width", 0.5 / k);
        diamonds.attr("transform", function (p) { return eventAt(p, k); }).attr("stroke-width", 1 / Math.sqrt(k));
      }));
      box.setAttribute("data-ready", "1");
    });
  }

  function initNetwork() {
    var data = pageData();
    var box = document.getElementById("network");
    if (!box || !data) return;
    if (!data.nodes.length) { empty(box); return; }
    var width = chartWidth(box), height = Math.max(460, Math.min(760, Math.round(width * 0.62)));
    var nodes = data.nodes.map(function (n) { return Object.assign({}, n); });
    var links = data.links.map(function (l) { return Object.assign({}, l); });
    var maxS = d3.max(nodes, function (n) { return n.stories; }) || 1;
    var maxW = d3.max(links, function (l) { return l.weight; }) || 1;
    var r = d3.scaleSqrt().domain([1, Math.max(2, maxS)]).range([5, 18]);
    var sim = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(links).distance(function (l) { return 90 - 40 * (l.weight / maxW); }).strength(function (l) { return 0.05 + 0.4 * l.weight / maxW; }))
      .force("charge", d3.forceManyBody().strength(-260))
      .force("x", d3.forceX(width / 2).strength(0.06))
      .force("y", d3.forceY(height / 2).strength(0.09))
      .force("collide", d3.forceCollide(function (n) { return r(n.stories) + 4; }))
      .stop();
    for (var i = 0; i < 320; i++) sim.tick();
    nodes.forEach(function (n) {
      n.x = Math.max(20, Math.min(width - 20, n.x));
      n.y = Math.max(20, Math.min(height - 20, n.y));
    });
    var svg = d3.select(box).append("svg").attr("viewBox", [0, 0, width, height]).attr("height", height)
      .attr("role", "img").attr("aria-label", "co-mention network");
    var g = svg.append("g");
    var w = d3.scaleLinear().domain([1, Math.max(2, maxW)]).range([0.8, 6]);
    var edge = g.append("g").selectAll("line").data(links).join("line").attr("class", "link")
      .attr("x1", function (l) { return l.source.x; }).attr("y1", function (l) { return l.source.y; })
      .attr("x2", function (l) { return l.target.x; }).attr("y2", function (l) { return l.target.y; })
      .attr("stroke-width", function (l) { return w(l.weight); });
    edge.append("title").text(function (l) { return l.source.name + " and " + l.target.name + ": " + l.weight + " paragraph(s)"; });
    var kinds = { PERSON: "person", ORG: "org", GPE: "gpe", LOC: "loc", NORP: "norp" };
    var node = g.append("g").selectAll("circle").data(nodes).join("circle")
      .attr("class", function (n) { return "node node-" + (kinds[n.type] || "other") + (n.focus ? " focus" : ""); })
      .attr("cx", function (n) { return n.x; }).attr("cy", function (n) { return n.y; })
      .attr("r", function (n) { return r(n.stories); });
    node.append("title").text(function (n) { return n.name + " (" + n.type + (n.country ? ", " + n.country : "") + "): " + n.stories + " stories"; });
    var labelled = nodes.length <= 60 ? nodes : nodes.slice(0, 60);
    g.append("g").selectAll("text").data(labelled).join("text").attr("class", "node-label")
      .attr("x", function (n) { return n.x + r(n.stories) + 3; }).attr("y", function (n) { return n.y + 4; })
      .text(function (n) { return n.name; });
    var neighbours = new Map(nodes.map(function (n) { return [n, new Set([n])]; }));
    links.forEach(function (l) { neighbours.get(l.source).add(l.target); neighbours.get(l.target).add(l.source); });
    node.on("mouseenter", function (ev, n) {
      var near = neighbours.get(n);
      node.classed("dim", function (o) { return !near.has(o); });
      edge.classed("lit", function (l) { return l.source === n || l.target === n; })
        .classed("dim", function (l) { return l.source !== n && l.target !== n; });
    }).on("mouseleave", function () { node.classed("dim", false); edge.classed("lit", false).classed("dim", false); });
    node.on("click", function (ev, n) {
      node.classed("sel", false);
      d3.select(this).classed("sel", true);
      var items = [el("span", {}, n.type + (n.country ? ", " + n.country : "") + " · " + n.stories + " stories")];
      items.push(link(entityUrl(n.name, n.type, n.country || ""), "entity page"));
      items.push(link("/network?" + new URLSearchParams({ entity: n.name }).toString(), "network around " + n.name));
      var partners = links.filter(function (l) { return l.source === n || l.target === n; })
        .map(function (l) { return { other: l.source === n ? l.target : l.source, weight: l.weight }; })
        .sort(function (a, b) { return b.weight - a.weight; }).slice(0, 12);
      partners.forEach(function (p) { items.push(el("span", {}, p.other.name + " · " + p.weight)); });
      showDetail(n.name, items);
    });
    svg.call(d3.zoom().scaleExtent([0.4, 6]).on("zoom", function (ev) { g.attr("transform", ev.transform); }));
  }

  function eventsUrl(params) { return "/events?" + new URLSearchParams(params).toString(); }

  function clusterUrl(id) { return "/events/" + encodeURIComponent(id); }

  var QUADS = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };

  function initActors() {
    var data = pageData();
    var box = document.getElementById("actors");
    if (!box || !data) return;
    if (!data.nodes.length) { empty(box); return; }
    var width = chartWidth(box), height = Math.max(480, Math.min(780, Math.round(width * 0.62)));
    var nodes = data.nodes.map(function (n) { return Object.assign({}, n); });
    var edges = data.edges.map(function (e) { return Object.assign({}, e); });
    var maxH = d3.max(nodes, function (n) { return n.happenings; }) || 1;
    var maxW = d3.max(edges, function (e) { return e.weight; }) || 1;
    var r = d3.scaleSqrt().domain([1, Math.max(2, maxH)]).range([6, 20]);
    var sim = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(edges).distance(110).strength(0.25))
      .force("charge", d3.forceManyBody().strength(-300))
      .force("x", d3.forceX(width / 2).strength(0.05))
      .force("y", d3.forceY(height / 2).strength(0.08))
      .force("collide", d3.forceCollide(function (n) { return r(n.happenings) + 6; }))
      .stop();
    for (var i = 0; i < 320; i++) sim.tick();
    nodes.forEach(function (n) {
      n.x = Math.max(24, Math.min(width - 24, n.x));
      n.y = Math.max(24, Math.min(height - 24, n.y));
    });
    var svg = d3.select(box).append("svg").attr("viewBox", [0, 0, width, height]).attr("height", height)
      .attr("role", "img").attr("aria-label", "who acts on whom: actors and their events");
    var defs = svg.append("defs");
    [0, 1, 2, 3, 4].forEach(function (q) {
      defs.append("marker").attr("id", "arrow-q" + q).attr("viewBox", "0 -5 10 10").attr("refX", 9).attr("refY", 0)
        .attr("markerWidth", 7).attr("markerHeight", 7).attr("markerUnits", "userSpaceOnUse").attr("orient", "auto")
        .append("path").attr("class", "q-" + q).attr("d", "M0,-5L10,0L0,5Z");
    });
    var g = svg.append("g");
    var labelG = g.append("g");  // under the arrows: a label never hides an arrowhead
    var w = d3.scaleLinear().domain([1, Math.max(2, maxW)]).range([1.3, 6]);
    function curve(e) {
      // a quadratic curve bent to one side, so that A -> B and B -> A stay apart; its ends on the circles
      var sx = e.source.x, sy = e.source.y, tx = e.target.x, ty = e.target.y;
      var dx = tx - sx, dy = ty - sy, d = Math.sqrt(dx * dx + dy * dy) || 1;
      var cx = (sx + tx) / 2 - dy * 0.18, cy = (sy + ty) / 2 + dx * 0.18;
      function toward(x, y, rad) {
        var ux = cx - x, uy = cy - y, len = Math.sqrt(ux * ux + uy * uy) || 1;
        return [x + ux / len * rad, y + uy / len * rad];
      }
      var a = toward(sx, sy, r(e.source.happenings) + 1), b = toward(tx, ty, r(e.target.happenings) + 2);
      return "M" + a[0] + "," + a[1] + "Q" + cx + "," + cy + " " + b[0] + "," + b[1];
    }
    function edgeTitle(e) {
      var types = Object.keys(e.types).map(function (t) { return t + " " + e.types[t]; }).join(", ");
      return e.source.name + " → " + e.target.name + ": " + e.weight + " happening" + (e.weight === 1 ? "" : "s") + " (" + types + ")";
    }
    var edgeG = g.append("g");
    var edge = edgeG.selectAll("path.edge").data(edges).join("path")
      .attr("class", function (e) { return "edge q-" + (e.quad || 0); })
      .attr("d", curve).attr("stroke-width", function (e) { return w(e.weight); })
      .attr("marker-end", function (e) { return "url(#arrow-q" + (e.quad || 0) + ")"; });
    var hit = edgeG.selectAll("path.edge-hit").data(edges).join("path").attr("class", "edge-hit").attr("d", curve);
    hit.append("title").text(edgeTitle);
    var kinds = { PERSON: "person", ORG: "org", GPE: "gpe", LOC: "loc", NORP: "norp" };
    var node = g.append("g").selectAll("circle").data(nodes).join("circle")
      .attr("class", function (n) { return "node " + (n.kind === "entity" ? "node-" + (kinds[n.entity_type] || "other") : "node-described"); })
      .attr("cx", function (n) { return n.x; }).attr("cy", function (n) { return n.y; })
      .attr("r", function (n) { return r(n.happenings); });
    node.append("title").text(function (n) {
      return n.name + (n.country ? " (" + n.country + ")" : "") + ": acts in " + n.as_source + ", acted on in " + n.as_target;
    });
    var labelled = nodes.length <= 60 ? nodes : nodes.slice(0, 60);
    labelG.selectAll("text").data(labelled).join("text").attr("class", "node-label")
      .attr("x", function (n) { return n.x + r(n.happenings) + 3; }).attr("y", function (n) { return n.y + 4; })
      .text(function (n) { return n.name.length > 40 ? n.name.slice(0, 39) + "…" : n.name; });
    node.on("mouseenter", function (ev, n) {
      node.classed("dim", function (o) {
        return o !== n && !edges.some(function (e) { return (e.source === n && e.target === o) || (e.target === n && e.source === o); });
      });
      edge.classed("lit", function (e) { return e.source === n || e.target === n; })
        .classed("dim", function (e) { return e.source !== n && e.target !== n; });
    }).on("mouseleave", function () { node.classed("dim", false); edge.classed("lit", false).classed("dim", false); });
    node.on("click", function (ev, n) {
      node.classed("sel", false);
      d3.select(this).classed("sel", true);
      var items = [el("span", {}, (n.kind === "entity" ? (n.entity_type || "entity") : "described actor") + (n.country ? ", " + n.country : "") +
        " · acts in " + n.as_source + ", acted on in " + n.as_target + " happening(s)")];
      if (n.kind === "entity") items.push(link(entityUrl(n.name, n.entity_type, n.country || ""), "entity page"));
      items.push(link(eventsUrl({ actor: n.name }), "its events"));
      edges.filter(function (e) { return e.source === n || e.target === n; })
        .sort(function (a, b) { return b.weight - a.weight; }).slice(0, 12).forEach(function (e) {
          items.push(el("span", {}, (e.source === n ? "→ " + e.target.name : "← " + e.source.name) + " · " + e.type + " · " + e.weight));
        });
      showDetail(n.name, items);
    });
    hit.on("click", function (ev, e) {
      edge.classed("sel", function (o) { return o === e; });
      var items = [el("span", {}, e.weight + " happening" + (e.weight === 1 ? "" : "s") + " · " + (QUADS[e.quad] || ""))];
      Object.keys(e.types).forEach(function (t) { items.push(el("span", {}, t + ": " + e.types[t])); });
      e.clusters.forEach(function (id) { items.push(link(clusterUrl(id), "event " + id)); });
      showDetail(e.source.name + " → " + e.target.name, items);
    });
    svg.call(d3.zoom().scaleExtent([0.4, 6]).on("zoom", function (ev) { g.attr("transform", ev.transform); }));
    box.setAttribute("data-ready", "1");
  }

  var page = document.body.getAttribute("data-page");
  var init = { document: initArticle, entity: initEntityChart, timeline: function () { initVolume(); initTimeline(); }, map: initMap, network: initNetwork, actors: initActors }[page];
  if (init) init();
})();
