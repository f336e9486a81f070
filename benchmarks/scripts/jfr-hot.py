#!/usr/bin/env python3
"""Summarises a JFR recording's Java and (busy) native execution samples: hottest top frames (self) and methods on stack (total).
usage: jfr-hot.py FILE.jfr [N] [THREAD_SUBSTRING]"""
import collections, re, subprocess, sys

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
thread_filter = sys.argv[3] if len(sys.argv) > 3 else None
def events(kind):
    text = subprocess.run(["jfr", "print", "--stack-depth", "64", "--events", kind, path],
                          capture_output=True, text=True, check=True).stdout
    return text.split(kind + " {")[1:]

# Java samples every 10 ms, native ones every 20 ms (JFR "profile" settings): a native sample weighs 2. Threads
# blocked in native code (selectors, accept, socket reads) are idle, not busy: left out.
IDLE = ("EPoll.wait", "Net.accept", "Net.poll", "SocketDispatcher.read", "EventFD", "FileDispatcherImpl.force", "Object.wait")
weighted = [(1, ev) for ev in events("jdk.ExecutionSample")]
weighted += [(2, ev) for ev in events("jdk.NativeMethodSample") if not any(i in ev.split("line:")[0] for i in IDLE)]
self_c, total_c, threads = collections.Counter(), collections.Counter(), collections.Counter()
samples = 0
for weight, ev in weighted:
    m = re.search(r'sampledThread = "([^"]*)"', ev)
    thread = re.sub(r'\d+', 'N', m.group(1)) if m else "?"
    if thread_filter and thread_filter not in thread:
        continue
    frames = [re.sub(r'\s+line:.*', '', f.strip()) for f in re.findall(r'^\s+([\w$.<>/]+\(.*\).*)$', ev, re.M)]
    frames = [re.sub(r'\(.*', '', f) for f in frames]
    if not frames:
        continue
    samples += weight
    threads[thread] += weight
    self_c[frames[0]] += weight
    for f in set(frames):
        total_c[f] += weight
print(f"{samples} samples")
print("threads:")
for t, c in threads.most_common(12):
    print(f"  {100*c/samples:5.1f}%  {t}")
print("self (top frame):")
for f, c in self_c.most_common(n):
    print(f"  {100*c/samples:5.1f}%  {f}")
print("total (on stack):")
for f, c in total_c.most_common(n * 2):
    print(f"  {100*c/samples:5.1f}%  {f}")
