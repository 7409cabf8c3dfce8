# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Initramfs images (newc cpio, uncompressed) written directly, and the
shared-library closure of a dynamically linked program.

Writing the cpio here (the format is Documentation/driver-api/early-userspace/
buffer-format.rst) needs neither the cpio tool nor root; uncompressed images
unpack fastest under emulation.
"""
import os
import re
import stat
import subprocess

from assets import SetupError


class Initramfs:
    """A file tree in memory (paths → sources) written as one newc archive."""

    def __init__(self):
        self.entries = {}  # path without leading '/' → ("dir"|"file"|"data"|"symlink", value, mode)

    def _parents(self, path):
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            self.entries.setdefault("/".join(parts[:i]), ("dir", None, 0o755))

    def add_dir(self, path, mode=0o755):
        path = path.strip("/")
        self._parents(path)
        self.entries[path] = ("dir", None, mode)

    def add_file(self, path, source, mode=None):
        path = path.strip("/")
        self._parents(path)
        self.entries[path] = ("file", source, mode if mode is not None else stat.S_IMODE(os.stat(source).st_mode))

    def add_data(self, path, data, mode=0o644):
        path = path.strip("/")
        self._parents(path)
        self.entries[path] = ("data", data.encode() if isinstance(data, str) else data, mode)

    def add_symlink(self, path, target):
        path = path.strip("/")
        self._parents(path)
        self.entries[path] = ("symlink", target.encode(), 0o777)

    def add_char_device(self, path, major, minor, mode=0o600):
        """A device node; /dev/console must exist for the kernel to give init its stdio."""
        path = path.strip("/")
        self._parents(path)
        self.entries[path] = ("chardev", (major, minor), mode)

    def add_program(self, path, source):
        """A program and the libraries `ldd` says it needs, each at the path ldd resolved."""
        self.add_file(path, source, 0o755)
        for library in library_closure(source):
            self.add_file(library, os.path.realpath(library), 0o755)

    def write(self, out):
        with open(out + ".tmp", "wb") as f:
            for inode, path in enumerate(sorted(self.entries), start=1):
                kind, value, mode = self.entries[path]
                if kind == "dir":
                    _write_entry(f, inode, path, stat.S_IFDIR | mode, b"")
                elif kind == "chardev":
                    _write_entry(f, inode, path, stat.S_IFCHR | mode, b"", rdev=value)
                elif kind == "symlink":
                    _write_entry(f, inode, path, stat.S_IFLNK | mode, value)
                else:
                    data = value if kind == "data" else open(value, "rb").read()
                    _write_entry(f, inode, path, stat.S_IFREG | mode, data)
            _write_entry(f, 0, "TRAILER!!!", 0, b"")
        os.rename(out + ".tmp", out)
        return out


def _pad(f):
    f.write(b"\0" * (-f.tell() % 4))


def _write_entry(f, inode, name, mode, data, rdev=(0, 0)):
    name_bytes = name.encode() + b"\0"
    nlink = 2 if stat.S_ISDIR(mode) else 1
    fields = [inode, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_bytes), 0]
    f.write(b"070701" + "".join(f"{v:08x}" for v in fields).encode())
    f.write(name_bytes)
    _pad(f)
    f.write(data)
    _pad(f)


def library_closure(program):
    """Absolute paths of the shared libraries (and the dynamic loader) PROGRAM loads."""
    got = subprocess.run(["ldd", program], capture_output=True, text=True)
    if "not a dynamic executable" in got.stdout + got.stderr:
        return []
    if got.returncode != 0:
        raise SetupError(f"ldd {program} failed: {got.stderr.strip()}")
    paths = []
    for line in got.stdout.splitlines():
        if "not found" in line:
            raise SetupError(f"{program}: library missing: {line.strip()}")
        found = re.search(r"(/\S+) \(0x", line)
        if found:
            paths.append(found.group(1))
    return paths


def add_busybox(image, busybox):
    """Busybox at /bin/busybox with a link for each applet it has."""
    image.add_file("bin/busybox", busybox, 0o755)
    applets = subprocess.run([busybox, "--list-full"], capture_output=True, text=True, check=True).stdout.split()
    for applet in applets:
        if applet.strip("/") != "bin/busybox":
            image.add_symlink(applet, "/bin/busybox")
    for folder in ("dev", "proc", "sys", "tmp", "run", "mnt", "root", "etc"):
        image.add_dir(folder)
    image.add_char_device("dev/console", 5, 1)
    image.add_char_device("dev/null", 1, 3, 0o666)
