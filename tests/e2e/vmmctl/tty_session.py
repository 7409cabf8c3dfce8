"""`vmmctl console` on a real terminal: a tmux pane runs a small shell script
that saves `stty -a` before and after vmmctl, so a test can drive the
console as a person would (send-keys, capture-pane) and check that the
terminal comes back exactly as it was."""
import os
import shlex
import shutil
import subprocess
import tempfile
import time


def tmux_available():
    return shutil.which("tmux") is not None


class TmuxSession:
    """Runs `vmmctl ARGS...` on the terminal of a tmux pane."""

    def __init__(self, vmmctl, bus_address, args, timeout=15, env=None):
        self.dir = tempfile.mkdtemp(prefix="vmmctl-tty-")
        self.socket = os.path.join(self.dir, "tmux")
        self.timeout = timeout
        script = os.path.join(self.dir, "run.sh")
        with open(script, "w") as f:
            f.write("stty -a > {d}/before\n"
                    "{env} DBUS_SYSTEM_BUS_ADDRESS={bus} sh -c 'echo $$ > {d}/pid; exec \"$@\"' sh {vmmctl} {args}\n"
                    "echo $? > {d}/status.tmp; stty -a > {d}/after; mv {d}/status.tmp {d}/status\n"
                    "sleep 600\n".format(d=shlex.quote(self.dir), bus=shlex.quote(bus_address),
                                         vmmctl=shlex.quote(vmmctl), args=" ".join(map(shlex.quote, args)),
                                         env=" ".join(shlex.quote(k + "=" + v) for k, v in (env or {}).items())))
        self.tmux("new-session", "-d", "-x", "120", "-y", "30", "-s", "console",
                  "env {} /bin/sh {}".format(shlex.quote("PATH=" + os.environ.get("PATH", "/usr/bin:/bin")),
                                            shlex.quote(script)))

    def tmux(self, *args):
        return subprocess.run(["tmux", "-S", self.socket, "-f", "/dev/null", *args], check=True,
                              capture_output=True, text=True).stdout

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    def exited(self):
        return os.path.exists(os.path.join(self.dir, "status"))

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", "console")

    def wait_for(self, text):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if text in self.screen():
                return
            time.sleep(0.05)
        raise AssertionError("%r not on the screen:\n%s" % (text, self.screen()))

    def send_keys(self, *keys):
        self.tmux("send-keys", "-t", "console", *keys)

    def tty_settings(self):
        tty = self.tmux("display-message", "-p", "-t", "console", "#{pane_tty}").strip()
        with open(tty) as t:
            return subprocess.run(["stty", "-a"], stdin=t, capture_output=True, text=True, check=True).stdout

    def kill_vmmctl(self, sig="TERM"):
        with open(os.path.join(self.dir, "pid")) as f:
            pid = int(f.read())
        subprocess.run(["kill", "-" + sig, str(pid)], check=True)

    def wait_for_exit(self):
        path = os.path.join(self.dir, "status")
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if os.path.exists(path):
                with open(path) as f:
                    return int(f.read())
            time.sleep(0.05)
        raise AssertionError("vmmctl did not exit:\n" + self.screen())

    def before(self):
        with open(os.path.join(self.dir, "before")) as f:
            return f.read()

    def after(self):
        with open(os.path.join(self.dir, "after")) as f:
            return f.read()


def TmuxConsole(vmmctl, bus_address, name, timeout=15):
    """`vmmctl console NAME` on a terminal."""
    return TmuxSession(vmmctl, bus_address, ["console", name], timeout)
