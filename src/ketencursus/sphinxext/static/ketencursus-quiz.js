/* ketencursus self-check quizzes: checks answers in the page, no kernel, no network.
 * Every form.kc-question carries its item in data-kc-item (JSON, built from the question
 * bank; only self-check items ever reach the page). Feedback goes into the form's
 * role="status" live region, so screen readers announce it. Plain ES5-style JavaScript.
 */
(function () {
  "use strict";

  function normaliseText(text) {
    var t = String(text);
    if (t.normalize) { t = t.normalize("NFKC"); }
    t = t.toLowerCase().replace(/\s+/g, " ").trim();
    return t.replace(/^[\s.,;:!?'"„“”‘’]+|[\s.,;:!?'"„“”‘’]+$/g, "");
  }

  /* "12,5", "12.5", " 1 234,5 " -> number; NaN when it is not a number. */
  function parseNumber(text) {
    var t = String(text).replace(/[\s\u00a0]/g, "");
    if (/^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) { t = t.replace(/\./g, ""); }
    t = t.replace(",", ".");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) { return NaN; }
    return parseFloat(t);
  }

  function verdict(state) {
    var labels = {
      correct: "\u2713 Goed!",
      partial: "\u25D1 Deels goed.",
      incorrect: "\u2717 Niet goed.",
      empty: "Nog geen antwoord."
    };
    return labels[state];
  }

  function checkItem(item, form) {
    var parts = [];
    var state;
    if (item.type === "single" || item.type === "multiple") {
      var inputs = form.querySelectorAll("input[type=radio], input[type=checkbox]");
      var chosen = [];
      var i;
      for (i = 0; i < inputs.length; i++) {
        inputs[i].parentNode.classList.remove("kc-chosen-correct", "kc-chosen-wrong");
        if (inputs[i].checked) { chosen.push(inputs[i].value); }
      }
      if (!chosen.length) {
        return { state: "empty", html: "<p>" + (item.type === "single" ?
          "Kies eerst een antwoord." : "Kies eerst een of meer antwoorden.") + "</p>" };
      }
      var right = 0, wrong = 0, totalRight = 0;
      Object.keys(item.options).forEach(function (key) {
        if (item.options[key].correct) { totalRight++; }
      });
      var list = [];
      chosen.forEach(function (key) {
        var option = item.options[key];
        if (option.correct) { right++; } else { wrong++; }
        var input = form.querySelector("input[value='" + key + "']");
        if (input) {
          input.parentNode.classList.add(option.correct ? "kc-chosen-correct" : "kc-chosen-wrong");
        }
        list.push("<li><strong>" + key + ")</strong> " + (option.correct ? "juist" : "onjuist") +
          ": " + option.feedback + "</li>");
      });
      if (right === totalRight && wrong === 0) { state = "correct"; }
      else if (right > 0) { state = "partial"; }
      else { state = "incorrect"; }
      if (item.type === "multiple" && state === "partial") {
        parts.push("<p>Je koos " + right + " van de " + totalRight + " juiste antwoorden" +
          (wrong ? " en " + wrong + " onjuist" + (wrong === 1 ? " antwoord" : "e antwoorden") : "") +
          ".</p>");
      }
      parts.push("<ul class=\"kc-option-feedback\">" + list.join("") + "</ul>");
    } else {
      var field = form.querySelector("input[type=text]");
      var raw = field ? field.value : "";
      if (!raw.trim()) {
        return { state: "empty", html: "<p>Vul eerst een antwoord in.</p>" };
      }
      if (item.type === "numeric") {
        var value = parseNumber(raw);
        if (isNaN(value)) {
          return { state: "empty",
            html: "<p>Dat is geen getal. Schrijf bijvoorbeeld 12,5 (alleen cijfers en een komma).</p>" };
        }
        state = Math.abs(value - item.answer) <= item.tolerance + 1e-9 ? "correct" : "incorrect";
      } else {
        var given = normaliseText(raw);
        state = item.accepted.some(function (a) { return normaliseText(a) === given; }) ?
          "correct" : "incorrect";
      }
      var text = state === "correct" ? item.feedbackCorrect : item.feedbackIncorrect;
      if (text) { parts.push(text); }
    }
    if (item.explanation && state !== "empty") {
      parts.push("<div class=\"kc-explanation\">" + item.explanation + "</div>");
    }
    return { state: state, html: parts.join("") };
  }

  function onSubmit(event) {
    event.preventDefault();
    var form = event.currentTarget;
    var item;
    try { item = JSON.parse(form.getAttribute("data-kc-item")); } catch (e) { return; }
    var result = checkItem(item, form);
    var region = form.querySelector(".kc-feedback");
    form.setAttribute("data-kc-state", result.state);
    /* Clear first, then fill: assistive technology announces the new content. */
    region.innerHTML = "";
    window.setTimeout(function () {
      region.innerHTML = "<p class=\"kc-verdict\">" + verdict(result.state) + "</p>" + result.html;
    }, 50);
  }

  function onChange(event) {
    var form = event.currentTarget;
    if (form.getAttribute("data-kc-state")) {
      form.removeAttribute("data-kc-state");
    }
  }

  function init() {
    var forms = document.querySelectorAll("form.kc-question[data-kc-item]");
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener("submit", onSubmit);
      forms[i].addEventListener("change", onChange);
      forms[i].setAttribute("data-kc-ready", "true");
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  window.ketencursusQuiz = { parseNumber: parseNumber, normaliseText: normaliseText };
})();
