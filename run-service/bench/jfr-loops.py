#!/usr/bin/env python3
# jfr-loops.py FILE.jfr END SECONDS: a gateway's (or any Reactor Netty server's) event-loop threads in the window of
# SECONDS before END (HH:MM:SS, UTC, e.g. the end of a row's events phase): their native samples (time in epoll_wait,
# writev, recv) and their Java samples, with the share of the Java samples that pass through each step of the
# old (Spring Cloud Gateway's write) and the new (EventStreamBridge) event-stream write.
import collections, json, re, subprocess, sys
f, end, dur = sys.argv[1], sys.argv[2], float(sys.argv[3])
def secs(t):
    h, m, s = re.match(r'(?:.*T)?(\d+):(\d+):([\d.]+)', t).groups(); return int(h) * 3600 + int(m) * 60 + float(s)
e1 = secs(end); e0 = e1 - dur
res = {}
for kind in ('jdk.ExecutionSample', 'jdk.NativeMethodSample'):
    out = subprocess.run(['jfr', 'print', '--json', '--events', kind, '--stack-depth', '64', f], capture_output=True, text=True).stdout
    c = collections.Counter(); inc = collections.Counter(); n = 0
    for e in json.loads(out)['recording']['events']:
        v = e['values']; t = secs(v['startTime'])
        if not (e0 <= t <= e1): continue
        name = (v.get('sampledThread') or {}).get('javaName') or '?'
        if not name.startswith('reactor-http'): continue
        fr = v['stackTrace']['frames']
        top = fr[0]['method']['type']['name'].split('/')[-1] + '.' + fr[0]['method']['name']
        c[top] += 1; n += 1
        for x in set(q['method']['type']['name'].split('/')[-1] + '.' + q['method']['name'] for q in fr): inc[x] += 1
    res[kind] = (n, c, inc)
n, c, inc = res['jdk.NativeMethodSample']
busy = n - c['Native.epollWait0']
print('native samples of the event loops: %d, not in epoll_wait: %d (writev %d, recv %d)' % (n, busy, c['FileDescriptor.writevAddresses'], c['Socket.recvAddress']))
n, c, inc = res['jdk.ExecutionSample']
print('Java samples of the event loops: %d' % n)
for k in ['EventStreamBridge.run', 'EventStreamBridge.onNext', 'MonoSendMany$SendManyInner.run', 'MonoSendMany$SendManyInner.onNext', 'ChannelSendOperator$WriteBarrier.onNext', 'NettyDataBufferFactory.wrap', 'FluxReceive.onInboundNext', 'AbstractEpollStreamChannel$EpollStreamUnsafe.epollInReady', 'SingleThreadEventExecutor.runAllTasks', 'AbstractChannelHandlerContext.write', 'AbstractChannelHandlerContext.flush']:
    print('  %5.1f%%  %s' % (100.0 * inc[k] / max(n, 1), k))
print('  top frames:', ', '.join('%s %.1f%%' % (k, 100.0 * x / n) for k, x in c.most_common(6)))
