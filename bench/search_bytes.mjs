// Bytes a first query fetches from helpdeck's search index, counted the way
// ../../shared/bench/pf_query.mjs counts Pagefind's: every file the client asks for, as stored
// (helpdeck stores its index gzipped, as Pagefind does), plus the client script itself.
// usage: node search_bytes.mjs <site_out_dir> <lang> <query> [results=10]   (LOG=1: list each request)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';

const [, , outDir, lang, query, limit = '10'] = process.argv;
const log = [];
// As a static host answers: a byte range when asked for one.
globalThis.fetch = async (url, init = {}) => {
  const file = path.join(outDir, url);
  let bytes = fs.readFileSync(file);
  const range = /^bytes=(\d+)-(\d+)$/.exec(init.headers?.Range || '');
  if (range) bytes = bytes.subarray(Number(range[1]), Number(range[2]) + 1);
  log.push([url, bytes.length]);
  return new Response(bytes, { status: range ? 206 : 200 });
};
const assets = fs.readdirSync(path.join(outDir, 'assets'));
const client = path.join(outDir, 'assets', assets.find((f) => /^search\.[0-9a-f]+\.js$/.test(f)));
const clientBytes = fs.readFileSync(client);
const { Index, run } = await import(pathToFileURL(client).href);
const started = performance.now();
const results = await run(new Index(`/search-index/${lang}/`), query, Number(limit));
const sum = (list) => list.reduce((s, [, b]) => s + b, 0);
console.log(JSON.stringify({
  lang,
  query,
  results: results.length,
  first: results[0]?.url,
  ms_in_node: Math.round(performance.now() - started),
  client_js_raw: clientBytes.length,
  client_js_gzip: zlib.gzipSync(clientBytes, { level: 9 }).length,
  files: log.length,
  index_bytes: sum(log),
  manifest_bytes: sum(log.filter(([u]) => u.endsWith(`/${lang}.json.gz`))),
  pack_bytes: sum(log.filter(([u]) => u.includes('/pack.'))),
  total_with_gzipped_client: sum(log) + zlib.gzipSync(clientBytes, { level: 9 }).length,
  total_with_raw_client: sum(log) + clientBytes.length,
  log: process.env.LOG ? log : undefined,
}));
