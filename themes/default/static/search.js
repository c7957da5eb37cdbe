/* helpdeck search client. No dependencies; loaded by theme.js only when search is used.
   The tokenizer mirrors src/text/tokenize.rs (tests/search_tokens.rs compares the two);
   the index format is written by src/index/files.rs. Everything from the index reaches the
   page through textContent, never innerHTML. */

const UNSPACED = /[\u0E00-\u0EFF\u1000-\u109F\u1100-\u11FF\u1780-\u17FF\u3040-\u30FF\u3130-\u318F\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\u{20000}-\u{2FA1F}]/u;
const WORD = /[\p{Alphabetic}\p{N}\p{M}]/u;
const ALNUM = /[\p{Alphabetic}\p{N}]/u;
const MARK = /\p{M}/u;
const APOSTROPHE = /['\u2019]/;
const SPELLED_OUT = { "ß": "ss", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l", "ĸ": "k", "ſ": "s", "ς": "σ" };
const isHan = (c) => /[\u3400-\u9FFF\uF900-\uFAFF]/u.test(c);
let segmenter;

/** Folds one spaced word: "Grąžinimas" → "grazinimas". `variants` maps Traditional → Simplified. */
export function fold(word, variants = {}) {
  let out = "";
  for (const c of word) {
    if (UNSPACED.test(c)) { out += foldUnspaced(c, variants); continue; }
    for (const d of c.normalize("NFKD")) {
      for (const lower of d.toLowerCase()) {
        if (MARK.test(lower)) continue;
        const s = SPELLED_OUT[lower];
        if (s) out += s;
        else if (ALNUM.test(lower)) out += lower;
      }
    }
  }
  return out;
}

const foldUnspaced = (c, variants) => (isHan(c) && variants[c]) || c;

/** Words of `text` as search terms, with UTF-16 offsets. `query` gives the pairs of an unspaced
    run (or its one character); otherwise every character and every pair. */
export function tokenize(text, query, variants = {}) {
  segmenter ||= new Intl.Segmenter("und", { granularity: "word" });
  const tokens = [];
  let run = [];
  let runEnd = 0;
  const flush = () => {
    const chars = run.map(([at, c]) => [at, at + c.length, foldUnspaced(c, variants)]);
    run = [];
    const pair = (a, b) => ({ term: a[2] + b[2], start: a[0], end: b[1], unspaced: true });
    chars.forEach((c, i) => {
      if (!query || chars.length === 1) tokens.push({ term: c[2], start: c[0], end: c[1], unspaced: true });
      if (i + 1 < chars.length) tokens.push(pair(c, chars[i + 1]));
    });
  };
  for (const { segment, index } of segmenter.segment(text)) {
    if (!ALNUM.test(segment)) continue;
    for (const [offset, piece, unspaced] of pieces(segment)) {
      const start = index + offset;
      if (unspaced) {
        if (run.length && runEnd !== start) flush();
        for (let i = 0; i < piece.length;) {
          const c = String.fromCodePoint(piece.codePointAt(i));
          run.push([start + i, c]);
          i += c.length;
        }
        runEnd = start + piece.length;
        continue;
      }
      flush();
      const term = fold(piece, variants);
      if (term) tokens.push({ term, start, end: start + piece.length, unspaced: false });
    }
  }
  flush();
  return tokens;
}

function pieces(segment) {
  const out = [];
  let current = null;
  let end = 0;
  for (let i = 0; i < segment.length;) {
    const c = String.fromCodePoint(segment.codePointAt(i));
    const cls = UNSPACED.test(c) ? 1 : WORD.test(c) || APOSTROPHE.test(c) ? 0 : -1;
    if (!current || current[1] !== cls) {
      if (current && current[1] >= 0) out.push([current[0], segment.slice(current[0], end), current[1] === 1]);
      current = [i, cls];
    }
    i += c.length;
    end = i;
  }
  if (current && current[1] >= 0) out.push([current[0], segment.slice(current[0], end), current[1] === 1]);
  return out;
}

/* ---------- index files ---------- */

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  let bytes = new Uint8Array(await response.arrayBuffer());
  // Stored gzipped; a host that sent them with Content-Encoding: gzip has unpacked them already.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return JSON.parse(new TextDecoder().decode(bytes));
}

/* Postings are stored as base-32 digits, one character each, a number's every digit but its
   last 32 higher: [entry gap, score, entry gap, …]. */
const DIGIT = new Int8Array(128).fill(-1);
[..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].forEach((c, i) => (DIGIT[c.charCodeAt(0)] = i));
function numbers(text) {
  const out = [];
  let n = 0;
  let d = 0;
  for (let i = 0; i < text.length; i++) {
    d = DIGIT[text.charCodeAt(i)] ?? -1;
    if (d < 0) throw new Error("damaged postings");
    n = n * 32 + (d & 31);
    if (d < 32) out.push(n), (n = 0);
  }
  if (d >= 32 || out.length % 2) throw new Error("damaged postings");
  return out;
}

/** The hashes of the sorted [firstKey, hash] items whose keys can fall in [lo, hi]. */
function covering(items, lo, hi) {
  let first = 0;
  for (let a = 0, b = items.length - 1; a <= b;) {
    const mid = (a + b) >> 1;
    if (items[mid][0] <= lo) { first = mid; a = mid + 1; } else b = mid - 1;
  }
  const hashes = [];
  for (let i = first; i < items.length && (i === first || items[i][0] <= hi); i++) hashes.push(items[i][1]);
  return hashes;
}

export class Index {
  constructor(base) {
    this.base = base;
    this.files = new Map();
    this.manifest = fetchJson(base.replace(/\/$/, ".json.gz")).then((m) => {
      if (m.version !== 2) throw new Error(`search index version ${m.version}`);
      this.variants = {};
      const v = [...m.variants];
      for (let i = 0; i + 1 < v.length; i += 2) this.variants[v[i]] = v[i + 1];
      return m;
    });
  }

  file(name, prepare = (json) => json) {
    if (!this.files.has(name)) {
      const p = fetchJson(this.base + name).then(prepare);
      p.catch(() => this.files.delete(name));
      this.files.set(name, p);
    }
    return this.files.get(name);
  }

  /** Keys from `lo` to `hi` (inclusive, as JS compares strings): the manifest names the
      directories, which name the shards, which hold the keys. */
  async keys(lo, hi) {
    const { terms } = await this.manifest;
    const directories = await Promise.all(covering(terms, lo, hi).map((h) => this.file(`keys.${h}.json.gz`)));
    const shards = await Promise.all(covering(directories.flat(), lo, hi).map((h) => this.file(`terms.${h}.json.gz`, (rs) => rs.map((r) => (r.length === 3 ? [r[0], r[1], numbers(r[2])] : r)))));
    return shards.flat().filter(([key]) => key >= lo && key <= hi);
  }

  async entries(ids) {
    const m = await this.manifest;
    const chunks = [...new Set(ids.map((id) => Math.floor(id / m.chunk)))];
    const loaded = new Map(await Promise.all(chunks.map(async (c) => [c, await this.file(`results.${m.results}.${c}.json.gz`)])));
    return ids.map((id) => {
      const [pages, entries] = loaded.get(Math.floor(id / m.chunk));
      const [page, anchor, heading, text] = entries[id % m.chunk];
      const [url, title, kind, section] = pages[page];
      return { url: anchor ? `${url}#${encodeURIComponent(anchor)}` : url, title, heading, text, kind, section };
    });
  }
}

/* ---------- matching and ranking ---------- */

const MAX = "\uffff";

/** One edit (insert, delete, substitute, swap neighbours) apart. */
function oneEdit(a, b) {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Stem records (`[key, df, postings]`) a query word matches, each with how well: the word
    itself or a form of its stem 1, a shorter stem it extends 0.85, a prefix 0.7, a shortened
    prefix (another inflection) 0.55, one typo 0.45. Forms point to their stem: `[form, key]`. */
async function match(index, token, prefix, everyWordPrefix) {
  const w = token.term;
  const candidates = [];
  if (token.unspaced) candidates.push(...(await index.keys(w, w)).map((r) => [r, 1, w]));
  else {
    const shortened = w.length >= 5 ? w.slice(0, Math.max(4, w.length - 2)) : null;
    // From the shortest stem the word may extend (or the shortened prefix, where every word
    // is a prefix) to the longest word it starts: usually one shard.
    const from = everyWordPrefix && shortened ? shortened : w.length >= 6 ? w.slice(0, w.length - 3) : w;
    let records = await index.keys(from, w + MAX);
    for (const r of records) {
      const s = r[0];
      if (s === w) candidates.push([r, 1, s]);
      else if (prefix && s.startsWith(w)) candidates.push([r, 0.7 * (0.5 + (0.5 * w.length) / s.length), s]);
      else if (shortened && (everyWordPrefix || prefix) && s.startsWith(shortened)) candidates.push([r, 0.55, s]);
      else if (r.length === 3 && s.length >= 3 && w.startsWith(s) && w.length - s.length <= 3) candidates.push([r, 0.85, s]);
    }
    if (!candidates.length && shortened) {
      records = await index.keys(shortened, shortened + MAX);
      for (const r of records) if (r[0].startsWith(shortened)) candidates.push([r, 0.5, r[0]]);
    }
    if (!candidates.length && w.length >= 5) {
      for (const lo of [w.slice(0, 2), w[0]]) {
        for (const r of await index.keys(lo, lo + MAX)) if (oneEdit(w, r[0])) candidates.push([r, 0.45, r[0]]);
        if (candidates.length) break;
      }
    }
  }
  const found = new Map();
  for (const [r, weight, form] of candidates.sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    const stem = r.length === 3 ? r : (await index.keys(r[1], r[1])).find((x) => x.length === 3 && x[0] === r[1]);
    if (!stem) continue;
    const seen = found.get(stem[0]);
    if (!seen) found.set(stem[0], [stem, weight, [form, stem[0]]]);
    else {
      seen[1] = Math.max(seen[1], weight);
      seen[2].push(form);
    }
  }
  return [...found.values()];
}

/** Results for `query` in the index at `base`: best first, one per page, with snippets. */
export async function run(index, query, limit = 10) {
  const m = await index.manifest;
  const tokens = [];
  for (const t of tokenize(query, true, index.variants)) if (!tokens.some((o) => o.term === t.term)) tokens.push(t);
  if (!tokens.length) return [];
  const typing = !/\s$/.test(query);
  const slots = await Promise.all(tokens.map((t, i) => match(index, t, m.prefix_every_word || (typing && i === tokens.length - 1), m.prefix_every_word)));
  const scores = new Map();
  const counted = slots.filter((keys) => keys.length && !keys.every(([k]) => k[1] > m.common)).length || 1;
  // The keys a word matched (its stem, inflections, a typo) count as one term: each key's
  // stored score carries its own rarity, which is replaced by the rarity of them all, so a
  // rare inflection does not outrank the word itself.
  const idf = (df) => Math.log(1 + (m.entries - df + 0.5) / (df + 0.5));
  slots.forEach((keys) => {
    const common = keys.length && keys.every(([k]) => k[1] > m.common);
    const union = idf(Math.min(m.entries, keys.reduce((sum, [k]) => sum + k[1], 0)));
    const best = new Map();
    for (const [[, df, postings], weight] of keys) {
      const rarity = union / idf(df);
      for (let i = 0, id = 0; i < postings.length; i += 2) {
        id += postings[i];
        const v = postings[i + 1];
        const s = weight * rarity * (v >> 1);
        const held = best.get(id);
        if (!held) best.set(id, [s, v & 1 ? weight : 0]);
        else {
          held[0] = Math.max(held[0], s);
          if (v & 1) held[1] = Math.max(held[1], weight);
        }
      }
    }
    for (const [id, [s, named]] of best) {
      const e = scores.get(id) || { id, score: 0, matched: 0, named: 0 };
      e.score += s;
      e.named += named;
      if (!common) e.matched++;
      scores.set(id, e);
    }
  });
  // All the words matched counts most; a heading or title that names them comes next.
  const ranked = [...scores.values()]
    .map((e) => ({ id: e.id, score: e.score * (Math.min(e.matched, counted) / counted) ** 2 * (1 + e.named / slots.length) ** 2 }))
    .sort((a, b) => b.score - a.score || a.id - b.id);
  const terms = new Set(slots.flatMap((keys) => keys.flatMap(([, , forms]) => forms)));
  const byPage = new Map();
  // Result text is fetched a few entries at a time, until `limit` pages are found.
  for (let from = 0; from < ranked.length && byPage.size < limit && from < limit * 4; from += limit) {
    const batch = ranked.slice(from, from + limit);
    const meta = await index.entries(batch.map((e) => e.id));
    batch.forEach((e, i) => {
      const r = meta[i];
      const snip = snippet(r.text || r.heading || r.title, terms, index.variants, slots.length);
      const score = e.score * (1 + 0.3 * snip.closeness);
      const page = r.url.split("#")[0];
      const held = byPage.get(page);
      if (!held || held.score < score) byPage.set(page, { score, url: r.url, title: r.title, heading: r.heading, section: r.section, kind: r.kind, snippet: snip.text, highlights: snip.marks });
    });
  }
  return [...byPage.values()].sort((a, b) => b.score - a.score).slice(0, limit);
}

/** The tokens that are a matched term, or a longer form of one ("shipped" for "ship"). */
function matching(tokens, terms) {
  const long = [...terms].filter((f) => f.length >= 4);
  return tokens.filter((t) => {
    t.match = terms.has(t.term) ? t.term : t.unspaced ? null : long.find((f) => t.term.startsWith(f));
    return t.match != null;
  });
}

/** About 180 characters around the densest cluster of matched words, with their ranges, and
    how many of the query's words fall inside it (0–1), which ranks close words higher. */
function snippet(text, terms, variants, slotCount) {
  const hits = matching(tokenize(text, false, variants), terms);
  const span = 180;
  let from = 0;
  let bestCount = 0;
  for (const h of hits) {
    const inside = hits.filter((o) => o.start >= h.start && o.end <= h.start + span);
    const distinct = new Set(inside.map((o) => o.term)).size;
    if (distinct > bestCount) { bestCount = distinct; from = h.start; }
  }
  let start = Math.max(0, from - 40);
  while (start > 0 && start > from - 60 && !/\s/.test(text[start - 1])) start--;
  let end = Math.min(text.length, start + span);
  while (end < text.length && end < start + span + 20 && !/\s/.test(text[end])) end++;
  const marks = hits.filter((h) => h.start >= start && h.end <= end).map((h) => [h.start - start, h.end - start]);
  const merged = [];
  for (const [a, b] of marks) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b); else merged.push([a, b]);
  }
  const lead = start > 0 ? "… " : "";
  return {
    text: lead + text.slice(start, end) + (end < text.length ? " …" : ""),
    marks: merged.map(([a, b]) => [a + lead.length, b + lead.length]),
    closeness: slotCount > 1 ? Math.min(1, (bestCount - 1) / (slotCount - 1)) : 0,
  };
}

/* ---------- what the seller learns ---------- */

/** A query as [analytics] reports it: folded case and spaces, an email address or a run of
    five or more digits (an order, phone or card number) masked, nothing over 100 characters.
    null: not sent at all. */
export function eventQuery(text) {
  const query = text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  if (!query || query.length > 100) return null;
  return query
    .replace(/\S+@\S+/g, "[email]")
    .replace(/[+#]?\d[\d\s().\/-]*\d/g, (run) => (run.replace(/\D/g, "").length >= 5 ? "[number]" : run));
}

/** How long a query stays on screen before it counts as asked, not still being typed. */
const SETTLED_MS = 1500;

/* ---------- the page ---------- */

const indexes = new Map();
const indexAt = (base) => {
  if (!indexes.has(base)) indexes.set(base, new Index(base));
  return indexes.get(base);
};

function setup(form) {
  const doc = document;
  const d = form.dataset;
  const lang = doc.documentElement.lang;
  const own = indexAt(d.searchIndex);
  const input = form.querySelector("input[name=q]");
  const ui = doc.getElementById("hd-search-ui");
  const str = (key) => (ui && ui.getAttribute(`data-${key}`)) || "";
  const plural = new Intl.PluralRules(lang);
  const el = (tag, cls, text) => {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  if (d.searchStyle && !doc.querySelector(`link[href="${d.searchStyle}"]`)) {
    const link = el("link");
    link.rel = "stylesheet";
    link.href = d.searchStyle;
    doc.head.appendChild(link);
  }
  const page = doc.getElementById("hd-search-page");
  const list = page ? page.querySelector(".search-results") : el("div", "search-popup");
  const status = page ? page.querySelector("[role=status]") : doc.getElementById("hd-live");
  if (!page) {
    list.id = "hd-search-popup";
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
  }
  // The popup shows a screenful; the search page, more.
  const shown = page ? 20 : 8;
  let active = -1;
  let generation = 0;
  const options = () => [...list.querySelectorAll("[role=option]")];
  const show = (open) => {
    if (page) return;
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (!open) setActive(-1);
  };
  const setActive = (i) => {
    const all = options();
    active = all.length ? Math.max(-1, Math.min(i, all.length - 1)) : -1;
    all.forEach((o, n) => o.setAttribute("aria-selected", String(n === active)));
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  };
  // [analytics]: a query is reported once it settles (shown a moment, or a result opened),
  // never while it is typed, and not at all when the browser asks not to be tracked.
  const record = window.helpdeck && window.helpdeck.event;
  const tracked = Boolean(record) && !(navigator.globalPrivacyControl || navigator.doNotTrack === "1");
  let shownQuery = null;
  let reported = null;
  let settling;
  // The shown query as it would be sent; null when it is not to be sent.
  const shownEventQuery = () => shownQuery && eventQuery(shownQuery.text);
  const reportSearch = () => {
    clearTimeout(settling);
    const query = shownEventQuery();
    if (!tracked || query == null || query === reported) return;
    reported = query;
    record({ event: "search", lang, query, results: shownQuery.count });
  };
  const opened = (link) => {
    const rank = [...list.querySelectorAll(".search-result a")].indexOf(link) + 1;
    const query = shownEventQuery();
    if (!tracked || !rank || query == null) return;
    reportSearch();
    record({ event: "click", lang, query, rank });
  };
  list.addEventListener("click", (ev) => {
    const link = ev.target instanceof Element && ev.target.closest(".search-result a");
    if (link) opened(link);
  });

  const counted = (n) => (str(`results-${plural.select(n)}`) || str("results-other") || "{count}").replace("{count}", n.toLocaleString(lang));

  const renderResults = (results, into, id0) => {
    const ul = el("ul", "search-list");
    if (!page) {
      ul.setAttribute("role", "listbox");
      ul.setAttribute("aria-label", form.querySelector("label")?.textContent || "");
    }
    results.forEach((r, i) => {
      const li = el("li", "search-result");
      const a = el("a");
      a.href = r.url;
      if (!page) {
        // The link is the option itself: an option may not contain a link.
        li.setAttribute("role", "none");
        a.setAttribute("role", "option");
        a.id = `hd-option-${id0 + i}`;
        a.tabIndex = -1;
      }
      if (r.lang) a.hreflang = r.lang;
      a.appendChild(el("span", "search-result-title", r.title));
      if (r.heading && r.heading !== r.title) a.appendChild(el("span", "search-result-heading", r.heading));
      const p = el("span", "search-result-snippet");
      let at = 0;
      for (const [s, e] of r.highlights) {
        p.appendChild(doc.createTextNode(r.snippet.slice(at, s)));
        p.appendChild(el("mark", null, r.snippet.slice(s, e)));
        at = e;
      }
      p.appendChild(doc.createTextNode(r.snippet.slice(at)));
      a.appendChild(p);
      li.appendChild(a);
      ul.appendChild(li);
    });
    into.appendChild(ul);
  };

  const update = async (query) => {
    const mine = ++generation;
    if (!query.trim()) {
      clearTimeout(settling);
      shownQuery = null;
      list.replaceChildren(); show(false); if (status) status.textContent = ""; return;
    }
    let results;
    let more = [];
    try {
      results = await run(own, query, shown);
      if (results.length < 3 && d.defaultIndex && d.defaultIndex !== d.searchIndex) {
        const seen = new Set(results.map((r) => r.title));
        more = (await run(indexAt(d.defaultIndex), query, shown)).filter((r) => !seen.has(r.title)).slice(0, 5).map((r) => ({ ...r, lang: d.defaultLang }));
      }
    } catch (error) {
      if (mine !== generation) return;
      list.replaceChildren(el("p", "search-unavailable", str("unavailable")));
      if (status) status.textContent = str("unavailable");
      show(true);
      return;
    }
    if (mine !== generation) return;
    list.replaceChildren();
    if (results.length) renderResults(results, list, 0);
    if (more.length) {
      const group = el("div", "search-also");
      group.appendChild(el("p", "search-also-title", str("also-in").replace("{language}", d.defaultName || "")));
      renderResults(more, group, results.length);
      group.lastChild.lang = d.defaultLang;
      list.appendChild(group);
    }
    if (!results.length && !more.length) {
      list.appendChild(el("p", "search-empty", str("no-results").replace("{query}", query)));
      const help = ui && ui.content.querySelector(".search-help");
      if (help) list.appendChild(help.cloneNode(true));
    }
    if (status) status.textContent = counted(results.length + more.length);
    setActive(-1);
    show(true);
    shownQuery = { text: query, count: results.length + more.length };
    clearTimeout(settling);
    settling = setTimeout(reportSearch, SETTLED_MS);
  };

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => update(input.value), 60);
  });
  input.addEventListener("keydown", (ev) => {
    if (page) return;
    const all = options();
    if (ev.key === "ArrowDown" && all.length) { ev.preventDefault(); show(true); setActive(active + 1); }
    else if (ev.key === "ArrowUp" && all.length) { ev.preventDefault(); setActive(active - 1); }
    else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); opened(all[active]); location.href = all[active].href; }
    else if (ev.key === "Escape") {
      if (!list.hidden) { ev.preventDefault(); show(false); } else input.value = "";
    }
  });
  doc.addEventListener("click", (ev) => { if (!form.contains(ev.target)) show(false); });
  if (page) {
    const q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    if (q) update(q);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      history.replaceState(null, "", `?q=${encodeURIComponent(input.value)}`);
      update(input.value);
    });
  } else if (input.value) update(input.value);

  return (query) => run(own, query).then((results) => results.map(({ url, title, heading, snippet }) => ({ url, title, heading, snippet })));
}

if (typeof document !== "undefined") {
  const form = document.querySelector("form[data-search-index]");
  if (form) {
    const search = setup(form);
    window.helpdeck = Object.assign(window.helpdeck || {}, { search });
    document.dispatchEvent(new Event("helpdeck:search-ready"));
  }
}
