#!/bin/sh
# The L2 guest's init (busybox sh): runs inside a Debian cloud kernel booted
# by vmm, makes its checks and prints one "E2E-L2: PASS|FAIL name detail" line
# each on the serial console. L1's script (l1-checks.sh) reads the console
# log and answers the "E2E-L2: WAIT ..." lines (console input, ping, vsock).
#
# Kernel command line: e2e.mode=full|panic|bench  e2e.devs=blk,net,...
# e2e.token=T (console input L1 will type).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }
MODE=$(arg e2e.mode)
DEVS=",$(arg e2e.devs),"
TOKEN=$(arg e2e.token)
say() { echo "E2E-L2: $*"; }
check() { if [ "$2" = 0 ]; then say "PASS $1 $3"; else say "FAIL $1 $3"; fi; }
has() { case "$DEVS" in *",$1,"*) return 0 ;; esac; return 1; }

say "init reached (mode $MODE, uptime $(cut -d' ' -f1 /proc/uptime) s)"
# stty sets the console's modes with TCSADRAIN: it returns once the line
# above has left the UART, so a reset right after cannot cut it off.
drain() { stty sane 2>/dev/null; }
[ "$MODE" = bench ] && { drain; reboot -f; }

# systemd scenario: only what the root disk and logind need (virtio-mmio,
# virtio-blk, the ACPI power button and evdev for its /dev/input node), then
# the Debian root on /dev/vda with systemd as PID 1.
if [ "$MODE" = systemd ]; then
  for m in $(grep -E '^(virtio|virtio_ring|virtio_mmio|virtio_blk|button|evdev)\.ko$' /lib/modules/e2e/order); do
    insmod "/lib/modules/e2e/$m" 2>/tmp/insmod.err || say "FAIL insmod $m: $(cat /tmp/insmod.err)"
  done
  waited=0
  while [ ! -b /dev/vda ] && [ $waited -lt 30 ]; do sleep 1; waited=$((waited + 1)); done
  mkdir -p /newroot
  # /sbin/init is an absolute symlink (→ /lib/systemd/systemd): test it from inside.
  if mount -t ext4 -o rw /dev/vda /newroot 2>/tmp/mount.err && chroot /newroot test -x /sbin/init; then
    say "switching to systemd on /dev/vda (uptime $(cut -d' ' -f1 /proc/uptime) s)"
    umount /proc /sys
    mount --move /dev /newroot/dev
    exec switch_root /newroot /sbin/init
  fi
  say "FAIL systemd-boot no root with /sbin/init on /dev/vda (mount: $(cat /tmp/mount.err); block devices: $(ls /sys/block | tr '\n' ' '); /newroot: $(ls /newroot | tr '\n' ' '))"
  drain; poweroff -f
fi

online=$(cat /sys/devices/system/cpu/online)
check "vcpus$([ "$MODE" = panic ] && echo -pvh)" "$([ "$online" = 0-1 ] && echo 0 || echo 1)" "online cpus $online, nproc $(nproc)"
if [ "$MODE" = panic ]; then
  # Only the panic notifier's driver (ACPI QEMU0001 → vmm's pvpanic port).
  for m in $(grep '^pvpanic' /lib/modules/e2e/order); do insmod "/lib/modules/e2e/$m"; done
  say "crashing the kernel through sysrq"
  drain; sleep 1
  echo 1 >/proc/sys/kernel/sysrq
  echo c >/proc/sysrq-trigger
fi
if [ -e /sys/class/rtc/rtc0/since_epoch ]; then
  say "RTC $(cat /sys/class/rtc/rtc0/since_epoch) date $(date +%s)"
else
  say "RTC none date $(date +%s): no /sys/class/rtc/rtc0; kernel: $(dmesg | grep -i -E 'rtc|cmos' | tail -n 3 | tr '\n' ' ')"
fi

# The guest's own shutdown path: the ACPI power button (GED → PNP0C0C →
# button.ko) reports KEY_POWER on its input device; busybox init has no
# handler for it, so this waits for the first event and powers off.
power_button_handler() {
  for d in /sys/class/input/input*; do
    [ "$(cat "$d/name" 2>/dev/null)" = "Power Button" ] || continue
    ev=$(ls "$d" | grep '^event' | head -n 1)
    [ -n "$ev" ] || continue
    (dd if="/dev/input/$ev" of=/dev/null bs=24 count=1 2>/dev/null
     say "power button pressed: powering off"; sync; poweroff -f) &
    return 0
  done
  return 1
}

# Module loading is slow when nested (kernel code is emulated): the modules
# load only here, in the order the harness computed from each modinfo.
for m in $(cat /lib/modules/e2e/order); do
  insmod "/lib/modules/e2e/$m" 2>/tmp/insmod.err || say "FAIL insmod $m: $(cat /tmp/insmod.err)"
done
say "modules loaded (uptime $(cut -d' ' -f1 /proc/uptime) s)"

power_button_handler && say "power button handler armed" || say "FAIL power-button no input device named \"Power Button\""

# Serial console input: L1 types the token after this line.
say "WAIT console-input"
if read -t 60 line; then
  check serial-input "$([ "$line" = "$TOKEN" ] && echo 0 || echo 1)" "read \"$line\""
else
  say "FAIL serial-input nothing read within 60 s"
fi

# Every virtio device must have come from ACPI (LNRO0005): Debian's kernels
# have no virtio_mmio.device= command-line support.
expected=$(echo "$DEVS" | tr ',' '\n' | grep -c .)
found=0; via_acpi=0; ids=""
for d in /sys/bus/virtio/devices/*; do
  [ -e "$d" ] || continue
  found=$((found + 1)); ids="$ids $(cat "$d/device")"
  case "$(readlink -f "$d")" in */LNRO0005:*) via_acpi=$((via_acpi + 1)) ;; esac
done
if [ "$expected" -gt 0 ]; then
  check virtio-acpi "$([ "$found" = "$expected" ] && [ "$via_acpi" = "$found" ] && echo 0 || echo 1)" \
    "$found virtio devices (ids$ids), $via_acpi through ACPI LNRO0005, $expected expected"
fi

if has blk; then
  root=$(findfs LABEL=e2e-root 2>/dev/null)
  if [ -n "$root" ] && mount -t ext4 "$root" /mnt; then
    content=$(cat /mnt/hello.txt 2>/dev/null)
    echo "written $TOKEN" >/mnt/written.txt && sync && umount /mnt && mount -t ext4 "$root" /mnt
    back=$(cat /mnt/written.txt 2>/dev/null)
    check blk-root "$([ "$content" = "hello from the e2e root disk" ] && [ "$back" = "written $TOKEN" ] && echo 0 || echo 1)" \
      "$root: hello.txt \"$content\", after remount \"$back\""
    umount /mnt
  else
    say "FAIL blk-root no ext4 disk labelled e2e-root mounts (block devices: $(ls /sys/block | tr '\n' ' '))"
  fi
  ro=$(findfs LABEL=e2e-ro 2>/dev/null)
  if [ -n "$ro" ]; then
    flag=$(cat "/sys/block/${ro#/dev/}/ro")
    dd if=/dev/zero of="$ro" bs=4096 count=1 oflag=direct conv=fsync 2>/dev/null && wrote=yes || wrote=no
    mount -t ext4 -o rw "$ro" /mnt 2>/dev/null && rw=$(grep " /mnt " /proc/mounts | cut -d' ' -f4 | cut -d, -f1) || rw=refused
    grep -q " /mnt " /proc/mounts && umount /mnt
    check blk-read-only "$([ "$flag" = 1 ] && [ "$wrote" = no ] && [ "$rw" != rw ] && echo 0 || echo 1)" \
      "$ro: ro flag $flag, raw write succeeded: $wrote, rw mount: $rw"
  else
    say "FAIL blk-read-only no disk labelled e2e-ro"
  fi
fi

if has net; then
  ip link set lo up
  ip link set eth0 up && ip addr add 172.30.0.2/24 dev eth0
  say "WAIT net-up"
  ping -c 3 -W 5 172.30.0.1 >/tmp/ping.out 2>&1
  check net-l2-to-l1 $? "$(tail -n 2 /tmp/ping.out | tr '\n' ' ')"
fi

if has console; then
  if [ -c /dev/hvc0 ]; then
    # ttyS0 and hvc0 reach vmm's one console from different threads: let
    # ttyS0 drain first, so the two lines do not interleave mid-line.
    sleep 1
    echo "E2E-HVC0: hello $TOKEN" >/dev/hvc0 && sleep 1 && say "wrote to hvc0"
  else
    say "FAIL virtio-console no /dev/hvc0 ($(ls /dev | grep -c hvc) hvc nodes)"
  fi
fi

if has rng; then
  current=$(cat /sys/class/misc/hw_random/rng_current 2>/dev/null)
  bytes=$(dd if=/dev/hwrng bs=64 count=1 2>/dev/null | od -An -tx1 | tr -d ' \n')
  nonzero=$(echo "$bytes" | tr -d 0)
  check rng "$([ "${current#virtio_rng}" != "$current" ] && [ ${#bytes} = 128 ] && [ -n "$nonzero" ] && echo 0 || echo 1)" \
    "rng_current $current, read ${#bytes} hex digits: $(echo "$bytes" | cut -c1-32)"
fi

if has vsock; then
  got=$(e2e-sock vsock-send 2 5000 "from-l2-$TOKEN" 2>&1)
  check vsock-l2-to-l1 "$([ "$got" = "ack:from-l2-$TOKEN" ] && echo 0 || echo 1)" "guest → host port 5000 answered \"$got\""
  e2e-sock vsock-ack 6000 >/tmp/vsock.in 2>&1 &
  listener=$!
  sleep 1
  say "WAIT vsock-listen"
  wait $listener
  got=$(cat /tmp/vsock.in)
  check vsock-l1-to-l2 "$([ "$got" = "from-l1-$TOKEN" ] && echo 0 || echo 1)" "guest port 6000 received \"$got\""
fi

say "checks done; waiting for the power button"
while :; do sleep 3600; done
