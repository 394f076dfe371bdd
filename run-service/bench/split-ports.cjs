'use strict';
// Preloaded into the bench client (NODE_OPTIONS="--require .../split-ports.cjs", inherited by its worker processes):
// spreads its connections over several replicas on loopback. BENCH_SSE_PORTS="18091,18093": every connection the
// client opens to 127.0.0.1:<first port> goes, in turn, to the next port of the list (per client process), so the
// subscribers, and a resumed subscriber's new connection, are split evenly as a round-robin balancer would.
const net = require('net');

const ports = (process.env.BENCH_SSE_PORTS || '').split(',').filter(Boolean).map(Number);
if (ports.length > 1) {
  const connect = net.connect;
  let next = 0;
  net.connect = net.createConnection = function (options, ...rest) {
    if (options && typeof options === 'object' && Number(options.port) === ports[0]) {
      options = { ...options, port: ports[next] };
      next = (next + 1) % ports.length;
    }
    return connect.call(this, options, ...rest);
  };
}
