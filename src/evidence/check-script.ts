/**
 * check.py, the script a bundle carries so that anyone with Python 3 can check it without
 * censorwatch: every SHA-256 of manifest.json and datapackage.json, the WARC's records and digests,
 * the log's links and the post's chain. Standard library only; one line per check; exit 0 or 1.
 */
export const CHECK_PY = String.raw`#!/usr/bin/env python3
"""Checks a censorwatch evidence bundle with nothing but Python 3's standard library.

Run it in the unzipped bundle (python3 check.py), or name the directory or the zip
(python3 check.py DIR|BUNDLE.zip). One line per check: OK, FAIL or NOTE. Exit 0 when every
check holds, 1 when one does not.

What it checks: every file's SHA-256 and size against manifest.json and SHA256SUMS; the WACZ's
datapackage.json and datapackage-digest.json; every WARC record's block and payload digest, that
no two records share a WARC-Record-ID, that each record the manifest, the CDXJ index and
WARC-Concurrent-To name is there; each observation's body digest against its capture's response;
the log (each head follows from the line before) and each observation's place in it; the post's
own chain of observations; and the time-stamped head against the log. The RFC 3161 token itself
needs the authority's certificate: see README.txt for the openssl command.
"""
import datetime
import gzip
import hashlib
import io
import json
import os
import sys
import zipfile

failures = 0


def report(ok, what):
    global failures
    if not ok:
        failures += 1
    print(("OK    " if ok else "FAIL  ") + what)


def note(what):
    print("NOTE  " + what)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def open_bundle(arg):
    """The bundle's files by path, from a directory or a zip."""
    files = {}
    if os.path.isfile(arg):
        with zipfile.ZipFile(arg) as z:
            for name in z.namelist():
                if not name.endswith("/"):
                    files[name] = z.read(name)
        return files
    for root, _, names in os.walk(arg):
        for name in names:
            full = os.path.join(root, name)
            path = os.path.relpath(full, arg).replace(os.sep, "/")
            with open(full, "rb") as f:
                files[path] = f.read()
    return files


def parse_warc(data):
    """Each record of an uncompressed WARC: (offset, headers as a list, block)."""
    records = []
    pos = 0
    while pos < len(data):
        while data.startswith(b"\r\n", pos):
            pos += 2
        if pos >= len(data):
            break
        end = data.find(b"\r\n\r\n", pos)
        if end < 0:
            raise ValueError("a record's header does not end at byte %d" % pos)
        lines = data[pos:end].decode("utf-8").split("\r\n")
        if not lines[0].startswith("WARC/"):
            raise ValueError("no WARC version line at byte %d" % pos)
        headers = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers.append((name.strip().lower(), value.strip()))
        length = int(dict(headers)["content-length"])
        block = data[end + 4 : end + 4 + length]
        if len(block) != length:
            raise ValueError("a record is cut short at byte %d" % pos)
        records.append((pos, headers, block))
        pos = end + 4 + length
    return records


def header(headers, name):
    for k, v in headers:
        if k == name:
            return v
    return None


def all_of(headers, name):
    out = []
    for k, v in headers:
        if k == name:
            out.extend(x.strip() for x in v.split(","))
    return out


def payload_of(kind, block):
    """The payload: for a response or request, the HTTP body after its headers."""
    if kind in ("response", "request", "revisit"):
        end = block.find(b"\r\n\r\n")
        return block[end + 4 :] if end >= 0 else b""
    return block


def iso_ms(text):
    """Epoch milliseconds of an ISO 8601 UTC time such as 2023-04-27T02:00:00.123Z."""
    t = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp()) * 1000 + t.microsecond // 1000


def check_files(files, manifest):
    listed = manifest.get("files", [])
    for f in listed:
        data = files.get(f["path"])
        if data is None:
            report(False, "%s: listed in manifest.json, missing" % f["path"])
            continue
        report(
            sha256(data) == f["sha256"] and len(data) == f["bytes"],
            "%s: sha256 %s (%d bytes), as manifest.json says" % (f["path"], sha256(data), len(data)),
        )
    sums = files.get("SHA256SUMS")
    if sums is None:
        report(False, "SHA256SUMS: missing")
        return
    bad = []
    count = 0
    for line in sums.decode("utf-8").splitlines():
        digest, _, path = line.partition("  ")
        count += 1
        if path not in files or sha256(files[path]) != digest:
            bad.append(path)
    report(not bad, "SHA256SUMS: %d files%s" % (count, (", not matching: " + ", ".join(bad)) if bad else " match"))


def check_wacz(files, manifest):
    """Returns the WARC records by id and the uncompressed WARC, after checking the WACZ."""
    path = manifest.get("wacz")
    if path not in files:
        report(False, "%s: the WACZ is missing" % path)
        return None
    with zipfile.ZipFile(io.BytesIO(files[path])) as z:
        wacz = {name: z.read(name) for name in z.namelist()}
    pkg_bytes = wacz.get("datapackage.json")
    if pkg_bytes is None:
        report(False, "%s: no datapackage.json" % path)
        return None
    digest = json.loads(wacz.get("datapackage-digest.json", b"{}"))
    report(
        digest.get("hash") == "sha256:" + sha256(pkg_bytes),
        "%s: datapackage-digest.json holds the sha256 of datapackage.json" % path,
    )
    pkg = json.loads(pkg_bytes)
    for r in pkg.get("resources", []):
        data = wacz.get(r["path"])
        report(
            data is not None and r["hash"] == "sha256:" + sha256(data) and r["bytes"] == len(data),
            "%s: %s: sha256 as datapackage.json says" % (path, r["path"]),
        )
    warcs = [p for p in wacz if p.startswith("archive/")]
    report(len(warcs) == 1, "%s: one WARC file (%s)" % (path, ", ".join(warcs)))
    if not warcs:
        return None
    name = warcs[0]
    raw = wacz[name]
    try:
        data = gzip.decompress(raw) if name.endswith(".gz") else raw
        records = parse_warc(data)
    except (ValueError, OSError, EOFError, KeyError) as e:
        report(False, "%s: %s does not parse: %s" % (path, name, e))
        return None
    by_id = {}
    dupes = []
    bad = []
    for _, headers, block in records:
        rid = header(headers, "warc-record-id")
        kind = header(headers, "warc-type")
        if rid in by_id:
            dupes.append(rid)
        by_id[rid] = (kind, headers, block)
        block_digest = header(headers, "warc-block-digest")
        if block_digest and block_digest != "sha256:" + sha256(block):
            bad.append("%s block" % rid)
        payload_digest = header(headers, "warc-payload-digest")
        if payload_digest and payload_digest != "sha256:" + sha256(payload_of(kind, block)):
            bad.append("%s payload" % rid)
    report(not dupes, "%s: %d WARC records, no WARC-Record-ID twice%s" % (name, len(records), (": " + ", ".join(dupes[:5])) if dupes else ""))
    report(not bad, "%s: every WARC-Block-Digest and WARC-Payload-Digest matches%s" % (name, (": " + ", ".join(bad[:5])) if bad else ""))
    dangling = [
        "%s -> %s" % (rid, other)
        for rid, (_, headers, _) in by_id.items()
        for other in all_of(headers, "warc-concurrent-to") + all_of(headers, "warc-refers-to")
        if other not in by_id
    ]
    report(not dangling, "%s: every WARC-Concurrent-To and WARC-Refers-To names a record in it%s" % (name, (": " + ", ".join(dangling[:5])) if dangling else ""))
    # The CDXJ index points at the records it names.
    index = wacz.get("indexes/index.cdxj", b"").decode("utf-8").splitlines()
    wrong = []
    for line in index:
        entry = json.loads(line[line.index("{") :])
        start = int(entry["offset"])
        try:
            member = gzip.decompress(raw[start : start + int(entry["length"])])
            (_, headers, _), = parse_warc(member)
            if header(headers, "warc-target-uri") != entry["url"]:
                wrong.append(entry["url"])
        except (ValueError, OSError, EOFError):
            wrong.append(entry["url"])
    report(not wrong, "indexes/index.cdxj: %d lines, each at the record it names%s" % (len(index), (": " + ", ".join(wrong[:3])) if wrong else ""))
    main = pkg.get("mainPageUrl")
    if main:
        own = [c for c in manifest.get("captures", []) if c.get("own")]
        report(
            not own or main == (manifest.get("mainPage") or {}).get("url") and main in [c["url"] for c in own],
            "%s: the main page (%s) is a fetch of the target itself" % (path, main),
        )
    return by_id


def check_captures(manifest, by_id):
    captures = {c["id"]: c for c in manifest.get("captures", [])}
    missing = []
    for c in captures.values():
        ids = [c["warc"]["metadata"]] + [x for e in c["warc"]["exchanges"] for x in (e["response"], e["request"])]
        for rid in ids:
            if rid not in by_id:
                missing.append(rid)
        for e in c["warc"]["exchanges"]:
            kind, headers, block = by_id.get(e["response"], (None, [], b""))
            if kind != "response" or header(headers, "warc-target-uri") != e["url"] or sha256(payload_of(kind, block)) != e["payloadSha256"]:
                missing.append(e["response"])
    report(not missing, "manifest.json: %d captures, each record in the WARC with its URL and body digest%s" % (len(captures), (": " + ", ".join(missing[:5])) if missing else ""))
    wrong = []
    for o in manifest.get("observations", []):
        for rid in o.get("warcRecords", []):
            if rid not in by_id:
                wrong.append("observation %s: record %s" % (o["id"], rid))
        c = captures.get(o.get("capture"))
        if o.get("capture") is not None and c is None:
            wrong.append("observation %s: capture %s" % (o["id"], o["capture"]))
        if c is not None:
            if o["id"] not in c["observations"]:
                wrong.append("observation %s: not among its capture's" % o["id"])
            bodies = [e["payloadSha256"] for e in c["warc"]["exchanges"]]
            if o.get("bodySha256") and o["bodySha256"] not in bodies:
                wrong.append("observation %s: body %s not in its capture" % (o["id"], o["bodySha256"]))
    report(not wrong, "manifest.json: each observation's capture and body digest are in the WARC%s" % ((": " + "; ".join(wrong[:5])) if wrong else ""))
    shots = [s for s in manifest.get("screenshots", []) if s.get("file")]
    bad = []
    for s in shots:
        kind, _, block = by_id.get(s.get("warcRecord"), (None, [], b""))
        if kind != "resource" or sha256(block) != s["sha256"]:
            bad.append(s["file"])
        kind, headers, block = by_id.get(s.get("warcMetadata"), (None, [], b""))
        if kind != "metadata" or ("page: %s\r\n" % s["url"]).encode("utf-8") not in block:
            bad.append(s["file"] + " (metadata)")
    if shots:
        report(not bad, "screenshots: %d PNGs, each a resource record with a metadata record naming its page%s" % (len(shots), (": " + ", ".join(bad)) if bad else ""))


def check_log(files, manifest):
    log = manifest.get("log") or {}
    data = files.get(log.get("file", "log/entries.jsonl"), b"")
    entries = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
    broken = []
    prev = None
    for e in entries:
        if prev is not None and e["prev"] != prev:
            broken.append("%d: prev is not the head before it" % e["seq"])
        if "facts" in e and sha256(e["facts"].encode("utf-8")) != e["factsSha256"]:
            broken.append("%d: factsSha256" % e["seq"])
        if sha256((e["prev"] + "\n" + e["factsSha256"]).encode("utf-8")) != e["head"]:
            broken.append("%d: head" % e["seq"])
        prev = e["head"]
    span = "entries %s to %s" % (entries[0]["seq"], entries[-1]["seq"]) if entries else "no entries"
    report(not broken, "%s: %s, each head = sha256(prev + \"\\n\" + factsSha256) of the line before%s" % (log.get("file"), span, (": " + ", ".join(broken[:5])) if broken else ""))
    by_seq = {e["seq"]: e for e in entries}
    captures = {c["id"]: c for c in manifest.get("captures", [])}
    wrong = []
    for o in manifest.get("observations", []):
        entry = o.get("log")
        if entry is None:
            continue
        line = by_seq.get(entry["seq"])
        if line is None or line["head"] != entry["head"] or line["prev"] != entry["prev"] or line.get("facts") != entry["facts"]:
            wrong.append("observation %s: not log entry %s" % (o["id"], entry["seq"]))
            continue
        facts = json.loads(entry["facts"])
        said = {
            "observation": o["id"],
            "at": iso_ms(o["at"]),
            "outcome": o["outcome"],
            "endpoint": o["endpoint"],
            "notice": o["notice"],
            "bodySha256": o["bodySha256"],
            "contentHash": o["contentHash"],
        }
        for k, v in said.items():
            if facts.get(k) != v:
                wrong.append("observation %s: %s" % (o["id"], k))
        c = captures.get(o.get("capture"))
        if c is not None and facts.get("captureSha256") != c["sha256"]:
            wrong.append("observation %s: captureSha256" % o["id"])
    report(not wrong, "manifest.json: each observation is its log entry, facts and capture digest alike%s" % ((": " + "; ".join(wrong[:5])) if wrong else ""))
    stamped = log.get("stamped")
    if stamped:
        head_file = files.get(stamped["file"], b"").decode("utf-8")
        report(
            head_file == "%d %s\n" % (stamped["seq"], stamped["head"]) and bool(entries) and entries[-1]["head"] == stamped["head"] and entries[-1]["seq"] == stamped["seq"],
            "%s: the time-stamped head is the log's last line" % stamped["file"],
        )
        report(stamped["token"] in files, "%s: the RFC 3161 token is beside it" % stamped["token"])
        note("the token's signature: openssl ts -verify -in %s -data %s -CAfile cacert.pem -untrusted tsa.crt (README.txt, 4)" % (stamped["token"], stamped["file"]))
    else:
        note("no time-stamp covers this target yet")


def check_chain(manifest):
    """The post's own chain: each observation's link covers the one before it."""
    target = manifest.get("target", {})
    row = target.get("rowId")
    if row is None:
        note("manifest.json gives no target row: the post's own chain is not checked")
        return
    prev = ""
    broken = []
    for o in manifest.get("observations", []):
        fields = [prev, str(row), str(iso_ms(o["at"])), o["endpoint"], o["outcome"], o["notice"] or "", o["contentHash"] or "", o["bodySha256"] or ""]
        link = sha256("\x1f".join(fields).encode("utf-8"))
        if link != o["chain"]:
            broken.append(str(o["id"]))
        prev = o["chain"]
    n = len(manifest.get("observations", []))
    report(not broken, "manifest.json: the post's chain of %d observations links up%s" % (n, (", broken at " + ", ".join(broken[:5])) if broken else ""))


def guarded(what, check):
    """Runs one group of checks; a part that cannot even be read fails it instead of stopping the rest."""
    try:
        return check()
    except Exception as e:  # noqa: BLE001 - any damage is a failed check, named
        report(False, "%s could not be checked: %s: %s" % (what, type(e).__name__, e))
        return None


def main():
    here = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    files = open_bundle(here)
    if "manifest.json" not in files:
        report(False, "manifest.json: missing in %s" % here)
        return 1
    try:
        manifest = json.loads(files["manifest.json"])
    except ValueError as e:
        report(False, "manifest.json: not JSON: %s" % e)
        return 1
    guarded("files", lambda: check_files(files, manifest))
    by_id = guarded("the WACZ", lambda: check_wacz(files, manifest))
    if by_id is not None:
        guarded("the captures", lambda: check_captures(manifest, by_id))
    guarded("the log", lambda: check_log(files, manifest))
    guarded("the chain", lambda: check_chain(manifest))
    print("%s: %s" % (manifest.get("target", {}).get("url", here), "every check holds" if failures == 0 else "%d checks FAILED" % failures))
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
`;
