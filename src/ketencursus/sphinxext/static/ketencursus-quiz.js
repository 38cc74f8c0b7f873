/* ketencursus self-check quizzes: checks answers in the page, no kernel, no network.
 * Every form.kc-question carries its item in data-kc-item (JSON, built from the question
 * bank; only self-check items ever reach the page). Feedback goes into the form's
 * role="status" live region, so screen readers announce it. Plain ES5-style JavaScript.
 *
 * Scoring is the bank's one rule (src/ketencursus/quiz/scoring.py): a multiple-response item
 * earns +1/R per right option ticked and -1/W per wrong one (R right, W wrong options),
 * clamped to 0..1; the learner sees that partial score.
 *
 * Interface for other page scripts (COORDINATION.md, "Self-check events"):
 * - after each check that has an answer, document dispatches
 *   CustomEvent("ketencursus:zelftoets", {detail: {id, type, response, correct, score,
 *   objective}}); response is the answer as a string ("b", "a,c", "12,5", "zaak"),
 *   score 0..1;
 * - window.KetencursusZelftoets.state() returns {<id>: response} for every item with an
 *   answer; restore(stateObject) puts such answers back into the forms and shows their
 *   feedback, without dispatching events.
 */
(function () {
  "use strict";

  var EVENT = "ketencursus:zelftoets";

  function normaliseText(text) {
    var t = String(text);
    if (t.normalize) { t = t.normalize("NFKC"); }
    t = t.toLowerCase().replace(/\s+/g, " ").trim();
    return t.replace(/^[\s.,;:!?'"„“”‘’]+|[\s.,;:!?'"„“”‘’]+$/g, "");
  }

  /* "12,5", "12.5", " 1 234,5 ", "4 dagen" (a unit of the item) -> number; NaN otherwise. */
  function parseNumber(text, units) {
    var t = String(text).trim();
    var list = (units || []).slice().sort(function (a, b) { return b.length - a.length; });
    for (var i = 0; i < list.length; i++) {
      var unit = String(list[i]);
      if (unit && t.toLowerCase().slice(-unit.length) === unit.toLowerCase()) {
        t = t.slice(0, t.length - unit.length);
        break;
      }
    }
    t = t.replace(/[\s\u00a0]/g, "");
    if (/^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) { t = t.replace(/\./g, ""); }
    t = t.replace(",", ".");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) { return NaN; }
    return parseFloat(t);
  }

  /* The bank's rule for multiple response: max(0, right/R - wrong/W), at most 1. */
  function selectionFraction(chosen, options) {
    var totalRight = 0, totalWrong = 0, right = 0, wrong = 0;
    Object.keys(options).forEach(function (key) {
      if (options[key].correct) { totalRight++; } else { totalWrong++; }
    });
    chosen.forEach(function (key) {
      if (!options[key]) { return; }
      if (options[key].correct) { right++; } else { wrong++; }
    });
    if (!totalRight) { return 0; }
    var total = right / totalRight - (totalWrong ? wrong / totalWrong : 0);
    total = Math.round(total * 1e9) / 1e9;
    return Math.min(1, Math.max(0, total));
  }

  function percent(score) {
    return Math.round(score * 100) + "%";
  }

  function verdict(state, score, type) {
    var labels = {
      correct: "\u2713 Goed!",
      partial: "\u25D1 Deels goed.",
      incorrect: "\u2717 Niet goed.",
      empty: "Nog geen antwoord."
    };
    var text = labels[state];
    if (type === "multiple" && state !== "empty") {
      text += " Score: " + percent(score) + ".";
    }
    return text;
  }

  function itemOf(form) {
    try { return JSON.parse(form.getAttribute("data-kc-item")); } catch (e) { return null; }
  }

  function chosenOf(form) {
    var inputs = form.querySelectorAll("input[type=radio], input[type=checkbox]");
    var chosen = [];
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].checked) { chosen.push(inputs[i].value); }
    }
    return chosen;
  }

  /* The learner's current answer as a string ("" when there is none). */
  function responseOf(item, form) {
    if (item.type === "single" || item.type === "multiple") {
      return chosenOf(form).sort().join(",");
    }
    var field = form.querySelector("input[type=text]");
    return field ? field.value : "";
  }

  /* Put a response string back into the form's inputs. */
  function applyResponse(item, form, response) {
    var text = String(response);
    if (item.type === "single" || item.type === "multiple") {
      var wanted = text.split(/[\s,;]+/).filter(function (x) { return x; });
      var inputs = form.querySelectorAll("input[type=radio], input[type=checkbox]");
      for (var i = 0; i < inputs.length; i++) {
        inputs[i].checked = wanted.indexOf(inputs[i].value) !== -1 &&
          (item.type === "multiple" || inputs[i].value === wanted[0]);
      }
      return;
    }
    var field = form.querySelector("input[type=text]");
    if (field) { field.value = text; }
  }

  function checkItem(item, form) {
    var parts = [];
    var state;
    var score = 0;
    if (item.type === "single" || item.type === "multiple") {
      var inputs = form.querySelectorAll("input[type=radio], input[type=checkbox]");
      var i;
      for (i = 0; i < inputs.length; i++) {
        inputs[i].parentNode.classList.remove("kc-chosen-correct", "kc-chosen-wrong");
      }
      var chosen = chosenOf(form);
      if (!chosen.length) {
        return { state: "empty", score: 0, html: "<p>" + (item.type === "single" ?
          "Kies eerst een antwoord." : "Kies eerst een of meer antwoorden.") + "</p>" };
      }
      var right = 0, wrong = 0, totalRight = 0;
      Object.keys(item.options).forEach(function (key) {
        if (item.options[key].correct) { totalRight++; }
      });
      var list = [];
      chosen.forEach(function (key) {
        var option = item.options[key];
        if (!option) { return; }
        if (option.correct) { right++; } else { wrong++; }
        var input = form.querySelector("input[value='" + key + "']");
        if (input) {
          input.parentNode.classList.add(option.correct ? "kc-chosen-correct" : "kc-chosen-wrong");
        }
        list.push("<li><strong>" + key + ")</strong> " + (option.correct ? "juist" : "onjuist") +
          ": " + option.feedback + "</li>");
      });
      if (item.type === "single") {
        score = right === 1 && wrong === 0 ? 1 : 0;
        state = score === 1 ? "correct" : "incorrect";
      } else {
        score = selectionFraction(chosen, item.options);
        state = score === 1 ? "correct" : (score > 0 ? "partial" : "incorrect");
        if (state !== "correct") {
          parts.push("<p>Je koos " + right + " van de " + totalRight + " juiste antwoorden" +
            (wrong ? " en " + wrong + " onjuist" + (wrong === 1 ? " antwoord" : "e antwoorden") : "") +
            ". Elk juist antwoord levert een deel van de score op, elk onjuist antwoord kost " +
            "een deel; je score is " + percent(score) + ".</p>");
        }
      }
      parts.push("<ul class=\"kc-option-feedback\">" + list.join("") + "</ul>");
    } else {
      var field = form.querySelector("input[type=text]");
      var raw = field ? field.value : "";
      if (!raw.trim()) {
        return { state: "empty", score: 0, html: "<p>Vul eerst een antwoord in.</p>" };
      }
      if (item.type === "numeric") {
        var value = parseNumber(raw, item.units);
        if (isNaN(value)) {
          return { state: "empty", score: 0,
            html: "<p>Dat is geen getal. Schrijf bijvoorbeeld 12,5 (alleen cijfers en een komma" +
              (item.units && item.units.length ? ", eventueel met de eenheid erachter" : "") +
              ").</p>" };
        }
        state = Math.abs(value - item.answer) <= item.tolerance + 1e-9 ? "correct" : "incorrect";
      } else {
        var given = normaliseText(raw);
        state = item.accepted.some(function (a) { return normaliseText(a) === given; }) ?
          "correct" : "incorrect";
      }
      score = state === "correct" ? 1 : 0;
      var text = state === "correct" ? item.feedbackCorrect : item.feedbackIncorrect;
      if (text) { parts.push(text); }
    }
    if (item.explanation && state !== "empty") {
      parts.push("<div class=\"kc-explanation\">" + item.explanation + "</div>");
    }
    return { state: state, score: score, html: parts.join("") };
  }

  /* Check one form; show the feedback; dispatch the event when asked and answered. */
  function check(form, options) {
    var item = itemOf(form);
    if (!item) { return null; }
    var result = checkItem(item, form);
    var region = form.querySelector(".kc-feedback");
    form.setAttribute("data-kc-state", result.state);
    form.setAttribute("data-kc-score", String(result.score));
    var content = "<p class=\"kc-verdict\">" + verdict(result.state, result.score, item.type) +
      "</p>" + result.html;
    if (options.announce) {
      /* Clear first, then fill: assistive technology announces the new content. */
      region.innerHTML = "";
      window.setTimeout(function () { region.innerHTML = content; }, 50);
    } else {
      region.innerHTML = content;
    }
    if (options.dispatch && result.state !== "empty") {
      document.dispatchEvent(new CustomEvent(EVENT, { detail: {
        id: item.id,
        type: item.type,
        response: responseOf(item, form),
        correct: result.state === "correct",
        score: result.score,
        objective: item.objective
      } }));
    }
    return result;
  }

  function onSubmit(event) {
    event.preventDefault();
    check(event.currentTarget, { announce: true, dispatch: true });
  }

  function onChange(event) {
    var form = event.currentTarget;
    if (form.getAttribute("data-kc-state")) {
      form.removeAttribute("data-kc-state");
    }
  }

  function forms() {
    return Array.prototype.slice.call(document.querySelectorAll("form.kc-question[data-kc-item]"));
  }

  function state() {
    var out = {};
    forms().forEach(function (form) {
      var item = itemOf(form);
      if (!item) { return; }
      var response = responseOf(item, form);
      if (response.trim() !== "") { out[item.id] = response; }
    });
    return out;
  }

  function restore(saved) {
    if (!saved || typeof saved !== "object") { return 0; }
    var restored = 0;
    forms().forEach(function (form) {
      var item = itemOf(form);
      if (!item || !Object.prototype.hasOwnProperty.call(saved, item.id)) { return; }
      var response = saved[item.id];
      if (typeof response !== "string") { return; }
      applyResponse(item, form, response);
      check(form, { announce: false, dispatch: false });
      restored++;
    });
    return restored;
  }

  function init() {
    forms().forEach(function (form) {
      form.addEventListener("submit", onSubmit);
      form.addEventListener("change", onChange);
      form.setAttribute("data-kc-ready", "true");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  window.ketencursusQuiz = { parseNumber: parseNumber, normaliseText: normaliseText,
    selectionFraction: selectionFraction };
  window.KetencursusZelftoets = { state: state, restore: restore };
})();
