# Sourced by the L1 scenarios: start a vmm with an L2 guest in the
# background, stream its console to L1's serial console ("L2[name]| ..."),
# and wait for lines in it with a no-output watchdog.
#
# start_l2 NAME VMM-ARGS...   vmm's stdin is the fifo /run/NAME.in (fd 3 in
#                             this shell), its stdout+stderr go to /run/NAME.log,
#                             its pid to /run/NAME.pid, exit status to /run/NAME.rc
# wait_l2 NAME PATTERN SECS   0 when a log line matches PATTERN (grep -E);
#                             1 on timeout or vmm exit; 2 when the log did
#                             not grow for L2_SILENT_S seconds (a hang)
# wait_exit NAME SECS         0 when vmm exited in time (status in /run/NAME.rc)
# stop_l2 NAME                closes vmm's stdin and kills vmm if still running
L2_SILENT_S=${L2_SILENT_S:-60}

e2e() { echo "E2E: $*"; }
pass() { e2e "PASS $*"; }
fail() { e2e "FAIL $*"; }

start_l2() {
  name=$1; shift
  rm -f "/run/$name.in" "/run/$name.rc" "/run/$name.pid"
  mkfifo "/run/$name.in"
  : >"/run/$name.log"
  # The loop copies each line to the log and to L1's console; it ends when vmm
  # exits and closes the pipe.
  ( (vmm "$@" <"/run/$name.in" 2>&1 & echo $! >"/run/$name.pid"; wait $!; echo $? >"/run/$name.rc") |
    while IFS= read -r line || [ -n "$line" ]; do
      echo "$line" >>"/run/$name.log"
      echo "L2[$name]| $line"
    done ) &
  exec 3>"/run/$name.in"
}

log_size() { wc -c <"/run/$1.log"; }

wait_l2() {
  name=$1 pattern=$2 limit=$3
  waited=0 quiet=0 last=-1
  while [ "$waited" -lt "$limit" ]; do
    grep -q -E "$pattern" "/run/$name.log" && return 0
    [ -e "/run/$name.rc" ] && { sleep 1; grep -q -E "$pattern" "/run/$name.log" && return 0; return 1; }
    size=$(log_size "$name")
    if [ "$size" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0 last=$size; fi
    [ "$quiet" -ge "$L2_SILENT_S" ] && return 2
    sleep 1
    waited=$((waited + 1))
  done
  return 1
}

wait_exit() {
  name=$1 limit=$2 waited=0
  while [ ! -e "/run/$name.rc" ]; do
    [ "$waited" -ge "$limit" ] && return 1
    sleep 1
    waited=$((waited + 1))
  done
  return 0
}

exit_status() { cat "/run/$1.rc" 2>/dev/null || echo none; }

# The last vmm message (its own lines start "vmm: ").
vmm_said() { grep '^vmm: ' "/run/$1.log" | tail -n 1; }

stop_l2() {
  name=$1
  exec 3>&-
  if [ ! -e "/run/$name.rc" ]; then
    kill -9 "$(cat "/run/$name.pid")" 2>/dev/null
    wait_exit "$name" 10
  fi
  sleep 1  # the copying loop ends at vmm's exit; give it time to print the rest
}

# "tid:state:wchan ..." of a running vmm's threads, for a failure message.
vmm_threads() {
  pid=$(cat "/run/$1.pid" 2>/dev/null)
  for t in /proc/$pid/task/*; do
    [ -e "$t/stat" ] || continue
    printf '%s:%s:%s ' "${t##*/}" "$(cut -d' ' -f3 "$t/stat")" "$(cat "$t/wchan" 2>/dev/null)"
  done
  echo "(vmm threads tid:state:wchan)"
}
