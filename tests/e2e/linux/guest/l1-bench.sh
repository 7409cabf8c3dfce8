# The Linux boot benchmark (bench/linux-boot), sourced by L1's init: boots
# the same ELF vmlinux (PVH) and L2 initramfs under vmm and under QEMU's
# microvm, alternating, E2E_ROUNDS times each. The L2 init prints its
# "init reached" line and reboots at once (reboot=t: a triple fault, which
# ends both VMMs). Per boot this prints
#   E2E: BENCH <vmm|qemu> round <n> init <s> exit <s> status <rc> rss_kib <k> guest_kib <k>
# with the times measured from just before the process starts, and the
# VMM's resident memory read from /proc/PID/smaps when the init line arrives.
L2=/l2
MEM_MIB=256
CMDLINE="console=ttyS0 quiet panic=-1 reboot=t e2e.mode=bench"

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# rss_of PID: "<total Rss kB> <Rss kB of the guest RAM mapping(s)>": guest RAM
# is the anonymous mapping of exactly MEM_MIB (as bench/memory_overhead.py).
rss_of() {
  awk -v guest=$((MEM_MIB * 1024)) '
    $1 == "Size:" { size = $2 }
    $1 == "Rss:" { total += $2; if (size == guest) ram += $2 }
    END { printf "%d %d\n", total, ram }' "/proc/$1/smaps" 2>/dev/null || echo "0 0"
}

bench_one() {
  name=$1 round=$2; shift 2
  rm -f /run/bench.out /run/bench.rss && mkfifo /run/bench.out
  t_init=""
  t0=$(uptime_s)
  "$@" </dev/null >/run/bench.out 2>&1 &
  pid=$!
  while IFS= read -r line; do
    case "$line" in
      *"E2E-L2: init reached"*) t_init=$(uptime_s); rss_of "$pid" >/run/bench.rss ;;
    esac
    echo "L2[$name-$round]| $line"
  done </run/bench.out
  wait "$pid"
  status=$?
  t_exit=$(uptime_s)
  read -r rss ram </run/bench.rss 2>/dev/null || { rss=0; ram=0; }
  awk -v n="$name" -v r="$round" -v a="$t0" -v b="${t_init:-$t0}" -v c="$t_exit" -v s="$status" -v m="$rss" -v g="$ram" \
    'BEGIN { printf "E2E: BENCH %s round %d init %.2f exit %.2f status %d rss_kib %d guest_kib %d\n", n, r, b - a, c - a, s, m, g }'
  [ -n "$t_init" ] || echo "E2E: FAIL bench-$name round $round: the L2 init line never arrived (status $status)"
}

# Both boot the ELF vmlinux through its PVH note with the same initramfs,
# memory, one vCPU and a 16550 console. Each runs in the background
# subshell bench_one starts, and exec keeps its pid.
run_vmm() {
  exec vmm --kernel "path=$L2/vmlinux,boot=pvh,cmdline=$CMDLINE" --initrd "$L2/initrd.img" \
    --memory size_mib=$MEM_MIB --vcpu num=1 --console stdio
}
run_qemu() {
  exec qemu-system-x86_64 -M microvm,x-option-roms=off,isa-serial=on,rtc=off -enable-kvm -cpu host \
    -m $MEM_MIB -smp 1 -nodefaults -nographic -no-reboot -serial stdio \
    -kernel "$L2/vmlinux" -initrd "$L2/initrd.img" -append "$CMDLINE"
}

e2e() { echo "E2E: $*"; }
e2e "vmm $(vmm --version 2>&1); $(qemu-system-x86_64 --version | head -n 1)"
round=1
while [ "$round" -le "${E2E_ROUNDS:-3}" ]; do
  bench_one vmm "$round" run_vmm
  bench_one qemu "$round" run_qemu
  round=$((round + 1))
done
