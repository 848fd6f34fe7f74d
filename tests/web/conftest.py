"""A real server on a loopback port (uvicorn in a thread, SQLite in a tmp dir) and a headless Chromium."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from service.conftest import classifier  # noqa: F401  (the same engine fixture)

from triage.config import Settings
from triage.ports import Classifier
from triage.service.app import create_app
from triage.store import migrate
from triage.store.db import make_db_engine, make_session_factory
from triage.store.users import add_user

PASSWORD = "correct-horse-battery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, classifier: Classifier) -> Iterator[str]:  # noqa: F811
    settings = Settings(data_dir=tmp_path_factory.mktemp("web"))
    engine = make_db_engine(settings.effective_database_url)
    migrate.upgrade(engine)
    with make_session_factory(engine)() as session:
        add_user(
            session, email="reviewer@gemeente.nl", org_name="Gemeente", role="reviewer", password=PASSWORD
        )
        add_user(session, email="melder@gemeente.nl", org_name="Gemeente", role="reporter", password=PASSWORD)
        add_user(session, email="beheer@gemeente.nl", org_name="Gemeente", role="admin", password=PASSWORD)
        session.commit()
    engine.dispose()
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, classifier), host="127.0.0.1", port=port, log_level="warning"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


def chromium_paths() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    paths = chromium_paths()
    if paths is None:
        pytest.fail(
            "Chromium and chromedriver are needed; make test installs them (chromium, chromium-driver)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=paths[1]), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
