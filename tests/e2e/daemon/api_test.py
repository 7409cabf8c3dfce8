#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""vmmd's D-Bus API against a private system bus (tests/e2e/daemon/README.md).

usage: api_test.py VMMD VMM GUEST_ELF DBUS_POLICY_FILE [unittest args]
"""

import json
import os
import socket
import subprocess
import stat
import sys
import time
import unittest

import dbus

import harness
from harness import BUS, CONSOLE, CONTROL, ERROR, MACHINE, MANAGE, MANAGER, NOBODY, wait_until

VMMD, VMM, GUEST, POLICY = sys.argv[1:5]
HAVE_KVM = os.access('/dev/kvm', os.R_OK | os.W_OK)


def guest_config(**extra):
    config = {'kernel': {'path': GUEST, 'cmdline': 'console=ttyS0 vmmkit.serve'}, 'memory': {'size_mib': 64},
              'shutdown_timeout_s': 10}
    config.update(extra)
    return json.dumps(config)


STACK = None


def setUpModule():
    global STACK
    STACK = harness.Stack(VMMD, VMM, POLICY)


def tearDownModule():
    STACK.close()


class VmmdTestCase(unittest.TestCase):
    """vmmd restarted for each test; the bus, the mocks and the state folder are shared."""

    @property
    def stack(self):
        return STACK

    def setUp(self):
        self.stack.polkit_allow()
        self.stack.start_vmmd()
        self.m = self.stack.manager()

    def tearDown(self):
        self.stack.stop_vmmd()

    def assertBusError(self, name, call, *args):
        with self.assertRaises(dbus.exceptions.DBusException) as caught:
            call(*args)
        self.assertEqual(caught.exception.get_dbus_name(), ERROR + name, caught.exception.get_dbus_message())
        self.assertTrue(caught.exception.get_dbus_message())  # a human message
        return caught.exception.get_dbus_message()

    def definition(self, name):
        return os.path.join(self.stack.state, 'machines', name + '.json')


class VmmdTest(VmmdTestCase):
    # --- definitions ------------------------------------------------------
    def test_version_and_introspection(self):
        obj = self.stack.bus.get_object(BUS, harness.MANAGER_PATH)
        self.assertTrue(obj.Get(MANAGER, 'Version', dbus_interface=dbus.PROPERTIES_IFACE))
        xml = obj.Introspect(dbus_interface='org.freedesktop.DBus.Introspectable')
        for member in ('CreateMachine', 'OpenMachineConsole', 'MachineStateChanged'):
            self.assertIn(member, xml)

    def test_create_list_get_and_properties(self):
        path = self.m.CreateMachine('def-1', guest_config(vcpu={'num': 2}, uuid='0123abcd-89ab-cdef-0123-456789abcdef'))
        self.assertEqual(path, '/org/vmmkit/vmm1/machine/def_2d1')
        rows = {str(r[0]): r for r in self.m.ListMachines()}
        self.assertEqual(tuple(rows['def-1']), ('def-1', 'stopped', 2, 64, 'vmm@def-1.service', path))
        self.assertEqual(self.m.GetMachine('def-1'), path)
        props = self.stack.machine('def-1').GetAll(MACHINE, dbus_interface=dbus.PROPERTIES_IFACE)
        self.assertEqual(props['Name'], 'def-1')
        self.assertEqual(props['UUID'], '0123abcd-89ab-cdef-0123-456789abcdef')
        self.assertEqual(props['State'], 'stopped')
        self.assertEqual(props['VCPUs'], 2)
        self.assertEqual(props['MemoryMiB'], 64)
        self.assertEqual(props['Kernel'], GUEST)
        self.assertEqual(props['Autostart'], False)
        self.assertEqual(props['MainPID'], 0)
        self.assertEqual(props['ConsoleSocket'], os.path.join(self.stack.run, 'def-1', 'console'))
        self.assertEqual(props['ControlSocket'], os.path.join(self.stack.run, 'def-1', 'control'))
        # On disk: complete, with vmmd's sockets, readable by vmm, no temporary files left.
        with open(self.definition('def-1')) as f:
            stored = json.load(f)
        self.assertEqual(stored['name'], 'def-1')
        self.assertEqual(stored['console'], {'mode': 'socket', 'path': props['ConsoleSocket']})
        self.assertEqual(stored['control'], {'path': props['ControlSocket']})
        self.assertEqual(stat.S_IMODE(os.stat(self.definition('def-1')).st_mode), 0o644)
        self.assertEqual(json.loads(self.m.GetMachineConfig('def-1')), stored)
        self.assertEqual(sorted(os.listdir(os.path.dirname(self.definition('def-1')))),
                         sorted(f for f in os.listdir(os.path.dirname(self.definition('def-1')))
                                if not f.startswith('.')))
        xml = self.stack.bus.get_object(BUS, '/org/vmmkit/vmm1/machine').Introspect(
            dbus_interface='org.freedesktop.DBus.Introspectable')
        self.assertIn('def_2d1', xml)

    def test_replace_config_is_atomic_and_undefine_removes(self):
        self.m.CreateMachine('def-2', guest_config())
        before = os.stat(self.definition('def-2'))
        self.m.ReplaceMachineConfig('def-2', guest_config(memory={'size_mib': 96}))
        after = os.stat(self.definition('def-2'))
        # A new file renamed over the old one, never rewritten in place.
        self.assertNotEqual(before.st_ino, after.st_ino)
        self.assertEqual(self.stack.prop('def-2', 'MemoryMiB'), 96)
        self.assertEqual(json.loads(self.m.GetMachineConfig('def-2'))['memory']['size_mib'], 96)
        self.assertEqual([f for f in os.listdir(os.path.dirname(self.definition('def-2'))) if f.startswith('.')], [])
        self.m.SetMachineAutostart('def-2', True)
        self.assertTrue(os.path.exists(self.definition('def-2')[:-5] + '.autostart'))
        self.m.UndefineMachine('def-2')
        self.assertFalse(os.path.exists(self.definition('def-2')))
        self.assertFalse(os.path.exists(self.definition('def-2')[:-5] + '.autostart'))
        self.assertBusError('NoSuchMachine', self.m.GetMachine, 'def-2')

    def test_every_error_name(self):
        self.m.CreateMachine('err-1', guest_config())
        self.assertBusError('NoSuchMachine', self.m.GetMachine, 'nope')
        self.assertBusError('NoSuchMachine', self.m.StartMachine, 'nope')
        self.assertBusError('NoSuchMachine', self.m.GetMachineConfig, 'nope')
        self.assertBusError('MachineExists', self.m.CreateMachine, 'err-1', guest_config())
        for bad in ('', '-x', '.x', 'a/b', 'a b', 'x' * 65, '\u00e9t\u00e9', '../etc', 'a\nb'):
            self.assertBusError('InvalidArgument', self.m.CreateMachine, bad, guest_config())
            self.assertBusError('InvalidArgument', self.m.StartMachine, bad)
        self.assertBusError('InvalidConfig', self.m.CreateMachine, 'err-2', '{')
        self.assertBusError('InvalidConfig', self.m.CreateMachine, 'err-2', '[]')
        msg = self.assertBusError('InvalidConfig', self.m.CreateMachine, 'err-2',
                                  json.dumps({'kernel': {'path': GUEST}, 'vcpu': {'count': 1}}))
        self.assertIn('vcpu.count', msg)
        self.assertBusError('InvalidConfig', self.m.CreateMachine, 'err-2', json.dumps({'kernel': {'path': GUEST},
                                                                                       'vcpu': {'num': 0}}))
        msg = self.assertBusError('InvalidConfig', self.m.CreateMachine, 'err-2',
                                  json.dumps({'name': 'other', 'kernel': {'path': GUEST}}))
        self.assertIn('other', msg)
        huge = json.dumps({'kernel': {'path': GUEST, 'cmdline': 'x' * (1 << 20)}})
        self.assertBusError('InvalidConfig', self.m.CreateMachine, 'err-2', huge)
        self.assertBusError('InvalidConfig', self.m.ReplaceMachineConfig, 'err-1', '{"kernel": {}}')
        self.assertBusError('InvalidState', self.m.StopMachine, 'err-1', 0)
        self.assertBusError('InvalidState', self.m.PauseMachine, 'err-1')
        self.assertBusError('InvalidState', self.m.ResumeMachine, 'err-1')
        self.assertBusError('InvalidState', self.m.KillMachine, 'err-1')
        self.assertBusError('InvalidState', self.m.RebootMachine, 'err-1')
        self.assertBusError('InvalidState', self.m.OpenMachineConsole, 'err-1')
        ok, name = self.stack.call_as(NOBODY, 'StartMachine', 'string:err-1')
        self.assertFalse(ok)
        self.assertEqual(name, ERROR + 'AccessDenied')
        # A guest whose vmm cannot start: systemd's job fails.
        self.m.CreateMachine('err-3', json.dumps({'kernel': {'path': '/nonexistent/kernel'}}))
        msg = self.assertBusError('Failed', self.m.StartMachine, 'err-3')
        self.assertIn('vmm@err-3.service', msg)
        self.assertIn(self.stack.prop('err-3', 'State'), ('failed', 'stopped'))
        self.assertEqual(self.stack.prop('err-1', 'State'), 'stopped')
        self.assertEqual(self.stack.prop('err-1', 'State'), 'stopped')
        self.assertIsNotNone(self.stack.vmmd.pid)
        self.assertIsNone(self.stack.vmmd.poll())

    def test_nothing_changes_on_disk_when_a_call_fails(self):
        self.m.CreateMachine('disk-1', guest_config())
        self.m.SetMachineAutostart('disk-1', True)
        before = harness.tree_snapshot(self.stack.state)
        failing = [
            (self.m.CreateMachine, 'disk-1', guest_config()),
            (self.m.CreateMachine, 'disk-2', '{"kernel": 1}'),
            (self.m.CreateMachine, 'bad/name', guest_config()),
            (self.m.ReplaceMachineConfig, 'disk-1', '{"kernel": {"path": ""}}'),
            (self.m.ReplaceMachineConfig, 'disk-1', json.dumps({'name': 'x', 'kernel': {'path': GUEST}})),
            (self.m.ReplaceMachineConfig, 'nope', guest_config()),
            (self.m.UndefineMachine, 'nope'),
            (self.m.SetMachineAutostart, 'nope', False),
            (self.m.StopMachine, 'disk-1', 0),
        ]
        for call, *args in failing:
            with self.assertRaises(dbus.exceptions.DBusException):
                call(*args)
        for method, *args in (('CreateMachine', 'string:disk-3', 'string:' + guest_config()),
                              ('ReplaceMachineConfig', 'string:disk-1', 'string:' + guest_config()),
                              ('SetMachineAutostart', 'string:disk-1', 'boolean:false'),
                              ('UndefineMachine', 'string:disk-1')):
            ok, name = self.stack.call_as(NOBODY, method, *args)
            self.assertEqual((ok, name), (False, ERROR + 'AccessDenied'), method)
        self.assertEqual(harness.tree_snapshot(self.stack.state), before)

    # --- authorization ----------------------------------------------------
    def test_polkit_allow_deny_and_unprivileged_callers(self):
        self.m.CreateMachine('auth-1', guest_config())
        # Reads are open to everyone.
        ok, out = self.stack.call_as(NOBODY, 'ListMachines')
        self.assertTrue(ok, out)
        self.assertIn('auth-1', out)
        ok, out = self.stack.call_as(NOBODY, 'GetMachineConfig', 'string:auth-1')
        self.assertTrue(ok, out)
        # polkit says no: denied; root is allowed without asking.
        ok, name = self.stack.call_as(NOBODY, 'SetMachineAutostart', 'string:auth-1', 'boolean:true')
        self.assertEqual((ok, name), (False, ERROR + 'AccessDenied'))
        self.m.SetMachineAutostart('auth-1', True)
        # polkit says yes for manage-machines only.
        self.stack.polkit_allow(MANAGE)
        ok, out = self.stack.call_as(NOBODY, 'SetMachineAutostart', 'string:auth-1', 'boolean:false')
        self.assertTrue(ok, out)
        self.assertEqual(self.stack.prop('auth-1', 'Autostart'), False)
        ok, out = self.stack.call_as(NOBODY, 'CreateMachine', 'string:auth-2', 'string:' + guest_config())
        self.assertTrue(ok, out)
        for method in ('StartMachine', 'KillMachine', 'PauseMachine', 'RebootMachine'):
            ok, name = self.stack.call_as(NOBODY, method, 'string:auth-2')
            self.assertEqual((ok, name), (False, ERROR + 'AccessDenied'), method)
        ok, name = self.stack.call_as(NOBODY, 'OpenMachineConsole', 'string:auth-2')
        self.assertEqual((ok, name), (False, ERROR + 'AccessDenied'))
        self.stack.polkit_allow(MANAGE, CONTROL, CONSOLE)
        ok, name = self.stack.call_as(NOBODY, 'StopMachine', 'string:auth-2', 'uint32:0')
        self.assertEqual((ok, name), (False, ERROR + 'InvalidState'))  # allowed, but not running
        ok, out = self.stack.call_as(NOBODY, 'UndefineMachine', 'string:auth-2')
        self.assertTrue(ok, out)

    def test_no_polkit_means_denied(self):
        self.m.CreateMachine('auth-3', guest_config())
        self.stack.polkit.terminate()
        self.stack.polkit.wait()
        try:
            ok, name = self.stack.call_as(NOBODY, 'UndefineMachine', 'string:auth-3')
            self.assertEqual((ok, name), (False, ERROR + 'AccessDenied'))
            self.assertTrue(os.path.exists(self.definition('auth-3')))
        finally:
            import dbusmock
            self.stack.polkit = dbusmock.DBusTestCase.spawn_server_template(
                'polkitd', {}, stdout=subprocess.DEVNULL)[0]

    # --- loading ----------------------------------------------------------
    def test_corrupt_definitions_are_reported_and_skipped(self):
        self.m.CreateMachine('good-1', guest_config())
        self.stack.stop_vmmd()
        machines = os.path.join(self.stack.state, 'machines')
        corrupt = {
            'broken-1.json': b'{"kernel": ',
            'broken-2.json': json.dumps({'name': 'someone-else', 'kernel': {'path': GUEST}}).encode(),
            'broken-3.json': json.dumps({'kernel': {'path': GUEST}, 'vcpu': {'num': 999}}).encode(),
            'bad name.json': json.dumps({'name': 'bad name', 'kernel': {'path': GUEST}}).encode(),
            'broken-4.json': b'\xff\xfe' * 10,
        }
        for file, content in corrupt.items():
            with open(os.path.join(machines, file), 'wb') as f:
                f.write(content)
        before = harness.tree_snapshot(self.stack.state)
        self.stack.start_vmmd()
        names = sorted(str(r[0]) for r in self.stack.manager().ListMachines())
        self.assertIn('good-1', names)
        for broken in ('broken-1', 'broken-2', 'broken-3', 'bad name', 'broken-4'):
            self.assertNotIn(broken, names)
        log = self.stack.vmmd_output()
        for file in corrupt:
            self.assertIn(os.path.join(machines, file), log)
        self.assertIn('someone-else', log)
        self.assertIn('vcpu.num', log)
        self.assertEqual(harness.tree_snapshot(self.stack.state), before)  # never deleted or rewritten
        for file in corrupt:
            os.unlink(os.path.join(machines, file))


@unittest.skipUnless(HAVE_KVM, '/dev/kvm is not usable: guest lifecycle tests skipped')
class GuestLifecycleTest(VmmdTestCase):
    """Guests booted by the systemd mock as real vmm processes (the test guest's service mode)."""

    def collect_signals(self):
        events = []
        self.stack.bus.add_signal_receiver(lambda name, path, state: events.append((str(name), str(state))),
                                           'MachineStateChanged', MANAGER, BUS, harness.MANAGER_PATH)
        changed = []
        self.stack.bus.add_signal_receiver(
            lambda iface, props, _inv, path=None: changed.append((str(path), dict(props))),
            'PropertiesChanged', dbus.PROPERTIES_IFACE, BUS, None, path_keyword='path')
        return events, changed

    def wait_state(self, name, state):
        wait_until(lambda: self.stack.prop(name, 'State') == state, 20, '%s to be %s' % (name, state))

    def read_console(self, sock, text, seconds=20):
        received = []
        sock.settimeout(0.2)

        def got():
            try:
                received.append(sock.recv(4096))
            except socket.timeout:
                pass
            return text.encode() in b''.join(received)
        wait_until(got, seconds, 'console output %r' % text)
        return b''.join(received)

    def wait_guest_up(self, name):
        sock = socket.socket(fileno=self.m.OpenMachineConsole(name).take())
        try:
            self.read_console(sock, 'serve: up')
        finally:
            sock.close()

    def test_start_console_pause_reboot_stop_kill(self):
        events, changed = self.collect_signals()
        self.m.CreateMachine('life-1', guest_config())
        self.m.StartMachine('life-1')  # returns when the unit is active
        self.wait_state('life-1', 'running')
        pid = self.stack.prop('life-1', 'MainPID')
        self.assertGreater(pid, 0)
        self.assertBusError('InvalidState', self.m.StartMachine, 'life-1')
        self.assertBusError('InvalidState', self.m.UndefineMachine, 'life-1')

        fd = self.m.OpenMachineConsole('life-1')
        sock = socket.socket(fileno=fd.take())
        self.read_console(sock, 'serve: up')
        sock.sendall(b'hello vmmd\r')
        self.read_console(sock, 'echo: hello vmmd')

        self.m.PauseMachine('life-1')
        self.assertEqual(self.stack.prop('life-1', 'State'), 'paused')
        self.assertBusError('InvalidState', self.m.PauseMachine, 'life-1')
        self.m.ResumeMachine('life-1')
        self.assertEqual(self.stack.prop('life-1', 'State'), 'running')

        self.m.RebootMachine('life-1')
        self.wait_state('life-1', 'running')
        self.assertNotEqual(self.stack.prop('life-1', 'MainPID'), pid)
        sock.close()
        self.wait_guest_up('life-1')  # until then the guest cannot see the power button

        self.m.StopMachine('life-1', 0)  # graceful: the guest powers off through ACPI
        self.assertEqual(self.stack.prop('life-1', 'State'), 'stopped')
        self.assertEqual(self.stack.exit_status('vmm@life-1.service'), 0)
        self.assertEqual(self.stack.prop('life-1', 'MainPID'), 0)

        self.m.StartMachine('life-1')
        self.m.KillMachine('life-1')
        self.wait_state('life-1', 'failed')
        self.m.UndefineMachine('life-1')

        wait_until(lambda: ('life-1', 'stopped') in events, 10, 'MachineStateChanged signals')
        seen = [e[1] for e in events if e[0] == 'life-1']
        for state in ('running', 'paused', 'stopped', 'failed'):
            self.assertIn(state, seen)
        path = '/org/vmmkit/vmm1/machine/life_2d1'
        self.assertTrue(any(p == path and 'State' in props for p, props in changed))

    def test_vmmd_killed_leaves_guest_running_and_readopts_it(self):
        self.m.CreateMachine('adopt-1', guest_config())
        self.m.StartMachine('adopt-1')
        self.wait_state('adopt-1', 'running')
        self.wait_guest_up('adopt-1')
        self.m.PauseMachine('adopt-1')
        pid = self.stack.prop('adopt-1', 'MainPID')
        self.stack.stop_vmmd(sig=9)
        os.kill(pid, 0)  # still there
        self.stack.start_vmmd()
        self.m = self.stack.manager()
        self.wait_state('adopt-1', 'paused')  # vmm's control socket says so
        self.assertEqual(self.stack.prop('adopt-1', 'MainPID'), pid)
        self.m.ResumeMachine('adopt-1')
        self.m.StopMachine('adopt-1', 0)
        self.assertEqual(self.stack.exit_status('vmm@adopt-1.service'), 0)

    def test_stop_kills_a_guest_that_does_not_power_off_in_time(self):
        self.m.CreateMachine('hard-1', guest_config(shutdown_timeout_s=600))
        self.m.StartMachine('hard-1')
        self.wait_state('hard-1', 'running')
        self.m.PauseMachine('hard-1')  # parked vCPUs never see the power button
        started = time.monotonic()
        self.m.StopMachine('hard-1', 1)
        self.assertLess(time.monotonic() - started, 10)
        self.assertIn(('KillUnit', 'vmm@hard-1.service'), self.stack.unit_calls())
        self.assertEqual(self.stack.exit_status('vmm@hard-1.service'), -9)
        self.assertEqual(self.stack.prop('hard-1', 'State'), 'failed')
        self.m.UndefineMachine('hard-1')

    def test_autostart_once_per_boot(self):
        self.m.CreateMachine('auto-1', guest_config())
        self.m.SetMachineAutostart('auto-1', True)
        self.assertEqual(self.stack.prop('auto-1', 'Autostart'), True)
        self.stack.stop_vmmd()
        marker = os.path.join(self.stack.run, 'autostart.done')
        if os.path.exists(marker):
            os.unlink(marker)  # a new boot
        self.stack.start_vmmd()
        self.m = self.stack.manager()
        self.wait_state('auto-1', 'running')
        self.wait_guest_up('auto-1')
        self.m.StopMachine('auto-1', 0)
        self.stack.stop_vmmd()
        self.stack.start_vmmd()  # same boot: stays stopped
        self.m = self.stack.manager()
        self.assertEqual(self.stack.prop('auto-1', 'State'), 'stopped')
        self.assertEqual(sum(1 for c in self.stack.unit_calls() if c == ('StartUnit', 'vmm@auto-1.service')), 1)
        self.m.SetMachineAutostart('auto-1', False)


if __name__ == '__main__':
    if os.geteuid() != 0:
        print('SKIP: needs root (vmmd owns its name on the test bus; clients switch uid with setpriv)')
        sys.exit(77)
    unittest.main(argv=[sys.argv[0]] + sys.argv[5:], verbosity=2)
