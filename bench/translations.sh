#!/usr/bin/env bash
# Translation exchange benchmark (issue 24): `translations export` of every translation
# language of the corpus (PO and XLIFF), `translations import` of those files unchanged
# (nothing to write), and the import of a translator's answer to every segment of every page
# into a site with no translations yet (every translation file written), each timed as a
# whole process. The corpus's own translations are random text unrelated to their sources'
# structure, so answers are placed into fresh files, not into those. The site on this
# machine's disk (/tmp/sites) and on /dev/shm. Usage: bench/translations.sh 2000 (RUNS=5)
set -euo pipefail
N=${1:?usage: bench/translations.sh N (2000 or 10000)}
RUNS=${RUNS:-5}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
shared=$(cd "$repo/../shared/bench" && pwd)
[ -d "/tmp/sites/helpdeck-$N" ] || (cd "$shared" && ./mksite.sh "$N" /tmp/sites)
(cd "$repo" && cargo build --release --quiet)
hd=$repo/target/release/helpdeck
times=$(mktemp)

# A translator's answer to every entry: each msgstr (or, untranslated or fuzzy, the msgid)
# with "T " before it, fuzzy marks cleared.
translate_all() {
  python3 - "$@" <<'PY'
import sys
for path in sys.argv[1:]:
    out, msgid, fuzzy = [], None, False
    for line in open(path, encoding="utf-8").read().split("\n"):
        if line.startswith("#, "):
            flags = [f.strip() for f in line[3:].split(",")]
            fuzzy = "fuzzy" in flags
            flags = [f for f in flags if f != "fuzzy"]
            if flags:
                out.append("#, " + ", ".join(flags))
            continue
        if line.startswith("#|"):
            continue
        if line.startswith('msgid "'):
            msgid = line[len('msgid "'):-1]
        if line.startswith('msgstr "') and msgid:
            current = line[len('msgstr "'):-1]
            line = 'msgstr "T ' + (msgid if fuzzy or not current else current) + '"'
            fuzzy = False
        out.append(line)
    open(path, "w", encoding="utf-8").write("\n".join(out))
PY
}

for where in /tmp/sites /dev/shm; do
  site=$where/hd-translations-$N
  rm -rf "$site" "$site.answers" "$site".run* && mkdir -p "$site"
  cp -r "/tmp/sites/helpdeck-$N/content" "/tmp/sites/helpdeck-$N/helpdeck.toml" "$site/"
  rm -rf "$site/translations"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "$where export-po %e %M" -a -o "$times" "$hd" translations export --root "$site" >/dev/null
    /usr/bin/time -f "$where export-xliff %e %M" -a -o "$times" "$hd" translations export --format xliff --root "$site" >/dev/null
    /usr/bin/time -f "$where import-unchanged %e %M" -a -o "$times" "$hd" translations import --root "$site" "$site"/translations/pages.*.po >/dev/null
  done
  # The same site without its translations, and a translator's answer to all of it.
  find "$site/content" -name '*.*.md' -delete
  rm -rf "$site/translations"
  "$hd" translations export --root "$site" >/dev/null
  mkdir -p "$site.answers"
  cp "$site"/translations/pages.*.po "$site.answers/"
  translate_all "$site.answers"/pages.*.po
  # One untouched copy of the site per run, made before any run: a run must not follow the
  # deletion of thousands of files. On an ext4 without a journal (this machine's disk: `dmesg`
  # says "mounted filesystem ... without journal") the kernel will not reuse an inode freed in
  # the last 60 s (300 s while its table block is unwritten), and scans past every such inode
  # for each new file (fs/ext4/ialloc.c, recently_deleted): right after the deletions above,
  # creating the 8,020 files took 2.5-3.2 s, 35% of the cycles in that scan, where a
  # translator's disk takes 1.2 s. So the copies are written back, and the runs wait the
  # minute out; `RECENT=1` times them at once instead, to see that cost.
  for run in $(seq "$RUNS"); do
    mkdir -p "$site.run$run"
    cp -r "$site/content" "$site/helpdeck.toml" "$site.run$run/"
  done
  sync
  [ "${RECENT:-0}" = 1 ] || [ "$where" = /dev/shm ] || sleep 61
  for run in $(seq "$RUNS"); do
    /usr/bin/time -f "$where import-every-segment %e %M" -a -o "$times" "$hd" translations import --root "$site.run$run" "$site.answers"/pages.*.po >/dev/null
  done
  echo "$where: exported $(du -ch "$site"/translations/pages.*.po | tail -1 | cut -f1) of PO; the import wrote $(find "$site.run1/content" -name '*.*.md' | wc -l) translation files"
  rm -rf "$site" "$site.answers" "$site".run*
done
python3 - "$times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
print("where       step                  runs  median s  min s  max s  peak MiB")
for key in dict.fromkeys((r[0], r[1]) for r in rows):
    mine = [r for r in rows if (r[0], r[1]) == key]
    wall = [float(r[2]) for r in mine]
    peak = max(int(r[3]) for r in mine) / 1024
    print(f"{key[0]:<11} {key[1]:<21} {len(wall):>4}  {statistics.median(wall):>8.2f}  {min(wall):>5.2f}  {max(wall):>5.2f}  {peak:>8.0f}")
PY
rm -f "$times"
