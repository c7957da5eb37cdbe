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
queries=(en:went en:response en:graduate lt:sunku lt:didelės pl:dobra pl:zakład ms:terbang ms:manis zh:逐渐 zh:传递)
for q in "${queries[@]}"; do
  lang=${q%%:*} word=${q#*:}
  p=$(cd "$shared" && node pf_query.mjs "$pf" "$lang" "$word")
  h=$(node "$here/search_bytes.mjs" "$out" "$lang" "$word" 8)
  python3 - "$p" "$h" <<'PY'
import json, sys
p, h = json.loads(sys.argv[1]), json.loads(sys.argv[2])
pf = p["total_incl_pagefind_js"]
hd = h["total_with_raw_client"]
print(f"{p['lang']:3} {p['term']:10} pagefind {pf:>8} B ({p['results']} results)  helpdeck {hd:>7} B raw client, "
      f"{h['total_with_gzipped_client']:>6} B gzipped client ({h['results']} results, {h['files']} files)  ratio {hd / pf:.3f}")
PY
done

echo "== query time in Chromium after the first query"
words() { awk -F'\t' 'NR % 97 == 5 && NR < 6000 { print $1 }' "$shared/vocab/$1.txt" | head -40; }
for lang in en lt pl zh ms; do
  mapfile -t list < <(words "$lang")
  node "$here/search_time.mjs" "$out" "$lang" "${list[@]}"
done
