#!/usr/bin/env python3
# jfr-top.py FILE.jfr [FROM_SECONDS]: run-service's CPU samples by thread kind, by top (leaf) frame, and by the
# methods a sample passes through (inclusive), so a stream profile can be read step by step.
# FROM_SECONDS skips samples taken before that many seconds into the recording (e.g. the warm-up).
import collections, json, re, subprocess, sys
out = subprocess.run(['jfr', 'print', '--json', '--events', 'jdk.ExecutionSample', '--stack-depth', '96', sys.argv[1]],
                     capture_output=True, text=True).stdout
events = json.loads(out)['recording']['events']
skip = float(sys.argv[2]) if len(sys.argv) > 2 else 0
def secs(t):  # 2026-12-06T02:43:26.123456789Z -> seconds of day
    h, m, s = re.match(r'.*T(\d+):(\d+):([\d.]+)', t).groups(); return int(h) * 3600 + int(m) * 60 + float(s)
t0 = min(secs(e['values']['startTime']) for e in events) if events else 0
threads, leaves, inclusive = collections.Counter(), collections.Counter(), collections.Counter()
total = 0
for e in events:
    v = e['values']
    if secs(v['startTime']) - t0 < skip or not v.get('stackTrace'):
        continue
    total += 1
    name = re.sub(r'[-#]?\d+$', '', (v.get('sampledThread') or {}).get('javaName') or '?')
    threads[name] += 1
    frames = [f['method']['type']['name'].replace('/', '.') + '.' + f['method']['name'] for f in v['stackTrace']['frames']]
    leaves[frames[0]] += 1
    for f in set(frames):
        inclusive[f] += 1
print('%d samples' % total)
for title, counter, n in (('by thread', threads, 12), ('top frames (self)', leaves, 30), ('inclusive', inclusive, 60)):
    print('\n== ' + title)
    for k, c in counter.most_common(n):
        print('%5.1f%%  %s' % (100.0 * c / max(total, 1), k))
