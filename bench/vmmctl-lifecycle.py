#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""vmmctl against a real vmmd under a real systemd (issue 5, item 14, bullets 2 and 3).

usage: bench/vmmctl-lifecycle.py BUILD_DIR [--rounds 5] [--machines 10] [--cycles 3]

Boots the host tree in systemd-nspawn with the build's vmmd, vmm, vmmctl, test guest and
units installed (tests/e2e/systemd's Container), then measures inside it:
  1. `vmmctl create NAME --memory 64M` + `vmmctl start NAME --console` until the first byte
     of the guest's console reaches vmmctl's stdout (the bundled test guest in service mode),
     ROUNDS times;
  2. start/stop cycles per second with MACHINES machines: every machine started with
     `vmmctl start`, then every one stopped with `vmmctl stop` (ACPI power button; the guest
     powers off), CYCLES times; one cycle = one start + one stop of one machine.
Each vmmctl is a separate process, as a script would run it. Needs root, /dev/kvm,
systemd-container and nsenter.
"""
import argparse
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'e2e', 'systemd'))

from container import Container  # noqa: E402

# Runs inside the container: the timings, as JSON on stdout.
INSIDE = r'''
import json, subprocess, sys, time
rounds, machines, cycles = (int(a) for a in sys.argv[1:4])
def vmmctl(*args):
    subprocess.run(["vmmctl", "-q", *args], check=True, stdin=subprocess.DEVNULL)
first_byte = []
for i in range(rounds):
    name = "first%d" % i
    t0 = time.perf_counter()
    vmmctl("create", name, "--memory", "64M")
    p = subprocess.Popen(["vmmctl", "-q", "start", name, "--console"], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE)
    byte = p.stdout.read(1)
    first_byte.append(time.perf_counter() - t0)
    p.kill(); p.wait()
    assert byte, "no console output"
    vmmctl("stop", name, "--timeout", "20")
    vmmctl("undefine", name)
names = ["cycle%d" % i for i in range(machines)]
for n in names:
    vmmctl("create", n, "--memory", "64M")
t0 = time.perf_counter()
for _ in range(cycles):
    for n in names:
        vmmctl("start", n)
    for n in names:
        vmmctl("stop", n, "--timeout", "20")
elapsed = time.perf_counter() - t0
for n in names:
    vmmctl("undefine", n)
print(json.dumps({"first_byte": first_byte, "cycles": machines * cycles, "elapsed": elapsed}))
'''


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('build')
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--machines', type=int, default=10)
    parser.add_argument('--cycles', type=int, default=3)
    args = parser.parse_args()
    if os.geteuid() != 0 or not os.access('/dev/kvm', os.R_OK | os.W_OK) or not shutil.which('systemd-nspawn'):
        print('needs root, /dev/kvm and systemd-nspawn')
        return 77
    wanted = ('vmmd', 'vmm', 'vmmctl', 'vmmkit-guest', 'libvmm.so', 'vmmd.service', 'vmm@.service',
              'vmm-guests.target', 'org.vmmkit.vmm1.service', 'org.vmmkit.vmm1.conf', 'org.vmmkit.vmm1.policy',
              'vmmkit.conf')
    import json
    with Container('vmmkit-vmmctl-bench') as c:
        installed = c.install_build(os.path.abspath(args.build),
                                    lambda _s, dest: os.path.basename(dest).startswith(wanted))
        for dest in installed:  # dbus-daemon reads policy only from /usr/share and /etc
            if dest.endswith('system.d/org.vmmkit.vmm1.conf') and not dest.startswith('/usr/share/'):
                c.add_file(c.path(dest), '/etc/dbus-1/system.d/org.vmmkit.vmm1.conf')
        # vmmctl's bundled-guest path is the installed one (prefix from meson).
        kvm = c.device_node('/dev/kvm')
        c.boot(binds=[kvm + ':/dev/kvm'])
        c.run(['systemd-sysusers'])
        kvm_gid = int(c.run(['getent', 'group', 'kvm']).stdout.split(':')[2])
        os.chown(kvm, 0, kvm_gid)
        os.chmod(kvm, 0o660)
        done = c.run(['/usr/bin/python3', '-c', INSIDE, str(args.rounds), str(args.machines), str(args.cycles)],
                     timeout=1800, check=False)
        if done.returncode != 0:
            print(done.stdout, done.stderr)
            print(c.run(['journalctl', '-u', 'vmmd.service', '--no-pager', '-n', '30'], check=False).stdout)
            return 1
        result = json.loads(done.stdout)
    firsts = sorted(result['first_byte'])
    print('vmmctl create && vmmctl start --console to the first console byte (test guest, 64 MiB), %d rounds:'
          % len(firsts))
    print('  ms: min %.0f  median %.0f  max %.0f' % (firsts[0] * 1e3, firsts[len(firsts) // 2] * 1e3,
                                                    firsts[-1] * 1e3))
    print('start/stop cycles with %d machines: %d cycles in %.2f s = %.2f cycles/s' %
          (args.machines, result['cycles'], result['elapsed'], result['cycles'] / result['elapsed']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
