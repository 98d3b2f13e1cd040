"""Vendored front-end files: check them, or re-fetch them from the npm registry.

The app needs no Node.js: htmx and its SSE extension are committed in public/vendor/ and
described by public/vendor/manifest.json (package, version, file in the package, sha256, license).

    python scripts/vendor.py check    # files on disk match the manifest (no network)
    python scripts/vendor.py fetch    # download each package tarball, verify npm's integrity
                                      # hash and the manifest's sha256, write the files
    python scripts/vendor.py fetch --update   # same, but record new hashes (after a version bump)
"""

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "public" / "vendor"
MANIFEST = VENDOR / "manifest.json"
REGISTRY = "https://registry.npmjs.org"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def download_package_file(entry) -> bytes:
    with urllib.request.urlopen(f"{REGISTRY}/{entry['package']}/{entry['version']}", timeout=60) as r:
        dist = json.load(r)["dist"]
    with urllib.request.urlopen(dist["tarball"], timeout=60) as r:
        tarball = r.read()
    algorithm, expected = dist["integrity"].split("-", 1)
    if base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode() != expected:
        raise SystemExit(f"{entry['package']}@{entry['version']}: tarball does not match the registry's integrity hash")
    with tarfile.open(fileobj=io.BytesIO(tarball)) as tar:
        return tar.extractfile(f"package/{entry['file']}").read()


def check(manifest) -> int:
    failures = 0
    for entry in manifest:
        path = VENDOR / entry["dest"]
        actual = sha256(path.read_bytes()) if path.exists() else "missing"
        if actual != entry["sha256"]:
            print(f"{entry['dest']}: expected sha256 {entry['sha256']}, found {actual}")
            failures += 1
    print(f"vendor: {len(manifest) - failures} of {len(manifest)} files match the manifest")
    return 1 if failures else 0


def fetch(manifest, update=False) -> int:
    for entry in manifest:
        data = download_package_file(entry)
        if sha256(data) != entry["sha256"]:
            if not update:
                raise SystemExit(f"{entry['package']}@{entry['version']} {entry['file']}: sha256 {sha256(data)} "
                                 f"differs from the manifest; run with --update if the version changed on purpose")
            entry["sha256"] = sha256(data)
        (VENDOR / entry["dest"]).write_bytes(data)
        print(f"fetched {entry['package']}@{entry['version']} {entry['file']} -> public/vendor/{entry['dest']}")
    if update:
        MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    manifest = json.loads(MANIFEST.read_text())
    if command == "check":
        sys.exit(check(manifest))
    if command == "fetch":
        sys.exit(fetch(manifest, update="--update" in sys.argv))
    raise SystemExit(__doc__)
