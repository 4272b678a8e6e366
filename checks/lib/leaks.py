"""The forms a secret must never take in scim-doctor's output: the README's closed list, written here
independently of the Swift code, for every check that looks for a leak (checks/e2e/cases.py, checks/scenarios/matrix.py,
and the echo-token fixture, which sends every one of them back)."""

from __future__ import annotations

import base64
import html
import urllib.parse


def variants(secret: str) -> list[str]:
    """As given, trimmed, without a pasted "Bearer ", and as sent (CR, LF and NUL removed)."""
    out = [secret, secret.strip()]
    if out[1].lower().startswith("bearer "):
        out.append(out[1][7:].strip())
    out += [v.replace("\r", "").replace("\n", "").replace("\0", "") for v in out]
    seen: list[str] = []
    for v in out:
        if len(v) >= 4 and v not in seen:
            seen.append(v)
    return seen


def encodings(text: str) -> dict[str, str]:
    """Every encoded form of one variant (each compared in any letter case)."""
    raw = text.encode()
    forms = {
        "raw": text,
        "url-encoded": urllib.parse.quote(text, safe=""),
        "url-encoded(plus)": urllib.parse.quote_plus(text),
        "every byte %XX": "".join(f"%{b:02X}" for b in raw),
        "hex": raw.hex(),
        "JSON \\u every character": "".join(f"\\u{ord(c):04x}" for c in text if ord(c) < 0x10000),
        "JSON \\u non-alphanumeric": "".join(c if c.isascii() and c.isalnum() else f"\\u{ord(c):04x}" for c in text),
        "HTML &#N;": "".join(f"&#{ord(c)};" for c in text),
        "HTML &#xH;": "".join(f"&#x{ord(c):x};" for c in text),
        "HTML escaped": html.escape(text),
        "base64(Bearer)": base64.b64encode(f"Bearer {text}".encode()).decode(),
    }
    for offset in range(3):
        for name, enc in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
            encoded = enc(b"\0" * offset + raw).decode().rstrip("=")
            start = (offset * 4 + 2) // 3 + (1 if offset else 0)  # skip the characters the neighbours change
            forms[f"{name}@{offset}"] = encoded[start:len(encoded) - 2]
    return forms


def leak_forms(secret: str) -> dict[str, str]:
    """Every form of every variant, by name; forms shorter than 8 characters are left out (they match text)."""
    forms: dict[str, str] = {}
    for index, variant in enumerate(variants(secret)):
        for name, form in encodings(variant).items():
            if len(form) >= 8:
                forms[name if index == 0 else f"{name} (variant {index})"] = form
    return forms


def find_leak(text: str, secret: str) -> str | None:
    """The name of the first form of `secret` found in `text`, any letter case; None when there is none."""
    low = text.lower()
    for name, form in leak_forms(secret).items():
        if form.lower() in low:
            return name
    return None
