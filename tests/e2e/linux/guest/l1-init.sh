#!/bin/sh
# The L1 guest's init (busybox sh) under QEMU TCG with an emulated AMD SVM:
# loads kvm/kvm-amd so /dev/kvm is real, then runs the scenario the harness
# put at /e2e/main.sh (the checks, or the boot benchmark) and powers off.
# Lines starting "E2E: " are for the harness on the host.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/opt/e2e
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts

echo "E2E: L1 init reached after $(cut -d' ' -f1 /proc/uptime) s, kernel $(uname -r)"
for m in $(cat /lib/modules/e2e/order); do
  insmod "/lib/modules/e2e/$m" || echo "E2E: FAIL l1-setup insmod $m failed"
done
if [ -c /dev/kvm ]; then
  echo "E2E: L1 has /dev/kvm (svm flag: $(grep -c -w svm /proc/cpuinfo) cpus)"
else
  echo "E2E: FAIL l1-setup no /dev/kvm in L1 (kvm-amd did not load: $(dmesg | grep -i -E 'kvm|svm' | tail -n 2))"
fi
ip link set lo up

. /e2e/config  # settings from the harness (E2E_SCENARIOS)
. /e2e/main.sh

echo "E2E: DONE after $(cut -d' ' -f1 /proc/uptime) s"
sync
poweroff -f
