import type { TargetRow } from '../store/store';

/** What the README of a bundle needs to say. */
export interface ReadmeInput {
  readonly name: string;
  readonly target: TargetRow;
  readonly waczPath: string;
  readonly stamped: {
    readonly seq: number;
    readonly file: string;
    readonly token: string;
    readonly tsa: string;
  } | null;
  readonly version: string;
  /** Paths of the screenshots in the bundle. */
  readonly screenshots?: readonly string[];
}

/** The README.txt of a bundle: how to check every part with common tools, without censorwatch. */
export function bundleReadme(r: ReadmeInput): string {
  const t = r.target;
  const gone =
    t.state.goneAt !== null
      ? `It was last seen alive at ${iso(t.state.lastAliveAt) ?? '(never)'} and first seen gone at ${iso(t.state.goneAt)} (${t.state.cause ?? 'cause not stated'}): the deletion happened in between, after the first time and by the second.`
      : `Its verdict when this bundle was made: ${t.state.verdict}.`;
  const stamp = r.stamped
    ? `4. The time-stamp (RFC 3161)

   ${r.stamped.file} holds the log's head at entry ${r.stamped.seq}; ${r.stamped.token} is the
   time-stamp authority's signed token for that file (${r.stamped.tsa}). Get the TSA's CA
   certificate from the TSA itself (for FreeTSA: cacert.pem and tsa.crt from freetsa.org), then:

     openssl ts -reply -in ${r.stamped.token} -text            # when it was stamped, by whom
     openssl ts -verify -in ${r.stamped.token} -data ${r.stamped.file} \\
       -CAfile cacert.pem -untrusted tsa.crt                     # must print "Verification: OK"

   The last head in log/entries.jsonl must equal the head in ${r.stamped.file}. So every entry
   up to it, this post's observations included, existed no later than the stamped time.
`
    : `4. The time-stamp (RFC 3161)

   No time-stamp covered this target's last observation when the bundle was made. Make the
   bundle again after the next scheduled time-stamp (or after \`censorwatch timestamp\`).
`;
  const shots = r.screenshots?.length
    ? `5. Screenshots

   ${r.screenshots.join('\n   ')}

   Each is the page a person would open (${t.url}) as Chromium showed it, taken soon after the
   observation it is for: the post's first alive one, each edit, and its first gone one. Their
   SHA-256 are in SHA256SUMS and manifest.json ("screenshots": why, when, the URL loaded, the page's
   text); the WARC holds each again as a resource record (urn:censorwatch:screenshot:…), whose
   WARC-Payload-Digest is the same SHA-256, beside a metadata record that names the page it shows
   ("page:"), its observation and that observation's capture ("capture:", "capture-record:"),
   as manifest.json does ("url", "observation", "capture"). A screenshot is taken after its observation, so the
   time-stamp of the log does not cover it; the observation's capture is the proof, the screenshot
   shows it to a reader.
`
    : '';
  return `Evidence bundle: ${t.platform} ${t.kind} ${t.id}
${t.url}

Made by censorwatch ${r.version}. ${gone}

Everything here can be checked without censorwatch, with sha256sum, openssl, python3 and a web
browser. In this directory (after unzipping the bundle):

     python3 check.py                        # every check below but the token's signature; exit 0 = all hold
     sha256sum -c SHA256SUMS                 # every file's SHA-256
${
  r.stamped
    ? `     openssl ts -verify -in ${r.stamped.token} -data ${r.stamped.file} -CAfile cacert.pem -untrusted tsa.crt
`
    : ''
}     https://replayweb.page, open ${r.waczPath}   # the captures as pages, read in the browser

0. check.py

   A script of Python 3's standard library alone (read it before you run it). It prints one line per
   check, OK or FAIL: each file's SHA-256 against manifest.json and SHA256SUMS, the WACZ's
   datapackage.json, each WARC record's digests, that no two records share an id, that the
   manifest's and the index's records are there, each observation's body in its capture, the log
   (3) and the post's own chain of observations (manifest.json, "chainRule"). It exits 0 when all
   hold, 1 otherwise. The time-stamp's signature needs openssl and the TSA's certificate (4).

1. Files

     sha256sum -c SHA256SUMS

   Every line must say OK. manifest.json lists the same files with their SHA-256, the post's
   observations (time, outcome, the platform's notice word for word, endpoint, body digest), the
   watch that followed it, and each observation's entry in the log.

2. The web archive (${r.waczPath}, WACZ 1.1.1)

   It is a zip: unzip -d wacz ${r.waczPath}. wacz/datapackage.json lists each file with its
   sha256; compare with: (cd wacz && sha256sum archive/* indexes/* pages/*). The WARC file
   archive/data.warc.gz holds each fetch behind the post's observations once: a response and a
   request record per exchange (status line, headers and body as received, cookie values
   replaced by [redacted]) and a metadata record naming the observations it backs, linked by
   WARC-Concurrent-To. Observations that share a fetch (a search page that showed the post and a
   repost of it) point at the same records: manifest.json "captures" lists each fetch with its
   record ids, and each observation names its capture. Each response's WARC-Payload-Digest is the
   sha256 of its body, the bodySha256 of its observation. To see the captures as pages, open
   https://replayweb.page in a browser and choose ${r.waczPath}: nothing is uploaded, the file is
   read in the browser. Its main page is the post's own latest fetch.

3. The log

   log/entries.jsonl is a run of the one log censorwatch keeps over every observation it made,
   from this post's first observation on. For each line:

     head = sha256(prev + "\\n" + factsSha256)        (hex strings; factsSha256 = sha256(facts))

   and each line's prev is the head of the line before. This post's lines carry their facts
   (target, time, outcome, notice, body digest...); other posts' lines carry only factsSha256.
   A check in python3:

     python3 -c '
     import json,hashlib,sys
     h=lambda s: hashlib.sha256(s.encode()).hexdigest()
     prev=None
     for line in open("log/entries.jsonl"):
         e=json.loads(line)
         assert prev is None or e["prev"]==prev, e["seq"]
         if "facts" in e: assert h(e["facts"])==e["factsSha256"], e["seq"]
         assert h(e["prev"]+"\\n"+e["factsSha256"])==e["head"], e["seq"]
         prev=e["head"]
     print("log OK up to", prev)'

${stamp}${shots ? `\n${shots}` : ''}`;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
