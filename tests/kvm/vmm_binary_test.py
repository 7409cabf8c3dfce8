#!/usr/bin/env python3
"""KVM tests that run the `vmm` binary on the test guest.

usage: vmm_binary_test.py VMM GUEST_ELF GUEST_BZIMAGE [-k PATTERN]

Boots the test guest through every entry path (64-bit Linux entry of the ELF,
PVH, bzImage) on 1 and 2 vCPUs and with small and > 4 GiB memory, then checks
the process-level behaviour: signals, the control and console sockets,
sd_notify, serial input, and one clear error line for each kind of bad input.
Skips (loudly) only when /dev/kvm is absent.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

from guest_output import guest_results

VMM = GUEST = BZIMAGE = None
ALL_CHECKS = "serial,e820,cmdline,smp,timer,rtc,reset"
TIMEOUT = 60


def cmdline(tests, mem_mib=None, extra=""):
    line = f"console=ttyS0 vmmkit.tests={tests} vmmkit.now={int(time.time())}"
    if mem_mib:
        line += f" vmmkit.mem_mib={mem_mib}"
    return (line + " " + extra).strip()


def kernel_flag(image, line, boot=None):
    boot_part = f",boot={boot}" if boot else ""
    return f"path={image}{boot_part},cmdline={line}"


def run_vmm(args, stdin=subprocess.DEVNULL, timeout=TIMEOUT, env=None):
    return subprocess.run([VMM, *args], stdin=stdin, capture_output=True, text=True, timeout=timeout, env=env)


@unittest.skipUnless(os.path.exists("/dev/kvm"), "/dev/kvm absent: KVM TESTS SKIPPED")
class BootMatrix(unittest.TestCase):
    def boot(self, image, boot, vcpus, mem_mib, tests=ALL_CHECKS):
        line = cmdline(tests, mem_mib)
        proc = run_vmm(["--kernel", kernel_flag(image, line, boot), "--memory", f"size_mib={mem_mib}",
                        "--vcpu", f"num={vcpus}"])
        results, summary = guest_results(proc.stdout)
        context = f"\nstdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-2000:]}"
        expected = tests.split(",")
        self.assertEqual(proc.returncode, 0, "vmm exit status" + context)
        for check in expected:
            self.assertIn(check, results, f"check {check} did not report" + context)
            self.assertEqual(results[check][0], "PASS", f"check {check}: {results[check][1]}" + context)
        self.assertEqual(summary, f"vmmkit-guest: {len(expected)} passed, 0 failed", context)
        self.assertIn("vmm: guest reset", proc.stderr, context)
        if vcpus == 2:
            self.assertIn("2 cpus", results["smp"][1], context)
        return results

    def test_elf_linux64_1cpu(self):
        self.boot(GUEST, "linux64", 1, 128)

    def test_elf_linux64_2cpu(self):
        self.boot(GUEST, "linux64", 2, 128)

    def test_pvh_1cpu(self):
        self.boot(GUEST, "pvh", 1, 128)

    def test_pvh_2cpu(self):
        self.boot(GUEST, "pvh", 2, 128)

    def test_bzimage_1cpu(self):
        self.boot(BZIMAGE, None, 1, 128)

    def test_bzimage_2cpu(self):
        self.boot(BZIMAGE, None, 2, 128)

    def test_above_4g_elf(self):
        self.boot(GUEST, "linux64", 2, 5120, tests="e820,smp,reset")

    def test_above_4g_pvh(self):
        self.boot(GUEST, "pvh", 1, 5120, tests="e820,reset")

    def test_above_4g_bzimage(self):
        self.boot(BZIMAGE, None, 1, 5120, tests="e820,reset")

    def test_acpi_elf(self):
        results = self.boot(GUEST, "linux64", 2, 128, tests="acpi,smp")
        self.assertIn("(boot_params), 2 cpus in the MADT, 0 LNRO0005, 1 ACPI0013, 1 PNP0C0C", results["acpi"][1])

    def test_acpi_pvh(self):
        results = self.boot(GUEST, "pvh", 2, 128, tests="acpi,smp")
        self.assertIn("(start_info), 2 cpus in the MADT", results["acpi"][1])

    def test_acpi_bzimage(self):
        results = self.boot(BZIMAGE, None, 1, 128, tests="acpi")
        self.assertIn("(boot_params), 1 cpus in the MADT", results["acpi"][1])

    def test_acceptance_command(self):
        # The command from the foundation issue, as written (auto entry: PVH for the ELF).
        proc = run_vmm(["--kernel", f"path={GUEST},cmdline=console=ttyS0 vmmkit.tests=serial,e820,cmdline,smp,timer,rtc,reset",
                        "--memory", "size_mib=128", "--vcpu", "num=2"])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("vmmkit-guest: 7 passed, 0 failed", proc.stdout)


@unittest.skipUnless(os.path.exists("/dev/kvm"), "/dev/kvm absent: KVM TESTS SKIPPED")
class ProcessBehaviour(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def spawn(self, tests, extra_args=(), extra_cmdline="", **kwargs):
        args = ["--kernel", kernel_flag(GUEST, cmdline(tests, extra=extra_cmdline)), "--memory", "size_mib=128", *extra_args]
        return subprocess.Popen([VMM, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)

    def wait_for_socket(self, path, proc):
        for _ in range(500):
            if os.path.exists(path):
                return
            if proc.poll() is not None:
                self.fail("vmm exited early: " + proc.stderr.read())
            time.sleep(0.01)
        self.fail(f"{path} never appeared")

    def spawn_config(self, cfg):
        """Starts vmm on a JSON machine definition written to the test's folder."""
        with open(self.path("m.json"), "w") as f:
            json.dump(cfg, f)
        return subprocess.Popen([VMM, "--config", self.path("m.json")], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)

    @staticmethod
    def sigterm_after_start(proc):
        """Sends SIGTERM once the guest is running and collects (stdout, stderr)."""
        time.sleep(0.5)
        proc.terminate()
        return proc.communicate(timeout=TIMEOUT)

    def test_sigterm_sends_ctrl_alt_del_and_exits_0(self):
        # Without ACPI, shutting down is Ctrl-Alt-Del only.
        proc = self.spawn("ctrlaltdel", ["--no-acpi"], stdin=subprocess.DEVNULL)
        out, err = self.sigterm_after_start(proc)
        self.assertEqual(proc.returncode, 0, out + err)
        self.assertIn("vmmkit-guest: ctrlaltdel PASS", out)
        self.assertIn("asking the guest to shut down", err)

    def test_poweroff_through_s5_exits_0(self):
        proc = run_vmm(["--kernel", kernel_flag(GUEST, cmdline("poweroff")), "--memory", "size_mib=128"])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("vmm: guest powered off", proc.stderr)
        self.assertNotIn("poweroff FAIL", proc.stdout)

    def test_no_acpi_has_no_tables(self):
        proc = run_vmm(["--no-acpi", "--kernel", kernel_flag(GUEST, cmdline("acpi")), "--memory", "size_mib=128"])
        self.assertIn("vmmkit-guest: acpi FAIL no RSDP", proc.stdout, proc.stderr)

    def test_sigterm_presses_the_power_button_and_exits_0(self):
        proc = self.spawn("powerbutton", stdin=subprocess.DEVNULL)
        out, err = self.sigterm_after_start(proc)
        self.assertEqual(proc.returncode, 0, out + err)
        self.assertIn("vmmkit-guest: powerbutton PASS GED interrupt, register 0x1", out)
        self.assertIn("asking the guest to shut down (ACPI power button)", err)
        self.assertIn("vmm: guest powered off", err)

    def test_sigterm_with_acpi_falls_back_to_ctrl_alt_del(self):
        # The ctrlaltdel check has no ACPI driver: the power button goes
        # unanswered, so after half of shutdown_timeout_s vmm sends Ctrl-Alt-Del.
        cfg = {"kernel": {"path": GUEST, "cmdline": cmdline("ctrlaltdel")},
               "memory": {"size_mib": 128}, "shutdown_timeout_s": 4}
        proc = self.spawn_config(cfg)
        out, err = self.sigterm_after_start(proc)
        self.assertEqual(proc.returncode, 0, out + err)
        self.assertIn("asking the guest to shut down (ACPI power button)", err)
        self.assertIn("sending Ctrl-Alt-Del", err)
        self.assertIn("vmmkit-guest: ctrlaltdel PASS", out)

    def test_shutdown_timeout_stops_hard(self):
        # The idle check ignores Ctrl-Alt-Del, so the timeout must end it.
        cfg = {"kernel": {"path": GUEST, "cmdline": cmdline("idle", extra="vmmkit.idle_ms=60000")},
               "memory": {"size_mib": 64}, "shutdown_timeout_s": 1}
        proc = self.spawn_config(cfg)
        out, err = self.sigterm_after_start(proc)
        self.assertEqual(proc.returncode, 3, out + err)
        self.assertIn("did not shut down within 1 s", err)

    def control(self, sock_path, request):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(10)
            s.connect(sock_path)
            s.sendall((json.dumps(request) + "\n").encode())
            data = b""
            while not data.endswith(b"\n"):
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        return json.loads(data)

    def test_control_socket(self):
        ctl = self.path("control")
        proc = self.spawn("idle", ["--control", ctl], "vmmkit.idle_ms=60000", stdin=subprocess.DEVNULL)
        try:
            self.wait_for_socket(ctl, proc)
            status = self.control(ctl, {"command": "status", "id": 7})
            self.assertTrue(status["ok"], status)
            self.assertEqual(status["id"], 7)
            self.assertEqual(status["state"], "running")
            self.assertEqual(self.control(ctl, {"command": "pause"})["state"], "paused")
            self.assertEqual(self.control(ctl, {"command": "status"})["state"], "paused")
            self.assertEqual(self.control(ctl, {"command": "resume"})["state"], "running")
            bad = self.control(ctl, {"command": "explode"})
            self.assertFalse(bad["ok"])
            self.assertIn("explode", bad["error"])
            self.assertTrue(self.control(ctl, {"command": "stop"})["ok"])
            out, err = proc.communicate(timeout=TIMEOUT)
            self.assertEqual(proc.returncode, 3, err)
            self.assertFalse(os.path.exists(ctl), "control socket left behind")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()

    def test_console_socket_replays_scrollback(self):
        con = self.path("console")
        ctl = self.path("control")
        proc = self.spawn("cmdline,idle", ["--console", f"socket={con}", "--control", ctl],
                          "vmmkit.idle_ms=60000", stdin=subprocess.DEVNULL)
        try:
            self.wait_for_socket(ctl, proc)
            time.sleep(0.5)  # let the guest print its first lines
            for _ in range(2):  # every reader gets the history
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.connect(con)
                    s.settimeout(5)
                    data = b""
                    while b"cmdline PASS" not in data:
                        chunk = s.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                    self.assertIn(b"vmmkit-guest: cmdline PASS", data)
            self.control(ctl, {"command": "stop"})
            proc.communicate(timeout=TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()

    def test_serial_input_from_stdin(self):
        proc = self.spawn("input,reset", stdin=subprocess.PIPE)
        out, err = proc.communicate("hello from the host\n", timeout=TIMEOUT)
        self.assertEqual(proc.returncode, 0, out + err)
        self.assertIn('input PASS got "hello from the host"', out)

    def test_serve_mode_echoes_input_and_powers_off_on_shutdown(self):
        # What `vmmctl create NAME` boots by default: the guest stays up,
        # echoes input lines, and powers off when the power button is pressed.
        ctl = self.path("control")
        args = ["--kernel", kernel_flag(GUEST, "console=ttyS0 vmmkit.serve"), "--memory", "size_mib=64",
                "--control", ctl]
        proc = subprocess.Popen([VMM, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.PIPE, text=True)
        try:
            self.wait_for_socket(ctl, proc)
            proc.stdin.write("are you there\n")
            proc.stdin.flush()
            seen = ""
            while "echo: are you there" not in seen:
                line = proc.stdout.readline()
                self.assertTrue(line, "guest output ended before the echo: " + seen)
                seen += line
            self.assertTrue(self.control(ctl, {"command": "status"})["state"] == "running")
            self.assertTrue(self.control(ctl, {"command": "shutdown"})["ok"])
            out, err = proc.communicate(timeout=TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        self.assertEqual(proc.returncode, 0, out + err)
        self.assertIn("serve: power button pressed; powering off", out)
        self.assertIn("vmm: guest powered off", err)

    def test_sd_notify_ready(self):
        notify_path = self.path("notify")
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
            listener.bind(notify_path)
            listener.settimeout(10)
            env = dict(os.environ, NOTIFY_SOCKET=notify_path)
            proc = self.spawn("reset", env=env, stdin=subprocess.DEVNULL)
            message = listener.recv(4096).decode()
            out, err = proc.communicate(timeout=TIMEOUT)
        self.assertIn("READY=1", message)
        self.assertIn("STATUS=running", message)
        self.assertEqual(proc.returncode, 0, err)

    def test_reboot_restart_policy(self):
        con = self.path("console.log")
        proc = self.spawn("reset", ["--reboot", "restart", "--console", f"file={con}"], stdin=subprocess.DEVNULL)
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            if os.path.exists(con) and open(con, errors="replace").read().count("1 passed, 0 failed") >= 2:
                break
            time.sleep(0.05)
        proc.terminate()
        out, err = proc.communicate(timeout=TIMEOUT)
        self.assertGreaterEqual(open(con, errors="replace").read().count("1 passed, 0 failed"), 2, err)
        self.assertIn("restarting", err)


@unittest.skipUnless(os.path.exists("/dev/kvm"), "/dev/kvm absent: KVM TESTS SKIPPED")
class BadInput(unittest.TestCase):
    """Each bad input: exit status non-zero, exactly one 'vmm: error:' line, no crash."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, data):
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def expect_error(self, args, fragment, code=None, stdin=subprocess.DEVNULL):
        proc = run_vmm(args, stdin=stdin, timeout=30)
        self.assertGreater(proc.returncode, 0, f"{args}: {proc.stderr}")
        if code is not None:
            self.assertEqual(proc.returncode, code, proc.stderr)
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, f"expected one line, got: {proc.stderr!r}")
        self.assertTrue(lines[0].startswith("vmm: error: "), lines[0])
        self.assertIn(fragment.lower(), lines[0].lower())
        self.assertNotIn("Sanitizer", proc.stderr)

    def kernel(self, path, extra=()):
        return ["--kernel", f"path={path},cmdline=console=ttyS0", "--memory", "size_mib=64", *extra]

    def test_missing_kernel(self):
        self.expect_error(self.kernel("/nonexistent/vmlinux"), "No such file", 1)

    def test_empty_kernel(self):
        self.expect_error(self.kernel(self.write("empty", b"")), "empty", 1)

    def test_truncated_kernel(self):
        data = open(GUEST, "rb").read()
        self.expect_error(self.kernel(self.write("trunc", data[:200])), "kernel", 1)

    def test_truncated_bzimage(self):
        data = open(BZIMAGE, "rb").read()
        self.expect_error(self.kernel(self.write("trunc.bz", data[:1024])), "kernel", 1)

    def test_garbage_kernel(self):
        self.expect_error(self.kernel(self.write("garbage", os.urandom(64 * 1024))), "kernel", 1)

    def test_segments_outside_memory(self):
        # The guest's ELF loads at 1 MiB; 1 MiB of RAM cannot hold it.
        self.expect_error(["--kernel", f"path={GUEST}", "--memory", "size_mib=1"], "kernel", 1)

    def test_initrd_does_not_fit(self):
        big = self.write("initrd", b"\0" * (70 << 20))
        self.expect_error(self.kernel(GUEST, ["--initrd", big]), "initrd", 1)

    def test_memory_zero(self):
        self.expect_error(["--kernel", f"path={GUEST}", "--memory", "size_mib=0"], "memory", 2)

    def test_memory_too_large_for_host(self):
        self.expect_error(["--kernel", f"path={GUEST}", "--memory", "size_mib=16T"], "memory")

    def test_memory_garbage(self):
        self.expect_error(["--kernel", f"path={GUEST}", "--memory", "size_mib=lots"], "size", 2)

    def test_zero_vcpus(self):
        self.expect_error(["--kernel", f"path={GUEST}", "--vcpu", "num=0"], "vcpu", 2)

    def test_too_many_vcpus(self):
        self.expect_error(["--kernel", f"path={GUEST}", "--vcpu", "num=100000"], "vcpu", 2)

    def test_overlong_cmdline(self):
        self.expect_error(["--kernel", f"path={BZIMAGE},cmdline=" + "x" * 5000, "--memory", "size_mib=64"], "command line")

    def test_malformed_json(self):
        self.expect_error(["--config", self.write("bad.json", b'{"kernel": {"path": "x"')], "json", 2)

    def test_unknown_config_key(self):
        cfg = json.dumps({"kernel": {"path": GUEST}, "memroy": {"size_mib": 64}}).encode()
        self.expect_error(["--config", self.write("unknown.json", cfg)], "memroy", 2)

    def test_unknown_flag_key(self):
        self.expect_error(["--kernel", f"path={GUEST}", "--memory", "sise_mib=64"], "sise_mib", 2)

    def test_no_kernel(self):
        self.expect_error([], "--kernel", 2)


def main():
    global VMM, GUEST, BZIMAGE
    VMM, GUEST, BZIMAGE = (os.path.abspath(p) for p in sys.argv[1:4])
    if not os.path.exists("/dev/kvm"):
        print("=" * 70 + "\n/dev/kvm IS ABSENT: every KVM test below is SKIPPED\n" + "=" * 70)
    result = unittest.main(argv=[sys.argv[0], "-v", *sys.argv[4:]], exit=False).result
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print(f"vmm-binary: {passed} passed, {failed} failed, {len(result.skipped)} skipped")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
