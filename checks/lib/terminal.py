"""Running scim-doctor on a pseudo-terminal of a given size, as an admin's terminal would (stdin, stdout and
stderr all the terminal): what the human report looks like there, wrapped and with its progress line."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time

SGR = re.compile(r"\x1b\[[0-9;]*m")
CLEAR = "\r\x1b[2K"


def run(argv: list[str], env: dict[str, str], columns: int, rows: int = 24, timeout: float = 60,
        answer: str | None = None) -> tuple[int, str]:
    """The exit code and everything written to the terminal (\\r\\n as \\n), the process killed at `timeout`;
    `answer` is typed once a "[y/N]" prompt has appeared."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm"
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                            start_new_session=True)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                proc.kill()
                break
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the terminal's last writer closed it
                break
            if not data:
                break
            chunks.append(data)
            if answer is not None and b"[y/N]" in b"".join(chunks):
                os.write(master, answer.encode())
                answer = None
        rc = proc.wait(timeout=10)
    finally:
        os.close(master)
    return rc, b"".join(chunks).decode(errors="replace").replace("\r\n", "\n")


def screen_lines(text: str) -> list[str]:
    """The lines as they stay on screen: colours removed, each progress line and its clearing gone."""
    text = SGR.sub("", text)
    text = re.sub(r"\r\x1b\[2K[^\r\n\x1b]*(?=\r\x1b\[2K)", "", text)  # a progress line cleared by the next
    return text.replace(CLEAR, "").split("\n")
