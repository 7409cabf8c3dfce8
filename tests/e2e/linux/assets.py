# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Debian packages for the Linux end-to-end test, fetched once into a cache.

Everything comes from the Debian archive through apt (`apt-get download` +
`dpkg -x`); nothing is installed into /boot. A second run finds the unpacked
packages in the cache and does not touch the network.
"""
import os
import re
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KERNEL_META_PACKAGE = "linux-image-cloud-amd64"
HOST_TOOLS = {"qemu-system-x86_64": "qemu-system-x86", "lz4": "lz4", "mkfs.ext4": "e2fsprogs", "gcc": "gcc",
              "debootstrap": "debootstrap"}
LZ4_LEGACY_MAGIC = b"\x02\x21\x4c\x18"
XEN_ELFNOTE_PHYS32_ENTRY = 18  # the PVH entry point note (xen/include/public/elfnote.h)


def log(message):
    print(f"e2e: {message}", flush=True)


class SetupError(Exception):
    """Something the harness needs could not be prepared; the message says what."""


def cache_dir():
    path = os.environ.get("VMMKIT_E2E_CACHE") or os.path.join(HERE, ".cache")
    os.makedirs(path, exist_ok=True)
    return os.path.abspath(path)


def ensure_host_tools(tools=HOST_TOOLS):
    """Installs the Debian packages of missing host tools (root only); apt-get update only then."""
    missing = sorted({package for tool, package in tools.items() if shutil.which(tool) is None})
    if not missing:
        return
    if os.geteuid() != 0:
        raise SetupError(f"missing host tools, install them: apt-get install {' '.join(missing)}")
    log(f"installing host tools: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-q", *missing], check=True, env=env, stdout=subprocess.DEVNULL)


def _download_and_unpack(package, into):
    """apt-get download PACKAGE and dpkg -x it into INTO (once; INTO/.done marks it)."""
    done = os.path.join(into, ".done")
    if os.path.exists(done):
        return into
    debs = os.path.join(cache_dir(), "debs")
    os.makedirs(debs, exist_ok=True)
    log(f"downloading {package}")
    got = subprocess.run(["apt-get", "download", "-q", package], cwd=debs, capture_output=True, text=True)
    if got.returncode != 0:
        raise SetupError(f"apt-get download {package} failed: {got.stderr.strip()[-500:]}")
    names = [n for n in os.listdir(debs) if n.startswith(package + "_") and n.endswith(".deb")]
    if not names:
        raise SetupError(f"apt-get download {package} left no .deb in {debs}")
    shutil.rmtree(into, ignore_errors=True)
    os.makedirs(into)
    subprocess.run(["dpkg", "-x", os.path.join(debs, sorted(names)[-1]), into], check=True)
    open(done, "w").close()
    return into


def kernel_package():
    """The versioned image package the cloud meta-package points at (cached once resolved)."""
    remembered = os.path.join(cache_dir(), "kernel-package")
    if os.path.exists(remembered):
        return open(remembered).read().strip()
    out = subprocess.run(["apt-cache", "depends", KERNEL_META_PACKAGE], capture_output=True, text=True).stdout
    found = re.search(r"Depends: (linux-image-[0-9][^\s]*-cloud-amd64)", out)
    if not found:
        raise SetupError(f"apt-cache does not know {KERNEL_META_PACKAGE} (is bookworm main in sources.list?)")
    with open(remembered, "w") as f:
        f.write(found.group(1) + "\n")
    return found.group(1)


class Kernel:
    """The unpacked Debian cloud kernel: bzImage, extracted ELF vmlinux, modules."""

    def __init__(self, root):
        self.root = root
        self.release = os.listdir(os.path.join(root, "lib", "modules"))[0]
        self.bzimage = os.path.join(root, "boot", f"vmlinuz-{self.release}")
        self.modules_dir = os.path.join(root, "lib", "modules", self.release)
        self.vmlinux = os.path.join(root, "vmlinux")
        self._module_paths = None

    def module_path(self, name):
        if self._module_paths is None:
            self._module_paths = {}
            for folder, _, files in os.walk(self.modules_dir):
                for f in files:
                    if f.endswith(".ko"):
                        self._module_paths[f[:-3].replace("-", "_")] = os.path.join(folder, f)
        path = self._module_paths.get(name.replace("-", "_"))
        if path is None:
            raise SetupError(f"kernel {self.release} has no module {name}")
        return path

    def modules_in_load_order(self, names):
        """NAMES and everything they depend on (modinfo depends=), dependencies first.

        The package ships no modules.dep (depmod runs at install time), so the
        order comes from each module's own .modinfo section.
        """
        order, seen = [], set()

        def visit(name):
            name = name.replace("-", "_")
            if name in seen:
                return
            seen.add(name)
            path = self.module_path(name)
            found = re.search(rb"\0depends=([^\0]*)\0", open(path, "rb").read())
            for dep in (found.group(1).decode().split(",") if found else []):
                if dep:
                    visit(dep)
            order.append(path)

        for n in names:
            visit(n)
        return order


def debian_kernel():
    kernel = Kernel(_download_and_unpack(kernel_package(), os.path.join(cache_dir(), "kernel")))
    if not os.path.exists(kernel.vmlinux):
        extract_vmlinux(kernel.bzimage, kernel.vmlinux)
    return kernel


def busybox():
    root = _download_and_unpack("busybox-static", os.path.join(cache_dir(), "busybox-static"))
    return os.path.join(root, "bin", "busybox")


def extract_vmlinux(bzimage, out):
    """The ELF vmlinux inside a bzImage, as the kernel's scripts/extract-vmlinux does it.

    Debian compresses the payload with LZ4 (legacy frame). The setup header
    (Documentation/x86/boot.rst, protocol 2.08+) locates it exactly:
    payload_offset at 0x248 and payload_length at 0x24c, relative to the
    protected-mode code after the (setup_sects + 1) * 512 bytes of setup. The
    build appends the uncompressed size as the payload's last 4 bytes.
    """
    image = open(bzimage, "rb").read()
    setup_sects = image[0x1F1] or 4
    start = (setup_sects + 1) * 512
    offset, length = struct.unpack_from("<II", image, 0x248)
    payload = image[start + offset:start + offset + length]
    if payload[:4] != LZ4_LEGACY_MAGIC:
        at = image.find(LZ4_LEGACY_MAGIC)  # fall back to scanning, like extract-vmlinux
        if at < 0:
            raise SetupError(f"{bzimage}: no LZ4 payload found")
        payload = image[at:]
    expected = struct.unpack("<I", payload[-4:])[0]
    got = subprocess.run(["lz4", "-dc"], input=payload[:-4], capture_output=True)
    elf = got.stdout
    if elf[:4] != b"\x7fELF" or len(elf) != expected:
        raise SetupError(f"{bzimage}: LZ4 payload did not decompress to an ELF of {expected} bytes "
                         f"(got {len(elf)}; lz4: {got.stderr.decode(errors='replace').strip()})")
    with open(out + ".tmp", "wb") as f:
        f.write(elf)
    os.rename(out + ".tmp", out)


def pvh_entry(vmlinux):
    """The XEN_ELFNOTE_PHYS32_ENTRY address of an ELF64 image, or None (no PVH support)."""
    data = open(vmlinux, "rb").read()
    if data[:5] != b"\x7fELF\x02":
        return None
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if p_type != 4:  # PT_NOTE
            continue
        at, end = p_offset, p_offset + p_filesz
        while at + 12 <= end:
            namesz, descsz, note_type = struct.unpack_from("<III", data, at)
            name = data[at + 12:at + 12 + namesz].rstrip(b"\0")
            desc_at = at + 12 + (namesz + 3) // 4 * 4
            if name == b"Xen" and note_type == XEN_ELFNOTE_PHYS32_ENTRY:
                size = 8 if descsz >= 8 else 4
                return struct.unpack_from("<Q" if size == 8 else "<I", data, desc_at)[0]
            at = desc_at + (descsz + 3) // 4 * 4
    return None


def build_helper(out):
    """The static e2e-sock helper (helper/e2e-sock.c), rebuilt when the source is newer."""
    source = os.path.join(HERE, "helper", "e2e-sock.c")
    if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(source):
        return out
    got = subprocess.run(["gcc", "-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o", out, source],
                         capture_output=True, text=True)
    if got.returncode != 0:
        raise SetupError(f"building {source} failed:\n{got.stderr}")
    return out


if __name__ == "__main__":
    k = debian_kernel()
    print(k.release, k.bzimage, k.vmlinux, hex(pvh_entry(k.vmlinux) or 0), busybox(), file=sys.stderr)
