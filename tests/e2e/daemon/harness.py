# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""vmmd on a private system bus with python3-dbusmock's polkitd and a systemd mock.

Runs under Debian's /usr/bin/python3 (python3-dbus, python3-dbusmock, python3-gi).
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time

import dbus
import dbus.bus
import dbus.mainloop.glib
import dbusmock
from gi.repository import GLib

from private_bus import PrivateSystemBus

HERE = os.path.dirname(os.path.abspath(__file__))
BUS = 'org.vmmkit.vmm1'
MANAGER_PATH = '/org/vmmkit/vmm1'
MANAGER = 'org.vmmkit.vmm1.Manager'
MACHINE = 'org.vmmkit.vmm1.Machine'
ERROR = 'org.vmmkit.vmm1.Error.'
MANAGE = 'org.vmmkit.vmm1.manage-machines'
CONTROL = 'org.vmmkit.vmm1.control-machines'
CONSOLE = 'org.vmmkit.vmm1.open-console'
NOBODY = 65534


class Stack:
    """The bus, the mocks and vmmd; one per test class."""

    def __init__(self, vmmd, vmm, policy_file):
        dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
        self.vmmd_path = vmmd
        self.root = tempfile.mkdtemp(prefix='vmmd-test-')
        os.chmod(self.root, 0o755)
        self.state = os.path.join(self.root, 'state')
        self.run = os.path.join(self.root, 'run')
        self.logs = os.path.join(self.root, 'logs')
        os.makedirs(self.logs)
        self.bus_daemon = PrivateSystemBus(policy_file)
        os.environ['DBUS_SYSTEM_BUS_ADDRESS'] = self.bus_daemon.address
        self.polkit = dbusmock.DBusTestCase.spawn_server_template('polkitd', {}, stdout=subprocess.DEVNULL)[0]
        self.systemd = dbusmock.DBusTestCase.spawn_server_template(
            os.path.join(HERE, 'systemd_mock.py'),
            {'vmm': vmm, 'state_dir': self.state, 'log_dir': self.logs}, stdout=subprocess.DEVNULL)[0]
        self.bus = dbus.bus.BusConnection(self.bus_daemon.address)
        self.vmmd = None
        self.vmmd_log = None

    # --- vmmd -------------------------------------------------------------
    def start_vmmd(self):
        log_path = os.path.join(self.logs, 'vmmd.log')
        with open(log_path, 'a') as log:
            self.vmmd_log_offset = log.tell()
            self.vmmd = subprocess.Popen([self.vmmd_path, '--state-dir', self.state, '--runtime-dir', self.run, '-v'],
                                         stdout=log, stderr=subprocess.STDOUT)
        wait_until(lambda: self.bus.name_has_owner(BUS) or self.vmmd.poll() is not None, 10, 'vmmd on the bus')
        if self.vmmd.poll() is not None:
            raise RuntimeError('vmmd exited: ' + self.vmmd_output())

    def stop_vmmd(self, sig=signal.SIGTERM):
        if self.vmmd is None:
            return
        self.vmmd.send_signal(sig)
        self.vmmd.wait(timeout=10)
        self.vmmd = None
        wait_until(lambda: not self.bus.name_has_owner(BUS), 10, 'vmmd off the bus')

    def vmmd_output(self):
        with open(os.path.join(self.logs, 'vmmd.log')) as f:
            f.seek(self.vmmd_log_offset)
            return f.read()

    def close(self):
        self.stop_vmmd()
        for p in (self.systemd, self.polkit):
            p.terminate()
            p.wait()
        self.bus_daemon.stop()
        if os.environ.get('VMMD_TEST_KEEP') is None:
            shutil.rmtree(self.root, ignore_errors=True)

    # --- clients ----------------------------------------------------------
    def manager(self):
        return dbus.Interface(self.bus.get_object(BUS, MANAGER_PATH), MANAGER)

    def machine(self, name):
        path = self.manager().GetMachine(name)
        return self.bus.get_object(BUS, path)

    def prop(self, name, prop):
        return self.machine(name).Get(MACHINE, prop, dbus_interface=dbus.PROPERTIES_IFACE)

    def polkit_allow(self, *actions):
        obj = self.bus.get_object('org.freedesktop.PolicyKit1', '/org/freedesktop/PolicyKit1/Authority')
        obj.SetAllowed(dbus.Array(actions, signature='s'), dbus_interface='org.freedesktop.DBus.Mock')

    def unit_calls(self):
        obj = self.bus.get_object('org.freedesktop.systemd1', '/org/freedesktop/systemd1')
        return [tuple(c) for c in obj.GetUnitCalls(dbus_interface='org.freedesktop.DBus.Mock')]

    def exit_status(self, unit):
        obj = self.bus.get_object('org.freedesktop.systemd1', '/org/freedesktop/systemd1')
        return int(obj.GetExitStatus(unit, dbus_interface='org.freedesktop.DBus.Mock'))

    def call_as(self, uid, method, *args):
        """Calls a Manager method with dbus-send as another user; (ok, error name or reply)."""
        argv = ['setpriv', '--reuid=%d' % uid, '--regid=%d' % uid, '--clear-groups',
                'dbus-send', '--system', '--print-reply', '--dest=' + BUS, MANAGER_PATH, MANAGER + '.' + method]
        argv += list(args)
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        if done.returncode == 0:
            return True, done.stdout
        text = done.stderr.strip()
        return False, text.split(':')[0].replace('Error ', '') if text.startswith('Error ') else text


def wait_until(predicate, seconds, what):
    """Pumps the GLib main loop (signals) until predicate() holds."""
    deadline = time.monotonic() + seconds
    context = GLib.MainContext.default()
    while time.monotonic() < deadline:
        while context.iteration(False):
            pass
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError('timed out waiting for ' + what)


def tree_snapshot(root):
    """Every file below root with its content, mode and inode."""
    snapshot = {}
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            path = os.path.join(dirpath, f)
            st = os.lstat(path)
            with open(path, 'rb') as fh:
                snapshot[os.path.relpath(path, root)] = (fh.read(), st.st_mode, st.st_ino, st.st_mtime_ns)
    return snapshot
