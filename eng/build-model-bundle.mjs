#!/usr/bin/env node
// Builds src/CloudInventory.Aws/Models/aws-models.zip from the AWS service models shipped in the
// npm package aws-sdk (apis/*.min.json, *.paginators.json, metadata.json).
//
//   node eng/build-model-bundle.mjs            # fetch aws-sdk@2.1693.0 with `npm pack` and rebuild
//   node eng/build-model-bundle.mjs --from DIR # use an already extracted package directory
//
// The bundle holds one entry per service (its latest API version): index.json lists them all.
// It is deterministic (fixed timestamps, sorted entries), so rebuilding from the same package
// yields the same bytes; tests/CloudInventory.Tests checks the committed bundle against its index.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const PACKAGE = 'aws-sdk@2.1693.0';
const here = path.dirname(new URL(import.meta.url).pathname);
const out = path.resolve(here, '../src/CloudInventory.Aws/Models/aws-models.zip');

let pkgDir;
const fromIdx = process.argv.indexOf('--from');
if (fromIdx > 0) {
  pkgDir = path.resolve(process.argv[fromIdx + 1]);
} else {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudinv-models-'));
  const tgz = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: tmp, encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['xzf', tgz], { cwd: tmp });
  pkgDir = path.join(tmp, 'package');
}
const apis = path.join(pkgDir, 'apis');
const pkgVersion = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
const metadata = JSON.parse(fs.readFileSync(path.join(apis, 'metadata.json'), 'utf8'));
const files = fs.readdirSync(apis);

function stripDocs(node) {
  if (Array.isArray(node)) return node.map(stripDocs);
  if (node && typeof node === 'object') {
    const o = {};
    for (const k of Object.keys(node)) {
      if (k === 'documentation' || k === 'documentationUrl' || k === 'examples') continue;
      o[k] = stripDocs(node[k]);
    }
    return o;
  }
  return node;
}

const entries = [];
const index = [];
for (const name of Object.keys(metadata).sort()) {
  const meta = metadata[name];
  const prefix = meta.prefix || name;
  const re = new RegExp('^' + prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '-(\\d{4}-\\d{2}-\\d{2})\\.min\\.json$');
  const versions = files.map(f => re.exec(f)).filter(Boolean).map(m => m[1]).sort();
  if (versions.length === 0) continue;
  const version = versions[versions.length - 1];
  const api = stripDocs(JSON.parse(fs.readFileSync(path.join(apis, `${prefix}-${version}.min.json`), 'utf8')));
  const pagFile = path.join(apis, `${prefix}-${version}.paginators.json`);
  const paginators = fs.existsSync(pagFile) ? JSON.parse(fs.readFileSync(pagFile, 'utf8')).pagination || {} : {};
  const md = api.metadata;
  index.push({
    name,
    className: meta.name,
    modelPrefix: prefix,
    apiVersion: version,
    endpointPrefix: md.endpointPrefix,
    signingName: md.signingName || md.endpointPrefix,
    protocol: (md.protocols && md.protocols[0]) || md.protocol,
    globalEndpoint: md.globalEndpoint || null,
    operations: Object.keys(api.operations || {}).length,
  });
  entries.push({ name: `${name}.json`, data: Buffer.from(JSON.stringify({ name, api, paginators })) });
}
entries.unshift({ name: 'index.json', data: Buffer.from(JSON.stringify({ source: `aws-sdk@${pkgVersion}`, services: index }, null, 1)) });

// Minimal deterministic zip writer (deflate, DOS time 1980-01-01 00:00).
const chunks = [];
const central = [];
let offset = 0;
for (const e of entries) {
  const nameBuf = Buffer.from(e.name, 'utf8');
  const deflated = zlib.deflateRawSync(e.data, { level: 9 });
  const crc = zlib.crc32(e.data) >>> 0;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6);
  local.writeUInt16LE(8, 8); local.writeUInt16LE(0, 10); local.writeUInt16LE(0x21, 12);
  local.writeUInt32LE(crc, 14); local.writeUInt32LE(deflated.length, 18); local.writeUInt32LE(e.data.length, 22);
  local.writeUInt16LE(nameBuf.length, 26); local.writeUInt16LE(0, 28);
  const cd = Buffer.alloc(46);
  cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt16LE(20, 4); cd.writeUInt16LE(20, 6); cd.writeUInt16LE(0x0800, 8);
  cd.writeUInt16LE(8, 10); cd.writeUInt16LE(0, 12); cd.writeUInt16LE(0x21, 14);
  cd.writeUInt32LE(crc, 16); cd.writeUInt32LE(deflated.length, 20); cd.writeUInt32LE(e.data.length, 24);
  cd.writeUInt16LE(nameBuf.length, 28); cd.writeUInt32LE(offset, 42);
  chunks.push(local, nameBuf, deflated);
  central.push(cd, nameBuf);
  offset += local.length + nameBuf.length + deflated.length;
}
const cdBuf = Buffer.concat(central);
const end = Buffer.alloc(22);
end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
end.writeUInt32LE(cdBuf.length, 12); end.writeUInt32LE(offset, 16);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, Buffer.concat([...chunks, cdBuf, end]));
console.log(`wrote ${out}: ${index.length} services from aws-sdk@${pkgVersion}, ${fs.statSync(out).size} bytes`);
