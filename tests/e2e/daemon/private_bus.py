# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""A private dbus-daemon with a system-bus configuration, for vmmd's API tests.

Its policy is the one vmmkit installs (units/org.vmmkit.vmm1.conf) plus what the test
doubles need: root may own and call anything (vmmd, the polkit and systemd mocks);
other users may only call what the installed policy allows, as on a real system bus.
"""

import os
import subprocess
import tempfile

CONFIG = '''<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
  </policy>
  <policy user="root">
    <allow own="*"/>
    <allow send_destination="*"/>
  </policy>
  <include>{policy}</include>
</busconfig>
'''


class PrivateSystemBus:
    def __init__(self, policy_file):
        self.dir = tempfile.mkdtemp(prefix='vmmd-bus-')
        os.chmod(self.dir, 0o755)  # unprivileged test clients connect too
        self.socket = os.path.join(self.dir, 'system_bus_socket')
        self.address = 'unix:path=' + self.socket
        config = os.path.join(self.dir, 'system.conf')
        with open(config, 'w') as f:
            f.write(CONFIG.format(socket=self.socket, policy=os.path.abspath(policy_file)))
        self.process = subprocess.Popen(['dbus-daemon', '--config-file=' + config, '--nofork', '--nopidfile',
                                         '--print-address=1'], stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith('unix:'):
            raise RuntimeError('dbus-daemon did not start: %r' % line)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
