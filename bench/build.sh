#!/usr/bin/env bash
# Build benchmark (the foundation's goal, kept by every later issue): helpdeck's whole build
# (render, related articles, search index) against Hugo on the same corpus, alternated run by
# run so that a busy machine slows both alike. Output on /dev/shm, or under the folder given
# second (the disk a site lives on: a tmpfs hides the cost of writing thousands of files),
# a fresh folder for each run, as in a deploy from a clean checkout; the file count and bytes
# of both outputs follow the times.
# Usage: bench/build.sh 2000 [/path/on/disk]   (corpus from ../shared/bench/mksite.sh;
# RUNS=5 by default)
set -euo pipefail
N=${1:?usage: bench/build.sh N (2000 or 10000)}
RUNS=${RUNS:-5}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
shared=$(cd "$repo/../shared/bench" && pwd)
[ -d "/tmp/sites/helpdeck-$N" ] || (cd "$shared" && ./mksite.sh "$N" /tmp/sites)
(cd "$repo" && cargo build --release --quiet)
hd=$repo/target/release/helpdeck
out=${2:-/dev/shm}/bench-build-$N
times=$(mktemp)
rm -rf "$out"-*
# Nothing is deleted between runs: on an ext4 without a journal (this machine's disk) the
# kernel will not reuse an inode freed in the last 60 s (300 s while its table block is
# unwritten) and scans past each such inode for every new file (fs/ext4/ialloc.c,
# recently_deleted), so a run right after removing the last run's output measured that scan
# as much as the build. Earlier outputs are written back, and the runs wait the minute out.
if [ "${2:-/dev/shm}" != /dev/shm ]; then sync && sleep 61; fi
for run in $(seq "$RUNS"); do
  /usr/bin/time -f "helpdeck %e %U %S %M" -a -o "$times" "$hd" build --root "/tmp/sites/helpdeck-$N" --output "$out-hd-$run" >/dev/null
  (cd "/tmp/sites/hugo-$N" && /usr/bin/time -f "hugo %e %U %S %M" -a -o "$times" hugo --quiet -d "$out-hugo-$run" >/dev/null)
done
for tool in hd hugo; do
  echo "output $tool: $(find "$out-$tool-1" -type f | wc -l) files, $(du -sb "$out-$tool-1" | cut -f1) bytes ($(du -sk "$out-$tool-1" | cut -f1) KiB on disk)"
done
rm -rf "$out"-*
python3 - "$times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
med = {}
for tool in ("helpdeck", "hugo"):
    mine = [r for r in rows if r[0] == tool]
    wall = [float(r[1]) for r in mine]
    cpu = [float(r[2]) + float(r[3]) for r in mine]
    rss = [int(r[4]) for r in mine]
    med[tool] = (statistics.median(wall), statistics.median(cpu), max(rss))
    print(f"{tool:9} wall median {med[tool][0]:.2f} s (runs: {', '.join(f'{w:.2f}' for w in wall)})"
          f"  cpu median {med[tool][1]:.2f} s  peak {med[tool][2] / 1024:.0f} MiB")
walls = [(float(a[1]), float(b[1])) for a, b in zip([r for r in rows if r[0] == "helpdeck"], [r for r in rows if r[0] == "hugo"])]
print("ratio helpdeck/hugo: wall {:.2f} (per pair: {}), cpu {:.2f}, memory {:.2f}".format(
    med["helpdeck"][0] / med["hugo"][0], ", ".join(f"{h / g:.2f}" for h, g in walls),
    med["helpdeck"][1] / med["hugo"][1], med["helpdeck"][2] / med["hugo"][2]))
PY
