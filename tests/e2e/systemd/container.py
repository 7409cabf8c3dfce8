# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""A real systemd with a system bus, for vmmkit's full-stack tests (TESTING.md).

The host's own tree is booted with systemd-nspawn from an overlayfs whose lower layer is /
and whose upper layer is a tmpfs mounted outside the tree, so anything installed inside
(meson's install plan, .deb packages) vanishes with the container and the host stays
untouched. Commands run inside through nsenter into the container's namespaces and root.

    with Container('vmmkit-e2e') as c:
        c.install_build('build', lambda src, dest: 'vmmd' in dest)
        c.boot(binds=['/dev/kvm'])
        c.run(['systemctl', 'start', 'vmmd.service'])

Needs root, systemd-container (systemd-nspawn), util-linux (nsenter) and overlayfs.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time


class ContainerError(RuntimeError):
    pass


class Container:
    def __init__(self, name, keep=False):
        self.name = name
        self.keep = keep or os.environ.get('VMMKIT_KEEP_CONTAINER') is not None
        self.base = tempfile.mkdtemp(prefix='vmmkit-ct-')
        self.upper_mount = os.path.join(self.base, 'layers')
        self.root = os.path.join(self.base, 'root')
        self.results = os.path.join(self.base, 'results')
        self.console_log = os.path.join(self.base, 'console.log')
        self.nspawn = None
        self.leader = None
        self._mounted = []
        os.makedirs(self.upper_mount)
        os.makedirs(self.root)
        os.makedirs(self.results)
        self._mount(['-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs', self.upper_mount])
        os.makedirs(os.path.join(self.upper_mount, 'upper'))
        os.makedirs(os.path.join(self.upper_mount, 'work'))
        self._mount(['-t', 'overlay', 'overlay', '-o',
                     'lowerdir=/,upperdir=%s/upper,workdir=%s/work' % (self.upper_mount, self.upper_mount),
                     self.root])

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()

    def _mount(self, args):
        subprocess.run(['mount'] + args, check=True)
        self._mounted.append(args[-1])

    # --- filling the tree before boot ----------------------------------------
    def path(self, inside):
        """The host path of a path inside the container (symlinks in the tree stay relative)."""
        return os.path.join(self.root, inside.lstrip('/'))

    def add_file(self, source, inside, mode=None):
        dest = self.path(inside)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if os.path.isdir(source):
            shutil.copytree(source, dest, symlinks=True, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest)
        if mode is not None:
            os.chmod(dest, mode)

    def install_build(self, build_dir, wanted=lambda _src, _dest: True):
        """Copies what `meson install` would install (meson-info/intro-installed.json), filtered."""
        with open(os.path.join(build_dir, 'meson-info', 'intro-installed.json')) as f:
            plan = json.load(f)
        installed = []
        for source, dest in plan.items():
            if wanted(source, dest) and os.path.exists(source):
                self.add_file(source, dest)
                installed.append(dest)
        return installed

    def device_node(self, device):
        """A private node of a host character device (e.g. /dev/kvm), to bind into the container
        as that device: its owner and mode can then be set for the container (e.g. group kvm,
        0660, as udev would) without touching the host's node."""
        st = os.stat(device)
        node = os.path.join(self.base, 'dev-' + os.path.basename(device))
        os.mknod(node, 0o600 | (st.st_mode & 0o170000), st.st_rdev)
        return node

    # --- running -------------------------------------------------------------
    def boot(self, binds=(), binds_ro=(), kernel_args=(), timeout=60, ready=('basic.target', 'dbus.socket')):
        """Boots and waits until the units in ready are active (not for the whole boot: the
        host's own services, e.g. a database, may take long and do not matter here)."""
        argv = ['systemd-nspawn', '--directory', self.root, '--register=no', '--keep-unit', '--machine', self.name,
                '--console=pipe', '--quiet', '--bind=%s:/results' % self.results]
        argv += ['--bind=' + b for b in binds] + ['--bind-ro=' + b for b in binds_ro]
        argv += ['--boot', 'systemd.firstboot=off'] + list(kernel_args)
        log = open(self.console_log, 'wb')
        self.nspawn = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.nspawn.poll() is not None:
                raise ContainerError('systemd-nspawn exited: ' + self.console())
            self.leader = self.leader or self._find_leader()
            if self.leader:
                if self.run(['systemctl', 'is-active', '--quiet'] + list(ready), check=False).returncode == 0:
                    return self.run(['systemctl', 'is-system-running'], check=False).stdout.strip()
            time.sleep(0.2)
        raise ContainerError('the container did not finish booting in %d s: %s' % (timeout, self.console()))

    def _find_leader(self):
        """The container's PID 1: the child of systemd-nspawn whose PID in its namespace is 1."""
        for entry in os.listdir('/proc'):
            if not entry.isdigit():
                continue
            try:
                with open('/proc/%s/status' % entry) as f:
                    fields = dict(line.split(':', 1) for line in f if ':' in line)
                if int(fields['PPid']) == self.nspawn.pid and fields['NSpid'].split()[-1] == '1':
                    return int(entry)
            except (OSError, KeyError, ValueError):
                continue
        return None

    def run(self, argv, check=True, timeout=60, input=None, env=None):
        """Runs argv inside the container (its mount, pid, uts and ipc namespaces and root)."""
        full = ['nsenter', '--target', str(self.leader), '--mount', '--uts', '--ipc', '--pid', '--root', '--wd=/']
        if env:
            full += ['env'] + ['%s=%s' % kv for kv in env.items()]
        done = subprocess.run(full + list(argv), capture_output=True, text=True, timeout=timeout, input=input)
        if check and done.returncode != 0:
            raise ContainerError('%s failed (%d): %s%s' % (' '.join(argv), done.returncode, done.stdout, done.stderr))
        return done

    def console(self):
        try:
            with open(self.console_log, 'rb') as f:
                return f.read()[-4000:].decode(errors='replace')
        except OSError:
            return ''

    def close(self):
        if self.nspawn is not None and self.nspawn.poll() is None:
            # Ask systemd to power off; the overlay boot may not finish it (TESTING.md).
            if self.leader:
                try:
                    os.kill(self.leader, signal.SIGRTMIN + 4)
                except OSError:
                    pass
            try:
                self.nspawn.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.nspawn.pid, signal.SIGKILL)
                self.nspawn.wait(timeout=15)
        for target in reversed(self._mounted):
            subprocess.run(['umount', '--lazy', target], check=False)
        self._mounted = []
        if not self.keep:
            shutil.rmtree(self.base, ignore_errors=True)
