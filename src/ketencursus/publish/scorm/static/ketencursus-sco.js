/* ketencursus: the SCORM 1.2 session of the whole book (the launch page's script).
 *
 * The launch page is the one SCO of the package. It finds the LMS's API (window.API in a
 * parent frame or the opener, as the SCORM 1.2 run-time environment prescribes), calls
 * LMSInitialize once, shows the book's pages in a frame and reports for the whole book:
 *   - cmi.core.lesson_location: the page the learner is on (resume there next time);
 *   - cmi.core.lesson_status: "incomplete", and "completed" once every chapter page has been
 *     opened and every self-check has been tried (window.KETENCURSUS_SCO.rule);
 *   - cmi.core.score.raw: the self-check results as a percentage of all self-checks;
 *   - cmi.interactions.n: one per self-check answer (id = the question bank's id);
 *   - cmi.suspend_data: visited pages, self-check answers and, when they fit, the in-page
 *     reflection answers (otherwise they stay in this browser and the page says so);
 *   - cmi.core.session_time and cmi.core.exit, then LMSCommit and LMSFinish once, when the
 *     learner leaves.
 * Without an API (the book opened outside an LMS) it only shows the book: no error, no log.
 */
(function () {
  "use strict";

  var data = window.KETENCURSUS_SCO;
  var frame = document.getElementById("kc-sco-boek");
  var statusLine = document.getElementById("kc-sco-melding");
  var progressLine = document.getElementById("kc-sco-voortgang");
  if (!data || !frame) { return; }

  var api = null;
  var finished = false;
  var started = new Date();
  var state = { v: 1, b: [], z: {}, r: null };
  var reflectionsTooLarge = false;
  var commitTimer = null;

  function findApi(win) {
    var tries = 0;
    try {
      while (win && !win.API && win.parent && win.parent !== win && tries < 10) {
        tries += 1;
        win = win.parent;
      }
      return win && win.API ? win.API : null;
    } catch (e) {
      return null; /* a parent on another origin: no LMS we can talk to */
    }
  }

  function get(name) {
    try { return String(api.LMSGetValue(name)); } catch (e) { return ""; }
  }

  function set(name, value) {
    try { return String(api.LMSSetValue(name, String(value))) === "true"; } catch (e) { return false; }
  }

  function say(text) {
    if (statusLine) { statusLine.textContent = text; statusLine.hidden = !text; }
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) { s = "0" + s; }
    return s;
  }

  /* CMITimespan of SCORM 1.2: HHHH:MM:SS.SS */
  function timespan(ms) {
    var total = Math.max(0, Math.round(ms / 10)) / 100;
    var hours = Math.floor(total / 3600);
    var minutes = Math.floor((total - hours * 3600) / 60);
    var seconds = total - hours * 3600 - minutes * 60;
    return pad(Math.min(hours, 9999), 4) + ":" + pad(minutes, 2) + ":" +
      pad(Math.floor(seconds), 2) + "." + pad(Math.round((seconds % 1) * 100) % 100, 2);
  }

  /* CMITime of SCORM 1.2: HH:MM:SS */
  function clock(date) {
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" +
      pad(date.getSeconds(), 2);
  }

  function pageIndex(path) { return data.pages.indexOf(path); }

  /* The frame's page as a path inside the package ("book/h1_ketens.html"). */
  function framePath() {
    try {
      var here = new URL(".", window.location.href).href;
      var href = frame.contentWindow.location.href.split("#")[0].split("?")[0];
      return href.indexOf(here) === 0 ? decodeURIComponent(href.slice(here.length)) : null;
    } catch (e) {
      return null;
    }
  }

  function tried(id) { return Object.prototype.hasOwnProperty.call(state.z, id); }

  function progress() {
    var chaptersOpen = 0;
    var checksTried = 0;
    var scoreSum = 0;
    data.chapters.forEach(function (path) {
      if (state.b.indexOf(pageIndex(path)) >= 0) { chaptersOpen += 1; }
    });
    data.selfchecks.forEach(function (id) {
      if (tried(id)) { checksTried += 1; scoreSum += Number(state.z[id][1]) || 0; }
    });
    return {
      chaptersOpen: chaptersOpen,
      checksTried: checksTried,
      complete: chaptersOpen === data.chapters.length && checksTried === data.selfchecks.length,
      percent: data.selfchecks.length ? Math.round(100 * scoreSum / data.selfchecks.length) : 0
    };
  }

  function showProgress(p) {
    if (!progressLine) { return; }
    progressLine.textContent = "Hoofdstukken geopend: " + p.chaptersOpen + " van " +
      data.chapters.length + " · zelftoetsen geprobeerd: " + p.checksTried + " van " +
      data.selfchecks.length;
  }

  function suspendData() {
    var withReflections = JSON.stringify(state);
    if (withReflections.length <= data.suspendLimit) {
      reflectionsTooLarge = false;
      return withReflections;
    }
    reflectionsTooLarge = state.r !== null;
    var without = { v: state.v, b: state.b, z: state.z, r: null };
    return JSON.stringify(without);
  }

  function save(commitNow) {
    if (!api || finished) { return; }
    var p = progress();
    set("cmi.core.score.raw", p.percent);
    set("cmi.core.score.min", 0);
    set("cmi.core.score.max", 100);
    if (p.complete) { set("cmi.core.lesson_status", "completed"); }
    var suspend = suspendData();
    if (suspend.length <= data.suspendLimit) { set("cmi.suspend_data", suspend); }
    say(reflectionsTooLarge ?
      "Je reflecties passen niet in de opslag van de leeromgeving. Ze blijven bewaard in " +
      "deze browser op dit apparaat; exporteer je portfolio (op een reflectiepagina) om ze " +
      "mee te nemen." : "");
    showProgress(p);
    if (commitNow) {
      commit();
    } else if (!commitTimer) {
      commitTimer = window.setTimeout(commit, 2000);
    }
  }

  function commit() {
    if (commitTimer) { window.clearTimeout(commitTimer); commitTimer = null; }
    if (!api || finished) { return; }
    try { api.LMSCommit(""); } catch (e) { /* the LMS keeps what it has */ }
  }

  function interactionType(type) {
    if (type === "numeric") { return "numeric"; }
    if (type === "text") { return "fill-in"; }
    return "choice";
  }

  function result(score) {
    if (score >= 1) { return "correct"; }
    if (score <= 0) { return "wrong"; }
    return String(Math.round(score * 100) / 100);
  }

  function onSelfCheck(event) {
    var d = event && event.detail;
    if (!d || typeof d.id !== "string" || data.selfchecks.indexOf(d.id) < 0) { return; }
    var response = String(d.response === undefined || d.response === null ? "" : d.response);
    var score = Math.max(0, Math.min(1, Number(d.score) || 0));
    state.z[d.id] = [response.slice(0, 255), score];
    if (api && !finished) {
      var n = parseInt(get("cmi.interactions._count"), 10) || 0;
      var prefix = "cmi.interactions." + n + ".";
      set(prefix + "id", d.id);
      set(prefix + "type", interactionType(d.type));
      if (d.objective) { set(prefix + "objectives.0.id", String(d.objective)); }
      set(prefix + "time", clock(new Date()));
      set(prefix + "weighting", 1);
      set(prefix + "student_response", response.slice(0, 255));
      set(prefix + "result", result(score));
    }
    save(false);
  }

  function answersOf(workbook) {
    return workbook && typeof workbook === "object" && workbook.answers &&
      typeof workbook.answers === "object" ? workbook.answers : {};
  }

  /* The in-page reflections (window.KetencursusReflecties on a reflection page): answers the
   * LMS kept come back into this browser (merged by the page's own import, which keeps
   * what the browser has), and every change goes into the suspend data. */
  function mergeReflections(win) {
    var R = win.KetencursusReflecties;
    if (!R || typeof R.exportAll !== "function") { return; }
    try {
      var local = R.exportAll();
      var saved = answersOf(state.r);
      var missing = Object.keys(saved).filter(function (ex) {
        return !Object.prototype.hasOwnProperty.call(answersOf(local), ex);
      });
      if (missing.length && typeof R.importAll === "function") {
        R.importAll(state.r);
        local = R.exportAll();
      }
      if (Object.keys(answersOf(local)).length) { state.r = local; }
      if (typeof R.onChange === "function") {
        R.onChange(function () {
          try { state.r = R.exportAll(); } catch (e) { return; }
          save(false);
        });
      }
    } catch (e) { /* reflections stay in the browser; nothing is lost */ }
  }

  function onFrameLoad() {
    var path = framePath();
    var win = frame.contentWindow;
    if (path === null || !win) { return; }
    var index = pageIndex(path);
    if (index >= 0) {
      if (state.b.indexOf(index) < 0) { state.b.push(index); }
      if (api && !finished) { set("cmi.core.lesson_location", path.slice(0, 255)); }
    }
    try {
      win.document.addEventListener("ketencursus:zelftoets", onSelfCheck);
      var Z = win.KetencursusZelftoets;
      if (Z && typeof Z.restore === "function") {
        var answers = {};
        Object.keys(state.z).forEach(function (id) { answers[id] = state.z[id][0]; });
        Z.restore(answers);
      }
    } catch (e) { /* a page without self-checks */ }
    mergeReflections(win);
    save(false);
  }

  function finish() {
    if (!api || finished) { return; }
    save(true);
    set("cmi.core.session_time", timespan(new Date() - started));
    set("cmi.core.exit", "suspend");
    try { api.LMSCommit(""); } catch (e) { /* nothing more to do */ }
    finished = true;
    try { api.LMSFinish(""); } catch (e) { /* the LMS closes the session itself */ }
  }

  function readSuspendData(text) {
    if (!text) { return; }
    try {
      var saved = JSON.parse(text);
      if (!saved || saved.v !== 1) { return; }
      if (Array.isArray(saved.b)) {
        state.b = saved.b.filter(function (i) { return typeof i === "number" && data.pages[i]; });
      }
      if (saved.z && typeof saved.z === "object") {
        Object.keys(saved.z).forEach(function (id) {
          var entry = saved.z[id];
          if (data.selfchecks.indexOf(id) >= 0 && Array.isArray(entry) && entry.length === 2) {
            state.z[id] = [String(entry[0]), Number(entry[1]) || 0];
          }
        });
      }
      if (saved.r && typeof saved.r === "object") { state.r = saved.r; }
    } catch (e) {
      say("De opgeslagen voortgang in de leeromgeving was niet leesbaar; je begint opnieuw. " +
        "Antwoorden in deze browser blijven staan.");
    }
  }

  function start() {
    api = findApi(window) || (window.opener ? findApi(window.opener) : null);
    var first = data.start;
    if (api) {
      var ok = false;
      try { ok = String(api.LMSInitialize("")) === "true"; } catch (e) { ok = false; }
      if (!ok) {
        say("De leeromgeving kon deze sessie niet starten (foutcode " +
          (function () { try { return api.LMSGetLastError(); } catch (e) { return "?"; } })() +
          "). Je kunt het boek lezen, maar je voortgang wordt nu niet bewaard.");
        api = null;
      } else {
        var status = get("cmi.core.lesson_status");
        if (status === "" || status === "not attempted") {
          set("cmi.core.lesson_status", "incomplete");
        }
        readSuspendData(get("cmi.suspend_data"));
        var location = get("cmi.core.lesson_location");
        if (location && pageIndex(location) >= 0) { first = location; }
        showProgress(progress());
        window.addEventListener("pagehide", finish);
        window.addEventListener("beforeunload", finish);
      }
    }
    frame.addEventListener("load", onFrameLoad);
    frame.src = first;
  }

  window.KetencursusSCO = { finish: finish, state: function () { return state; } };
  start();
})();
