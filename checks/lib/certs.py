#!/usr/bin/env python3
"""Test certificates for the TLS fixtures, made with the `openssl` command at test time.

Nothing here is kept in the repository: every run makes a fresh set in a temporary folder.

    python3 checks/lib/certs.py DIR      # makes the set in DIR and prints the file names

From Python:

    from certs import make_cert_set
    c = make_cert_set(tmpdir)
    c.self_signed.cert, c.self_signed.key          # CN/SAN localhost + 127.0.0.1, self-signed
    c.ca.cert                                       # the small test CA (for --ca-file)
    c.leaf                                          # signed by the CA, SAN localhost + 127.0.0.1
    c.wrong_host                                    # signed by the CA, SAN DNS:other.example only
    c.expired                                       # signed by the CA, valid 2020-01-01 .. 2020-02-01
    c.not_yet_valid                                 # signed by the CA, valid from 2099
    c.small_key                                     # signed by the CA, RSA 1024 (tls.key-size)
    c.expiring_soon                                 # signed by the CA, expires 10 days from now
    c.intermediate                                  # an intermediate CA signed by the CA (chain: + CA)
    c.chained_leaf                                  # signed by the intermediate; chain = leaf + intermediate
    c.incomplete_chain                              # the same leaf; chain = the leaf alone (no intermediate)

Each server pair also has `chain` (leaf followed by its issuer's certificate), so a server can send the
whole chain; `incomplete_chain` is the exception on purpose (a server that forgets the intermediate,
trusted only by a client that holds the root CA and fetches nothing). OpenSSL 3.0's `openssl req -x509` / `openssl x509 -req` cannot back-date a
certificate, so the out-of-validity leaves are signed with `openssl ca -startdate/-enddate`
and a minimal CA configuration written next to them.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

LOOPBACK_SAN = "DNS:localhost,IP:127.0.0.1,IP:::1"


@dataclasses.dataclass(frozen=True)
class KeyPair:
    cert: str
    key: str
    chain: str  # leaf + issuing CA (same as cert for a self-signed certificate)


@dataclasses.dataclass(frozen=True)
class CertSet:
    directory: str
    ca: KeyPair
    self_signed: KeyPair
    leaf: KeyPair
    wrong_host: KeyPair
    expired: KeyPair
    not_yet_valid: KeyPair
    small_key: KeyPair
    expiring_soon: KeyPair
    intermediate: KeyPair
    chained_leaf: KeyPair
    incomplete_chain: KeyPair
    # One dNSName "evil.example, IP Address:127.0.0.1, DNS:localhost": libcurl's one-line SAN text reads like
    # three entries, the certificate names none of this machine's.
    spoofed_san: KeyPair
    # Names in UTF-8, as a German or Japanese company's are: OpenSSL prints each of their bytes as \XX.
    unicode_names: KeyPair


UNICODE_CN = "münchen.localhost"
UNICODE_O = "Müller, Söhne & Co 株式会社"
SPOOFED_SAN = "evil.example, IP Address:127.0.0.1, DNS:localhost"


def _openssl(*args: str, cwd: Path) -> None:
    proc = subprocess.run(
        ["openssl", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # A config that a machine may set globally must not change what we make.
        env={**os.environ, "OPENSSL_CONF": str(cwd / "empty.cnf")},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}")


def _ext_file(d: Path, name: str, san: str, sections: str = "") -> Path:
    p = d / f"{name}.ext"
    p.write_text(
        "basicConstraints = critical, CA:FALSE\n"
        "keyUsage = critical, digitalSignature, keyEncipherment\n"
        "extendedKeyUsage = serverAuth\n"
        f"subjectAltName = {san}\n"
        "subjectKeyIdentifier = hash\n"
        "authorityKeyIdentifier = keyid\n"
        + sections
    )
    return p


def _key(d: Path, name: str, bits: int = 2048) -> Path:
    key = d / f"{name}.key"
    _openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{bits}", "-out", key.name, cwd=d)
    return key


def _csr(d: Path, name: str, cn: str, bits: int = 2048, org: str = "scim-doctor tests") -> Path:
    key = _key(d, name, bits)
    csr = d / f"{name}.csr"
    _openssl("req", "-new", "-utf8", "-key", key.name, "-subj", f"/O={org}/CN={cn}", "-out", csr.name, cwd=d)
    return csr


def _chain(d: Path, name: str, ca_cert: Path) -> KeyPair:
    cert = d / f"{name}.crt"
    chain = d / f"{name}-chain.pem"
    chain.write_text(cert.read_text() + ca_cert.read_text())
    return KeyPair(str(cert), str(d / f"{name}.key"), str(chain))


def _sign_days(d: Path, name: str, cn: str, san: str, ca: KeyPair, days: int = 200, bits: int = 2048,
               sections: str = "", org: str = "scim-doctor tests") -> KeyPair:
    csr = _csr(d, name, cn, bits, org)
    ext = _ext_file(d, name, san, sections)
    _openssl(
        "x509", "-req", "-in", csr.name, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial",
        "-days", str(days), "-sha256", "-extfile", ext.name, "-out", f"{name}.crt",
        cwd=d,
    )
    return _chain(d, name, Path(ca.cert))


def _sign_dated(d: Path, name: str, cn: str, san: str, ca: KeyPair, start: str, end: str) -> KeyPair:
    """Sign with explicit validity dates (YYYYMMDDHHMMSSZ) through `openssl ca`."""
    csr = _csr(d, name, cn)
    ca_dir = d / f"ca-db-{name}"
    (ca_dir / "new").mkdir(parents=True, exist_ok=True)
    (ca_dir / "index.txt").write_text("")
    (ca_dir / "serial").write_text("1000\n")
    cnf = ca_dir / "ca.cnf"
    cnf.write_text(
        "[ ca ]\n"
        "default_ca = testca\n"
        "[ testca ]\n"
        f"dir = {ca_dir}\n"
        "database = $dir/index.txt\n"
        "serial = $dir/serial\n"
        "new_certs_dir = $dir/new\n"
        f"certificate = {ca.cert}\n"
        f"private_key = {ca.key}\n"
        "default_md = sha256\n"
        "policy = policy_any\n"
        "unique_subject = no\n"
        "copy_extensions = none\n"
        "email_in_dn = no\n"
        "[ policy_any ]\n"
        "organizationName = optional\n"
        "commonName = supplied\n"
        "[ leaf_ext ]\n"
        "basicConstraints = critical, CA:FALSE\n"
        "keyUsage = critical, digitalSignature, keyEncipherment\n"
        "extendedKeyUsage = serverAuth\n"
        f"subjectAltName = {san}\n"
        "subjectKeyIdentifier = hash\n"
        "authorityKeyIdentifier = keyid\n"
    )
    _openssl(
        "ca", "-batch", "-config", str(cnf), "-extensions", "leaf_ext", "-notext",
        "-startdate", start, "-enddate", end, "-in", csr.name, "-out", f"{name}.crt",
        cwd=d,
    )
    return _chain(d, name, Path(ca.cert))


def _intermediate(d: Path, name: str, cn: str, ca: KeyPair) -> KeyPair:
    """An intermediate CA signed by `ca` (path length 0: it signs leaves only)."""
    csr = _csr(d, name, cn)
    ext = d / f"{name}.ext"
    ext.write_text(
        "basicConstraints = critical, CA:TRUE, pathlen:0\n"
        "keyUsage = critical, keyCertSign, cRLSign\n"
        "subjectKeyIdentifier = hash\n"
        "authorityKeyIdentifier = keyid\n"
    )
    _openssl(
        "x509", "-req", "-in", csr.name, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial",
        "-days", "300", "-sha256", "-extfile", ext.name, "-out", f"{name}.crt",
        cwd=d,
    )
    return _chain(d, name, Path(ca.cert))


def make_cert_set(directory: str | os.PathLike[str]) -> CertSet:
    d = Path(directory).resolve()
    d.mkdir(parents=True, exist_ok=True)
    (d / "empty.cnf").write_text("")

    # The test CA.
    _key(d, "ca")
    _openssl(
        "req", "-x509", "-new", "-key", "ca.key", "-sha256", "-days", "365",
        "-subj", "/O=scim-doctor tests/CN=scim-doctor test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-addext", "subjectKeyIdentifier=hash",
        "-out", "ca.crt",
        cwd=d,
    )
    ca = KeyPair(str(d / "ca.crt"), str(d / "ca.key"), str(d / "ca.crt"))

    # Self-signed server certificate (the classic "it works in my browser after clicking through").
    _key(d, "self-signed")
    _openssl(
        "req", "-x509", "-new", "-key", "self-signed.key", "-sha256", "-days", "200",
        "-subj", "/CN=localhost",
        "-addext", f"subjectAltName={LOOPBACK_SAN}",
        "-addext", "extendedKeyUsage=serverAuth",
        "-out", "self-signed.crt",
        cwd=d,
    )
    self_signed = KeyPair(str(d / "self-signed.crt"), str(d / "self-signed.key"), str(d / "self-signed.crt"))

    # A leaf issued by an intermediate CA: served with the intermediate (as it should be) or without it.
    intermediate = _intermediate(d, "intermediate", "scim-doctor test intermediate CA", ca)
    chained_leaf = _sign_days(d, "chained-leaf", "localhost", LOOPBACK_SAN, intermediate)
    incomplete = d / "incomplete-chain.pem"
    incomplete.write_text(Path(chained_leaf.cert).read_text())

    return CertSet(
        directory=str(d),
        ca=ca,
        self_signed=self_signed,
        leaf=_sign_days(d, "leaf", "localhost", LOOPBACK_SAN, ca),
        wrong_host=_sign_days(d, "wrong-host", "other.example", "DNS:other.example", ca),
        expired=_sign_dated(d, "expired", "localhost", LOOPBACK_SAN, ca, "20200101000000Z", "20200201000000Z"),
        not_yet_valid=_sign_dated(d, "not-yet-valid", "localhost", LOOPBACK_SAN, ca, "20990101000000Z", "20990201000000Z"),
        small_key=_sign_days(d, "small-key", "localhost", LOOPBACK_SAN, ca, bits=1024),
        expiring_soon=_sign_days(d, "expiring-soon", "localhost", LOOPBACK_SAN, ca, days=10),
        intermediate=intermediate,
        chained_leaf=chained_leaf,
        incomplete_chain=KeyPair(chained_leaf.cert, chained_leaf.key, str(incomplete)),
        spoofed_san=_sign_days(d, "spoofed-san", "evil.example", "@alt", ca,
                               sections=f"[alt]\nDNS.1 = {SPOOFED_SAN}\n"),
        unicode_names=_sign_days(d, "unicode-names", UNICODE_CN, LOOPBACK_SAN, ca, org=UNICODE_O),
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: certs.py DIR", file=sys.stderr)
        return 2
    cs = make_cert_set(argv[1])
    for field in dataclasses.fields(cs):
        value = getattr(cs, field.name)
        if isinstance(value, KeyPair):
            print(f"{field.name}: cert={value.cert} key={value.key} chain={value.chain}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
