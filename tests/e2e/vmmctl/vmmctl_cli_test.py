#!/usr/bin/python3
"""vmmctl's command line against a fake vmmd (fake_vmmd.py) on a private
system-type bus: every verb's D-Bus call and arguments, table and JSON
output, each vmmd error's message and exit status, the daemon not running,
usage errors before any bus call, and the console both from a pipe and on a
terminal (driven through tmux).

usage: vmmctl_cli_test.py PATH/TO/vmmctl [unittest names...]
With VMMCTL_TEST_VMM and VMMCTL_TEST_GUEST (the build's vmm and test guest)
and a usable /dev/kvm, it also boots what `create` defines.
Needs Debian's /usr/bin/python3 (python3-dbus, python3-gi) and dbus-daemon;
skips (exit 77) without them. Prints "vmmctl-cli: N passed, M failed, K skipped".
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import dbus
except ImportError:
    print("SKIP: python3-dbus is missing (run with /usr/bin/python3)")
    sys.exit(77)

import private_bus  # noqa: E402
from tty_session import TmuxConsole, TmuxSession, tmux_available  # noqa: E402

VMMCTL = None
BUS = None
FAKE = None
ERRORS = [
    ("org.vmmkit.vmm1.Error.NoSuchMachine", 4),
    ("org.vmmkit.vmm1.Error.MachineExists", 3),
    ("org.vmmkit.vmm1.Error.InvalidArgument", 2),
    ("org.vmmkit.vmm1.Error.InvalidConfig", 2),
    ("org.vmmkit.vmm1.Error.InvalidState", 7),
    ("org.vmmkit.vmm1.Error.AccessDenied", 5),
    ("org.vmmkit.vmm1.Error.Timeout", 1),
    ("org.vmmkit.vmm1.Error.Failed", 1),
    ("org.freedesktop.DBus.Error.AccessDenied", 5),
    ("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", 5),
]
CONFIG = {"version": 1, "name": "web", "kernel": {"path": "/boot/vmlinux", "cmdline": "console=ttyS0"},
          "memory": {"size_mib": 512}, "vcpu": {"num": 2}}


def start_fake(bus):
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=bus.address)
    fake = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "fake_vmmd.py")], env=env,
                            stdout=subprocess.PIPE, text=True)
    if fake.stdout.readline().strip() != "ready":
        raise RuntimeError("fake vmmd did not start")
    conn = dbus.bus.BusConnection(bus.address)
    for _ in range(100):
        if conn.name_has_owner("org.vmmkit.vmm1"):
            break
        time.sleep(0.05)
    return fake, conn


def setUpModule():
    global BUS, FAKE, CONTROL
    BUS = private_bus.PrivateBus()
    FAKE, conn = start_fake(BUS)
    CONTROL = dbus.Interface(conn.get_object("org.vmmkit.vmm1", "/org/vmmkit/test"), "org.vmmkit.test.Control")


def tearDownModule():
    FAKE.terminate()
    FAKE.wait(timeout=10)
    FAKE.stdout.close()
    BUS.close()


def vmmctl(*args, stdin=subprocess.DEVNULL, input=None, env=None, address=None, timeout=30):
    full_env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=address or BUS.address, LC_ALL="C")
    full_env.update(env or {})
    if input is not None:
        stdin = None
        input = input.encode()
    # Bytes, decoded here: text mode would turn the guest's "\r\n" into "\n".
    r = subprocess.run([VMMCTL, *args], stdin=stdin, input=input, env=full_env, capture_output=True,
                       timeout=timeout)
    r.stdout = r.stdout.decode("utf-8", "replace")
    r.stderr = r.stderr.decode("utf-8", "replace")
    return r


class Base(unittest.TestCase):
    def setUp(self):
        CONTROL.Reset()

    def calls(self, skip_reads=False):
        calls = json.loads(str(CONTROL.Calls()))
        if skip_reads:
            calls = [c for c in calls if c[0] not in ("GetMachine", "GetAll", "ListMachines")]
        return calls

    def add(self, name="web", state="stopped", config=None):
        CONTROL.AddMachine(name, json.dumps(config or dict(CONFIG, name=name)), state)
        # AddMachine is not a Manager call: nothing recorded.

    def ok(self, *args, **kw):
        r = vmmctl(*args, **kw)
        self.assertEqual(r.returncode, 0, "vmmctl %s: %s" % (" ".join(args), r.stderr))
        return r

    def fails(self, status, *args, **kw):
        r = vmmctl(*args, **kw)
        self.assertEqual(r.returncode, status, "vmmctl %s: out %r err %r" % (" ".join(args), r.stdout, r.stderr))
        self.assertTrue(r.stderr.startswith("vmmctl: "), r.stderr)
        return r


class Verbs(Base):
    def test_create_defaults_to_the_bundled_guest_in_service_mode(self):
        self.ok("create", "demo")
        [(member, (name, config))] = self.calls()
        self.assertEqual((member, name), ("CreateMachine", "demo"))
        doc = json.loads(config)
        self.assertEqual(doc["name"], "demo")
        self.assertTrue(doc["kernel"]["path"].endswith("/vmmkit/guest/vmmkit-guest"), doc)
        self.assertTrue(os.path.isabs(doc["kernel"]["path"]))
        self.assertEqual(doc["kernel"]["cmdline"], "console=ttyS0 vmmkit.serve")

    def test_create_with_every_option_then_autostart_and_start(self):
        self.ok("create", "web", "--kernel", "vmlinux", "--initrd", "/boot/initrd", "--cmdline",
                "console=ttyS0 quiet", "--memory", "1G", "--vcpus", "2", "--disk", "root.raw",
                "--disk", "/srv/data.raw,ro", "--net", "tap=vmtap0,mac=02:00:00:00:00:07", "--rng",
                "--vsock", "7", "--autostart", "--start")
        calls = self.calls()
        self.assertEqual([c[0] for c in calls], ["CreateMachine", "SetMachineAutostart", "StartMachine"])
        self.assertEqual(calls[1][1], ["web", True])
        self.assertEqual(calls[2][1], ["web"])
        doc = json.loads(calls[0][1][1])
        self.assertEqual(doc["kernel"]["path"], os.path.join(os.getcwd(), "vmlinux"))
        self.assertEqual(doc["kernel"]["initrd"], "/boot/initrd")
        self.assertEqual(doc["kernel"]["cmdline"], "console=ttyS0 quiet")
        self.assertEqual(doc["memory"]["size_mib"], 1024)
        self.assertEqual(doc["vcpu"]["num"], 2)
        self.assertEqual([(b["path"], b["read_only"]) for b in doc["block"]],
                         [(os.path.join(os.getcwd(), "root.raw"), False), ("/srv/data.raw", True)])
        self.assertEqual(doc["net"], [{"tap": "vmtap0", "mac": "02:00:00:00:00:07"}])
        self.assertTrue(doc["rng"])
        self.assertEqual(doc["vsock"], {"cid": 7, "uds": "/run/vmmkit/web/vsock"})

    def test_create_on_a_remote_host_needs_absolute_paths(self):
        r = self.fails(2, "-H", "nobody@host.invalid", "create", "web", "--kernel", "vmlinux")
        self.assertIn("absolute path on the remote host", r.stderr)

    def test_define_sends_the_file_unchanged(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            text = json.dumps(CONFIG, indent=1)
            f.write(text)
            f.flush()
            self.ok("define", f.name)
            self.assertEqual(self.calls(), [["CreateMachine", ["web", text]]])

    def test_define_refuses_bad_files_before_calling(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            f.write('{"kernel": {"path": "/k"}, "vcpu": {"count": 2}}')
            f.flush()
            r = self.fails(2, "define", f.name, "--name", "x")
            self.assertIn('unknown key "vcpu.count"', r.stderr)
            f.seek(0)
            f.truncate()
            f.write('{"kernel": {"path": "/k"}}')
            f.flush()
            self.assertIn("--name", self.fails(2, "define", f.name).stderr)
            self.ok("define", f.name, "--name", "named")
        self.assertEqual([c[1][0] for c in self.calls()], ["named"])

    def test_lifecycle_verbs_call_their_methods(self):
        self.add("web", "stopped")
        for args, call in [
            (["start", "web"], ["StartMachine", ["web"]]),
            (["pause", "web"], ["PauseMachine", ["web"]]),
            (["resume", "web"], ["ResumeMachine", ["web"]]),
            (["reboot", "web"], ["RebootMachine", ["web"]]),
            (["stop", "web"], ["StopMachine", ["web", 0]]),
            (["start", "web"], ["StartMachine", ["web"]]),
            (["stop", "web", "--timeout", "5"], ["StopMachine", ["web", 5]]),
            (["start", "web"], ["StartMachine", ["web"]]),
            (["stop", "web", "--force"], ["KillMachine", ["web"]]),
            (["start", "web"], ["StartMachine", ["web"]]),
            (["kill", "web"], ["KillMachine", ["web"]]),
            (["autostart", "web", "on"], ["SetMachineAutostart", ["web", True]]),
            (["autostart", "web", "off"], ["SetMachineAutostart", ["web", False]]),
            (["undefine", "web"], ["UndefineMachine", ["web"]]),
        ]:
            before = len(self.calls())
            self.ok(*args)
            self.assertEqual(self.calls()[before:], [call], args)

    def test_quiet_silences_messages(self):
        self.add("web")
        self.assertIn("Started machine web.", self.ok("start", "web").stderr)
        self.assertEqual(self.ok("stop", "web", "-q").stderr, "")

    def test_dumpconfig(self):
        self.add("web")
        r = self.ok("dumpconfig", "web")
        self.assertEqual(json.loads(r.stdout), CONFIG)
        self.assertEqual(self.ok("dumpconfig", "web", "--json=short").stdout, json.dumps(CONFIG, separators=(",", ":")) + "\n")
        self.assertEqual(self.calls(), [["GetMachineConfig", ["web"]]] * 2)

    def test_edit_saves_through_replace(self):
        self.add("web")
        with tempfile.TemporaryDirectory() as tmp:
            editor = os.path.join(tmp, "ed.sh")
            with open(editor, "w") as f:
                f.write('#!/bin/sh\nsed -i "s/512/1024/" "$1"\n')
            os.chmod(editor, 0o755)
            r = self.ok("edit", "web", env={"EDITOR": editor, "VISUAL": ""})
            self.assertIn("Saved the config of web", r.stderr)
        [get, replace] = self.calls()
        self.assertEqual(get, ["GetMachineConfig", ["web"]])
        self.assertEqual(replace[0], "ReplaceMachineConfig")
        self.assertEqual(json.loads(replace[1][1])["memory"]["size_mib"], 1024)

    def test_edit_without_changes_and_with_a_refused_config(self):
        self.add("web")
        r = self.ok("edit", "web", env={"EDITOR": "true", "VISUAL": ""})
        self.assertIn("No changes", r.stderr)
        self.assertEqual([c[0] for c in self.calls()], ["GetMachineConfig"])
        with tempfile.TemporaryDirectory() as tmp:
            editor = os.path.join(tmp, "ed.sh")
            with open(editor, "w") as f:
                f.write('#!/bin/sh\necho "{broken" > "$1"\n')
            os.chmod(editor, 0o755)
            # stdin is not a terminal: no second chance, exit 2, the stored config unchanged.
            r = self.fails(2, "edit", "web", env={"EDITOR": editor, "VISUAL": ""})
            self.assertIn("config:", r.stderr)
            self.assertIn("was not changed", r.stderr)
        self.assertEqual(json.loads(self.ok("dumpconfig", "web").stdout), CONFIG)

    def test_edit_with_a_failing_editor_saves_nothing(self):
        self.add("web")
        self.fails(1, "edit", "web", env={"EDITOR": "false", "VISUAL": ""})
        self.assertEqual([c[0] for c in self.calls()], ["GetMachineConfig"])

    def test_version(self):
        r = self.ok("version")
        self.assertEqual(r.stdout, "vmmctl (vmmkit) 0.1.0\nvmmd 0.1.0-fake\n")


class ReadOutput(Base):
    def setUp(self):
        super().setUp()
        self.add("web", "running")
        self.add("db", "stopped", dict(CONFIG, name="db", memory={"size_mib": 2048}, vcpu={"num": 4}))

    def test_list_shows_running_machines_with_legend(self):
        r = self.ok("list")
        self.assertEqual(r.stdout,
                         "NAME STATE   VCPUS MEMORY UNIT\n"
                         "web  running     2   512M vmm@web.service\n"
                         "\n"
                         "1 machine listed.\n")

    def test_list_all_and_no_legend(self):
        r = self.ok("list", "--all", "--no-legend")
        self.assertEqual(r.stdout,
                         "web running 2  512M vmm@web.service\n"
                         "db  stopped 4 2048M vmm@db.service\n")

    def test_list_json(self):
        short = self.ok("list", "--all", "--json=short").stdout
        self.assertEqual(short.count("\n"), 1)
        rows = json.loads(short)
        self.assertEqual(rows[1], {"name": "db", "state": "stopped", "vcpus": 4, "memory_mib": 2048,
                                   "unit": "vmm@db.service", "object": "/org/vmmkit/vmm1/machine/db"})
        pretty = self.ok("--json", "pretty", "list").stdout
        self.assertGreater(pretty.count("\n"), 5)
        self.assertEqual([r["name"] for r in json.loads(pretty)], ["web"])

    def test_empty_list(self):
        CONTROL.Reset()
        self.assertEqual(self.ok("list").stdout, "No machines.\n")
        self.assertEqual(self.ok("list", "--json=short").stdout, "[]\n")

    def test_show_all_properties_and_selected_ones(self):
        r = self.ok("show", "web")
        lines = r.stdout.splitlines()
        self.assertIn("Name=web", lines)
        self.assertIn("State=running", lines)
        self.assertIn("Autostart=no", lines)
        self.assertIn("MemoryMiB=512", lines)
        self.assertEqual(len(lines), 12)
        self.assertEqual(self.ok("show", "web", "-p", "State,VCPUs").stdout, "State=running\nVCPUs=2\n")
        self.assertEqual(json.loads(self.ok("show", "web", "--json=short").stdout)["MainPID"], 4242)
        self.assertEqual(self.calls()[:2], [["GetMachine", ["web"]], ["GetAll", ["web", "org.vmmkit.vmm1.Machine"]]])

    def test_status_is_human(self):
        r = self.ok("status", "web")
        self.assertTrue(r.stdout.startswith("web\n"))
        self.assertIn("       State: running since ", r.stdout)
        self.assertIn("        Unit: vmm@web.service\n", r.stdout)
        self.assertIn("    Main PID: 4242\n", r.stdout)
        self.assertIn("      Memory: 512M\n", r.stdout)
        self.assertEqual(json.loads(self.ok("status", "web", "--json=pretty").stdout)["State"], "running")


class Errors(Base):
    def test_each_vmmd_error_has_its_message_and_exit_status(self):
        self.add("web")
        for name, status in ERRORS:
            CONTROL.FailNext("StartMachine", name, "message for " + name)
            r = self.fails(status, "start", "web")
            self.assertEqual(r.stderr, "vmmctl: message for %s\n" % name)

    def test_unknown_machine_is_exit_4(self):
        for args in (["start", "nope"], ["status", "nope"], ["show", "nope"], ["dumpconfig", "nope"],
                     ["console", "nope"], ["undefine", "nope"]):
            r = self.fails(4, *args)
            self.assertEqual(r.stderr, "vmmctl: No machine 'nope' known\n")

    def test_create_reports_a_later_step_failing(self):
        CONTROL.FailNext("StartMachine", "org.vmmkit.vmm1.Error.AccessDenied", "Access denied")
        r = self.fails(5, "create", "web", "--start", "-q")
        self.assertEqual(r.stderr, "vmmctl: machine web was created, but starting it failed: Access denied\n")

    def test_duplicate_and_wrong_state(self):
        self.add("web", "running")
        self.assertIn("already exists", self.fails(3, "create", "web").stderr)
        self.assertIn("is running", self.fails(7, "start", "web").stderr)
        self.assertIn("is running", self.fails(7, "undefine", "web").stderr)

    def test_usage_errors_make_no_call(self):
        for args in (["create", "bad name"], ["create", "x", "--memory", "12Q"], ["create", "x", "--memory", "0"],
                     ["create", "x", "--memory", "1.5G"], ["create", "x", "--vcpus", "0"],
                     ["start", "../etc"], ["stop", "a b"], ["autostart", "web", "sometimes"],
                     ["list", "--json=xml"], ["frob"], ["create", "-x"], ["start"]):
            r = self.fails(2, *args)
            self.assertNotIn("\n\n", r.stderr)
        self.assertEqual(self.calls(), [])

    def test_malformed_size_message(self):
        r = self.fails(2, "create", "x", "--memory", "12Q")
        self.assertEqual(r.stderr, 'vmmctl: --memory: invalid size "12Q" (unknown unit; use e.g. 512M or 2G)\n')

    def test_daemon_not_running(self):
        empty = private_bus.PrivateBus()
        try:
            r = vmmctl("list", address=empty.address)
            self.assertEqual(r.returncode, 6, r.stderr)
            self.assertEqual(r.stderr, "vmmctl: vmmd is not running (nobody owns org.vmmkit.vmm1 on the system bus)\n")
        finally:
            empty.close()

    @unittest.skipUnless(shutil.which("ssh"), "no ssh client")
    def test_unreachable_remote_host(self):
        r = vmmctl("-H", "nobody@host.invalid", "list", timeout=60)
        self.assertEqual(r.returncode, 6, r.stderr)
        # ssh's own complaint comes first; vmmctl's line is the last.
        self.assertTrue(r.stderr.splitlines()[-1].startswith(
            "vmmctl: cannot reach the system bus of nobody@host.invalid (ListMachines): "), r.stderr)

    def test_no_system_bus(self):
        r = vmmctl("start", "web", address="unix:path=/nonexistent/vmmctl-bus")
        self.assertEqual(r.returncode, 6)
        self.assertTrue(r.stderr.startswith("vmmctl: cannot connect to the system bus: "), r.stderr)


class ConsoleFromAPipe(Base):
    def test_input_then_output_until_quiet(self):
        self.add("web", "running")
        r = self.ok("console", "web", "--timeout", "1", input="hello\nworld\n")
        self.assertEqual(r.stdout, "vmmkit test guest: service mode\r\necho: hello\r\necho: world\r\n")
        self.assertEqual(r.stderr, "")  # no "press Ctrl+]" chatter for scripts
        self.assertEqual(self.calls(), [["OpenMachineConsole", ["web"]]])

    def test_without_timeout_waits_for_the_console_to_close(self):
        self.add("web", "running")
        start = time.monotonic()
        r = self.ok("console", "web", input="one\nbye\n")
        self.assertEqual(r.stdout, "vmmkit test guest: service mode\r\necho: one\r\npowering off\r\n")
        self.assertLess(time.monotonic() - start, 10)

    def test_the_escape_byte_is_data_from_a_pipe(self):
        self.add("web", "running")
        r = self.ok("console", "web", "--timeout", "0.5", input="a\x1db\n")
        self.assertIn("echo: a\x1db\r\n", r.stdout)

    def test_start_with_console(self):
        self.add("web", "stopped")
        r = self.ok("start", "web", "--console", "--timeout", "0.5", input="x\n")
        self.assertIn("echo: x", r.stdout)
        self.assertEqual([c[0] for c in self.calls()], ["StartMachine", "OpenMachineConsole"])


class BashCompletion(Base):
    SCRIPT = os.path.join(HERE, "..", "..", "..", "cli", "vmmctl", "completions", "vmmctl.bash")

    def complete(self, *words):
        """COMPREPLY for the command line `vmmctl WORDS...` (the last word is being completed)."""
        words = ("vmmctl",) + words
        script = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _vmmctl; '
                  'printf "%s\\n" "${COMPREPLY[@]}"')
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=BUS.address,
                   PATH=os.path.dirname(VMMCTL) + os.pathsep + os.environ.get("PATH", ""))
        r = subprocess.run(["bash", "-c", script, "bash", self.SCRIPT, *words], env=env, capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        return sorted(filter(None, r.stdout.split("\n")))

    def test_verbs_options_and_machine_names(self):
        self.add("web", "running")
        self.add("db", "stopped")
        self.assertEqual(self.complete("st"), ["start", "status", "stop"])
        self.assertIn("--no-legend", self.complete("--no"))
        self.assertEqual(self.complete("start", ""), ["db", "web"])
        self.assertEqual(self.complete("--json=short", "console", "w"), ["web"])
        self.assertEqual(self.complete("stop", "web", "--f"), ["--force"])
        self.assertEqual(self.complete("autostart", "web", ""), ["off", "on"])
        self.assertEqual(self.complete("list", "--json", ""), ["pretty", "short"])
        self.assertEqual(self.complete("start", "web", ""), [])
        # as bash splits words at '=': "--json=short console w", "list --json="
        self.assertEqual(self.complete("--json", "=", "short", "console", "w"), ["web"])
        self.assertEqual(self.complete("list", "--json", "=", ""), ["pretty", "short"])


@unittest.skipUnless(tmux_available(), "tmux is not installed")
class ConsoleOnATerminal(Base):
    def setUp(self):
        super().setUp()
        self.add("web", "running")

    def test_raw_mode_ctrl_bracket_leaves_and_the_terminal_is_restored(self):
        with TmuxConsole(VMMCTL, BUS.address, "web") as t:
            t.wait_for("Press Ctrl+] to leave.")
            t.wait_for("service mode")
            settings = t.tty_settings()
            self.assertIn("-icanon", settings)
            self.assertIn("-echo ", settings)
            self.assertIn("-isig", settings)
            t.send_keys("hello", "Enter")
            t.wait_for("echo: hello")
            t.send_keys("C-c")  # Ctrl+C goes to the guest, not to vmmctl
            t.wait_for("interrupt")
            t.send_keys("C-]")
            status = t.wait_for_exit()
            self.assertEqual(status, 0)
            self.assertEqual(t.before(), t.after())
            self.assertIn("Left the console of web.", t.screen())

    def test_a_signal_restores_the_terminal(self):
        with TmuxConsole(VMMCTL, BUS.address, "web") as t:
            t.wait_for("service mode")
            self.assertIn("-icanon", t.tty_settings())
            t.kill_vmmctl()
            self.assertEqual(t.wait_for_exit(), 1)
            self.assertEqual(t.before(), t.after())
            self.assertIn("vmmctl: console: interrupted by SIGTERM", t.screen())

    def test_the_console_closing_restores_the_terminal(self):
        with TmuxConsole(VMMCTL, BUS.address, "web") as t:
            t.wait_for("service mode")
            t.send_keys("bye", "Enter")
            self.assertEqual(t.wait_for_exit(), 0)
            self.assertEqual(t.before(), t.after())
            self.assertIn("The console of web closed.", t.screen())


@unittest.skipUnless(tmux_available(), "tmux is not installed")
class EditOnATerminal(Base):
    """A config vmmd refuses: on a terminal vmmctl offers to edit it again."""

    def setUp(self):
        super().setUp()
        self.add("web")
        self.tmp = tempfile.TemporaryDirectory()
        self.editor = os.path.join(self.tmp.name, "ed.sh")
        with open(self.editor, "w") as f:
            # first run: a broken file; later runs: a good change
            f.write('#!/bin/sh\nif [ -e "$0.once" ]; then sed -i "s/{broken/{\\"version\\": 1, \\"kernel\\": '
                    '{\\"path\\": \\"\\/k\\"}}/" "$1"; else touch "$0.once"; echo "{broken" > "$1"; fi\n')
        os.chmod(self.editor, 0o755)

    def tearDown(self):
        self.tmp.cleanup()

    def edit(self):
        return TmuxSession(VMMCTL, BUS.address, ["edit", "web"], env={"EDITOR": self.editor, "VISUAL": ""})

    def test_edit_again_after_a_refusal(self):
        with self.edit() as t:
            t.wait_for("Edit again? [Y/n]")
            self.assertIn("vmmctl: config:", t.screen())
            t.send_keys("y", "Enter")
            self.assertEqual(t.wait_for_exit(), 0, t.screen())
        self.assertEqual(json.loads(self.ok("dumpconfig", "web").stdout), {"version": 1, "kernel": {"path": "/k"}})
        self.assertEqual([c[0] for c in self.calls(skip_reads=True)],
                         ["GetMachineConfig", "ReplaceMachineConfig", "ReplaceMachineConfig", "GetMachineConfig"])

    def test_declining_keeps_the_stored_config(self):
        with self.edit() as t:
            t.wait_for("Edit again? [Y/n]")
            t.send_keys("n", "Enter")
            self.assertEqual(t.wait_for_exit(), 2)
        self.assertEqual(json.loads(self.ok("dumpconfig", "web").stdout), CONFIG)


@unittest.skipUnless(tmux_available(), "tmux is not installed")
class InteractiveAuthorization(Base):
    """The ALLOW_INTERACTIVE_AUTHORIZATION header flag (0x4), as busctl monitor shows it:
    set on a terminal, cleared by --no-ask-password and when stdin is not a terminal."""

    def flags_of(self, run):
        mon = subprocess.Popen(["busctl", "--address=" + BUS.address, "monitor", "--match",
                                "type='method_call',member='ListMachines'"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        # busctl block-buffers a pipe: give it time to become a monitor, read all at the end.
        time.sleep(1)
        try:
            run()
            time.sleep(0.5)
        finally:
            mon.terminate()
            out = mon.communicate()[0]
        flags = [int(line.split("Flags=")[1].split()[0]) for line in out.splitlines() if "Type=method_call" in line]
        self.assertEqual(len(flags), 1, out)
        return flags[0]

    def on_terminal(self, *args):
        def run():
            with TmuxSession(VMMCTL, BUS.address, list(args)) as t:
                self.assertEqual(t.wait_for_exit(), 0)
        return run

    def test_flag(self):
        self.assertEqual(self.flags_of(self.on_terminal("list")) & 4, 4)
        self.assertEqual(self.flags_of(self.on_terminal("--no-ask-password", "list")) & 4, 0)
        self.assertEqual(self.flags_of(lambda: self.ok("list")) & 4, 0)


VMM = os.environ.get("VMMCTL_TEST_VMM")
GUEST = os.environ.get("VMMCTL_TEST_GUEST")


def kvm_usable():
    return os.access("/dev/kvm", os.R_OK | os.W_OK)


@unittest.skipUnless(VMM and GUEST and kvm_usable(), "needs /dev/kvm and the vmm binary and test guest from the build")
class TheBundledGuest(Base):
    """What `vmmctl create NAME` defines, booted by the real vmm, its console
    reached through `vmmctl console` (the fake hands out vmm's console socket
    as vmmd would)."""

    def setUp(self):
        super().setUp()
        self.dir = tempfile.TemporaryDirectory(prefix="vmmctl-guest-")
        self.vmm = None

    def tearDown(self):
        if self.vmm and self.vmm.poll() is None:
            self.vmm.kill()
            self.vmm.communicate()
        self.dir.cleanup()

    def boot_created_config(self):
        self.ok("create", "demo", "--memory", "64M", "-q")
        [(_, (_, config))] = self.calls()
        doc = json.loads(config)
        # The installed guest path is not there in a build tree; everything else is as created.
        self.assertEqual(doc["kernel"]["cmdline"], "console=ttyS0 vmmkit.serve")
        doc["kernel"]["path"] = GUEST
        console = os.path.join(self.dir.name, "console")
        doc["console"] = {"mode": "socket", "path": console}
        path = os.path.join(self.dir.name, "demo.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        self.vmm = subprocess.Popen([VMM, "--config", path], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while not os.path.exists(console):
            if self.vmm.poll() is not None:
                self.fail("vmm exited: " + self.vmm.communicate()[1])
            self.assertLess(time.monotonic(), deadline, "no console socket")
            time.sleep(0.05)
        CONTROL.SetConsoleSocket("demo", console)
        # The scrollback holds the banner; wait until the guest says it serves.
        deadline = time.monotonic() + 30
        while "serve: up" not in self.ok("console", "demo", "--timeout", "0.5").stdout:
            self.assertLess(time.monotonic(), deadline, "the guest never said 'serve: up'")

    def powered_off(self):
        self.vmm.send_signal(15)
        _, err = self.vmm.communicate(timeout=60)
        self.assertEqual(self.vmm.returncode, 0, err)
        self.assertIn("guest powered off", err)

    def test_create_console_from_a_pipe_and_power_off(self):
        self.boot_created_config()
        r = self.ok("console", "demo", "--timeout", "2", input="hello vmm\n")
        self.assertIn("echo: hello vmm", r.stdout)
        self.powered_off()

    @unittest.skipUnless(tmux_available(), "tmux is not installed")
    def test_interactive_console_on_the_real_guest(self):
        self.boot_created_config()
        with TmuxConsole(VMMCTL, BUS.address, "demo", timeout=30) as t:
            t.wait_for("serve: up")
            t.send_keys("typed by a person", "Enter")
            t.wait_for("echo: typed by a person")
            t.send_keys("C-]")
            self.assertEqual(t.wait_for_exit(), 0)
            self.assertEqual(t.before(), t.after())
        self.powered_off()


def main():
    global VMMCTL
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    VMMCTL = os.path.abspath(sys.argv[1])
    if not private_bus.available():
        print("SKIP: dbus-daemon is not installed")
        return 77
    result = unittest.main(argv=[sys.argv[0], "-v", *sys.argv[2:]], exit=False).result
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    print("vmmctl-cli: %d passed, %d failed, %d skipped" % (result.testsRun - failed - skipped, failed, skipped))
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
