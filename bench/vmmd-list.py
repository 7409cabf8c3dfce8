#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""D-Bus ListMachines latency of vmmd under concurrent clients (issue 5, item 14).

usage: bench/vmmd-list.py BUILD_DIR [--clients 32] [--calls 1000] [--machines 10]

Starts vmmd on a private system bus (tests/e2e/daemon's harness: dbus-daemon, the
polkitd and systemd mocks), defines MACHINES machines, then runs CLIENTS client
processes that each make CALLS blocking ListMachines calls over their own connection,
all at once. Prints the latency percentiles of all calls (client send to reply
received, through dbus-daemon) and the overall call rate. Needs root and Debian's
/usr/bin/python3 (python3-dbus, python3-dbusmock).
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'e2e', 'daemon'))


def worker(address, calls, start_at):
    import dbus
    import dbus.bus
    bus = dbus.bus.BusConnection(address)
    manager = dbus.Interface(bus.get_object('org.vmmkit.vmm1', '/org/vmmkit/vmm1'), 'org.vmmkit.vmm1.Manager')
    manager.ListMachines()  # connection and proxy set up outside the measurement
    while time.time() < start_at:
        time.sleep(0.001)
    latencies = []
    for _ in range(calls):
        t0 = time.perf_counter_ns()
        manager.ListMachines()
        latencies.append(time.perf_counter_ns() - t0)
    json.dump(latencies, sys.stdout)


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def percentile(sorted_values, p):
    index = min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('build')
    parser.add_argument('--clients', type=int, default=32)
    parser.add_argument('--calls', type=int, default=1000)
    parser.add_argument('--machines', type=int, default=10)
    parser.add_argument('--worker', nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]), float(args.worker[2]))
        return

    import harness
    build = os.path.abspath(args.build)
    stack = harness.Stack(os.path.join(build, 'daemon', 'vmmd'), os.path.join(build, 'cli', 'vmm', 'vmm'),
                          os.path.join(HERE, '..', 'units', 'org.vmmkit.vmm1.conf'))
    try:
        stack.start_vmmd()
        manager = stack.manager()
        for i in range(args.machines):
            manager.CreateMachine('bench-%d' % i, json.dumps({'kernel': {'path': '/boot/vmlinuz'}}))
        start_at = time.time() + 1.0 + args.clients * 0.05
        cpu_before = (cpu_seconds(stack.vmmd.pid), cpu_seconds(stack.bus_daemon.process.pid))
        procs = [subprocess.Popen([sys.executable, __file__, build, '--worker', stack.bus_daemon.address,
                                   str(args.calls), str(start_at)], stdout=subprocess.PIPE)
                 for _ in range(args.clients)]
        outputs = [p.communicate()[0] for p in procs]
        wall = time.time() - start_at
        cpu_after = (cpu_seconds(stack.vmmd.pid), cpu_seconds(stack.bus_daemon.process.pid))
        if any(p.returncode != 0 for p in procs):
            sys.exit('a client failed')
        latencies = sorted(v for out in outputs for v in json.loads(out))
        ms = lambda ns: ns / 1e6  # noqa: E731
        print('vmmd ListMachines: %d clients x %d calls, %d machines defined' % (args.clients, args.calls,
                                                                                   args.machines))
        print('  calls %d in %.2f s = %.0f calls/s' % (len(latencies), wall, len(latencies) / wall))
        print('  latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f' % (
            ms(percentile(latencies, 50)), ms(percentile(latencies, 90)), ms(percentile(latencies, 99)),
            ms(percentile(latencies, 99.9)), ms(latencies[-1])))
        print('  CPU: vmmd %.2f s (%.0f us/call), dbus-daemon %.2f s; the rest is the %d python clients on %d cores' % (
            cpu_after[0] - cpu_before[0], (cpu_after[0] - cpu_before[0]) * 1e6 / len(latencies),
            cpu_after[1] - cpu_before[1], args.clients, os.cpu_count()))
    finally:
        stack.close()


if __name__ == '__main__':
    main()
