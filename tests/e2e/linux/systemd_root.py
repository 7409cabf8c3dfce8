# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""The systemd scenario's root disk: a Debian 12 minbase tree with systemd as
init, made by debootstrap from the machine's configured Debian mirror, plus the
L2 kernel's modules and the harness's marker unit, as an ext4 image made by
`mkfs.ext4 -d` (no loop device).

Both steps are cached: the debootstrap tree under CACHE/systemd-root/tree
(redone only when the debootstrap arguments change) and the image under
CACHE/systemd-root/<key>.img (remade only when the tree, the guest files in
guest/systemd/, this file or the kernel change). debootstrap needs root.
"""
import glob
import hashlib
import os
import re
import shutil
import subprocess
import time

from assets import HERE, SetupError, cache_dir, log

SUITE = "bookworm"
INCLUDE = "systemd-sysv,udev,dbus"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
FILES = os.path.join(HERE, "guest", "systemd")
LABEL = "e2e-systemd"
# Trimmed from the tree before the image is made: not needed to boot, and
# every byte of the image travels through L1's initramfs.
TRIM = ["usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale", "var/cache/apt", "var/lib/apt/lists", "usr/share/bash-completion",
        "usr/share/zsh", "usr/share/lintian"]
HEADROOM_MIB = 48  # free space in the filesystem beyond the tree (journal, /var, /tmp)


def debian_mirror():
    """The Debian archive URI this machine's apt uses for SUITE's main component."""
    sources = sorted(glob.glob("/etc/apt/sources.list.d/*.sources")) + ["/etc/apt/sources.list"] + \
        sorted(glob.glob("/etc/apt/sources.list.d/*.list"))
    for path in sources:
        try:
            text = open(path).read()
        except OSError:
            continue
        if path.endswith(".sources"):  # deb822 stanzas
            for stanza in re.split(r"\n\s*\n", text):
                fields = dict(re.findall(r"^(\w[\w-]*):\s*(.*)$", stanza, re.M))
                suites = fields.get("Suites", "").split()
                if "deb" in fields.get("Types", "").split() and SUITE in suites and \
                        "main" in fields.get("Components", "").split():
                    return fields["URIs"].split()[0]
        else:
            for line in text.splitlines():
                words = re.sub(r"\[[^\]]*\]", " ", line.split("#", 1)[0]).split()  # without [options]
                if len(words) >= 4 and words[0] == "deb" and words[2] == SUITE and "main" in words[3:]:
                    return words[1]
    return DEFAULT_MIRROR


def _tree(root):
    """The debootstrap tree (cached; redone when its arguments change). Returns (path, seconds spent)."""
    mirror = debian_mirror()
    argv = ["debootstrap", "--variant=minbase", f"--include={INCLUDE}", SUITE]
    stamp_text = " ".join(argv + [mirror]) + "\n"
    tree, stamp = os.path.join(root, "tree"), os.path.join(root, "tree.done")
    # The stamp's first line is what was run; its second, when (so a redone
    # tree also changes the image's key).
    if os.path.exists(stamp) and open(stamp).readline() == stamp_text:
        return tree, 0.0
    if os.geteuid() != 0:
        raise SetupError("the systemd root disk needs debootstrap, which needs root (or a cached "
                         f"{tree} from a root run)")
    if shutil.which("debootstrap") is None:
        raise SetupError("debootstrap is missing: apt-get install debootstrap")
    shutil.rmtree(tree, ignore_errors=True)
    if os.path.exists(stamp):
        os.remove(stamp)
    debs = os.path.join(root, "debs")  # the .debs stay here: a redo does not download them again
    os.makedirs(debs, exist_ok=True)
    log(f"debootstrap: {' '.join(argv)} from {mirror} (once; cached in {root})")
    started = time.monotonic()
    got = subprocess.run(argv[:1] + [f"--cache-dir={debs}"] + argv[1:] + [tree, mirror],
                         capture_output=True, text=True)
    spent = time.monotonic() - started
    if got.returncode != 0:
        with open(os.path.join(root, "debootstrap.log"), "w") as f:
            f.write(got.stdout + got.stderr)
        raise SetupError(f"debootstrap failed after {spent:.0f} s (log {root}/debootstrap.log): "
                         f"{(got.stdout + got.stderr).strip()[-600:]}")
    for rel in TRIM:
        shutil.rmtree(os.path.join(tree, rel), ignore_errors=True)
    with open(stamp, "w") as f:
        f.write(stamp_text + time.strftime("%Y-%m-%dT%H:%M:%SZ\n", time.gmtime()))
    log(f"debootstrap took {spent:.0f} s; tree {_du_mib(tree)} MiB after trimming")
    return tree, spent


def _du_mib(path):
    out = subprocess.run(["du", "-s", "-B1M", path], capture_output=True, text=True).stdout
    return int(out.split()[0]) if out else 0


def _key(tree_stamp, kernel, module_paths):
    h = hashlib.sha256(open(tree_stamp, "rb").read())
    h.update(open(os.path.abspath(__file__), "rb").read())
    h.update(kernel.release.encode())
    for folder, _, files in sorted(os.walk(FILES)):
        for name in sorted(files):
            h.update(name.encode() + b"\0" + open(os.path.join(folder, name), "rb").read())
    for path in module_paths:
        h.update(os.path.basename(path).encode())
    return h.hexdigest()[:16]


def _customize(stage, kernel, module_paths):
    """The harness's additions to a copy of the tree."""
    def put(rel, text, mode=0o644):
        path = os.path.join(stage, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.lexists(path):
            os.remove(path)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)

    def link(rel, target):
        path = os.path.join(stage, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.lexists(path):
            os.remove(path)
        os.symlink(target, path)

    put("etc/hostname", "e2e-systemd\n")
    put("etc/fstab", "/dev/vda / ext4 rw,errors=remount-ro 0 1\n")
    put("etc/machine-id", "e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0\n")  # no first-boot logic
    put("usr/local/sbin/e2e-ready", open(os.path.join(FILES, "e2e-ready")).read(), 0o755)
    put("etc/systemd/system/e2e-ready.service", open(os.path.join(FILES, "e2e-ready.service")).read())
    link("etc/systemd/system/multi-user.target.wants/e2e-ready.service", "/etc/systemd/system/e2e-ready.service")
    # No login on the console: nothing to type, and a getty would share ttyS0.
    link("etc/systemd/system/serial-getty@.service", "/dev/null")
    link("etc/systemd/system/getty@.service", "/dev/null")
    # The kernel's modules (the initramfs loads them before switch_root; here so
    # that udev and modinfo find them too), with a modules.dep when depmod exists.
    moddir = os.path.join(stage, "lib", "modules", kernel.release, "kernel", "e2e")
    os.makedirs(moddir, exist_ok=True)
    for path in module_paths:
        shutil.copy(path, moddir)
    if shutil.which("depmod"):
        subprocess.run(["depmod", "-b", stage, kernel.release], capture_output=True)


def systemd_disk(kernel, module_names):
    """The cached ext4 image for the systemd scenario; builds what is missing."""
    root = os.path.join(cache_dir(), "systemd-root")
    os.makedirs(root, exist_ok=True)
    tree, _ = _tree(root)
    module_paths = kernel.modules_in_load_order(module_names)
    key = _key(os.path.join(root, "tree.done"), kernel, module_paths)
    image = os.path.join(root, f"{key}.img")
    if os.path.exists(image):
        return image
    for old in glob.glob(os.path.join(root, "*.img")):
        os.remove(old)
    stage = os.path.join(root, "stage")
    shutil.rmtree(stage, ignore_errors=True)
    started = time.monotonic()
    subprocess.run(["cp", "-a", tree, stage], check=True)
    try:
        _customize(stage, kernel, module_paths)
        size_mib = int(_du_mib(stage) * 1.1) + HEADROOM_MIB
        with open(image + ".tmp", "wb") as f:
            f.truncate(size_mib << 20)
        got = subprocess.run(["mkfs.ext4", "-q", "-F", "-L", LABEL, "-m", "0", "-d", stage, image + ".tmp"],
                             capture_output=True, text=True)
        if got.returncode != 0:
            raise SetupError(f"mkfs.ext4 -d {stage} failed: {got.stderr.strip()}")
        os.rename(image + ".tmp", image)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    log(f"systemd root disk {image}: {size_mib} MiB, made in {time.monotonic() - started:.0f} s")
    return image


if __name__ == "__main__":
    from assets import debian_kernel
    print(debian_mirror())
    print(systemd_disk(debian_kernel(), ["virtio_mmio", "virtio_blk", "button", "evdev"]))
