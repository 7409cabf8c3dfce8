#!/usr/bin/env python3
"""KVM tests of the virtio devices: the `vmm` binary with the test guest's
virtio-mmio drivers (tests/guest, checks blk, blk-ro, rng, vconsole, vsock,
net, hostile).

usage: virtio_test.py VMM GUEST_ELF [-k PATTERN]

The host half of each check lives here: disk images, an echo listener for
the guest's vsock connection, a host client that connects into the guest,
console input, and for `net` a network namespace with a tap and a peer
address the host kernel answers ARP and ping on. Skips (loudly) only when
/dev/kvm is absent; the net test also needs root and /dev/net/tun.
"""
import os
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from guest_output import guest_results
import uuid

VMM = GUEST = None
TIMEOUT = 90
SECTOR = 512


def make_image(path, sectors, fill=b"\0"):
    with open(path, "wb") as f:
        f.write(fill * (sectors * SECTOR // len(fill)))


class EchoListener(threading.Thread):
    """Listens on PATH_5000 and echoes what each connection sends."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(4)
        self.received = b""

    def run(self):
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(TIMEOUT)
            while True:
                try:
                    data = conn.recv(4096)
                except OSError:
                    return
                if not data:
                    return
                self.received += data
                conn.sendall(data)


class Guest:
    """A running vmm whose console output is collected line by line."""

    def __init__(self, args, env_prefix=()):
        self.proc = subprocess.Popen([*env_prefix, VMM, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.out = b""

    def wait_for(self, text, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while text.encode() not in self.out:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                return False
            ready, _, _ = select.select([self.proc.stdout], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    return text.encode() in self.out
                self.out += chunk
        return True

    def finish(self):
        try:
            rest, err = self.proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rest, err = self.proc.communicate()
        self.out += rest
        return self.proc.returncode, self.out.decode(errors="replace"), err.decode(errors="replace")


@unittest.skipUnless(os.path.exists("/dev/kvm"), "/dev/kvm absent: KVM TESTS SKIPPED")
class VirtioDevices(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.disk = self.path("disk.img")
        self.ro = self.path("ro.img")
        make_image(self.disk, 2048)
        make_image(self.ro, 64, b"RO-DISK!")
        self.vsock = self.path("v.sock")

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def assert_checks(self, checks, code, out, err):
        results, summary = guest_results(out)
        context = f"\nstdout:\n{out[-4000:]}\nstderr:\n{err[-2000:]}"
        self.assertEqual(code, 0, "vmm exit status" + context)
        for check in checks:
            self.assertIn(check, results, f"check {check} did not report" + context)
            self.assertEqual(results[check][0], "PASS", f"check {check}: {results[check][1]}" + context)
        self.assertEqual(summary, f"vmmkit-guest: {len(checks)} passed, 0 failed", context)

    def host_connects_into_guest(self, guest):
        """The host half of `vsock`: CONNECT 52, expect OK, send ping, expect pong."""
        for _ in range(500):
            if os.path.exists(self.vsock):
                break
            time.sleep(0.01)
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.settimeout(TIMEOUT)
        client.connect(self.vsock)
        client.sendall(b"CONNECT 52\n")
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = client.recv(64)
            if not chunk:
                break
            reply += chunk
        self.assertTrue(reply.startswith(b"OK "), f"CONNECT 52 answered {reply!r}")
        client.sendall(b"ping\n")
        got = b""
        while b"pong\n" not in got:
            chunk = client.recv(64)
            if not chunk:
                break
            got += chunk
        client.close()
        self.assertIn(b"pong\n", got)

    def test_acceptance_command(self):
        """The issue's acceptance command, with the host halves of vconsole and vsock."""
        echo = EchoListener(self.vsock + "_5000")
        echo.start()
        tests = "blk,blk-ro,rng,vconsole,vsock,hostile,reset"
        guest = Guest(["--kernel", f"path={GUEST},cmdline=console=ttyS0 vmmkit.tests={tests}",
                       "--memory", "size_mib=128", "--block", f"path={self.disk}",
                       "--block", f"path={self.ro},read_only=on", "--rng", "--virtio-console",
                       "--vsock", f"cid=3,uds={self.vsock}"])
        if guest.wait_for("vconsole: hello from hvc0"):
            guest.proc.stdin.write(b"ping\n")
            guest.proc.stdin.flush()
        if guest.wait_for("vsock: waiting for host"):
            self.host_connects_into_guest(guest)
        code, out, err = guest.finish()
        self.assert_checks(tests.split(","), code, out, err)
        self.assertEqual(echo.received, b"hello vsock\n")
        with open(self.ro, "rb") as f:
            self.assertEqual(f.read(), b"RO-DISK!" * (64 * SECTOR // 8), "the read-only image changed")

    def test_blk_data_reaches_the_image(self):
        """What the guest's blk check writes is in the image file afterwards."""
        guest = Guest(["--kernel", f"path={GUEST},cmdline=console=ttyS0 vmmkit.tests=blk,reset",
                       "--memory", "size_mib=128", "--block", f"path={self.disk}"])
        code, out, err = guest.finish()
        self.assert_checks(["blk", "reset"], code, out, err)
        with open(self.disk, "rb") as f:
            self.assertNotEqual(f.read(), b"\0" * (2048 * SECTOR), "nothing was written to the image")

    @unittest.skipUnless(os.geteuid() == 0 and os.path.exists("/dev/net/tun"),
                         "net test needs root and /dev/net/tun: SKIPPED")
    def test_net_in_namespace(self):
        ns = "vmmkit-" + uuid.uuid4().hex[:8]
        subprocess.run(["ip", "netns", "add", ns], check=True)
        try:
            def in_ns(*cmd):
                subprocess.run(["ip", "netns", "exec", ns, *cmd], check=True)
            in_ns("ip", "tuntap", "add", "dev", "vmtap0", "mode", "tap")
            in_ns("ip", "addr", "add", "10.0.2.2/24", "dev", "vmtap0")
            in_ns("ip", "link", "set", "vmtap0", "up")
            in_ns("ip", "link", "set", "lo", "up")
            guest = Guest(["--kernel", f"path={GUEST},cmdline=console=ttyS0 vmmkit.tests=net,reset "
                           "vmmkit.net=10.0.2.15,10.0.2.2", "--memory", "size_mib=128", "--name", "nettest",
                           "--net", "tap=vmtap0"], env_prefix=("ip", "netns", "exec", ns))
            code, out, err = guest.finish()
            self.assert_checks(["net", "reset"], code, out, err)
        finally:
            subprocess.run(["ip", "netns", "delete", ns])


@unittest.skipUnless(os.path.exists("/dev/kvm"), "/dev/kvm absent: KVM TESTS SKIPPED")
class BadDeviceInput(unittest.TestCase):
    """Bad device configuration: one clear line on stderr, exit 1, no guest run."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def fails_with(self, args, fragment):
        proc = subprocess.run([VMM, "--kernel", f"path={GUEST},cmdline=console=ttyS0", *args],
                              capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        self.assertNotEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn(fragment, proc.stderr)
        self.assertNotIn("vmmkit-guest", proc.stdout)
        return proc

    def test_missing_image(self):
        self.fails_with(["--block", f"path={self.tmp.name}/nope.img"], "nope.img")

    def test_empty_image(self):
        path = os.path.join(self.tmp.name, "empty.img")
        open(path, "wb").close()
        self.fails_with(["--block", f"path={path}"], "empty.img")

    def test_bad_block_key(self):
        self.fails_with(["--block", "path=x.img,readonly=on"], "readonly")

    def test_vsock_cid_too_small(self):
        self.fails_with(["--vsock", f"cid=2,uds={self.tmp.name}/v.sock"], "cid")


def main():
    global VMM, GUEST
    VMM, GUEST = (os.path.abspath(p) for p in sys.argv[1:3])
    if not os.path.exists("/dev/kvm"):
        print("=" * 70 + "\n/dev/kvm IS ABSENT: every KVM test below is SKIPPED\n" + "=" * 70)
    result = unittest.main(argv=[sys.argv[0], "-v", *sys.argv[3:]], exit=False).result
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print(f"virtio: {passed} passed, {failed} failed, {len(result.skipped)} skipped")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
