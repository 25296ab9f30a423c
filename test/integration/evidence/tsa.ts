import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A time-stamp authority on 127.0.0.1: `openssl ts -reply` behind a small HTTP server, with a
 * throwaway CA and TSA certificate made in a temp dir. `fail` makes it answer 503.
 */
export interface LocalTsa {
  readonly url: string;
  readonly dir: string;
  /** The CA certificate to verify replies against (`openssl ts -verify -CAfile`). */
  readonly caFile: string;
  /** The TSA's own certificate (`-untrusted`). */
  readonly tsaCertFile: string;
  fail: boolean;
  requests: number;
  close(): Promise<void>;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

export async function startTsa(): Promise<LocalTsa> {
  const dir = mkdtempSync(join(tmpdir(), 'censorwatch-tsa-'));
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = censorwatch test CA\n` +
      `[v3_ca]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = hash\n` +
      `[v3_tsa]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature,nonRepudiation\n` +
      `extendedKeyUsage = critical,timeStamping\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n`,
  );
  writeFileSync(
    join(dir, 'tsa.cnf'),
    `[tsa]\ndefault_tsa = t\n[t]\ndir = .\nserial = ./serial\ncrypto_device = builtin\n` +
      `signer_cert = ./tsa.crt\ncerts = ./ca.crt\nsigner_key = ./tsa.key\nsigner_digest = sha256\n` +
      `default_policy = 1.2.3.4.1\ndigests = sha256\naccuracy = secs:1\nordering = no\ntsa_name = yes\n` +
      `ess_cert_id_chain = no\ness_cert_id_alg = sha256\n`,
  );
  writeFileSync(join(dir, 'serial'), '01\n');
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-config',
    'ca.cnf',
    '-extensions',
    'v3_ca',
  ]);
  openssl(dir, [
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'tsa.key',
    '-out',
    'tsa.csr',
    '-subj',
    '/CN=censorwatch test TSA',
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'tsa.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'tsa.crt',
    '-days',
    '2',
    '-extfile',
    'ca.cnf',
    '-extensions',
    'v3_tsa',
  ]);

  let n = 0;
  const state = { fail: false, requests: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (state.fail || req.method !== 'POST') {
        res.writeHead(503).end('unavailable');
        return;
      }
      const q = join(dir, `q${++n}.tsq`);
      const r = join(dir, `r${n}.tsr`);
      writeFileSync(q, Buffer.concat(chunks));
      try {
        openssl(dir, ['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', q, '-out', r]);
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(readFileSync(r));
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsr`,
    dir,
    caFile: join(dir, 'ca.crt'),
    tsaCertFile: join(dir, 'tsa.crt'),
    get fail() {
      return state.fail;
    },
    set fail(v: boolean) {
      state.fail = v;
    },
    get requests() {
      return state.requests;
    },
    set requests(v: number) {
      state.requests = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

/** `openssl ts -verify` of a reply against the data it stamps; returns whether openssl said OK. */
export function opensslVerify(
  tsa: Pick<LocalTsa, 'caFile' | 'tsaCertFile'>,
  tsrFile: string,
  dataFile: string,
): boolean {
  try {
    const out = execFileSync(
      'openssl',
      [
        'ts',
        '-verify',
        '-in',
        tsrFile,
        '-data',
        dataFile,
        '-CAfile',
        tsa.caFile,
        '-untrusted',
        tsa.tsaCertFile,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ).toString();
    return /Verification: OK/.test(out);
  } catch {
    return false;
  }
}
