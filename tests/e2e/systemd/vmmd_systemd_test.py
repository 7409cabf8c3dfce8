#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""vmmd under a real systemd (systemd-nspawn of the host tree, container.py).

usage: vmmd_systemd_test.py BUILD_DIR

vmmd, vmm, the units, the D-Bus files and the test guest go in from meson's install plan;
vmmd is D-Bus activated, talks to the container's systemd, and runs the test guest
(`vmmkit.serve`) as vmm@demo.service. Exit 77 (skip) without root, /dev/kvm or nspawn.
"""

import json
import os
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from container import Container  # noqa: E402

BUILD = os.path.abspath(sys.argv[1])
MANAGER = ['org.vmmkit.vmm1', '/org/vmmkit/vmm1', 'org.vmmkit.vmm1.Manager']

CONSOLE_CHECK = r'''
import socket, sys, time
import dbus
bus = dbus.SystemBus()
m = dbus.Interface(bus.get_object('org.vmmkit.vmm1', '/org/vmmkit/vmm1'), 'org.vmmkit.vmm1.Manager')
s = socket.socket(fileno=m.OpenMachineConsole('demo').take())
s.settimeout(1)
seen = b''
def wait(text):
    global seen
    deadline = time.monotonic() + 30
    while text not in seen and time.monotonic() < deadline:
        try:
            seen += s.recv(4096)
        except socket.timeout:
            pass
    return text in seen
ok = wait(b'serve: up')
s.sendall(b'hello from vmmd\r')
ok = ok and wait(b'echo: hello from vmmd')
print(seen.decode(errors='replace'))
sys.exit(0 if ok else 1)
'''


def skip(why):
    print('SKIP: ' + why)
    sys.exit(77)


def check(condition, what, detail=''):
    if not condition:
        raise AssertionError(what + (': ' + str(detail) if detail else ''))
    print('ok: ' + what + (' (%s)' % str(detail).strip()[:200] if detail else ''))


def wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError('timed out: ' + what)


def main():
    if os.geteuid() != 0:
        skip('needs root (mounts and systemd-nspawn)')
    if not os.access('/dev/kvm', os.R_OK | os.W_OK):
        skip('/dev/kvm is not usable')
    if shutil.which('systemd-nspawn') is None or shutil.which('nsenter') is None:
        skip('systemd-nspawn or nsenter missing')

    wanted = ('vmmd', 'vmm', 'vmmctl', 'vmmkit-guest', 'libvmm.so', 'vmmd.service', 'vmm@.service', 'vmm-guests.target',
              'org.vmmkit.vmm1.service', 'org.vmmkit.vmm1.conf', 'org.vmmkit.vmm1.policy', 'vmmkit.conf')
    with Container('vmmkit-vmmd-e2e') as c:
        installed = c.install_build(BUILD, lambda _s, dest: os.path.basename(dest).startswith(wanted))
        # dbus-daemon reads policy only from /usr/share and /etc: with another prefix, the admin's copy.
        for dest in installed:
            if dest.endswith('system.d/org.vmmkit.vmm1.conf') and not dest.startswith('/usr/share/'):
                c.add_file(c.path(dest), '/etc/dbus-1/system.d/org.vmmkit.vmm1.conf')
            # polkitd reads actions only from /usr/share/polkit-1/actions.
            if dest.endswith('actions/org.vmmkit.vmm1.policy') and not dest.startswith('/usr/share/'):
                c.add_file(c.path(dest), '/usr/share/polkit-1/actions/org.vmmkit.vmm1.policy')
        guest = [d for d in installed if d.endswith('/vmmkit-guest')][0]
        vmmctl = [d for d in installed if d.endswith('/bin/vmmctl')][0]
        # The host may have /dev/kvm as root-only 0600 (no udev); the container gets its own
        # node with udev's usual group kvm and mode 0660, so vmm@.service can run as vmm.
        kvm = c.device_node('/dev/kvm')
        state = c.boot(binds=[kvm + ':/dev/kvm'])
        print('container booted: ' + state)
        try:
            scenario(c, guest, kvm, vmmctl)
        except Exception:
            for unit in ('vmmd.service', 'vmm@demo.service'):
                print('--- journal of %s:' % unit)
                print(c.run(['journalctl', '-u', unit, '--no-pager', '-n', '40'], check=False).stdout)
            raise


def scenario(c, guest, kvm, vmmctl):
    if True:

        def sh(*argv, **kw):
            return c.run(list(argv), **kw)

        def busctl(*args, check=True):
            done = sh('busctl', '--json=short', *args, check=check)
            return json.loads(done.stdout) if done.returncode == 0 and done.stdout.strip() else None

        def prop(name, p):
            return busctl('get-property', 'org.vmmkit.vmm1', '/org/vmmkit/vmm1/machine/' + name,
                          'org.vmmkit.vmm1.Machine', p)['data']

        def unit_prop(unit, p):
            return sh('systemctl', 'show', '-P', p, unit).stdout.strip()

        sh('systemd-sysusers')  # the vmm user from vmmkit's sysusers.d
        check(sh('id', 'vmm').returncode == 0, 'user vmm exists')
        kvm_gid = int(sh('getent', 'group', 'kvm').stdout.split(':')[2])
        os.chown(kvm, 0, kvm_gid)
        os.chmod(kvm, 0o660)
        config = json.dumps({'kernel': {'path': guest, 'cmdline': 'console=ttyS0 vmmkit.serve'},
                             'memory': {'size_mib': 64}, 'shutdown_timeout_s': 20})
        # D-Bus activation starts vmmd.service.
        path = busctl('call', *MANAGER, 'CreateMachine', 'ss', 'demo', config)['data'][0]
        check(path == '/org/vmmkit/vmm1/machine/demo', 'CreateMachine (D-Bus activation)', path)
        check(unit_prop('vmmd.service', 'ActiveState') == 'active', 'vmmd.service active')
        check(os.path.exists(c.path('/var/lib/vmmkit/machines/demo.json')), 'definition stored')

        # An unprivileged caller: reads are open, changes need polkit (auth_admin_keep, no agent here).
        nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'busctl']
        done = sh(*nobody, 'call', *MANAGER, 'ListMachines', check=False)
        check(done.returncode == 0 and 'demo' in done.stdout, 'nobody may list', done.stdout + done.stderr)
        if os.path.exists(c.path('/usr/lib/polkit-1/polkitd')):
            done = sh(*nobody, 'call', *MANAGER, 'StartMachine', 's', 'demo', check=False)
            check(done.returncode != 0 and 'not authorized for org.vmmkit.vmm1.control-machines' in done.stderr
                  and 'not available' not in done.stderr,
                  'nobody may not start (real polkitd)', done.stdout + done.stderr)
            check(unit_prop('vmm@demo.service', 'ActiveState') == 'inactive', 'denied start changed nothing')

        busctl('call', *MANAGER, 'StartMachine', 's', 'demo')
        check(unit_prop('vmm@demo.service', 'ActiveState') == 'active', 'vmm@demo.service active')
        check(prop('demo', 'State') == 'running', 'State running')
        pid = prop('demo', 'MainPID')
        check(pid == int(unit_prop('vmm@demo.service', 'MainPID')), 'MainPID matches systemd', pid)
        cgroup = sh('cat', '/proc/%d/cgroup' % pid).stdout
        check('machine.slice/vmm@demo.service' in cgroup, 'guest in machine.slice, not in vmmd', cgroup)
        if os.path.exists(c.path('/lib/systemd/systemd-machined')):
            wait_for(lambda: sh('machinectl', 'show', 'demo', '-p', 'Class', check=False).stdout.strip() ==
                     'Class=vm', 10, 'demo registered with systemd-machined')
            check(sh('machinectl', 'show', 'demo', '-p', 'Leader').stdout.strip() == 'Leader=%d' % pid,
                  'systemd-machined lists demo (class vm, leader = MainPID)')
        listed = busctl('call', *MANAGER, 'ListMachines')['data'][0]
        check(listed[0][:2] == ['demo', 'running'], 'ListMachines', listed)

        # vmmctl agrees with busctl and systemctl.
        rows = json.loads(sh(vmmctl, 'list', '--json=short').stdout)
        check([(r['name'], r['state'], r['unit'], r['object']) for r in rows] ==
              [('demo', 'running', 'vmm@demo.service', '/org/vmmkit/vmm1/machine/demo')] and
              [(r['vcpus'], r['memory_mib']) for r in rows] == [tuple(listed[0][2:4])],
              'vmmctl list --json agrees with ListMachines', rows)
        shown = sh(vmmctl, 'show', 'demo').stdout
        check('MainPID=%d' % pid in shown and 'State=running' in shown, 'vmmctl show agrees with systemctl', shown)
        table = sh(vmmctl, 'list').stdout
        check('demo' in table and 'running' in table and '1 machine listed.' in table, 'vmmctl list table', table)

        # vmmctl console on a terminal, driven through tmux as a person would.
        sh('tmux', 'new-session', '-d', '-s', 'con', '-x', '120', '-y', '30', vmmctl + ' console demo')

        def pane():
            return sh('tmux', 'capture-pane', '-p', '-t', 'con', '-S', '-200', check=False).stdout

        wait_for(lambda: 'vmmkit test guest' in pane(), 15, 'vmmctl console replays the guest output')
        sh('tmux', 'send-keys', '-t', 'con', 'typed in tmux', 'Enter')
        wait_for(lambda: 'echo: typed in tmux' in pane(), 15, 'the guest echoes what was typed in vmmctl console')
        sh('tmux', 'send-keys', '-t', 'con', 'C-]')
        wait_for(lambda: sh('tmux', 'has-session', '-t', 'con', check=False).returncode != 0, 10,
                 'Ctrl+] leaves vmmctl console')
        check(True, 'vmmctl console in tmux: guest output, echoed input, Ctrl+] leaves')

        console = sh('/usr/bin/python3', '-c', CONSOLE_CHECK, check=False)
        check(console.returncode == 0, 'console fd shows the guest and echoes input', console.stdout + console.stderr)

        # kill -9 of vmmd: the guest keeps running; a new vmmd re-adopts it.
        sh('systemctl', 'kill', '--signal=KILL', 'vmmd.service')
        wait_for(lambda: unit_prop('vmmd.service', 'ActiveState') != 'active' or
                 unit_prop('vmmd.service', 'MainPID') not in ('0', ''), 10, 'vmmd killed')
        check(unit_prop('vmm@demo.service', 'ActiveState') == 'active', 'guest survives kill -9 of vmmd')
        wait_for(lambda: busctl('get-property', 'org.vmmkit.vmm1', '/org/vmmkit/vmm1/machine/demo',
                                'org.vmmkit.vmm1.Machine', 'State', check=False) is not None, 30, 'vmmd back')
        wait_for(lambda: prop('demo', 'State') == 'running', 10, 'demo re-adopted as running')
        check(prop('demo', 'MainPID') == pid, 're-adopted guest has the same MainPID')

        busctl('call', *MANAGER, 'StopMachine', 'su', 'demo', '0')
        check(unit_prop('vmm@demo.service', 'ActiveState') == 'inactive', 'vmm@demo.service inactive after Stop')
        check(unit_prop('vmm@demo.service', 'ExecMainStatus') == '0', 'vmm exited 0 (guest powered off)')
        check(prop('demo', 'State') == 'stopped', 'State stopped')
        journal = sh('journalctl', '-u', 'vmm@demo.service', '--no-pager', '-o', 'cat').stdout
        check('guest powered off' in journal, 'vmm logged the power-off', journal[-2000:])

        # A corrupt definition is reported and skipped.
        with open(c.path('/var/lib/vmmkit/machines/broken.json'), 'w') as f:
            f.write('{"kernel": ')
        sh('systemctl', 'restart', 'vmmd.service')
        names = [row[0] for row in busctl('call', *MANAGER, 'ListMachines')['data'][0]]
        check(names == ['demo'], 'corrupt definition skipped', names)
        log = sh('journalctl', '-u', 'vmmd.service', '--no-pager', '-o', 'cat').stdout
        check('/var/lib/vmmkit/machines/broken.json' in log, 'corrupt definition reported in the journal',
              log[-2000:])
        check(os.path.exists(c.path('/var/lib/vmmkit/machines/broken.json')), 'corrupt file left in place')
        busctl('call', *MANAGER, 'UndefineMachine', 's', 'demo')
        print('PASS')


if __name__ == '__main__':
    # meson's timeout sends SIGTERM: unwind so the container and its mounts go away.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit('terminated'))
    main()
