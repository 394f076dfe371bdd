#!/usr/bin/env python3
# jfr-inclusive.py FILE.jfr [PATTERN ...]: the share of CPU samples with a frame of each pattern anywhere on the stack
# (a class or package prefix, e.g. io.runway.common.web.RequestIdWebFilter). Without patterns: the ones issue 14 follows.
import json, subprocess, sys
DEFAULT = ['org.springframework.web.server.adapter.HttpWebHandlerAdapter$ObservationSignalListener',
           'io.runway.gateway.tracing', 'io.micrometer.tracing', 'io.opentelemetry', 'io.micrometer.observation',
           'io.github.resilience4j', 'io.runway.gateway.auth.ForwardedTokens', 'io.runway.common.auth.CallerPrincipal',
           'io.runway.common.web.RequestIdWebFilter', 'io.runway.common.web.AccessLog', 'ch.qos.logback', 'org.slf4j',
           'io.runway.gateway.auth', 'io.runway.gateway.ratelimit', 'io.runway.gateway.metrics', 'io.runway.gateway.path',
           'io.runway.gateway.resilience', 'io.runway.gateway.browser', 'io.runway', 'reactor.retry',
           'org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory',
           'org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping']
out = subprocess.run(['jfr', 'print', '--json', '--events', 'jdk.ExecutionSample', '--stack-depth', '128', sys.argv[1]],
                     capture_output=True, text=True).stdout
events = [e for e in json.loads(out)['recording']['events'] if e['values'].get('stackTrace')]
patterns = sys.argv[2:] or DEFAULT
stacks = [[f['method']['type']['name'].replace('/', '.') for f in e['values']['stackTrace']['frames']] for e in events]
print('%d samples, inclusive shares' % len(stacks))
for p in patterns:
    hits = sum(1 for s in stacks if any(n.startswith(p) for n in s))
    print('%6.1f%%  %s' % (100.0 * hits / max(1, len(stacks)), p))
