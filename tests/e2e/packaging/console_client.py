# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Reads a guest console (a process's stdout) until a
text appears, with a deadline; collects everything read for the log."""
import os
import select
import subprocess
import time


class ConsoleTimeout(RuntimeError):
    pass


class Reader:
    def __init__(self, fd: int):
        self.fd = fd
        self.text = ""

    def wait_for(self, needle: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while needle not in self.text:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ConsoleTimeout(f"no {needle!r} on the console within {timeout} s; it said:\n{self.text[-2000:]}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 4096)
                if not chunk:
                    raise ConsoleTimeout(f"console closed before {needle!r}; it said:\n{self.text[-2000:]}")
                self.text += chunk.decode(errors="replace").replace("\r", "")
        return self.text


class ProcessConsole(Reader):
    """A console client program (vmmctl console NAME) with piped stdio."""

    def __init__(self, argv: list[str]):
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        super().__init__(self.process.stdout.fileno())

    def send(self, text: str) -> None:
        self.process.stdin.write(text.encode())
        self.process.stdin.flush()

    def close(self, leave: bytes = b"\x1d") -> int:
        """Sends `leave` (Ctrl-], as a person at a terminal would) and ends
        the input, then waits; kills after 10 s."""
        try:
            self.process.stdin.write(leave)
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise ConsoleTimeout("the console client did not leave within 10 s of Ctrl-] and end of input")
