# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""A python3-dbusmock template for the part of org.freedesktop.systemd1 vmmd uses.

StartUnit/StopUnit/RestartUnit/KillUnit/Subscribe on the manager, unit objects with
org.freedesktop.systemd1.Unit.ActiveState and org.freedesktop.systemd1.Service.MainPID
that emit PropertiesChanged, and JobRemoved when a job ends. A vmm@NAME.service unit is
a real child process: `VMM --config STATE_DIR/machines/NAME.json` (parameters "vmm" and
"state_dir"), SIGTERM on stop,
"active" after READY=1 on its NOTIFY_SOCKET (Type=notify), "inactive" after exit status 0 and "failed" otherwise, as systemd would report them.
Other units fail to start (not found).
"""

import json
import os
import signal
import socket
import subprocess

import dbus
from gi.repository import GLib

BUS_NAME = 'org.freedesktop.systemd1'
MAIN_OBJ = '/org/freedesktop/systemd1'
MAIN_IFACE = 'org.freedesktop.systemd1.Manager'
SYSTEM_BUS = True

UNIT_IFACE = 'org.freedesktop.systemd1.Unit'
SERVICE_IFACE = 'org.freedesktop.systemd1.Service'


def path_encode(prefix, name):
    """sd_bus_path_encode(): every byte but [A-Za-z0-9] (and a leading digit) as _xx."""
    out = ''
    for i, ch in enumerate(name.encode()):
        c = chr(ch)
        if (c.isascii() and c.isalpha()) or (c.isdigit() and i > 0):
            out += c
        else:
            out += '_%02x' % ch
    return prefix + '/' + (out or '_')


def load(mock, parameters):
    mock.vmm = parameters['vmm']
    mock.state_dir = parameters['state_dir']
    mock.log_dir = parameters.get('log_dir', '/tmp')
    mock.units = {}   # name -> dict(state, pid, proc)
    mock.next_job = 1
    mock.calls = []   # (method, unit) for tests
    mock.AddProperties(MAIN_IFACE, {'Version': 'mock'})


def _unit_object(mock, name):
    path = path_encode('/org/freedesktop/systemd1/unit', name)
    if path not in _objects():
        mock.AddObject(path, UNIT_IFACE, {'Id': name, 'ActiveState': 'inactive'}, [])
        _objects()[path].AddProperties(SERVICE_IFACE, {'MainPID': dbus.UInt32(0)})
    return _objects()[path]


def _objects():
    from dbusmock import mockobject
    return mockobject.objects


def _set_state(mock, name, state, pid=None):
    unit = mock.units.setdefault(name, {'state': 'inactive', 'pid': 0, 'proc': None})
    unit['state'] = state
    obj = _unit_object(mock, name)
    if pid is not None:
        unit['pid'] = pid
        obj.Set(SERVICE_IFACE, 'MainPID', dbus.UInt32(pid))
    obj.Set(UNIT_IFACE, 'ActiveState', state)


def _new_job(mock, name, method):
    mock.calls.append((method, name))
    job = dbus.ObjectPath('/org/freedesktop/systemd1/job/%d' % mock.next_job)
    mock.next_job += 1
    return job


def _finish(mock, job, name, result):
    # After the method's reply, as systemd does (vmmd handles either order).
    def emit():
        mock.EmitSignal(MAIN_IFACE, 'JobRemoved', 'uoss', [dbus.UInt32(0), job, name, result])
        return False
    GLib.idle_add(emit)


def _instance(name):
    if not (name.startswith('vmm@') and name.endswith('.service')):
        return None
    return name[len('vmm@'):-len('.service')]


def _control_path(mock, instance):
    try:
        with open(os.path.join(mock.state_dir, 'machines', instance + '.json')) as f:
            return json.load(f).get('control', {}).get('path')
    except (OSError, ValueError):
        return None


def _notify_socket(mock, name):
    """A NOTIFY_SOCKET for the unit, as systemd gives Type=notify services."""
    path = os.path.join(mock.log_dir, 'notify-%d' % mock.next_job)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    return sock, path


def _spawn(mock, name, job, on_done):
    instance = _instance(name)
    config = os.path.join(mock.state_dir, 'machines', '%s.json' % instance)
    control = _control_path(mock, instance)
    if control:
        os.makedirs(os.path.dirname(control), exist_ok=True)  # RuntimeDirectory=vmmkit/%i
    notify, notify_path = _notify_socket(mock, name)
    log = open(os.path.join(mock.log_dir, '%s.log' % name), 'ab')
    proc = subprocess.Popen([mock.vmm, '--config', config], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                            env=dict(os.environ, NOTIFY_SOCKET=notify_path))
    unit = mock.units.setdefault(name, {})
    unit['proc'] = proc
    _set_state(mock, name, 'activating', proc.pid)

    def close_notify():
        if unit.get('notify') is notify:
            GLib.source_remove(unit.pop('notify_watch'))
            notify.close()
            os.unlink(notify_path)
            unit.pop('notify')

    def exited(pid, status):
        code = os.waitstatus_to_exitcode(status)
        unit['exit'] = code
        was = unit['state']
        close_notify()
        _set_state(mock, name, 'inactive' if code == 0 else 'failed', 0)
        if was == 'activating':
            on_done('failed')
        stop_cb = unit.pop('on_exit', None)
        if stop_cb:
            stop_cb()

    def notified(_fd, _condition):
        data = notify.recv(4096)
        if b'READY=1' in data.split(b'\n') and unit['state'] == 'activating' and unit.get('proc') is proc:
            _set_state(mock, name, 'active')
            on_done('done')
        return True

    unit['notify'] = notify
    unit['notify_watch'] = GLib.io_add_watch(notify.fileno(), GLib.IO_IN, notified)
    GLib.child_watch_add(GLib.PRIORITY_DEFAULT, proc.pid, exited)


def _start(mock, name, job, finish):
    unit = mock.units.get(name, {})
    if unit.get('state') in ('active', 'activating', 'reloading'):
        finish('done')
        return
    if _instance(name) is None or not os.path.exists(
            os.path.join(mock.state_dir, 'machines', _instance(name) + '.json')):
        finish('failed')
        return
    _spawn(mock, name, job, finish)


def _stop(mock, name, finish):
    unit = mock.units.get(name, {})
    if unit.get('state') not in ('active', 'activating', 'deactivating') or unit.get('proc') is None:
        finish('done')
        return
    unit['on_exit'] = lambda: finish('done')
    _set_state(mock, name, 'deactivating')
    unit['proc'].send_signal(signal.SIGTERM)


@dbus.service.method(MAIN_IFACE, in_signature='', out_signature='')
def Subscribe(self):
    self.calls.append(('Subscribe', ''))


@dbus.service.method(MAIN_IFACE, in_signature='ss', out_signature='o')
def StartUnit(self, name, _mode):
    job = _new_job(self, name, 'StartUnit')
    _start(self, name, job, lambda result: _finish(self, job, name, result))
    return job


@dbus.service.method(MAIN_IFACE, in_signature='ss', out_signature='o')
def StopUnit(self, name, _mode):
    job = _new_job(self, name, 'StopUnit')
    _stop(self, name, lambda result: _finish(self, job, name, result))
    return job


@dbus.service.method(MAIN_IFACE, in_signature='ss', out_signature='o')
def RestartUnit(self, name, _mode):
    job = _new_job(self, name, 'RestartUnit')
    _stop(self, name, lambda _result: _start(self, name, job, lambda result: _finish(self, job, name, result)))
    return job


@dbus.service.method(MAIN_IFACE, in_signature='ssi', out_signature='')
def KillUnit(self, name, _who, signo):
    self.calls.append(('KillUnit', name))
    unit = self.units.get(name, {})
    if unit.get('proc') is not None and unit.get('state') != 'inactive':
        try:
            os.kill(unit['proc'].pid, signo)
        except ProcessLookupError:
            pass


@dbus.service.method('org.freedesktop.DBus.Mock', in_signature='', out_signature='a(ss)')
def GetUnitCalls(self):
    return [(m, u) for m, u in self.calls]


@dbus.service.method('org.freedesktop.DBus.Mock', in_signature='s', out_signature='i')
def GetExitStatus(self, name):
    return self.units.get(name, {}).get('exit', -1000)
