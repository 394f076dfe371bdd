#!/usr/bin/env python3
# owner.py FILE.jfr: each CPU sample to the innermost frame outside java.*, jdk.*, sun.*, reactor.core.* (the code that
# asked for the work), grouped by component; then by class for ours, SCG and Resilience4j.
import json, subprocess, sys, collections
out = subprocess.run(['jfr', 'print', '--json', '--events', 'jdk.ExecutionSample', '--stack-depth', '64', sys.argv[1]], capture_output=True, text=True).stdout
events = json.loads(out)['recording']['events']
GENERIC = ('java.', 'jdk.', 'sun.', 'reactor.core.', 'reactor.util.', 'kotlin.')
def group(n):
    for pre, g in [('io.runway', 'ours'), ('io.github.resilience4j', 'resilience4j'), ('reactor.retry', 'reactor-extra retry'),
                   ('org.springframework.cloud.circuitbreaker', 'spring cloud circuitbreaker'),
                   ('io.micrometer.observation', 'micrometer observation'), ('io.micrometer.tracing', 'micrometer tracing'),
                   ('io.opentelemetry', 'opentelemetry'), ('io.micrometer', 'micrometer core'),
                   ('org.springframework.cloud.gateway', 'spring cloud gateway'), ('reactor.netty', 'reactor-netty'),
                   ('io.netty', 'netty'), ('io.lettuce', 'lettuce'), ('org.springframework.http', 'spring http'),
                   ('org.springframework.web', 'spring web'), ('org.springframework', 'spring other'), ('ch.qos', 'logback'),
                   ('org.slf4j', 'logback'), ('com.nimbusds', 'nimbus')]:
        if n.startswith(pre): return g
    return 'other:' + '.'.join(n.split('.')[:2])
groups = collections.Counter(); classes = collections.Counter(); total = 0
for e in events:
    st = e['values'].get('stackTrace')
    if not st: continue
    names = [f['method']['type']['name'].replace('/', '.') + '.' + f['method']['name'] for f in st['frames']]
    total += 1
    owner = next((n for n in names if not n.startswith(GENERIC)), names[-1])
    g = group(owner) if not owner.startswith(GENERIC) else 'generic only (truncated stack)'
    groups[g] += 1
    if g in ('ours', 'spring cloud gateway', 'resilience4j', 'spring cloud circuitbreaker', 'micrometer observation', 'micrometer tracing', 'reactor-extra retry', 'spring web', 'spring http', 'reactor-netty'):
        classes[g + ' ' + owner.rsplit('.', 1)[0].split('$$')[0]] += 1
print('%d samples' % total)
for n, v in groups.most_common(): print('%6.1f%%  %s' % (100.0 * v / total, n))
print()
for n, v in classes.most_common(45): print('%6.1f%%  %s' % (100.0 * v / total, n))
