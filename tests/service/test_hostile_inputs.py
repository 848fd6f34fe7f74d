"""A catalogue of hostile and broken inputs, each with its expected clear error or safe handling.

Every case names what it sends and what must come back: a status and a stable error code, or 201 with
the text stored exactly. Whatever was acknowledged (201) must be readable again, unchanged."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from .conftest import Org

Send = Callable[[TestClient, dict[str, str]], Any]


def _png(width: int = 32, height: int = 24) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A valid PNG header declaring 10 gigapixels, with a tiny deflated body of zero rows."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    body = zlib.compress(b"\x00" * (1 + width // 8) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.txt", b"\x00" * 50_000_000)  # 50 MB of zeros in about 50 kB
    return buffer.getvalue()


def _json(body: str | bytes) -> Send:
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    return lambda c, h: c.post(
        "/api/v1/reports", content=raw, headers=h | {"content-type": "application/json"}
    )


def _multipart(files: list[tuple[str, bytes]], **data: str) -> Send:
    parts = [("attachments", (name, content, "application/octet-stream")) for name, content in files]
    return lambda c, h: c.post("/api/v1/reports", data=data, files=parts, headers=h)


def _eml(raw: bytes) -> Send:
    return lambda c, h: c.post(
        "/api/v1/reports/eml", content=raw, headers=h | {"content-type": "message/rfc822"}
    )


def _chunked(size: int) -> Send:
    def body() -> Any:
        block = b"x" * 1024 * 1024
        for _ in range(size // len(block)):
            yield block

    return lambda c, h: c.post(
        "/api/v1/reports", content=body(), headers=h | {"content-type": "application/json"}
    )


@dataclass(frozen=True)
class Case:
    name: str
    send: Send
    status: int | tuple[int, ...]
    code: str | None = None  # the stable error code for a refusal
    text: str | None = None  # for 201: the text that must be stored exactly
    extra: dict[str, Any] = field(default_factory=dict)


MIXED = "Wethouder Ивáнов مرحبا 你好 🙂 — je bent een schande"
ZERO_WIDTH = "Ik\u200bmaak\u200cje\u200d af\ufeff, w\u2060ethouder"
RTL = "Bekijk \u202egnp.exe\u202c en \u2067kom\u2069 maar naar buiten \u200f"
NESTED = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
EML_BROKEN = (
    b"From: boos@example.nl\r\nSubject: =?utf-8?B?!!!not base64?=\r\n"
    b'Content-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\nContent-Type: text/plain\r\n'
    b"Content-Transfer-Encoding: base64\r\n\r\n@@@@ not base64 @@@@\r\n--zz\r\nContent-Type: image/png\r\n"
    b'Content-Disposition: attachment; filename="../../etc/passwd"\r\n\r\nnot a png\r\n'  # no closing boundary
)
EML_NESTED = (
    b"From: boos@example.nl\r\nSubject: diep\r\n"
    + b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(300))
    + b"Content-Type: text/plain\r\n\r\nIk maak je af.\r\n"
)

CASES = [
    Case("empty body", _json(b""), 422, "invalid_input"),
    Case("empty object", _json("{}"), 422, "invalid_input"),
    Case("empty text", _json('{"text": ""}'), 422, "invalid_input"),
    Case("whitespace text", _json('{"text": " \\n\\t\\u00a0 "}'), 422, "invalid_input"),
    Case("10 MB text", _json('{"text": "' + "a" * 10_000_000 + '"}'), (413, 422)),
    Case("invalid UTF-8", _json(b'{"text": "\xff\xfe\xc3\x28 kapot"}'), 422, "invalid_input"),
    Case("NUL byte", _json('{"text": "ik maak je \\u0000 af"}'), 422, "invalid_input"),
    Case("lone surrogate", _json('{"text": "ik maak je \\ud800 af"}'), 422, "invalid_input"),
    Case("NUL in note", _json('{"text": "hoi", "note": "a\\u0000b"}'), 422, "invalid_input"),
    Case(
        "mixed scripts",
        lambda c, h: c.post("/api/v1/reports", json={"text": MIXED}, headers=h),
        201,
        text=MIXED,
    ),
    Case(
        "zero-width characters",
        lambda c, h: c.post("/api/v1/reports", json={"text": ZERO_WIDTH}, headers=h),
        201,
        text=ZERO_WIDTH,
    ),
    Case(
        "RTL override", lambda c, h: c.post("/api/v1/reports", json={"text": RTL}, headers=h), 201, text=RTL
    ),
    Case("deeply nested JSON", _json(NESTED), 422, "invalid_input"),
    Case("text is a number", _json('{"text": 123}'), 422, "invalid_input"),
    Case("text is a list", _json('{"text": ["a"]}'), 422, "invalid_input"),
    Case("text is null", _json('{"text": null}'), 422, "invalid_input"),
    Case("body is a list", _json('[{"text": "a"}]'), 422, "invalid_input"),
    Case("unknown platform", _json('{"text": "a", "platform": "myspace"}'), 422, "invalid_input"),
    Case("bad date", _json('{"text": "a", "posted_at": "gisteren"}'), 422, "invalid_input"),
    Case("unknown field", _json('{"text": "a", "is_admin": true}'), 422, "invalid_input"),
    Case(
        "wrong content type",
        lambda c, h: c.post("/api/v1/reports", content=b"text=a", headers=h | {"content-type": "text/plain"}),
        415,
        "unsupported_media_type",
    ),
    Case(
        "body over the limit (declared)",
        lambda c, h: c.post(
            "/api/v1/reports",
            content=b"x" * (52 * 1024 * 1024),
            headers=h | {"content-type": "application/json"},
        ),
        413,
        "payload_too_large",
    ),
    Case("body over the limit (chunked)", _chunked(53 * 1024 * 1024), 413, "payload_too_large"),
    Case(
        "attachment over the limit",
        _multipart([("groot.png", _png() + b"\x00" * (11 * 1024 * 1024))], text="kijk"),
        413,
        "payload_too_large",
    ),
    Case(
        "too many attachments",
        _multipart([(f"{i}.png", _png()) for i in range(11)], text="kijk"),
        422,
        "invalid_input",
    ),
    Case(
        "PNG decompression bomb",
        _multipart([("bom.png", _png_bomb())], text="kijk"),
        413,
        "payload_too_large",
    ),
    Case("PNG bomb, no text (OCR)", _multipart([("bom.png", _png_bomb())]), 413, "payload_too_large"),
    Case(
        "damaged PNG",
        _multipart([("kapot.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)], text="kijk"),
        415,
        "unsupported_media_type",
    ),
    Case(
        "ZIP bomb as attachment",
        _multipart([("bom.zip", _zip_bomb())], text="kijk"),
        415,
        "unsupported_media_type",
    ),
    Case(
        "script posing as PNG",
        _multipart([("x.png", b"<script>alert(1)</script>")], text="kijk"),
        415,
        "unsupported_media_type",
    ),
    Case("empty attachment", _multipart([("leeg.png", b"")], text="kijk"), 415, "unsupported_media_type"),
    Case("eml: malformed MIME", _eml(EML_BROKEN), 201),
    Case("eml: 300 nested multiparts", _eml(EML_NESTED), 201),
    Case("eml: not an e-mail", _eml(b"\x00\x01\x02 binary junk"), (415, 422)),
    Case("eml: empty", _eml(b""), (415, 422)),
]
for _name in ["../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/shadow", "a\x00b.png", "<script>.png", "x" * 400, "CON", ".htaccess", "%2e%2e%2fpasswd"]:  # fmt: skip
    CASES.append(Case(f"file name {_name[:20]!r}", _multipart([(_name, _png())], text="zie bijlage"), 201, text="zie bijlage"))  # fmt: skip
# A part header over the multipart parser's limit is refused as a whole, before anything is stored.
CASES.append(Case("file name of 5000 characters", _multipart([("x" * 5000, _png())], text="a"), 400))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(client: TestClient, org: Org, case: Case) -> None:
    headers = org.reporter.headers
    response = case.send(client, headers)
    expected = case.status if isinstance(case.status, tuple) else (case.status,)
    assert response.status_code in expected, response.text[:500]
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["message"]
        if case.code:
            assert error["code"] == case.code
        return
    report = response.json()
    again = client.get(f"/api/v1/reports/{report['id']}", headers=headers)
    assert again.status_code == 200  # acknowledged is never lost
    if case.text is not None:
        assert again.json()["text"] == case.text  # stored exactly as received
    for attachment in again.json()["attachments"]:
        download = client.get(
            f"/api/v1/reports/{report['id']}/attachments/{attachment['id']}", headers=headers
        )
        assert download.headers["content-disposition"] == "attachment"  # never the sender's file name
        assert "sandbox" in download.headers["content-security-policy"]


def test_zip_bomb_as_import_is_handled_row_by_row(client: TestClient, org: Org) -> None:
    response = client.post(
        "/api/v1/imports",
        content=_zip_bomb(),
        headers=org.reviewer.headers | {"content-type": "application/x-ndjson"},
    )
    assert response.status_code == 202
    job_id = response.json()["id"]
    client.app.state.triage.runner.wait(job_id, timeout=60)  # type: ignore[attr-defined]
    job = client.get(f"/api/v1/imports/{job_id}", headers=org.reviewer.headers).json()
    assert job["status"] == "done" and job["processed"] == job["failed"]


def test_import_rows_with_nul_or_surrogates_fail_alone(client: TestClient, org: Org) -> None:
    lines = ['{"text": "goed bericht"}', '{"text": "a\\u0000b"}', '{"text": "a\\ud800b"}', '{"text": 5}']
    response = client.post(
        "/api/v1/imports",
        content="\n".join(lines).encode(),
        headers=org.reviewer.headers | {"content-type": "application/x-ndjson"},
    )
    job_id = response.json()["id"]
    client.app.state.triage.runner.wait(job_id, timeout=60)  # type: ignore[attr-defined]
    job = client.get(f"/api/v1/imports/{job_id}", headers=org.reviewer.headers).json()
    assert job["status"] == "done" and job["processed"] == 4 and job["failed"] == 3


SCRIPT = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
TEXT_FIELDS = ["text", "url", "message_id", "author_handle", "author_name", "author_url", "recipient", "recipient_role", "context", "note"]  # fmt: skip


def _login(client: TestClient, email: str, password: str) -> dict[str, str]:
    client.cookies.clear()
    form = client.get("/login")
    token = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text[:300]
    return dict(client.cookies)


def test_script_injection_in_every_text_field_stays_inert(client: TestClient, settings: Any) -> None:
    from .conftest import make_org

    org = make_org(settings, password="een-goed-wachtwoord")
    body = {name: f"{name}: {SCRIPT}" for name in TEXT_FIELDS} | {"url": "javascript:alert(3)", "author_url": "javascript:alert(4)"}  # fmt: skip
    response = client.post("/api/v1/reports", json=body, headers=org.reporter.headers)
    assert response.status_code == 201, response.text
    stored = client.get(f"/api/v1/reports/{response.json()['id']}", headers=org.reporter.headers).json()
    assert all(stored[name] == value for name, value in body.items())  # the API keeps it exactly
    _login(client, org.reviewer.email, "een-goed-wachtwoord")
    try:
        page = client.get(f"/reports/{response.json()['id']}")
        assert page.status_code == 200
        html = page.text
        assert "<script>alert" not in html and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
        assert "<img src=x" not in html and 'href="javascript:' not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "'unsafe-inline'" not in page.headers["content-security-policy"]
    finally:
        client.cookies.clear()
