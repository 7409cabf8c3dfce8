# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""The images of one run: the L2 initramfs (virtio modules + checking init),
the L2 ext4 disks, and the L1 initramfs that carries vmm, the kvm modules and
all of the L2 files."""
import os
import subprocess
import tempfile

from assets import HERE, SetupError, build_helper
from initramfs import Initramfs, add_busybox
from systemd_root import systemd_disk

GUEST = os.path.join(HERE, "guest")
# Modules the L2 init loads (their dependencies come along, in order).
L2_MODULES = ["virtio_mmio", "virtio_blk", "virtio_net", "virtio_console", "virtio_rng",
              "vmw_vsock_virtio_transport", "button", "evdev", "pvpanic_mmio"]
L1_MODULES = ["kvm_amd", "tun"]
# The systemd scenario's initramfs loads only these (the disk and logind's power button).
SYSTEMD_MODULES = ["virtio_mmio", "virtio_blk", "button", "evdev"]
ROOT_DISK_MIB = 16
RO_DISK_MIB = 4


def _modules(image, kernel, names):
    order = []
    for path in kernel.modules_in_load_order(names):
        name = os.path.basename(path)
        image.add_file(f"lib/modules/e2e/{name}", path, 0o644)
        order.append(name)
    image.add_data("lib/modules/e2e/order", "\n".join(order) + "\n")


def l2_initramfs(out, kernel, busybox, helper, init=os.path.join(GUEST, "l2-init.sh")):
    image = Initramfs()
    add_busybox(image, busybox)
    _modules(image, kernel, L2_MODULES)
    image.add_file("init", init, 0o755)
    image.add_file("bin/e2e-sock", helper, 0o755)
    return image.write(out)


def ext4_disk(out, size_mib, label, files):
    """An ext4 image holding FILES ({name: text}), made by mkfs.ext4 -d (no root, no loop device)."""
    with tempfile.TemporaryDirectory() as tree:
        for name, text in files.items():
            with open(os.path.join(tree, name), "w") as f:
                f.write(text)
        with open(out, "wb") as f:
            f.truncate(size_mib << 20)
        got = subprocess.run(["mkfs.ext4", "-q", "-F", "-L", label, "-d", tree, out], capture_output=True, text=True)
        if got.returncode != 0:
            raise SetupError(f"mkfs.ext4 -d failed: {got.stderr.strip()}")
    return out


def l2_disks(folder):
    root = ext4_disk(os.path.join(folder, "root.img"), ROOT_DISK_MIB, "e2e-root",
                     {"hello.txt": "hello from the e2e root disk\n"})
    ro = ext4_disk(os.path.join(folder, "ro.img"), RO_DISK_MIB, "e2e-ro", {"readme.txt": "read-only disk\n"})
    return root, ro


def l1_initramfs(out, kernel, busybox, vmm, helper, l2_files, main_script, config="", extra=None):
    """L1's initramfs: busybox, kvm modules, vmm with its library closure, the L2 files
    under /l2 ({name: path}) and MAIN_SCRIPT as /e2e/main.sh. EXTRA adds more (the benchmark)."""
    image = Initramfs()
    add_busybox(image, busybox)
    _modules(image, kernel, L1_MODULES)
    image.add_file("init", os.path.join(GUEST, "l1-init.sh"), 0o755)
    image.add_file("e2e/main.sh", main_script, 0o644)
    image.add_file("e2e/l2-boot.sh", os.path.join(GUEST, "l2-boot.sh"), 0o644)
    image.add_data("e2e/config", config)
    image.add_program("opt/e2e/vmm", vmm)
    image.add_file("opt/e2e/e2e-sock", helper, 0o755)
    for name, path in l2_files.items():
        image.add_file(f"l2/{name}", path, 0o644)
    if extra:
        extra(image)
    return image.write(out)


def assemble(work, kernel, busybox, vmm, main_script, config="", extra=None, systemd=False):
    """Everything one L1 run needs, in WORK; returns the L1 initramfs path.
    SYSTEMD adds the systemd scenario's root disk (built once, cached)."""
    os.makedirs(work, exist_ok=True)
    helper = build_helper(os.path.join(work, "e2e-sock"))
    l2_initrd = l2_initramfs(os.path.join(work, "l2-initrd.img"), kernel, busybox, helper)
    root, ro = l2_disks(work)
    l2_files = {"bzImage": kernel.bzimage, "vmlinux": kernel.vmlinux, "initrd.img": l2_initrd,
                "root.img": root, "ro.img": ro}
    if systemd:
        l2_files["systemd.img"] = systemd_disk(kernel, SYSTEMD_MODULES)
    return l1_initramfs(os.path.join(work, "l1-initrd.img"), kernel, busybox, vmm, helper, l2_files,
                        main_script, config, extra)

