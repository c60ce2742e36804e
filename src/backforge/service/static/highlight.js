// A small syntax highlighter for the file viewer: no build step, no CDN, no dependency.
// It splits a file into tokens with one regular expression per language and returns DOM
// nodes whose text is set with textContent: a file's content is attacker-influenced (it
// echoes the spec) and is never parsed as HTML.
"use strict";

const Highlight = (() => {
  const JS_WORDS = "async|await|break|case|catch|class|const|continue|debugger|default|delete|do|" +
    "else|export|extends|finally|for|from|function|if|import|in|instanceof|let|new|of|return|" +
    "static|super|switch|this|throw|try|typeof|var|void|while|with|yield|interface|type|enum|" +
    "implements|declare|readonly|private|public|protected|as|satisfies|keyof|namespace";
  const SQL_WORDS = "select|from|where|insert|into|values|update|set|delete|create|table|index|" +
    "unique|primary|key|foreign|references|on|cascade|restrict|not|null|default|alter|add|" +
    "drop|column|constraint|check|and|or|in|is|as|join|left|right|inner|outer|order|by|group|" +
    "having|limit|offset|returning|begin|commit|rollback|if|exists|type|enum|grant|revoke|" +
    "with|case|when|then|else|end|using|distinct|extension|trigger|function|returns|language|" +
    "sequence|serial|bigserial|integer|int|bigint|smallint|text|varchar|boolean|timestamptz|" +
    "timestamp|date|numeric|uuid|jsonb|json|real|double|precision|true|false";

  // [class, pattern] in priority order; patterns use no capturing groups of their own.
  const LANGS = {
    js: [
      ["comment", String.raw`\/\/[^\n]*|\/\*[\s\S]*?\*\/`],
      ["string", String.raw`"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\x60(?:[^\x60\\]|\\[\s\S])*\x60`],
      ["keyword", String.raw`\b(?:${JS_WORDS})\b`],
      ["literal", String.raw`\b(?:true|false|null|undefined|NaN|Infinity)\b`],
      ["number", String.raw`\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?n?\b`],
    ],
    sql: [
      ["comment", String.raw`--[^\n]*|\/\*[\s\S]*?\*\/`],
      ["string", String.raw`'(?:[^']|'')*'`],
      ["name", String.raw`"(?:[^"]|"")*"`],
      ["keyword", String.raw`\b(?:${SQL_WORDS})\b`],
      ["number", String.raw`\b\d+(?:\.\d+)?\b`],
    ],
    json: [
      ["name", String.raw`"(?:[^"\\\n]|\\.)*"(?=\s*:)`],
      ["string", String.raw`"(?:[^"\\\n]|\\.)*"`],
      ["literal", String.raw`\b(?:true|false|null)\b`],
      ["number", String.raw`-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b`],
    ],
    yaml: [
      ["comment", String.raw`(?:^|\s)#[^\n]*`],
      ["name", String.raw`[\w.\-"']+(?=:(?:\s|$))`],
      ["string", String.raw`"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'`],
      ["literal", String.raw`\b(?:true|false|null|yes|no|on|off)\b`],
      ["number", String.raw`\b\d+(?:\.\d+)?\b`],
    ],
    shell: [
      ["comment", String.raw`(?:^|\s)#[^\n]*`],
      ["string", String.raw`"(?:[^"\\]|\\.)*"|'[^']*'`],
      ["keyword", String.raw`\b(?:if|then|else|elif|fi|for|do|done|while|case|esac|exec|` +
        String.raw`set|export|FROM|RUN|COPY|WORKDIR|ENV|EXPOSE|CMD|ENTRYPOINT|USER|ARG)\b`],
    ],
  };
  const BY_EXTENSION = { js: "js", mjs: "js", cjs: "js", ts: "js", mts: "js", tsx: "js",
    jsx: "js", sql: "sql", json: "json", yaml: "yaml", yml: "yaml", sh: "shell",
    dockerfile: "shell", env: "shell", example: "shell", tf: "shell", gitignore: "shell" };
  const LIMIT = 400000; // characters: beyond this a file is shown plain (fast enough either way)
  const compiled = {};

  function language(path) {
    const name = path.split("/").pop().toLowerCase();
    if (name === "dockerfile") return "shell";
    const ext = name.includes(".") ? name.split(".").pop() : "";
    return BY_EXTENSION[ext] || null;
  }

  function regex(lang) {
    if (!compiled[lang]) {
      const rules = LANGS[lang];
      const flags = lang === "sql" ? "gmi" : "gm";
      compiled[lang] = new RegExp(rules.map(([, p]) => `(${p})`).join("|"), flags);
    }
    return compiled[lang];
  }

  // [[class or null, text], ...]: every character of `text` exactly once, in order.
  function tokens(text, lang) {
    if (!lang || !LANGS[lang] || text.length > LIMIT) return [[null, text]];
    const rules = LANGS[lang];
    const re = regex(lang);
    re.lastIndex = 0;
    const out = [];
    let at = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m[0] === "") { re.lastIndex++; continue; }
      if (m.index > at) out.push([null, text.slice(at, m.index)]);
      const group = m.findIndex((g, i) => i > 0 && g !== undefined);
      out.push([rules[group - 1][0], m[0]]);
      at = m.index + m[0].length;
    }
    if (at < text.length) out.push([null, text.slice(at)]);
    return out;
  }

  // Fill `target` with the highlighted text: text nodes and spans, never HTML.
  function render(target, text, path) {
    const lang = language(path);
    const fragment = document.createDocumentFragment();
    for (const [cls, part] of tokens(text, lang)) {
      if (!cls) {
        fragment.appendChild(document.createTextNode(part));
        continue;
      }
      const span = document.createElement("span");
      span.className = "tok-" + cls;
      span.textContent = part;
      fragment.appendChild(span);
    }
    target.replaceChildren(fragment);
    target.dataset.language = lang || "text";
  }

  return { language, tokens, render };
})();
