// Many first queries at once: the published client run in node over a built index (as
// search_bytes.mjs serves it, byte ranges included) for a band of a vocabulary list, each
// word with a fresh index as on a page just loaded. Prints how many words took how many
// requests (2 = the manifest and one shard) and the mean index bytes a word fetched.
// usage: node search_words.mjs <site_out_dir> <lang> <vocab.txt> <from> <to>
//   e.g. node search_words.mjs /dev/shm/hd-2000 lt ../../shared/bench/vocab/lt.txt 6000 6300
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [, , outDir, lang, vocab, from, to] = process.argv;
let requests = 0;
let bytes = 0;
globalThis.fetch = async (url, init = {}) => {
  requests++;
  let body = fs.readFileSync(path.join(outDir, url));
  const range = /^bytes=(\d+)-(\d+)$/.exec(init.headers?.Range || '');
  if (range) body = body.subarray(Number(range[1]), Number(range[2]) + 1);
  bytes += body.length;
  return new Response(body, { status: range ? 206 : 200 });
};
const client = fs.readdirSync(path.join(outDir, 'assets')).find((f) => /^search\.[0-9a-f]+\.js$/.test(f));
const { Index, run } = await import(pathToFileURL(path.join(outDir, 'assets', client)).href);
const words = fs.readFileSync(vocab, 'utf8').split('\n').map((line) => line.split('\t')[0]).filter(Boolean).slice(Number(from), Number(to));
const byRequests = {};
let total = 0;
for (const word of words) {
  requests = 0;
  bytes = 0;
  await run(new Index(`/search-index/${lang}/`), word, 8);
  byRequests[requests] = (byRequests[requests] || 0) + 1;
  total += bytes;
}
console.log(`${lang} words ${from}-${to}: words by requests ${JSON.stringify(byRequests)}, mean index bytes ${(total / words.length / 1000).toFixed(1)} KB`);
