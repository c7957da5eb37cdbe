#!/usr/bin/env bash
# Search benchmark (issue 4), side by side with Pagefind run over helpdeck's own HTML:
# build time and peak memory (helpdeck's whole build including its index vs Pagefind's
# indexing alone, alternated), total index bytes, bytes fetched by a first query, and query
# time in Chromium. Usage: bench/search.sh 2000   (corpus from ../shared/bench/mksite.sh)
set -euo pipefail
N=${1:?usage: bench/search.sh N (2000 or 10000)}
RUNS=${RUNS:-5}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
shared=$(cd "$repo/../shared/bench" && pwd)
site=/tmp/sites/helpdeck-$N
[ -d "$site" ] || (cd "$shared" && ./mksite.sh "$N" /tmp/sites)
(cd "$here" && npm install --no-audit --no-fund --silent)
(cd "$repo" && cargo build --release --quiet)
hd=$repo/target/release/helpdeck
pagefind=$here/node_modules/.bin/pagefind
out=/dev/shm/hd-$N
pf=/dev/shm/pf-$N

echo "== build + index, $RUNS alternated runs each (wall s, peak KiB)"
"$hd" build --root "$site" --output "$out" >/dev/null
rm -rf "$pf" && cp -r "$out" "$pf" && rm -rf "$pf/search-index"
times=$(mktemp)
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "helpdeck %e %M" -a -o "$times" "$hd" build --root "$site" --output "$out" >/dev/null
  rm -rf "$pf/pagefind"
  /usr/bin/time -f "pagefind %e %M" -a -o "$times" "$pagefind" --site "$pf" >/dev/null
done
python3 - "$times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
med = {}
for tool in ("helpdeck", "pagefind"):
    wall = [float(r[1]) for r in rows if r[0] == tool]
    rss = [int(r[2]) for r in rows if r[0] == tool]
    med[tool] = (statistics.median(wall), max(rss))
    print(f"{tool:9} wall median {med[tool][0]:.2f} s  (runs: {', '.join(f'{w:.2f}' for w in wall)})  peak {med[tool][1] / 1024:.0f} MiB")
print(f"ratio helpdeck/pagefind: time {med['helpdeck'][0] / med['pagefind'][0]:.2f}, memory {med['helpdeck'][1] / med['pagefind'][1]:.2f}")
PY

echo "== index bytes on disk"
hd_bytes=$(du -sb "$out/search-index" | cut -f1)
pf_bytes=$(du -sb "$pf/pagefind" | cut -f1)
echo "helpdeck $hd_bytes  pagefind $pf_bytes  ratio $(python3 -c "print(round($hd_bytes / $pf_bytes, 3))")"
echo "files: helpdeck $(find "$out/search-index" -type f | wc -l)  pagefind $(find "$pf/pagefind" -type f | wc -l)"

echo "== first query: bytes fetched (Pagefind: 5 results' fragments; helpdeck: the 8 results its popup shows)"
pf_js_gzip=$(gzip -9c "$pf/pagefind/pagefind.js" | wc -c)
queries=(en:went en:response en:graduate lt:sunku lt:didelės pl:dobra pl:zakład ms:terbang ms:manis zh:逐渐 zh:传递)
for q in "${queries[@]}"; do
  lang=${q%%:*} word=${q#*:}
  p=$(cd "$shared" && node pf_query.mjs "$pf" "$lang" "$word")
  h=$(node "$here/search_bytes.mjs" "$out" "$lang" "$word" 8)
  python3 - "$p" "$h" "$pf_js_gzip" <<'PY'
import json, sys
p, h, pf_js_gzip = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
# As stored: both clients' JavaScript uncompressed (the index files of both are stored
# gzipped). On the wire: the JavaScript gzipped too, as every static host sends it.
pf_raw, hd_raw = p["total_incl_pagefind_js"], h["total_with_raw_client"]
pf_wire = p["total_incl_pagefind_js"] - p["pagefind_js"] + pf_js_gzip
hd_wire = h["total_with_gzipped_client"]
print(f"{p['lang']:3} {p['term']:10} stored: pagefind {pf_raw:>7} B, helpdeck {hd_raw:>6} B, ratio {hd_raw / pf_raw:.3f} | "
      f"on the wire: pagefind {pf_wire:>7} B, helpdeck {hd_wire:>6} B, ratio {hd_wire / pf_wire:.3f} "
      f"({p['results']} vs {h['results']} results shown, {h['files']} files)")
PY
done

echo "== query time in Chromium after the first query: new words, and words typed letter by letter"
words() { awk -F'\t' 'NR % 97 == 5 && NR < 6000 { print $1 }' "$shared/vocab/$1.txt" | head -40; }
for lang in en lt pl zh ms; do
  mapfile -t list < <(words "$lang")
  node "$here/search_time.mjs" "$out" "$lang" "${list[@]}"
done

echo "== a buyer on a phone network (150 ms latency, 1.6 Mbps): last keystroke to five results on screen"
node "$here/search_network.mjs" "$out" "$pf" "${queries[@]}"
# Typed a key at a time, with words every help centre is asked for, found in more entries
# than a key lists ("return" in 707 English entries of the 2000 corpus).
echo "== the same, typed a key at a time (180 ms a key)"
TYPED=1 node "$here/search_network.mjs" "$out" "$pf" "${queries[@]}" en:returns en:order lt:lietuvos pl:pracy ms:bahawa
