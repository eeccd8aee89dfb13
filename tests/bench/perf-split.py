#!/usr/bin/env python3
"""Splits `perf script -F tid,ip,sym` samples of a SIP server into the parts of a registration's work.

    perf-split.py PERF_TXT ims|kamailio REGISTRATIONS

Each sample is put in the first part whose frames it holds (kernel syscalls by their entry, IMS Lab's
JavaScript by function names, which --perf-basic-prof gives perf). µs per registration = samples /
sampling rate / registrations in the sampled seconds. Used by tests/bench/register-perf.sh.
"""
import collections
import sys

HZ = 999  # register-perf.sh samples at perf record -F 999


def load(path):
    samples, cur = [], None
    with open(path) as f:
        for line in f:
            if not line.strip():
                if cur:
                    samples.append(cur)
                cur = None
            elif not line.startswith('\t'):
                cur = (line.split()[0], [])
            elif cur:
                parts = line.strip().split(' ', 1)
                cur[1].append(parts[1] if len(parts) > 1 else '')
    if cur:
        samples.append(cur)
    return samples


def holds(frames, *names):
    return any(n in f for f in frames for n in names)


def part(tid, frames, main, ims):
    if ims and tid != main:
        if holds(frames, 'sqlite3'):
            return 'store worker: SQLite (bindings, CDR rows)'
        if holds(frames, '[worker eval]'):
            return 'store worker: JavaScript (batches in, parameters bound)'
        return 'other threads (V8 GC helpers, libuv)'
    if holds(frames, 'entry_SYSCALL_64'):
        if holds(frames, 'sendmsg', 'sendto'):
            return 'kernel: send (loopback delivery to SIPp, its wake-up)'
        if holds(frames, 'recvmsg', 'recvfrom'):
            return 'kernel: receive'
        if holds(frames, 'epoll', 'select'):
            return 'kernel: wait for messages'
        return 'kernel: other system calls'
    if not holds(frames, 'JS:', 'Builtins_', 'sqlite3') and holds(frames, 'asm_sysvec', 'irq', 'finish_task_switch'):
        return 'kernel: interrupts, scheduling'
    if ims:
        if holds(frames, 'Scavenge', 'Heap::', 'MarkCompact'):
            return 'GC on the event loop'
        if holds(frames, 'onTapped', 'JS:*emit /', 'JS:^emit /'):
            return 'trace ring (tap, copy, index)'
        if holds(frames, 'appendCsv', 'appendDay', 'flushBehind', 'registrationRecord', 'cdrCsvLine'):
            return 'CDR row on the event loop (record, CSV line, hand-over)'
    elif holds(frames, 'sqlite3'):
        return 'SQLite (auth_db reads the credentials)'
    return 'SIP: parse, digest check, registrar, reply'


def main():
    path, target, registrations = sys.argv[1], sys.argv[2], int(sys.argv[3])
    samples = load(path)
    if not samples:
        sys.exit(f'no samples in {path}')
    main_tid = collections.Counter(t for t, _ in samples).most_common(1)[0][0]
    ims = target == 'ims'
    parts = collections.Counter(part(t, fr, main_tid, ims) for t, fr in samples)
    us = lambda n: n / HZ / registrations * 1e6
    print(f'{target}: {len(samples)} samples, {us(len(samples)):.0f} µs of CPU a registration')
    for name, n in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f'  {us(n):6.1f} µs  {name}')


if __name__ == '__main__':
    main()
