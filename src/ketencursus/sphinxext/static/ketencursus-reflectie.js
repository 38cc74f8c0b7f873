/* Reflection exercises in the static book page (no kernel, no other host).
 *
 * The page holds a form rendered at build time by ketencursus.reflection.page, the
 * definitions of all exercises (.kc-rf-definities) and the format constants (.kc-rf-formaat)
 * as JSON. This script
 *  - saves every change in localStorage, one key per exercise: "ketencursus:reflectie:<id>";
 *  - shows the feedback of the exercise's rules (the same rule kinds as
 *    ketencursus/reflection/derive.py, on the same definition);
 *  - writes the portfolio as the same HTML and Markdown files as
 *    ketencursus/reflection/export.py (a parity test compares them byte for byte) and
 *    imports such a file, or the notebook's antwoorden.json;
 *  - exposes window.KetencursusReflecties = {exportAll(), importAll(obj), onChange(cb)}.
 * In Node (the parity test) it exports its pure functions instead of touching a page.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------ small helpers

  function escapeHtml(text) {  // Python's html.escape(text, quote=True)
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  }

  // Python's json.dumps(value, ensure_ascii=False, sort_keys=True)
  function pyJson(value) {
    if (value === null || value === undefined) return "null";
    if (Array.isArray(value)) return "[" + value.map(pyJson).join(", ") + "]";
    if (typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (k) {
        return JSON.stringify(k) + ": " + pyJson(value[k]);
      }).join(", ") + "}";
    }
    if (value === true) return "true";
    if (value === false) return "false";
    return JSON.stringify(value);
  }

  // Python's str.splitlines()
  function splitlines(text) {
    if (text === "") return [];
    var parts = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
    if (parts[parts.length - 1] === "") parts.pop();
    return parts;
  }

  function fill(template, values) {
    Object.keys(values).forEach(function (name) {
      template = template.split("{" + name + "}").join(String(values[name]));
    });
    return template;
  }

  function tenthsText(tenths) { return Math.floor(tenths / 10) + "," + (tenths % 10); }
  function meanTenths(values) {
    var sum = values.reduce(function (a, b) { return a + b; }, 0);
    return Math.floor((20 * sum + values.length) / (2 * values.length));
  }

  function nowIso() { return new Date().toISOString().replace(/\.\d{3}Z$/, "Z"); }

  var dutchTime = null;
  function formatTimestamp(iso) {  // "2026-11-27T06:10:00Z" -> "27-11-2026 07:10"
    var moment = new Date(String(iso));
    if (!/^\d{4}-\d{2}-\d{2}T/.test(String(iso)) || isNaN(moment.getTime())) return String(iso);
    if (!dutchTime) {
      dutchTime = new Intl.DateTimeFormat("nl-NL", {
        timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23"
      });
    }
    var p = {};
    dutchTime.formatToParts(moment).forEach(function (part) { p[part.type] = part.value; });
    return p.day + "-" + p.month + "-" + p.year + " " + p.hour + ":" + p.minute;
  }

  function isEmpty(value) {  // model.is_empty
    if (value === null || value === undefined) return true;
    if (typeof value === "string") return value.trim() === "";
    if (Array.isArray(value)) {
      if (value.length && value[0] && typeof value[0] === "object" && !Array.isArray(value[0])) {
        return value.every(function (row) {
          return Object.keys(row).every(function (k) { return String(row[k]).trim() === ""; });
        });
      }
      return value.length === 0;
    }
    return false;
  }

  function utf8Base64(text) {
    var bytes = new TextEncoder().encode(text);
    var binary = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }
  function base64Utf8(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder("utf-8", {fatal: true}).decode(bytes);
  }

  // ------------------------------------------------------------------ the model

  function Course(definitions, format) {
    this.defs = definitions;
    this.format = format;
    this.byId = {};
    var self = this;
    definitions.forEach(function (d) { self.byId[d.id] = d; });
  }

  Course.prototype.get = function (workbook, exId, pid) {
    var ex = workbook.answers[exId];
    var a = ex ? ex[pid] : undefined;
    return a === undefined ? null : a.value;
  };

  // -------- rule kinds (derive.py)
  function likertScores(ex, rule, workbook, course) {
    return rule.groups.map(function (g) {
      var statements = ex.prompts.filter(function (p) {
        return p.kind === "likert" && p.dimension === g[0];
      });
      var values = [];
      statements.forEach(function (s) {
        var v = course.get(workbook, ex.id, s.id);
        if (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 5) {
          values.push(s.reverse ? 6 - v : v);
        }
      });
      var score = values.length >= rule.min_answered ? meanTenths(values) : null;
      return [g[0], score, values.length, statements.length];
    });
  }

  function section(id, heading, items, opts) {
    opts = opts || {};
    return {id: id, heading: heading, items: items, style: opts.style || "list",
            after: opts.after || "", portfolio: opts.portfolio !== false,
            bars: opts.bars || [], scale_max: 5};
  }

  var RULES = {
    likert_profile: function (ex, rule, wb, course) {
      var scores = likertScores(ex, rule, wb, course);
      var names = {};
      rule.groups.forEach(function (g) { names[g[0]] = [g[1], g[2]]; });
      if (scores.every(function (s) { return s[1] === null; })) {
        return [section("profiel", "Jouw profiel", [rule.empty_hint],
                        {style: "hint", portfolio: false})];
      }
      var bars = [], lines = [];
      scores.forEach(function (s) {
        var shown = s[1] !== null ? tenthsText(s[1]) : rule.no_score;
        bars.push({label: names[s[0]][0], tenths: s[1], detail: s[2] + " van " + s[3]});
        lines.push(fill(rule.line, {name: names[s[0]][0], question: names[s[0]][1],
                                    score: shown, answered: s[2], total: s[3]}));
      });
      var ordered = scores.slice().sort(function (a, b) {
        var ka = a[1] === null ? 1 : 0, kb = b[1] === null ? 1 : 0;
        if (ka !== kb) return ka - kb;
        return (a[1] === null ? 0 : a[1]) - (b[1] === null ? 0 : b[1]);
      });
      var advice = ordered.map(function (s) {
        var text;
        if (s[1] === null) {
          text = fill(rule.too_few, {answered: s[2], total: s[3], min: rule.min_answered});
        } else {
          var band = s[1] < rule.low ? "laag" : (s[1] <= rule.high ? "midden" : "hoog");
          text = rule.advice[s[0]][band];
        }
        return names[s[0]][0] + ": " + text;
      });
      return [section("profiel", rule.heading, lines, {bars: bars}),
              section("advies", rule.advice_heading, advice)];
    },
    row_hints: function (ex, rule, wb, course) {
      var rows = course.get(wb, ex.id, rule.prompt) || [];
      var str = function (row, k) { return row[k] === undefined || row[k] === null ? "" : row[k]; };
      var hints = [];
      var filled = rows.filter(function (r) { return str(r, rule.main_field).trim(); });
      rows.forEach(function (row, i) {
        if (!str(row, rule.main_field).trim()) return;
        if (!str(row, rule.choice_field)) hints.push(fill(rule.unclassified, {n: i + 1}));
        else if (row[rule.choice_field] === rule.needs_value &&
                 !str(row, rule.follow_field).trim()) {
          hints.push(fill(rule.missing_follow, {n: i + 1}));
        }
      });
      if (filled.length && filled.every(function (r) { return !str(r, rule.group_field).trim(); })) {
        hints.push(rule.no_group);
      }
      if (filled.length >= 2) {
        var groups = {};
        filled.forEach(function (r) { groups[pyLower(str(r, rule.group_field).trim())] = 1; });
        if (Object.keys(groups).length === 1) hints.push(rule.one_group);
      }
      if (!hints.length) return [];
      return [section("aandachtspunten", rule.heading, hints,
                      {style: "hint", after: rule.prompt, portfolio: false})];
    },
    choice_feedback: function (ex, rule, wb, course) {
      var order = Object.keys(rule.labels);
      var stored = course.get(wb, ex.id, rule.prompt) || [];
      var chosen = order.filter(function (o) { return stored.indexOf(o) >= 0; });
      var id = "feedback-" + rule.prompt;
      if (!chosen.length) {
        return [section(id, rule.heading, [rule.nothing_chosen],
                        {after: rule.prompt, portfolio: false})];
      }
      var strong = chosen.filter(function (o) { return rule.fits[o][0] === rule.strong; });
      var missed = order.filter(function (o) {
        return rule.fits[o][0] === rule.strong && chosen.indexOf(o) < 0;
      }).map(function (o) { return rule.labels[o]; });
      var notes = [];
      if (!strong.length) notes.push(rule.none_strong);
      else notes.push(fill(rule.some_strong, {strong: strong.length, chosen: chosen.length}));
      if (chosen.length > rule.max_sensible) notes.push(fill(rule.too_many, {chosen: chosen.length}));
      if (missed.length && chosen.length < rule.max_sensible) {
        notes.push(fill(rule.also_strong, {options: missed.join("; ")}));
      }
      var lines = [notes.join(" ")].concat(chosen.map(function (o) {
        return fill(rule.item, {label: rule.labels[o], fit: rule.fits[o][0],
                                reason: rule.fits[o][1], limits: rule.limits[o]});
      }));
      return [section(id, rule.heading, lines, {after: rule.prompt})];
    },
    missing_required: function (ex, rule, wb, course) {
      var missing = ex.prompts.filter(function (p) {
        return p.required && isEmpty(course.get(wb, ex.id, p.id));
      }).map(function (p) { return p.label; });
      if (!missing.length) return [];
      var started = !!wb.answers[ex.id] && Object.keys(wb.answers[ex.id]).length > 0;
      return [section("ontbreekt", rule.heading, [missing.join(", ")],
                      {style: "hint", portfolio: started})];
    },
    earlier_work: function (ex, rule, wb, course) {
      var notes = [];
      var source = course.byId[rule.profile_exercise];
      var profile = source.rules.filter(function (r) { return r.kind === "likert_profile"; })[0];
      var names = {};
      profile.groups.forEach(function (g) { names[g[0]] = g[1]; });
      var scored = likertScores(source, profile, wb, course).filter(function (s) {
        return s[1] !== null;
      });
      if (scored.length) {
        var weakest = scored[0];
        scored.forEach(function (s) { if (s[1] < weakest[1]) weakest = s; });
        notes.push(fill(rule.profile_text, {name: pyLower(names[weakest[0]]),
                                            score: tenthsText(weakest[1])}));
      }
      var rows = course.get(wb, rule.rows_exercise, rule.rows_prompt) || [];
      var marked = rows.filter(function (r) {
        return r[rule.rows_field] === rule.rows_value && String(r[rule.rows_main] || "").trim();
      }).map(function (r) { return r[rule.rows_main]; });
      if (marked.length) notes.push(fill(rule.rows_text, {rows: marked.join("; ")}));
      if (!notes.length) return [];
      return [section("eerder", rule.heading, notes, {style: "hint", portfolio: false})];
    }
  };

  function pyLower(text) { return String(text).toLowerCase(); }

  Course.prototype.derive = function (exId, workbook) {
    var ex = this.byId[exId], self = this, out = [];
    ex.rules.forEach(function (rule) {
      out = out.concat(RULES[rule.kind](ex, rule, workbook, self));
    });
    return out;
  };

  // -------- portfolio (export.py)
  function promptQuestion(p) {
    if (p.kind === "likert") return p.text;
    return p.question ? p.label + ": " + p.question : p.label;
  }

  Course.prototype.answerText = function (p, value) {
    if (isEmpty(value)) return this.format.not_answered;
    var kind = p ? p.kind : null;
    if (kind === "likert") {
      var label = this.format.likert_labels[String(value)];
      return value + " – " + (label === undefined ? "?" : label);
    }
    if (kind === "choice" || kind === "select") {
      var labels = {};
      p.options.forEach(function (o) { labels[o[0]] = o[1]; });
      var chosen = kind === "choice" ? value : [value];
      return chosen.map(function (v) { return labels[v] !== undefined ? labels[v] : String(v); })
        .join("; ");
    }
    if (kind === "date") {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      return m ? m[3] + "-" + m[2] + "-" + m[1] : String(value);
    }
    if (typeof value === "string") return value;
    return pyJson(value);
  };

  function tableRows(p, value) {
    var rows = [];
    (value || []).forEach(function (row) {
      if (!row || typeof row !== "object" || Array.isArray(row) || isEmpty([row])) return;
      rows.push(p.fields.map(function (f) {
        var text = row[f.id] || "";
        if (f.options.length && text) {
          f.options.forEach(function (o) { if (o[0] === text) text = o[1]; });
        }
        return text.trim() ? text : "–";
      }));
    });
    return rows;
  }

  function mdQuote(text) {
    var lines = splitlines(text);
    if (!lines.length) lines = [""];
    return lines.map(function (l) { return l ? "> " + l : ">"; }).join("\n");
  }

  function sortedWorkbook(workbook, format) {
    return {format: format.format, schema_version: format.schema_version,
            answers: workbook.answers};
  }

  Course.prototype.unknownAnswers = function (workbook) {
    var self = this, out = [];
    Object.keys(workbook.answers).sort().forEach(function (ex) {
      Object.keys(workbook.answers[ex]).sort().forEach(function (pid) {
        var def = self.byId[ex];
        var known = def && def.prompts.some(function (p) { return p.id === pid; });
        if (!known) out.push([ex, pid, workbook.answers[ex][pid]]);
      });
    });
    return out;
  };

  Course.prototype.markdown = function (workbook, generated) {
    var self = this, fmt = this.format;
    generated = generated || nowIso();
    var lines = [
      "# Mijn portfolio – reflectie-oefeningen ketensturing", "",
      "Gemaakt op " + formatTimestamp(generated) + ". Dit portfolio bevat al je antwoorden met " +
      "de vragen en de datum waarop je ze het laatst wijzigde. Bewaar het bestand: je kunt het " +
      "in elke reflectie-oefening weer importeren om je antwoorden terug te zetten. Het blok " +
      "onderaan bevat je antwoorden in machineleesbare vorm; verander het niet.", ""
    ];
    this.defs.forEach(function (ex) {
      lines.push("## " + ex.title, "");
      var stored = workbook.answers[ex.id] || {};
      if (!Object.keys(stored).length) { lines.push("Nog niet gestart.", ""); return; }
      ex.prompts.forEach(function (p) {
        var a = stored[p.id];
        var value = a ? a.value : null;
        var date = a ? " _(bijgewerkt " + formatTimestamp(a.updated) + ")_" : "";
        lines.push("**" + promptQuestion(p) + "**" + date, "");
        if (p.kind === "table") {
          var rows = tableRows(p, value);
          if (!rows.length) lines.push(fmt.not_answered, "");
          rows.forEach(function (cells, i) {
            lines.push((i + 1) + ". " + p.fields[0].heading + ": " + cells[0]);
            p.fields.slice(1).forEach(function (f, j) {
              lines.push("   - " + f.heading + ": " + cells[j + 1]);
            });
          });
          lines.push("");
        } else {
          lines.push(mdQuote(self.answerText(p, value)), "");
        }
      });
      self.derive(ex.id, workbook).filter(function (s) { return s.portfolio; })
        .forEach(function (s) {
          lines.push("### " + s.heading, "");
          s.items.forEach(function (item) { lines.push("- " + item); });
          lines.push("");
        });
    });
    var others = this.unknownAnswers(workbook);
    if (others.length) {
      lines.push("## Overige antwoorden", "");
      others.forEach(function (o) {
        lines.push("**" + o[0] + " / " + o[1] + "** _(bijgewerkt " +
                   formatTimestamp(o[2].updated) + ")_", "",
                   mdQuote(self.answerText(null, o[2].value)), "");
      });
    }
    var encoded = utf8Base64(pyJson(sortedWorkbook(workbook, fmt)));
    var block = [fmt.md_begin];
    for (var i = 0; i < encoded.length; i += 76) block.push(encoded.slice(i, i + 76));
    block.push(fmt.md_end);
    lines.push(block.join("\n"), "");
    return lines.join("\n");
  };

  function barCell(tenths) {
    if (tenths === null) return "geen score";
    return "<span class='balk' style='width:" + tenthsText(tenths * 2).replace(",", ".") +
      "rem' aria-hidden='true'></span> " + tenthsText(tenths);
  }

  function sectionHtml(s, level) {
    var h = "h" + (level || 3);
    if (s.bars.length) {
      var rows = s.bars.map(function (b) {
        return "<tr><th scope='row'>" + escapeHtml(b.label) + "</th><td>" + barCell(b.tenths) +
          "</td><td>" + escapeHtml(b.detail) + "</td></tr>";
      }).join("");
      return "<" + h + ">" + escapeHtml(s.heading) + "</" + h + "><table><thead><tr>" +
        "<th scope='col'>Onderdeel</th><th scope='col'>Score</th>" +
        "<th scope='col'>Beantwoord</th></tr></thead><tbody>" + rows + "</tbody></table>";
    }
    return "<" + h + ">" + escapeHtml(s.heading) + "</" + h + "><ul>" +
      s.items.map(function (i) { return "<li>" + escapeHtml(i) + "</li>"; }).join("") + "</ul>";
  }

  Course.prototype.answerHtml = function (p, a) {
    var value = a ? a.value : null;
    var date = a ? " <span class='datum'>(bijgewerkt " + escapeHtml(formatTimestamp(a.updated)) +
      ")</span>" : "";
    var head = "<p class='vraag'>" + escapeHtml(promptQuestion(p)) + date + "</p>";
    if (p.kind === "table") {
      var rows = tableRows(p, value);
      if (!rows.length) return head + "<blockquote>" + this.format.not_answered + "</blockquote>";
      var header = p.fields.map(function (f) {
        return "<th scope='col'>" + escapeHtml(f.heading) + "</th>";
      }).join("");
      var body = rows.map(function (cells) {
        return "<tr>" + cells.map(function (t) { return "<td>" + escapeHtml(t) + "</td>"; })
          .join("") + "</tr>";
      }).join("");
      return head + "<table><thead><tr>" + header + "</tr></thead><tbody>" + body +
        "</tbody></table>";
    }
    return head + "<blockquote>" + escapeHtml(this.answerText(p, value)) + "</blockquote>";
  };

  Course.prototype.html = function (workbook, generated) {
    var self = this, fmt = this.format;
    generated = generated || nowIso();
    var parts = [
      "<!DOCTYPE html>",
      '<html lang="nl"><head><meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      "<title>Mijn portfolio – reflectie-oefeningen ketensturing</title>",
      "<style>" + fmt.css + "</style></head><body><main>",
      "<h1>Mijn portfolio – reflectie-oefeningen ketensturing</h1>",
      "<p>Gemaakt op " + escapeHtml(formatTimestamp(generated)) + ". Dit portfolio bevat al je " +
      "antwoorden met de vragen en de datum waarop je ze het laatst wijzigde. Bewaar het " +
      "bestand: je kunt het in elke reflectie-oefening weer importeren om je antwoorden terug " +
      "te zetten.</p>"
    ];
    this.defs.forEach(function (ex) {
      var sec = ["<section><h2>" + escapeHtml(ex.title) + "</h2>"];
      var stored = workbook.answers[ex.id] || {};
      if (!Object.keys(stored).length) {
        sec.push("<p>Nog niet gestart.</p></section>");
      } else {
        ex.prompts.forEach(function (p) { sec.push(self.answerHtml(p, stored[p.id])); });
        self.derive(ex.id, workbook).filter(function (s) { return s.portfolio; })
          .forEach(function (s) { sec.push(sectionHtml(s)); });
        sec.push("</section>");
      }
      parts.push(sec.join("\n"));
    });
    var others = this.unknownAnswers(workbook);
    if (others.length) {
      parts.push("<section><h2>Overige antwoorden</h2>");
      others.forEach(function (o) {
        parts.push("<p class='vraag'>" + escapeHtml(o[0]) + " / " + escapeHtml(o[1]) +
                   " <span class='datum'>(bijgewerkt " + escapeHtml(formatTimestamp(o[2].updated)) +
                   ")</span></p><blockquote>" + escapeHtml(self.answerText(null, o[2].value)) +
                   "</blockquote>");
      });
      parts.push("</section>");
    }
    parts.push("</main>");
    var payload = pyJson(sortedWorkbook(workbook, fmt)).replace(/&/g, "\\u0026")
      .replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
    parts.push('<script type="application/json" id="' + fmt.html_data_id + '">' + payload +
               "</script>");
    parts.push("</body></html>");
    return parts.join("\n") + "\n";
  };

  // -------- import (export.import_portfolio + model.Workbook.from_dict)
  function ImportError(message) { this.message = message; }

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  Course.prototype.parse = function (text) {
    var fmt = this.format, data, m;
    text = String(text).replace(/^\uFEFF/, "");
    var htmlRe = new RegExp('<script type="application/json" id="' + escapeRegExp(fmt.html_data_id) +
                            '">([\\s\\S]*?)</script>');
    var mdRe = new RegExp(escapeRegExp(fmt.md_begin) + "([\\s\\S]*?)" + escapeRegExp(fmt.md_end));
    if ((m = htmlRe.exec(text))) {
      try { data = JSON.parse(m[1]); } catch (e) {
        throw new ImportError("Het gegevensblok in dit HTML-portfolio is beschadigd; het kan " +
          "niet worden geïmporteerd. Probeer een andere download of de Markdown-versie.");
      }
    } else if ((m = mdRe.exec(text))) {
      try {
        var b64 = m[1].replace(/\s+/g, "");
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4) throw new Error("b64");
        data = JSON.parse(base64Utf8(b64));
      } catch (e) {
        throw new ImportError("Het gegevensblok onderaan dit Markdown-portfolio is gewijzigd of " +
          "beschadigd; het kan niet worden geïmporteerd. Probeer de HTML-versie of een andere " +
          "download.");
      }
    } else {
      try { data = JSON.parse(text); } catch (e) { throw new ImportError(fmt.not_a_portfolio); }
    }
    return this.validate(data);
  };

  Course.prototype.validate = function (data) {
    var fmt = this.format;
    var fail = function (why) { throw new ImportError(fmt.not_a_portfolio + " (" + why + ")"); };
    var isObj = function (v) { return v !== null && typeof v === "object" && !Array.isArray(v); };
    if (!isObj(data)) fail("Het antwoordenbestand bevat geen antwoorden (geen JSON-object).");
    if (data.format !== fmt.format) {
      fail("Dit is geen antwoordenbestand van ketencursus (het veld „format” ontbreekt of " +
           "klopt niet).");
    }
    if (typeof data.schema_version === "number" && data.schema_version > fmt.schema_version) {
      fail("Dit antwoordenbestand heeft versie " + data.schema_version + ", nieuwer dan deze " +
           "cursusversie (" + fmt.schema_version + ") kent.");
    }
    if (data.schema_version !== fmt.schema_version) fail("onbekende versie van het formaat.");
    if (!isObj(data.answers)) fail("het veld „answers” ontbreekt.");
    var clean = {};
    Object.keys(data.answers).forEach(function (ex) {
      if (!isObj(data.answers[ex])) fail("bij answers/" + ex + ": geen object.");
      clean[ex] = {};
      Object.keys(data.answers[ex]).forEach(function (pid) {
        var a = data.answers[ex][pid];
        var keys = isObj(a) ? Object.keys(a).sort().join(",") : "";
        if (keys !== "updated,value" || typeof a.updated !== "string" || !a.updated) {
          fail("bij answers/" + ex + "/" + pid + ": een antwoord heeft precies „value” en " +
               "„updated”.");
        }
        clean[ex][pid] = {value: a.value, updated: a.updated};
      });
    });
    return {answers: clean};
  };

  function same(a, b) { return pyJson(a) === pyJson(b); }

  // model.merge: per prompt the newest answer wins; an equal timestamp takes the incoming one
  Course.prototype.merge = function (current, incoming) {
    var result = {answers: JSON.parse(JSON.stringify(current.answers))};
    var report = {added: 0, replaced: 0, kept_newer: 0, unchanged: 0};
    Object.keys(incoming.answers).forEach(function (ex) {
      var target = result.answers[ex] || (result.answers[ex] = {});
      Object.keys(incoming.answers[ex]).forEach(function (pid) {
        var mine = target[pid], theirs = incoming.answers[ex][pid];
        if (mine === undefined) { target[pid] = theirs; report.added++; }
        else if (same(mine, theirs)) report.unchanged++;
        else if (theirs.updated >= mine.updated) { target[pid] = theirs; report.replaced++; }
        else report.kept_newer++;
      });
    });
    return {workbook: result, report: report};
  };

  function summary(r) {  // model.MergeReport.summary
    var parts = [r.added + " antwoord(en) toegevoegd", r.replaced + " bijgewerkt"];
    if (r.kept_newer) {
      parts.push(r.kept_newer + " keer was jouw huidige antwoord nieuwer en is dat behouden");
    }
    if (r.unchanged) parts.push(r.unchanged + " waren al gelijk");
    return "Import klaar: " + parts.join(", ") + ".";
  }

  var core = {Course: Course, pyJson: pyJson, formatTimestamp: formatTimestamp,
              summary: summary, ImportError: ImportError};

  if (typeof module !== "undefined" && module.exports) {  // Node: the parity test
    module.exports = core;
    return;
  }

  // ------------------------------------------------------------------ storage

  var PREFIX = "ketencursus:reflectie:";
  var listeners = [];
  var pages = [];

  function readAll(format) {
    var answers = {};
    for (var i = 0; i < window.localStorage.length; i++) {
      var key = window.localStorage.key(i);
      if (key.indexOf(PREFIX) !== 0) continue;
      try {
        var doc = JSON.parse(window.localStorage.getItem(key));
        if (doc && doc.format === format.format && doc.answers && typeof doc.answers === "object") {
          if (Object.keys(doc.answers).length) answers[key.slice(PREFIX.length)] = doc.answers;
        }
      } catch (e) { /* an unreadable key is left alone; it is never overwritten silently */ }
    }
    return {answers: answers};
  }

  function writeExercise(format, exId, answers) {
    var key = PREFIX + exId;
    if (!answers || !Object.keys(answers).length) { window.localStorage.removeItem(key); return; }
    window.localStorage.setItem(key, JSON.stringify({
      format: format.format, schema_version: format.schema_version, exercise: exId,
      answers: answers
    }));
  }

  function notify(exId) {
    listeners.forEach(function (cb) {
      try { cb(exId); } catch (e) { /* a listener's error must not stop saving */ }
    });
  }

  // ------------------------------------------------------------------ the form

  function Page(root) {
    this.root = root;
    this.exId = root.getAttribute("data-kc-exercise");
    this.format = JSON.parse(root.querySelector(".kc-rf-formaat").textContent);
    this.course = new Course(JSON.parse(root.querySelector(".kc-rf-definities").textContent),
                             this.format);
    this.ex = this.course.byId[this.exId];
    this.status = root.querySelector(".kc-rf-status");
    this.importBox = root.querySelector(".kc-rf-import");
    this.tableRows = {};
    var self = this;
    this.ex.prompts.forEach(function (p) {
      if (p.kind === "table") self.tableRows[p.id] = 0;
    });
    this.refresh();
    root.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); });
    root.addEventListener("input", function (e) { self.onEdit(e); });
    root.addEventListener("change", function (e) { self.onEdit(e); });
    root.querySelectorAll(".kc-rf-rij-erbij").forEach(function (button) {
      button.addEventListener("click", function () {
        var pid = button.closest("[data-kc-prompt]").getAttribute("data-kc-prompt");
        var field = self.addRow(self.promptDef(pid));
        field.focus();
      });
    });
    root.querySelectorAll("[data-kc-download]").forEach(function (button) {
      button.addEventListener("click", function () {
        self.download(button.getAttribute("data-kc-download"));
      });
    });
    root.querySelector(".kc-rf-bestand").addEventListener("change", function (e) {
      var file = e.target.files && e.target.files[0];
      if (file) self.importFile(file, e.target);
    });
    root.querySelector(".kc-rf-wis").addEventListener("click", function () { self.clear(); });
    root.hidden = false;
    var fallback = root.parentNode.querySelector(".kc-rf-zonder-js");
    if (fallback) fallback.hidden = true;
    root.setAttribute("data-kc-ready", "true");
  }

  Page.prototype.promptDef = function (pid) {
    return this.ex.prompts.filter(function (p) { return p.id === pid; })[0];
  };
  Page.prototype.box = function (pid) {
    return this.root.querySelector("[data-kc-prompt='" + pid.replace(/'/g, "\\'") + "']");
  };

  Page.prototype.addRow = function (p) {
    var container = this.box(p.id).querySelector(".kc-rf-rijen");
    var n = ++this.tableRows[p.id];
    var fs = document.createElement("fieldset");
    fs.className = "kc-rf-rij";
    var legend = document.createElement("legend");
    legend.textContent = p.row_label + " " + n;
    fs.appendChild(legend);
    var first = null;
    var base = "kc-" + (this.exId + "-" + p.id).replace(/[^A-Za-z0-9_-]/g, "-") + "-r" + n;
    p.fields.forEach(function (f) {
      var id = base + "-" + f.id;
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = p.row_label + " " + n + ": " + f.label;
      var control;
      if (f.kind === "select") {
        control = document.createElement("select");
        f.options.forEach(function (o) {
          var option = document.createElement("option");
          option.value = o[0];
          option.textContent = o[1];
          control.appendChild(option);
        });
      } else if (f.kind === "text") {
        control = document.createElement("input");
        control.type = "text";
      } else {
        control = document.createElement("textarea");
        control.rows = 2;
      }
      if (f.placeholder) control.placeholder = f.placeholder;
      if (f.kind !== "select") control.maxLength = 20000;
      control.id = id;
      control.setAttribute("data-kc-field", f.id);
      fs.appendChild(label);
      fs.appendChild(control);
      first = first || control;
    });
    container.appendChild(fs);
    return first;
  };

  Page.prototype.read = function (p) {
    var box = this.box(p.id);
    if (p.kind === "likert" || p.kind === "select") {
      var checked = box.querySelector("input[type=radio]:checked");
      var v = checked ? checked.value : "";
      if (p.kind === "likert") return v === "" ? null : parseInt(v, 10);
      return v;
    }
    if (p.kind === "choice") {
      var on = {};
      box.querySelectorAll("input[type=checkbox]").forEach(function (c) {
        if (c.checked) on[c.value] = 1;
      });
      return p.options.map(function (o) { return o[0]; }).filter(function (k) { return on[k]; });
    }
    if (p.kind === "table") {
      return Array.prototype.map.call(box.querySelectorAll(".kc-rf-rij"), function (row) {
        var out = {};
        p.fields.forEach(function (f) {
          out[f.id] = row.querySelector("[data-kc-field='" + f.id + "']").value;
        });
        return out;
      });
    }
    return box.querySelector("textarea, input").value;
  };

  Page.prototype.write = function (p, value) {
    var box = this.box(p.id);
    if (p.kind === "likert" || p.kind === "select") {
      var wanted = value === null || value === undefined ? "" : String(value);
      box.querySelectorAll("input[type=radio]").forEach(function (r) {
        r.checked = r.value === wanted;
      });
    } else if (p.kind === "choice") {
      var chosen = value || [];
      box.querySelectorAll("input[type=checkbox]").forEach(function (c) {
        c.checked = chosen.indexOf(c.value) >= 0;
      });
    } else if (p.kind === "table") {
      var rows = value || [];
      box.querySelector(".kc-rf-rijen").textContent = "";
      this.tableRows[p.id] = 0;
      var count = Math.max(p.initial_rows, rows.length);
      for (var i = 0; i < count; i++) this.addRow(p);
      box.querySelectorAll(".kc-rf-rij").forEach(function (row, index) {
        var data = rows[index] || {};
        p.fields.forEach(function (f) {
          row.querySelector("[data-kc-field='" + f.id + "']").value = data[f.id] || "";
        });
      });
    } else {
      box.querySelector("textarea, input").value = value || "";
    }
  };

  Page.prototype.refresh = function () {
    var wb = readAll(this.format), self = this;
    this.ex.prompts.forEach(function (p) { self.write(p, self.course.get(wb, self.exId, p.id)); });
    this.showDerived(wb);
  };

  Page.prototype.showDerived = function (wb) {
    var sections = this.course.derive(this.exId, wb || readAll(this.format));
    this.root.querySelectorAll(".kc-rf-derived").forEach(function (slot) {
      var after = slot.getAttribute("data-kc-after");
      slot.innerHTML = sections.filter(function (s) { return s.after === after; })
        .map(function (s) {
          var inner = sectionHtml(s, 4);
          return s.style === "hint" ? "<div class='kc-rf-hint'>" + inner + "</div>" : inner;
        }).join("");
    });
  };

  Page.prototype.say = function (message, error) {
    this.status.textContent = message;
    this.status.classList.toggle("kc-rf-fout", !!error);
  };

  Page.prototype.onEdit = function (event) {
    var box = event.target.closest("[data-kc-prompt]");
    if (!box || !this.root.querySelector("form").contains(box)) return;
    var p = this.promptDef(box.getAttribute("data-kc-prompt"));
    var value = this.read(p);
    var wb = readAll(this.format);
    var answers = wb.answers[this.exId] || {};
    var old = answers[p.id];
    if (old && same(old.value, value)) return;
    if (!old && isEmpty(value)) return;
    answers[p.id] = {value: value, updated: nowIso()};
    try {
      writeExercise(this.format, this.exId, answers);
    } catch (e) {
      this.say("Opslaan in deze browser is mislukt (" + e.name + "). Je invoer staat nog in " +
               "het veld; download je portfolio als reserve.", true);
      return;
    }
    var t = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    this.say("Opgeslagen om " + pad(t.getHours()) + ":" + pad(t.getMinutes()) + ":" +
             pad(t.getSeconds()) + " in deze browser.");
    wb.answers[this.exId] = answers;
    this.showDerived(wb);
    notify(this.exId);
  };

  Page.prototype.download = function (kind) {
    var wb = readAll(this.format);
    var text = kind === "md" ? this.course.markdown(wb) : this.course.html(wb);
    var blob = new Blob([text], {type: (kind === "md" ? "text/markdown" : "text/html") +
                                       ";charset=utf-8"});
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "ketencursus-portfolio." + (kind === "md" ? "md" : "html");
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  };

  Page.prototype.report = function (message, error) {
    this.importBox.textContent = "";
    var p = document.createElement("p");
    p.textContent = message;
    if (error) { p.setAttribute("role", "alert"); p.className = "kc-rf-fout"; }
    this.importBox.appendChild(p);
  };

  Page.prototype.importFile = function (file, input) {
    var self = this;
    var reader = new FileReader();
    reader.onload = function () {
      var text;
      try {
        text = new TextDecoder("utf-8", {fatal: true}).decode(new Uint8Array(reader.result));
      } catch (e) {
        self.report("„" + file.name + "” is niet geïmporteerd. " + self.format.not_a_portfolio +
                    " (Het bestand is geen tekst.)", true);
        input.value = "";
        return;
      }
      try {
        self.report("„" + file.name + "”: " + importText(self.course, text));
      } catch (e) {
        if (!(e instanceof ImportError)) throw e;
        self.report("„" + file.name + "” is niet geïmporteerd. " + e.message, true);
      }
      input.value = "";
    };
    reader.readAsArrayBuffer(file);
  };

  Page.prototype.clear = function () {
    if (!window.confirm("Weet je zeker dat je al je antwoorden op „" + this.ex.title + "” in " +
                        "deze browser wilt wissen? Dat kan niet ongedaan worden gemaakt. " +
                        "Download eerst je portfolio als je ze wilt bewaren.")) {
      return;
    }
    window.localStorage.removeItem(PREFIX + this.exId);
    this.refresh();
    this.say("Je antwoorden op deze oefening zijn uit deze browser gewist.");
    notify(this.exId);
  };

  function applyWorkbook(course, incoming) {
    var current = readAll(course.format);
    var merged = course.merge(current, incoming);
    Object.keys(merged.workbook.answers).forEach(function (ex) {
      writeExercise(course.format, ex, merged.workbook.answers[ex]);
    });
    pages.forEach(function (page) { page.refresh(); });
    Object.keys(incoming.answers).forEach(notify);
    return summary(merged.report);
  }

  function importText(course, text) {
    return applyWorkbook(course, course.parse(text));
  }

  function init() {
    document.querySelectorAll(".kc-rf").forEach(function (root) {
      try { pages.push(new Page(root)); } catch (e) {
        if (window.console) window.console.warn("ketencursus-reflectie:", e);
      }
    });
  }

  window.KetencursusReflecties = {
    exportAll: function () {
      var format = pages.length ? pages[0].format : {format: "ketencursus-reflecties",
                                                     schema_version: 1};
      var wb = readAll(format);
      return JSON.parse(JSON.stringify({format: format.format,
                                        schema_version: format.schema_version,
                                        answers: wb.answers}));
    },
    importAll: function (obj) {
      if (!pages.length) throw new Error("Op deze pagina staat geen reflectie-oefening.");
      var course = pages[0].course;
      try {
        return applyWorkbook(course, course.validate(obj));
      } catch (e) {
        if (e instanceof ImportError) throw new Error(e.message);
        throw e;
      }
    },
    onChange: function (callback) { listeners.push(callback); }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
