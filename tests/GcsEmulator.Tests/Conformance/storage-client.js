// Conformance cases for the GCS emulator driven by Google's official Node.js client (@google-cloud/storage,
// pinned in the repository's package.json) with its defaults: STORAGE_EMULATOR_HOST=http://host:port, no options.
// Prints one JSON line per case: {"case": name, "ok": bool, "error": message}. Exit code 0 when every case passed.
// Run by NodeStorageClientConformanceTests; runnable by hand:
//   STORAGE_EMULATOR_HOST=http://127.0.0.1:4443 node tests/GcsEmulator.Tests/Conformance/storage-client.js
'use strict';
const crypto = require('crypto');
const { Readable } = require('stream');
const { pipeline } = require('stream/promises');
const { Storage } = require('@google-cloud/storage');

const project = process.env.GCS_PROJECT || 'ecco-local';
const storage = new Storage({ projectId: project });
const run = crypto.randomBytes(4).toString('hex');
const bucketName = `node-${run}`;
const bucket = storage.bucket(bucketName);
const only = process.argv[2];

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function bytes(n, seed) {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

async function expectStatus(promise, status) {
  try {
    await promise;
  } catch (e) {
    assert(e.code === status, `expected HTTP ${status}, got ${e.code}: ${e.message}`);
    return;
  }
  throw new Error(`expected HTTP ${status}, the call succeeded`);
}

async function download(name, options) {
  const [data] = await bucket.file(name).download(options);
  return data;
}

// Streams `data` in small pieces so the client cannot know the size up front.
function slowly(data, piece) {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= data.length) { this.push(null); return; }
      this.push(data.subarray(offset, offset + piece));
      offset += piece;
    },
  });
}

const cases = {
  // bytes 0-*/* in one request (save() defaults to a resumable upload).
  async save_defaultResumable() {
    const name = 'dir/save.json';
    await bucket.file(name).save('{"a":1}', { contentType: 'application/json' });
    assert((await download(name)).toString() === '{"a":1}', 'content differs');
    const [meta] = await bucket.file(name).getMetadata();
    assert(meta.contentType === 'application/json', `contentType ${meta.contentType}`);
    assert(Number(meta.size) === 7, `size ${meta.size}`);
  },

  async save_multipart() {
    await bucket.file('multi.txt').save('hello', { resumable: false });
    assert((await download('multi.txt')).toString() === 'hello', 'content differs');
  },

  async save_emptyObject() {
    await bucket.file('empty').save('');
    assert((await download('empty')).length === 0, 'not empty');
  },

  // bytes 0-*/N: the size declared in metadata.
  async createWriteStream_knownSize() {
    const data = bytes(70000, 7);
    const file = bucket.file('known.bin');
    await pipeline(Readable.from([data]), file.createWriteStream({ metadata: { contentLength: data.length } }));
    assert((await download('known.bin')).equals(data), 'content differs');
  },

  // Chunked (bytes F-L/*, then the last chunk with the total) without a final size up front.
  async createWriteStream_chunkedUnknownSize() {
    const data = bytes(3 * 256 * 1024 + 1234, 11);
    const file = bucket.file('chunked.bin');
    await pipeline(slowly(data, 50000), file.createWriteStream({ chunkSize: 256 * 1024 }));
    assert((await download('chunked.bin')).equals(data), 'content differs');
  },

  // Chunked with an exact multiple of the chunk size: the final request can be empty (bytes N-(N-1)/N).
  async createWriteStream_chunkedExactMultiple() {
    const data = bytes(2 * 256 * 1024, 13);
    const file = bucket.file('exact.bin');
    await pipeline(slowly(data, 65536), file.createWriteStream({ chunkSize: 256 * 1024 }));
    assert((await download('exact.bin')).equals(data), 'content differs');
  },

  // Chunked with the size declared: every chunk carries the total.
  async createWriteStream_chunkedKnownSize() {
    const data = bytes(2 * 256 * 1024 + 99, 17);
    const file = bucket.file('chunked-known.bin');
    await pipeline(Readable.from([data]), file.createWriteStream({ chunkSize: 256 * 1024, metadata: { contentLength: data.length } }));
    assert((await download('chunked-known.bin')).equals(data), 'content differs');
  },

  // A session URI created first, then written: the client queries the offset with bytes */*.
  async createResumableUpload_thenWrite() {
    const file = bucket.file('session.txt');
    const [uri] = await file.createResumableUpload();
    assert(typeof uri === 'string' && uri.includes('upload_id='), `uri ${uri}`);
    await pipeline(Readable.from([Buffer.from('resumed')]), file.createWriteStream({ uri }));
    assert((await download('session.txt')).toString() === 'resumed', 'content differs');
  },

  async save_ifGenerationMatchZero_refusesExisting() {
    const file = bucket.file('create-only.txt');
    await file.save('first', { preconditionOpts: { ifGenerationMatch: 0 } });
    await expectStatus(file.save('second', { preconditionOpts: { ifGenerationMatch: 0 } }), 412);
    await expectStatus(file.save('second', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }), 412);
    assert((await download('create-only.txt')).toString() === 'first', 'overwritten');
  },

  async save_ifGenerationMatch_replacesThatGenerationOnly() {
    const file = bucket.file('cas.txt');
    await file.save('v1');
    const [meta] = await file.getMetadata();
    await file.save('v2', { preconditionOpts: { ifGenerationMatch: meta.generation } });
    await expectStatus(file.save('v3', { preconditionOpts: { ifGenerationMatch: meta.generation } }), 412);
    assert((await download('cas.txt')).toString() === 'v2', 'wrong winner');
  },

  async download_rangeAndValidation() {
    const data = bytes(5000, 19);
    await bucket.file('range.bin').save(data);
    assert((await download('range.bin', { validation: 'crc32c' })).equals(data), 'crc32c download differs');
    assert((await download('range.bin', { validation: 'md5' })).equals(data), 'md5 download differs');
    const part = await download('range.bin', { start: 100, end: 199 });
    assert(part.equals(data.subarray(100, 200)), 'range differs');
  },

  async download_gzipStored_decompressed() {
    const text = 'compress me '.repeat(200);
    await bucket.file('gz.txt').save(text, { gzip: true, contentType: 'text/plain' });
    const [meta] = await bucket.file('gz.txt').getMetadata();
    assert(meta.contentEncoding === 'gzip', `contentEncoding ${meta.contentEncoding}`);
    assert((await download('gz.txt')).toString() === text, 'decompressed content differs');
  },

  async download_missing_404() {
    await expectStatus(bucket.file('nope').download(), 404);
    const [exists] = await bucket.file('nope').exists();
    assert(exists === false, 'exists');
  },

  async getFiles_prefixDelimiterPaging() {
    for (const n of ['p/a/1', 'p/a/2', 'p/b/1', 'p/c', 'p/d']) await bucket.file(n).save(n, { resumable: false });
    const [files, , api] = await bucket.getFiles({ prefix: 'p/', delimiter: '/', autoPaginate: false });
    assert(files.map(f => f.name).join(',') === 'p/c,p/d', `files ${files.map(f => f.name)}`);
    assert((api.prefixes || []).join(',') === 'p/a/,p/b/', `prefixes ${api.prefixes}`);
    const [all] = await bucket.getFiles({ prefix: 'p/', maxResults: 2, autoPaginate: true });
    const [paged] = await bucket.getFiles({ prefix: 'p/' });
    assert(paged.length === 5, `paged ${paged.length}`);
    assert(all.length === 2, `maxResults ${all.length}`);
    const [page1, next] = await bucket.getFiles({ prefix: 'p/', maxResults: 2, autoPaginate: false });
    assert(page1.length === 2 && next && next.pageToken, 'no next page');
    const [page2] = await bucket.getFiles(next);
    assert(page2[0].name === 'p/b/1', `page2 ${page2.map(f => f.name)}`);
  },

  async metadata_setAndGet() {
    const file = bucket.file('meta.txt');
    await file.save('m');
    await file.setMetadata({ metadata: { owner: 'ops' }, cacheControl: 'no-cache' });
    const [meta] = await file.getMetadata();
    assert(meta.metadata && meta.metadata.owner === 'ops', 'custom metadata missing');
    assert(meta.cacheControl === 'no-cache', 'cacheControl missing');
    assert(Number(meta.metageneration) === 2, `metageneration ${meta.metageneration}`);
  },

  async copyMoveRenameCompose() {
    await bucket.file('c1').save('one-');
    await bucket.file('c2').save('two');
    await bucket.file('c1').copy(bucket.file('c1-copy'));
    assert((await download('c1-copy')).toString() === 'one-', 'copy differs');
    await bucket.file('c1-copy').move('c1-moved');
    const [movedAway] = await bucket.file('c1-copy').exists();
    assert(!movedAway, 'move left the source');
    await bucket.combine(['c1', 'c2'], 'combined');
    assert((await download('combined')).toString() === 'one-two', 'compose differs');
  },

  async delete_withPreconditions() {
    const file = bucket.file('del.txt');
    await file.save('x');
    const [meta] = await file.getMetadata();
    await expectStatus(file.delete({ ifGenerationMatch: Number(meta.generation) + 1 }), 412);
    await file.delete({ ifGenerationMatch: meta.generation });
    await expectStatus(file.delete(), 404);
    await file.delete({ ignoreNotFound: true });
  },

  async bucket_metadataAndVersions() {
    const [buckets] = await storage.getBuckets();
    assert(buckets.some(b => b.name === bucketName), 'bucket not listed');
    const [exists] = await bucket.exists();
    assert(exists, 'bucket does not exist');
    await bucket.setMetadata({ versioning: { enabled: true }, labels: { team: 'ops' } });
    const [meta] = await bucket.getMetadata();
    assert(meta.versioning && meta.versioning.enabled === true, 'versioning off');
    await bucket.file('ver.txt').save('a');
    await bucket.file('ver.txt').save('b');
    const [versions] = await bucket.getFiles({ prefix: 'ver.txt', versions: true });
    assert(versions.length === 2, `versions ${versions.length}`);
    const older = versions.map(v => v.metadata.generation).sort()[0];
    const [old] = await bucket.file('ver.txt', { generation: older }).download();
    assert(old.toString() === 'a', 'old generation differs');
  },

  async createReadStream_piped() {
    const data = bytes(300000, 23);
    await bucket.file('stream.bin').save(data);
    const chunks = [];
    await pipeline(bucket.file('stream.bin').createReadStream(), async function* (source) {
      for await (const c of source) chunks.push(c);
    });
    assert(Buffer.concat(chunks).equals(data), 'stream differs');
  },
};

async function main() {
  await storage.createBucket(bucketName);
  let failed = 0;
  for (const [name, fn] of Object.entries(cases)) {
    if (only && only !== name) continue;
    try {
      await fn();
      console.log(JSON.stringify({ case: name, ok: true }));
    } catch (e) {
      failed++;
      console.log(JSON.stringify({ case: name, ok: false, error: `${e.code || ''} ${e.message}`.trim() }));
    }
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch(e => {
  console.log(JSON.stringify({ case: 'setup', ok: false, error: `${e.code || ''} ${e.message}`.trim() }));
  process.exitCode = 1;
});
