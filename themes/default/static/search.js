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

/** JSON from gzipped bytes (or bytes a host already unpacked). */
async function unpack(bytes) {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return JSON.parse(new TextDecoder().decode(bytes));
}

async function fetched(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response;
}

/* Numbers are stored as base-32 digits, one character each, a number's every digit but its
   last 32 higher. */
const DIGIT = new Int8Array(128).fill(-1);
[..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].forEach((c, i) => (DIGIT[c.charCodeAt(0)] = i));
function numbers(text) {
  const out = [];
  let n = 0;
  let d = 0;
  for (let i = 0; i < text.length; i++) {
    d = DIGIT[text.charCodeAt(i)] ?? -1;
    if (d < 0) throw new Error("damaged search index");
    n = n * 32 + (d & 31);
    if (d < 32) out.push(n), (n = 0);
  }
  if (d >= 32) throw new Error("damaged search index");
  return out;
}

/** The runs' first keys, front-coded by the build (src/index/files.rs, `front_coded`): each
    is how many UTF-16 code units it shares with the one before, in digits, then the rest. */
function firstKeys(coded) {
  let previous = "";
  return coded.map((key) => {
    let shared = 0;
    let i = 0;
    for (let d = 32; d >= 32; i++) {
      d = DIGIT[key.charCodeAt(i)] ?? -1;
      if (d < 0) throw new Error("damaged search index");
      shared = shared * 32 + (d & 31);
    }
    return (previous = previous.slice(0, shared) + key.slice(i));
  });
}

/** An entry's anchor: `0` where the build left it to be derived from the heading, as headings
    get their ids (src/index/encode.rs, `push_anchor`). */
function anchorOf(anchor, heading) {
  if (anchor !== 0) return anchor;
  let id = "";
  for (const c of heading) {
    if (/[\p{Alphabetic}\p{N}_]/u.test(c)) id += c.toLowerCase();
    else if ((/\s/u.test(c) || c === "-") && id && !id.endsWith("-")) id += "-";
  }
  return id.replace(/-+$/, "") || "section";
}

/** The byte lengths of the members the manifest lists, which it gives in units of
    `length_unit` bytes (the build pads those members in their gzip headers). */
const listedLengths = (m) => numbers(m.lengths).map((n) => n * m.length_unit);

/** Postings: [entry gap, score, entry gap, …]. */
function postings(text) {
  const out = numbers(text);
  if (out.length % 2) throw new Error("damaged postings");
  return out;
}

/** A record of a shard: a stem `[key, df, postings, cards?]` or a form `[form, key]`. */
const isStem = (record) => typeof record[1] === "number";

/** The bucket of a key of a script written without spaces, among `count`: FNV-1a of its
    UTF-16 code units, as the build computes it (src/index/shards.rs, `bucket_of`). */
export function bucketOf(key, count) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return hash % count;
}

/** The positions of the sorted first keys whose runs can hold keys in [lo, hi]. */
function covering(firsts, lo, hi) {
  let first = 0;
  for (let a = 0, b = firsts.length - 1; a <= b;) {
    const mid = (a + b) >> 1;
    if (firsts[mid] <= lo) { first = mid; a = mid + 1; } else b = mid - 1;
  }
  const found = [];
  for (let i = first; i < firsts.length && (i === first || firsts[i] <= hi); i++) found.push(i);
  return found;
}

/** The Traditional → Simplified table from its numbers: per pair, the Traditional code point's
    distance from the one before, then the Simplified one's from it, zigzag-coded (0, -1, 1…). */
function variantsOf(distances) {
  const variants = {};
  for (let i = 0, traditional = 0; i + 1 < distances.length; i += 2) {
    traditional += distances[i];
    const z = distances[i + 1];
    variants[String.fromCodePoint(traditional)] = String.fromCodePoint(traditional + (z & 1 ? -(z + 1) / 2 : z / 2));
  }
  return variants;
}

export class Index {
  constructor(base) {
    this.base = base;
    this.members = new Map();
    this.wholePacks = new Map();
    // By entry: what its result shows, and the card windows of the keys it was carded for.
    this.cards = new Map();
    this.manifest = fetched(base.replace(/\/$/, ".json.gz"))
      .then(async (response) => unpack(new Uint8Array(await response.arrayBuffer())))
      .then((m) => {
        if (m.version !== 7) throw new Error(`search index version ${m.version}`);
        m.shards = firstKeys(m.shards);
        this.variants = variantsOf(numbers(m.variants));
        this.place(m, listedLengths(m));
        this.terms = m.shards.length + m.buckets;
        if (this.places.length !== this.terms + 1) throw new Error("damaged search index");
        return m;
      });
  }

  /** Where each member whose length is known lies: its pack, offset and length. */
  place(m, lengths) {
    this.places = [];
    for (const [pack, count] of numbers(m.pack_members).entries()) {
      for (let j = 0, at = 0; j < count && this.places.length < lengths.length; j++) {
        const length = lengths[this.places.length];
        this.places.push([pack, at, length]);
        at += length;
      }
    }
  }

  /** Places the result chunks, from their lengths (the member after the shards). */
  chunks() {
    this.chunksPlaced ||= this.manifest.then(async (m) => {
      const lengths = [...listedLengths(m), ...numbers(await this.member(this.terms))];
      this.place(m, lengths);
      if (this.places.length !== lengths.length) throw new Error("damaged search index");
    });
    this.chunksPlaced.catch(() => (this.chunksPlaced = null));
    return this.chunksPlaced;
  }

  /** Member `i` of the packs, read by an HTTP range; a host that ignores ranges sends the
      whole pack, which is then kept for the pack's other members. */
  member(i, prepare = (json) => json) {
    if (!this.members.has(i)) {
      const p = this.manifest.then(async (m) => {
        const [pack, at, length] = this.places[i];
        let bytes;
        if (this.wholePacks.has(pack)) bytes = this.wholePacks.get(pack).subarray(at, at + length);
        else {
          const response = await fetched(`${this.base}pack.${m.packs}.${pack}.bin`, { headers: { Range: `bytes=${at}-${at + length - 1}` } });
          const body = new Uint8Array(await response.arrayBuffer());
          if (response.status === 206) bytes = body;
          else {
            this.wholePacks.set(pack, body);
            bytes = body.subarray(at, at + length);
          }
        }
        if (bytes.length !== length) throw new Error("damaged search index");
        return prepare(await unpack(bytes));
      });
      p.catch(() => this.members.delete(i));
      this.members.set(i, p);
    }
    return this.members.get(i);
  }

  /** Reads a term shard: postings as numbers, cards kept by entry. */
  shard([records, entries, pages]) {
    const shown = new Map(entries.map(([id, page, anchor, heading]) => [id, [pages[page], anchor, heading]]));
    for (const r of records) {
      if (!isStem(r)) continue;
      r[2] = postings(r[2]);
      for (const [id, text, cut] of r[3] || []) {
        const [[url, title, first, count], anchor, heading] = shown.get(id);
        if (!this.cards.has(id)) this.cards.set(id, { ...result(url, anchor, title, heading), pageEntries: [first, first + count], windows: new Map() });
        this.cards.get(id).windows.set(r[0], [text, cut]);
      }
    }
    return records;
  }

  /** Records from `lo` to `hi` (inclusive, as JS compares strings), from the shards they
      fall in: a key of a script written without spaces is looked up alone, in its bucket. */
  async keys(lo, hi) {
    const m = await this.manifest;
    const alone = lo === hi && m.buckets > 0 && UNSPACED.test(String.fromCodePoint(lo.codePointAt(0)));
    const members = alone ? [m.shards.length + bucketOf(lo, m.buckets)] : covering(m.shards, lo, hi);
    const shards = await Promise.all(members.map((i) => this.member(i, (json) => this.shard(json))));
    return shards.flat().filter(([key]) => key >= lo && key <= hi);
  }

  /** How many shards hold the keys from `lo` to `hi` (keys written with spaces). */
  async shardsCovering(lo, hi) {
    return covering((await this.manifest).shards, lo, hi).length;
  }

  /** What the results for entries `ids` show, from their result chunks. */
  async entries(ids) {
    const m = await this.manifest;
    await this.chunks();
    const chunks = [...new Set(ids.map((id) => Math.floor(id / m.chunk)))];
    const loaded = new Map(await Promise.all(chunks.map(async (c) => [c, await this.member(this.terms + 1 + c)])));
    return ids.map((id) => {
      const [pages, entries] = loaded.get(Math.floor(id / m.chunk));
      const [page, anchor, heading, text] = entries[id % m.chunk];
      const [url, title] = pages[page];
      return { ...result(url, anchor, title, heading), windows: [[text, 0]] };
    });
  }
}

const result = (url, anchor, title, heading) => {
  const id = anchorOf(anchor, heading);
  return { url: id ? `${url}#${encodeURIComponent(id)}` : url, title, heading };
};

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

/** The fewest letters a word needs to be read as the start of longer words. */
const MIN_PREFIX = 3;
/** The most shards a word that matches nothing reads to look for a typo. */
const TYPO_SHARDS = 2;

/** Stem records (`[key, df, postings]`) a query word matches, each with how well: the word
    itself or a form of its stem 1, a shorter stem it extends 0.85, a prefix 0.7, a shortened
    prefix (another inflection) 0.55, one typo 0.45. Forms point to their stem: `[form, key]`. */
async function match(index, token, prefix, everyWordPrefix) {
  const w = token.term;
  const candidates = [];
  if (token.unspaced) candidates.push(...(await index.keys(w, w)).map((r) => [r, 1, w]));
  else {
    const shortened = w.length >= 5 ? w.slice(0, Math.max(4, w.length - 2)) : null;
    // A word of one or two letters read as the start of longer ones would fetch every shard
    // of the keys it starts (for "s", a tenth of a language), on every first keystroke: it
    // is looked up as it is.
    const opens = prefix && w.length >= MIN_PREFIX;
    // From the shortest stem the word may extend (or the shortened prefix, where every word
    // is a prefix) to the longest word it starts, or to the word itself: usually one shard.
    const from = everyWordPrefix && shortened ? shortened : w.length >= 6 ? w.slice(0, w.length - 3) : w;
    let records = await index.keys(from, opens ? w + MAX : w);
    for (const r of records) {
      const s = r[0];
      if (s === w) candidates.push([r, 1, s]);
      else if (opens && s.startsWith(w)) candidates.push([r, 0.7 * (0.5 + (0.5 * w.length) / s.length), s]);
      else if (shortened && opens && s.startsWith(shortened)) candidates.push([r, 0.55, s]);
      else if (isStem(r) && s.length >= 3 && w.startsWith(s) && w.length - s.length <= 3) candidates.push([r, 0.85, s]);
    }
    if (!candidates.length && shortened) {
      records = await index.keys(shortened, shortened + MAX);
      for (const r of records) if (r[0].startsWith(shortened)) candidates.push([r, 0.5, r[0]]);
    }
    if (!candidates.length && w.length >= 5) {
      // One typo, among the keys that share the word's first two letters, then its first
      // one. Where those fill more than TYPO_SHARDS shards (every key of "re…" is dozens on a
      // large site: 430 KB for "retrun" on a Lithuanian one), among those sharing its first
      // three: a word that matches nothing is typed a letter at a time.
      const narrow = async (lo) => (await index.shardsCovering(lo, lo + MAX)) <= TYPO_SHARDS;
      const starts = (await narrow(w.slice(0, 2))) ? [w.slice(0, 2), w[0]] : [w.slice(0, 3)];
      for (const lo of starts) {
        if (!(await narrow(lo))) break;
        for (const r of await index.keys(lo, lo + MAX)) if (oneEdit(w, r[0])) candidates.push([r, 0.45, r[0]]);
        if (candidates.length) break;
      }
    }
  }
  const found = new Map();
  for (const [r, weight, form] of candidates.sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    const stem = isStem(r) ? r : (await index.keys(r[1], r[1])).find((x) => isStem(x) && x[0] === r[1]);
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

/** How much more an entry counts whose snippet shows all the query's words close together. */
const CLOSE_WORDS_BONUS = 0.3;

/** Results for `query` in the index at `base`: best first, one per page, with snippets.
    `progress` is given the first results while the others are still fetched. */
export async function run(index, query, limit = 10, progress = null) {
  const m = await index.manifest;
  const tokens = [];
  for (const t of tokenize(query, true, index.variants)) if (!tokens.some((o) => o.term === t.term)) tokens.push(t);
  if (!tokens.length) return [];
  // Several words seldom find their best entries among each word's own best: the chunks'
  // lengths are fetched beside the shards, so a chunk costs one round trip, not two.
  if (tokens.length > 1) index.chunks().catch(() => {});
  const typing = !/\s$/.test(query);
  const slots = await Promise.all(tokens.map((t, i) => match(index, t, m.prefix_every_word || (typing && i === tokens.length - 1), m.prefix_every_word)));
  const scores = new Map();
  // Words found in more entries than a key lists (`m.common`) say little beside rarer ones
  // and are left out of the "all words matched" count; a query of nothing else ("returns" on
  // a large site) counts them all, or every entry would score nothing.
  const isCommon = (keys) => keys.length && keys.every(([k]) => k[1] > m.common);
  const informative = slots.filter((keys) => keys.length && !isCommon(keys)).length;
  const counted = informative || slots.filter((keys) => keys.length).length || 1;
  // The keys a word matched (its stem, inflections, a typo) count as one term: each key's
  // stored score carries its own rarity, which is replaced by the rarity of them all, so a
  // rare inflection does not outrank the word itself.
  const idf = (df) => Math.log(1 + (m.entries - df + 0.5) / (df + 0.5));
  slots.forEach((keys) => {
    const counts = !informative || !isCommon(keys);
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
      if (counts) e.matched++;
      scores.set(id, e);
    }
  });
  // All the words matched counts most; a heading or title that names them comes next.
  const ranked = [...scores.values()]
    .map((e) => ({ id: e.id, score: e.score * (Math.min(e.matched, counted) / counted) ** 2 * (1 + e.named / slots.length) ** 2 }))
    .sort((a, b) => b.score - a.score || a.id - b.id);
  const terms = new Set(slots.flatMap((keys) => keys.flatMap(([, , forms]) => forms)));
  const stems = new Set(slots.flatMap((keys) => keys.map(([[stem]]) => stem)));
  // What an entry's result shows, if a card of one of the query's own keys has it (another
  // key's window would not show these words). Windows in the query's order: the first of
  // equally good ones is shown, whichever shard arrived first.
  const carded = (id) => {
    const card = index.cards.get(id);
    const windows = card && [...stems].filter((key) => card.windows.has(key)).map((key) => card.windows.get(key));
    return windows && windows.length ? { ...card, windows } : null;
  };
  const byPage = new Map();
  // Adds an entry's result, and gives the best score its page has now.
  const add = (e, r) => {
    const snips = r.windows.map(([text, cut]) => snippet(text || r.heading || r.title, terms, index.variants, slots.length, cut));
    const snip = snips.reduce((a, b) => (b.closeness > a.closeness || (b.closeness === a.closeness && b.marks.length > a.marks.length) ? b : a));
    const score = e.score * (1 + CLOSE_WORDS_BONUS * snip.closeness);
    const page = r.url.split("#")[0];
    const held = byPage.get(page);
    if (held && held.score >= score) return held.score;
    byPage.set(page, { score, url: r.url, title: r.title, heading: r.heading, snippet: snip.text, highlights: snip.marks });
    return score;
  };
  const best = () => [...byPage.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  // The snippet's bonus lifts an entry at most this much (words close together).
  const boost = slots.length > 1 ? 1 + CLOSE_WORDS_BONUS : 1;
  // A page's entries, from the cards shown, with the best score among them. An entry of
  // such a page that the bonus cannot lift above it shows no result, so its text is not
  // fetched.
  const shownPages = [];
  const outranked = (e) => shownPages.some(([from, to, score]) => e.id >= from && e.id < to && score >= e.score * boost);
  // Results come from the cards of the shards just read, in rank order, until no entry left
  // can enter the first `limit` pages; the others' text is fetched a few at a time. What is
  // known before then is shown at once.
  let pending = [];
  const fetchPending = async () => {
    if (progress && byPage.size) progress(best());
    const more = await index.entries(pending.map((e) => e.id));
    pending.forEach((e, i) => add(e, more[i]));
    pending = [];
  };
  for (const e of ranked.slice(0, limit * 4)) {
    if (byPage.size >= limit && e.score * boost <= best()[limit - 1].score) break;
    const r = carded(e.id);
    if (r) shownPages.push([...r.pageEntries, add(e, r)]);
    else if (!outranked(e)) {
      pending.push(e);
      if (pending.length === limit) await fetchPending();
    }
  }
  if (pending.length) await fetchPending();
  return best();
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
    how many of the query's words fall inside it (0–1), which ranks close words higher.
    `cut` says the text is a card's window, cut from a longer one: 1 at its start, 2 at its end. */
function snippet(text, terms, variants, slotCount, cut = 0) {
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
  const lead = start > 0 || cut & 1 ? "… " : "";
  return {
    text: lead + text.slice(start, end) + (end < text.length || cut & 2 ? " …" : ""),
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
    // Results whose text is still being fetched follow the first ones as they arrive.
    const early = (first) => {
      if (mine !== generation) return;
      list.replaceChildren();
      renderResults(first, list, 0);
      show(true);
    };
    try {
      results = await run(own, query, shown, early);
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
    // A letter or two being typed is not yet a word (MIN_PREFIX): that it finds nothing is no
    // news, and the popup waits for the next letter.
    if (!page && !results.length && !more.length && !/\s$/.test(query) && [...query.trim()].length < MIN_PREFIX) {
      list.replaceChildren(); show(false); if (status) status.textContent = ""; return;
    }
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
