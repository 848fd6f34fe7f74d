from __future__ import annotations

import io
import shutil

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw, ImageFont

from .conftest import Org


def _screenshot(text: str) -> bytes:
    image = Image.new("RGB", (900, 120), "white")
    ImageDraw.Draw(image).text((20, 30), text, fill="black", font=ImageFont.load_default(size=40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="make test installs tesseract-ocr")
def test_screenshot_without_text_is_read_by_ocr(client: TestClient, org: Org) -> None:
    response = client.post(
        "/api/v1/reports",
        data={"platform": "whatsapp"},
        files={"attachments": ("IMG_0001.png", _screenshot("Ik maak je dood wethouder"), "image/png")},
        headers=org.reporter.headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["text_source"] == "ocr" and body["verdict"]["ocr"] is True
    assert "dood" in body["text"].lower()
    assert body["attachments"][0]["ocr_text"] == body["text"]
