/* What-if simulations in the static book page (ketencursus.cases.whatif_page).
 *
 * The results were computed at build time by the package's own model for every combination
 * of the controls; this script only looks them up and draws them (no model here). A change
 * of a control updates the figure (SVG), the aria-live summary and the table at once, and
 * stores how long that took in data-kc-render-ms (the browser test reads it).
 */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var NAMES = ["handoff", "error_pct", "correction", "collaboration"];

  function nl1(value) { return value.toFixed(1).replace(".", ","); }
  function nlShort(value) {
    return (Number.isInteger(value) ? String(value) : value.toFixed(1)).replace(".", ",");
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function WhatIf(root) {
    this.root = root;
    this.data = JSON.parse(root.querySelector(".kc-wa-data").textContent);
    this.unit = root.getAttribute("data-kc-unit") || "zaken";
    this.controls = {};
    var self = this;
    NAMES.forEach(function (name) {
      self.controls[name] = root.querySelector("[data-kc-control='" + name + "']");
      var handler = function (event) { self.update(event); };
      self.controls[name].addEventListener("input", handler);
      self.controls[name].addEventListener("change", handler);
    });
    root.querySelector(".kc-wa-reset").addEventListener("click", function (event) {
      NAMES.forEach(function (name, i) { self.controls[name].value = self.data["default"][i]; });
      self.update(event);
    });
    this.baseline = this.row(this.data["default"]);
    this.data.figures.forEach(function (label, i) {
      root.querySelector("[data-kc-standaard='" + i + "']").textContent = nl1(self.baseline[i]);
    });
    root.hidden = false;
    var fallback = root.parentNode.querySelector(".kc-wa-zonder-js");
    if (fallback) fallback.hidden = true;
    this.update(null);
    root.setAttribute("data-kc-ready", "true");
  }

  WhatIf.prototype.positions = function () {
    var self = this;
    return NAMES.map(function (name) { return parseInt(self.controls[name].value, 10); });
  };

  WhatIf.prototype.row = function (pos) {
    var c = this.data.controls;
    var sizes = [c.handoff.length, c.error_pct.length, c.correction.length,
                 c.collaboration.length];
    var index = 0;
    for (var i = 0; i < 4; i++) index = index * sizes[i] + pos[i];
    return this.data.results[index];
  };

  WhatIf.prototype.update = function (event) {
    var start = event && event.timeStamp ? event.timeStamp : performance.now();
    var pos = this.positions(), c = this.data.controls, self = this;
    var values = [c.handoff[pos[0]], c.error_pct[pos[1]], c.correction[pos[2]]];
    var units = [" dagen", "%", " dagen"];
    [0, 1, 2].forEach(function (i) {
      var control = self.controls[NAMES[i]];
      var text = nlShort(values[i]) + units[i];
      control.setAttribute("aria-valuetext", text);
      var output = self.root.querySelector("output[for='" + control.id + "']");
      if (output) output.textContent = text;
    });
    var row = this.row(pos);
    var n = this.data.figures.length;
    this.data.figures.forEach(function (label, i) {
      self.root.querySelector("[data-kc-jouw='" + i + "']").textContent = nl1(row[i]);
    });
    var summary = "Jouw scenario (" + c.collaboration[pos[3]] + ", " + nlShort(values[0]) +
      " dagen wachttijd, " + nlShort(values[1]) + "% foutkans, " + nlShort(values[2]) +
      " dagen hersteltijd): gemiddelde doorlooptijd " + nl1(row[0]) + " dagen (standaard " +
      nl1(this.baseline[0]) + "), mediaan " + nl1(row[1]) + " dagen (standaard " +
      nl1(this.baseline[1]) + "), first time right " + nl1(row[3]) + "% (standaard " +
      nl1(this.baseline[3]) + "%).";
    this.root.querySelector(".kc-wa-samenvatting").textContent = summary;
    this.draw(row.slice(n), this.baseline.slice(n), summary);
    this.root.setAttribute("data-kc-render-ms", (performance.now() - start).toFixed(1));
  };

  WhatIf.prototype.draw = function (bars, base, summary) {
    var box = this.root.querySelector(".kc-wa-svg");
    var W = 640, H = 300, L = 56, R = 12, T = 14, B = 46;
    var top = Math.max.apply(null, bars.concat(base).concat([1]));
    var svg = el("svg", {viewBox: "0 0 " + W + " " + H, width: "100%", role: "img",
                         "aria-label": "Staafdiagram van de doorlooptijd. " + summary});
    var bw = (W - L - R) / bars.length;
    var y = function (v) { return T + (H - T - B) * (1 - v / top); };
    el("line", {x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#444"}, svg);
    el("line", {x1: L, y1: T, x2: L, y2: H - B, stroke: "#444"}, svg);
    bars.forEach(function (v, i) {
      el("rect", {x: L + i * bw + 1, y: y(v), width: Math.max(bw - 2, 1),
                  height: H - B - y(v), fill: "#154273", "fill-opacity": "0.75"}, svg);
    });
    var path = "";
    base.forEach(function (v, i) {
      path += (i ? " L" : "M") + (L + i * bw) + " " + y(v) + " L" + (L + (i + 1) * bw) + " " + y(v);
    });
    el("path", {d: path, fill: "none", stroke: "#6b6b6b", "stroke-width": "2.5"}, svg);
    var upper = this.data.bins.upper, count = this.data.bins.count;
    [0, 0.25, 0.5, 0.75, 1].forEach(function (f) {
      var x = L + f * count * bw;
      var t = el("text", {x: x, y: H - B + 16, "text-anchor": "middle", "font-size": "12"}, svg);
      t.textContent = nlShort(Math.round(f * upper));
    });
    var xl = el("text", {x: (L + W - R) / 2, y: H - 8, "text-anchor": "middle",
                         "font-size": "13"}, svg);
    xl.textContent = "doorlooptijd (dagen)";
    var yl = el("text", {x: 14, y: (T + H - B) / 2, "text-anchor": "middle", "font-size": "13",
                         transform: "rotate(-90 14 " + (T + H - B) / 2 + ")"}, svg);
    yl.textContent = "promille van de " + this.unit;
    [0, 0.5, 1].forEach(function (f) {
      var t = el("text", {x: L - 6, y: y(f * top) + 4, "text-anchor": "end", "font-size": "12"},
                 svg);
      t.textContent = String(Math.round(f * top));
    });
    box.replaceChildren(svg);
  };

  function init() {
    document.querySelectorAll(".kc-wa").forEach(function (root) {
      try { new WhatIf(root); } catch (e) {
        if (window.console) window.console.warn("ketencursus-watals:", e);
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
