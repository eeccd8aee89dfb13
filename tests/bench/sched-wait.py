#!/usr/bin/env python3
# Where a server's time goes, every quarter second, from the kernel's scheduler statistics
# (/proc/PID/task/TID/schedstat): its main thread's time on a CPU and time runnable but waiting for one,
# its other threads' time on a CPU (V8's GC and compiler helpers, the store worker), and the machine's
# busy cores (/proc/stat). Tells a saturated event loop (main ~250 ms on CPU per 250 ms) from one that
# is starved by other processes (a long wait) during a load step.
#
#   python3 tests/bench/sched-wait.py PID SECONDS [OUT]
import os
import sys
import time


def machine():
    fields = list(map(int, open('/proc/stat').readline().split()[1:]))
    return sum(fields), fields[3] + fields[4]  # all, idle + iowait


def threads(pid):
    got = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            on_cpu, waiting, _ = map(int, open(f'/proc/{pid}/task/{tid}/schedstat').read().split())
        except OSError:
            continue  # the thread ended
        got[tid] = (on_cpu, waiting)
    return got


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: sched-wait.py PID SECONDS [OUT]')
    pid, seconds = sys.argv[1], float(sys.argv[2])
    out = open(sys.argv[3], 'w') if len(sys.argv) > 3 else sys.stdout
    cores = os.cpu_count() or 1
    start = time.time()
    before, cpu_before = threads(pid), machine()
    while time.time() - start < seconds:
        time.sleep(0.25)
        try:
            now = threads(pid)
        except OSError:
            break  # the server ended
        cpu_now = machine()
        main_on, main_wait = (
            (now[pid][i] - before.get(pid, now[pid])[i]) / 1e6 for i in (0, 1)
        )
        others = sum((v[0] - before.get(t, v)[0]) / 1e6 for t, v in now.items() if t != pid)
        total, idle = cpu_now[0] - cpu_before[0], cpu_now[1] - cpu_before[1]
        busy = cores * (1 - idle / total) if total > 0 else 0.0
        out.write(
            f'{time.time() - start:6.2f} s  main on CPU {main_on:6.1f} ms, waiting {main_wait:6.1f} ms'
            f' | other threads {others:6.1f} ms | machine {busy:4.2f} cores\n'
        )
        out.flush()
        before, cpu_before = now, cpu_now


main()
