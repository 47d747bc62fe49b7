"""A cProfile of the page script's own thread under Streamlit's AppTest: the server's work.
AppTest runs the script in a thread of its own, so a profiler in the calling thread alone
would only see it waiting."""

from __future__ import annotations

import cProfile
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def script_thread_profile() -> Iterator[cProfile.Profile]:
    """Profile every AppTest script run inside the ``with`` block."""
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner  # noqa: PLC0415

    script = cProfile.Profile()
    original = LocalScriptRunner._run_script_thread

    def run_script_thread(self) -> None:
        script.enable()
        try:
            original(self)
        finally:
            script.disable()

    LocalScriptRunner._run_script_thread = run_script_thread
    try:
        yield script
    finally:
        LocalScriptRunner._run_script_thread = original
