# The end-to-end checks, sourced by L1's init. Two L2 boots of the Debian
# cloud kernel under vmm: the bzImage with every device (the L2 init checks
# from inside, this script from outside), and the ELF vmlinux through PVH,
# ending in a kernel panic. Each check prints one "E2E: PASS|FAIL name detail" line here
# or one "E2E-L2: PASS|FAIL name detail" line in the L2 console.
. /e2e/l2-boot.sh
L2=/l2
TOKEN="tok$(date +%s)"
L2_CMDLINE="console=ttyS0 ${E2E_L2_CMDLINE:-quiet} panic=-1 e2e.token=$TOKEN"

flag_missing() { ! vmm --help 2>&1 | grep -q -- "$1"; }

# Device flags vmm has; a device vmm lacks fails its checks by name.
device_args() {
  DEVS="" ARGS=""
  if flag_missing --block; then
    for c in blk-root blk-read-only blk-read-only-image; do fail "$c vmm has no --block flag"; done
  else
    DEVS="$DEVS,blk,blk" ARGS="$ARGS --block path=/run/root.img --block path=$L2/ro.img,read_only=on"
    cp "$L2/root.img" /run/root.img
  fi
  if flag_missing --net; then
    for c in net-l2-to-l1 net-l1-to-l2; do fail "$c vmm has no --net flag"; done
  else
    DEVS="$DEVS,net" ARGS="$ARGS --net tap=tap0"
    if ! ip link show tap0 >/dev/null 2>&1; then  # a retried boot finds it made
      tunctl -t tap0 >/dev/null && ip addr add 172.30.0.1/24 dev tap0 && ip link set tap0 up || fail "net-setup tap0"
    fi
  fi
  if flag_missing --virtio-console; then fail "virtio-console vmm has no --virtio-console flag"
  else DEVS="$DEVS,console" ARGS="$ARGS --virtio-console"; fi
  if flag_missing --rng; then fail "rng vmm has no --rng flag"
  else DEVS="$DEVS,rng" ARGS="$ARGS --rng"; fi
  if flag_missing --vsock; then
    for c in vsock-l2-to-l1 vsock-uds-listener vsock-l1-to-l2 vsock-host-connect; do fail "$c vmm has no --vsock flag"; done
  else DEVS="$DEVS,vsock" ARGS="$ARGS --vsock cid=3,uds=/run/vsock"; fi
  DEVS=${DEVS#,}
  [ -n "$DEVS" ] || fail "virtio-acpi vmm has no virtio device flags yet"
}

# Answers the L2 init's "WAIT" lines in the order it prints them.
converse() {
  if wait_l2 full "E2E-L2: RTC " 60; then
    line=$(grep -m 1 "E2E-L2: RTC " /run/full.log)
    rtc=$(echo "$line" | sed -n 's/^E2E-L2: RTC \([0-9][0-9]*\) .*/\1/p')
    now=$(date +%s)
    diff=$((${rtc:-0} - now))
    [ -n "$rtc" ] && [ "${diff#-}" -le 60 ] && pass "rtc L2's CMOS RTC $rtc, L1's date $now" \
      || fail "rtc L2 said \"${line#E2E-L2: }\", L1's date $now"
  fi
  if wait_l2 full "E2E-L2: WAIT console-input" 60; then
    echo "$TOKEN" >&3
  fi
  case ",$DEVS," in *,net,*)
    if wait_l2 full "E2E-L2: WAIT net-up" 90; then
      ping -c 3 -W 5 172.30.0.2 >/run/ping.out 2>&1 && pass "net-l1-to-l2 $(tail -n 2 /run/ping.out | tr '\n' ' ')" \
        || fail "net-l1-to-l2 $(tail -n 2 /run/ping.out | tr '\n' ' ')"
    else fail "net-l1-to-l2 the L2 init never configured eth0"; fi ;;
  esac
  case ",$DEVS," in *,vsock,*)
    if wait_l2 full "E2E-L2: WAIT vsock-listen" 90; then
      got=$(e2e-sock vsock-via-uds /run/vsock 6000 "from-l1-$TOKEN" 2>&1)
      [ "$got" = "ack:from-l1-$TOKEN" ] && pass "vsock-host-connect CONNECT 6000 answered \"$got\"" \
        || fail "vsock-host-connect CONNECT 6000 answered \"$got\""
    else fail "vsock-host-connect the L2 init never listened on port 6000"; fi ;;
  esac
}

scenario_full() {
  device_args
  case ",$DEVS," in *,vsock,*) e2e-sock unix-ack /run/vsock_5000 >/run/vsock5000.out 2>&1 & ;; esac
  ro_sum=$(md5sum "$L2/ro.img" | cut -d' ' -f1)
  # shellcheck disable=SC2086  # ARGS is a list of flags
  start_l2 full --kernel "path=$L2/bzImage,cmdline=$L2_CMDLINE e2e.mode=full e2e.devs=$DEVS" --initrd "$L2/initrd.img" \
    --memory size_mib=256 --vcpu num=2 --console stdio --control /run/control $ARGS
  wait_l2 full "E2E-L2: init reached" 180; got=$?
  [ $got = 2 ] && return 2
  if [ $got = 0 ]; then
    pass "boot-bzimage the L2 init ran ($(grep 'E2E-L2: init reached' /run/full.log | head -n 1))"
    pass "serial-output the L2 init's lines arrived through ttyS0"
  else
    fail "boot-bzimage the L2 init never ran (vmm status $(exit_status full): $(vmm_said full))"
    stop_l2 full
    return 0
  fi
  converse
  wait_l2 full "E2E-L2: checks done" 180; got=$?
  [ $got = 2 ] && return 2
  case ",$DEVS," in *,console,*)
    grep -q "E2E-HVC0: hello $TOKEN" /run/full.log && pass "virtio-console hvc0 output reached vmm's console" \
      || fail "virtio-console \"E2E-HVC0: hello $TOKEN\" written to hvc0 did not appear in vmm's output" ;;
  esac
  case ",$DEVS," in *,vsock,*)
    got=$(cat /run/vsock5000.out)
    [ "$got" = "from-l2-$TOKEN" ] && pass "vsock-uds-listener /run/vsock_5000 received \"$got\"" \
      || fail "vsock-uds-listener /run/vsock_5000 received \"$got\"" ;;
  esac
  case ",$DEVS," in *,blk,*)
    [ "$(md5sum "$L2/ro.img" | cut -d' ' -f1)" = "$ro_sum" ] && pass "blk-read-only-image ro.img unchanged" \
      || fail "blk-read-only-image ro.img changed" ;;
  esac
  answer=$(e2e-sock request /run/control '{"command":"shutdown","id":1}' 2>&1)
  if wait_exit full 60; then
    sleep 1
    status=$(exit_status full) said=$(vmm_said full)
    if [ "$status" = 0 ] && echo "$said" | grep -q "powered off" && grep -q "E2E-L2: power button pressed" /run/full.log; then
      pass "shutdown control socket answered $answer; the guest handled the power button; vmm: \"$said\", status 0"
    else
      fail "shutdown control socket answered $answer; vmm status $status: \"$said\""
    fi
  else
    fail "shutdown vmm still running 60 s after $answer"
  fi
  stop_l2 full
  return 0
}

# The ELF vmlinux through its PVH entry; once its init has run, the guest
# crashes itself (sysrq c) with panic=-1, which is also the panic check.
scenario_pvh() {
  start_l2 pvh --kernel "path=$L2/vmlinux,boot=pvh,cmdline=$L2_CMDLINE e2e.mode=panic" --initrd "$L2/initrd.img" \
    --memory size_mib=256 --vcpu num=2 --console stdio
  wait_l2 pvh "E2E-L2: init reached" 180; got=$?
  [ $got = 2 ] && return 2
  if [ $got = 0 ]; then
    pass "boot-pvh the L2 init ran from the ELF vmlinux (PVH entry note, boot=pvh)"
  else
    fail "boot-pvh the L2 init never ran (vmm status $(exit_status pvh): $(vmm_said pvh))"
    stop_l2 pvh
    return 0
  fi
  wait_l2 pvh "Kernel panic" 60
  wait_exit pvh 30
  sleep 1
  status=$(exit_status pvh) said=$(vmm_said pvh)
  panic_line=$(grep -m 1 'Kernel panic' /run/pvh.log)
  if [ "$status" != 0 ] && [ "$status" != none ] && echo "$said" | grep -q -i panic; then
    pass "panic vmm status $status: \"$said\""
  elif [ "$status" = none ]; then
    fail "panic after the guest's \"$panic_line\" (panic=-1) vmm was still running 30 s later (expected a non-zero exit naming the panic); $(vmm_threads pvh); L1 kernel: $(dmesg | tail -n 3 | tr '\n' ' ')"
  else
    fail "panic after the guest's \"$panic_line\" (panic=-1) vmm exited with status $status: \"$said\" (expected non-zero and a message naming the panic)"
  fi
  stop_l2 pvh
  return 0
}

# A Debian 12 root (debootstrap minbase + systemd, udev, dbus) on a virtio
# disk: the L2 initramfs loads the disk and power-button modules and
# switch_roots to systemd; e2e-ready.service prints a marker once
# multi-user.target is reached. Then vmm's graceful stop (control socket
# "shutdown" → ACPI power button) must be handled by systemd-logind and end in
# systemd's own poweroff. shutdown_timeout_s is raised from its default 30 s
# (Ctrl-Alt-Del after 15 s): a nested, emulated systemd takes longer than
# that to stop its units, and the check must tell the button from the fallback.
SYSTEMD_SHUTDOWN_TIMEOUT_S=240
# The rest of the first console line starting "E2E-L2: PREFIX" (console lines end in \r\n).
systemd_said() { grep -m 1 "E2E-L2: $1" /run/systemd.log | tr -d '\r' | sed "s/^E2E-L2: $1//"; }
scenario_systemd() {
  if [ ! -e "$L2/systemd.img" ]; then
    fail "systemd-boot the harness put no systemd root disk into L1"
    return 0
  fi
  if flag_missing --block; then
    for c in systemd-boot systemd-running systemd-poweroff systemd-power-button; do fail "$c vmm has no --block flag"; done
    return 0
  fi
  cat >/run/systemd.json <<JSON
{"kernel": {"path": "$L2/bzImage", "initrd": "$L2/initrd.img",
            "cmdline": "$L2_CMDLINE e2e.mode=systemd systemd.show_status=true"},
 "shutdown_timeout_s": $SYSTEMD_SHUTDOWN_TIMEOUT_S}
JSON
  start_l2 systemd --config /run/systemd.json --memory size_mib=384 --vcpu num=1 --console stdio \
    --control /run/control-systemd --block "path=$L2/systemd.img"
  wait_l2 systemd "E2E-L2: systemd reached multi-user.target" 300; got=$?
  [ $got = 2 ] && return 2
  if [ $got != 0 ]; then
    fail "systemd-boot multi-user.target was not reached (vmm status $(exit_status systemd): $(vmm_said systemd))"
    stop_l2 systemd
    return 0
  fi
  pass "systemd-boot systemd as PID 1 on the virtio disk reached multi-user.target$(systemd_said "systemd reached multi-user.target")"
  wait_l2 systemd "E2E-L2: systemd state " 150; got=$?
  [ $got = 2 ] && return 2
  state=$(systemd_said "systemd state ")
  case "$state" in
    "running "*) pass "systemd-running systemctl is-system-running: $state" ;;
    "") fail "systemd-running the guest never printed systemctl is-system-running" ;;
    *) fail "systemd-running systemctl is-system-running: $state; failed units: $(systemd_said "systemd failed units: ")" ;;
  esac
  asked=$(date +%s)
  answer=$(e2e-sock request /run/control-systemd '{"command":"shutdown","id":1}' 2>&1)
  if wait_exit systemd $((SYSTEMD_SHUTDOWN_TIMEOUT_S + 30)); then
    sleep 1
    took=$(($(date +%s) - asked))
    status=$(exit_status systemd) said=$(vmm_said systemd)
    stopping=$(grep -c -E 'Stopped|Stopping|Deactivated|Unmount' /run/systemd.log)
    systemd_end=$(grep -m 1 -o -E 'Reached target poweroff\.target|Reached target .*System Power Off|systemd-shutdown\[1\]: Powering off' /run/systemd.log)
    power_down=$(grep -m 1 -o 'reboot: Power down' /run/systemd.log)
    if [ "$status" = 0 ] && echo "$said" | grep -q "guest powered off" && [ -n "$systemd_end" ] && [ -n "$power_down" ] \
        && [ "$stopping" -gt 0 ]; then
      pass "systemd-poweroff vmm exited 0 with \"$said\" ${took} s after the shutdown request ($answer); the console shows systemd's shutdown: $stopping units stopped/unmounted, \"$systemd_end\", \"$power_down\""
    else
      fail "systemd-poweroff vmm status $status \"$said\" ${took} s after $answer; systemd's shutdown on the console: ${systemd_end:-none} (${stopping} stop lines), kernel: ${power_down:-no \"reboot: Power down\"}"
    fi
    logind=$(systemd_said "systemd-logind said: ")
    jobs=$(systemd_said "systemd shutdown jobs: ")
    manager=$(systemd_said "systemd manager said: ")
    fallback=$(grep -E '^vmm: .*(ignored the power button|Ctrl-Alt-Del|did not shut down within)' /run/systemd.log | grep -v 'asking the guest' | head -n 1)
    if echo "$logind" | grep -q -i "power key" && [ -z "$fallback" ] && ! echo "$jobs" | grep -q -E 'reboot|ctrl-alt-del' \
        && [ "$manager" = "nothing about Ctrl-Alt-Del" ]; then
      pass "systemd-power-button systemd-logind: \"$logind\"; jobs: \"$jobs\"; no Ctrl-Alt-Del (vmm, systemd), no hard stop"
    else
      fail "systemd-power-button systemd-logind: \"${logind:-no report from e2e-ready.service}\"; jobs: \"$jobs\"; systemd: \"$manager\"; vmm: \"${fallback:-no fallback}\""
    fi
  else
    fail "systemd-poweroff vmm still running $((SYSTEMD_SHUTDOWN_TIMEOUT_S + 30)) s after $answer"
    fail "systemd-power-button the guest did not power off"
  fi
  stop_l2 systemd
  return 0
}

# A silent L2 hang (no console output for L2_SILENT_S s) is retried once;
# a run that printed a failure is not.
run_scenario() {
  "scenario_$1"
  [ $? = 2 ] || return 0
  e2e "RETRY $1: the L2 guest was silent for $L2_SILENT_S s; retrying it once"
  stop_l2 "$1"
  "scenario_$1"
  [ $? = 2 ] || return 0
  fail "$1-hang the L2 guest was silent for $L2_SILENT_S s twice"
  stop_l2 "$1"
}

e2e "vmm $(vmm --version 2>&1)"
for s in ${E2E_SCENARIOS:-full pvh systemd}; do
  run_scenario "$s"
done
