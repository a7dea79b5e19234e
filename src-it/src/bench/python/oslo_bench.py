"""oslo.messaging's side of Warren's benchmark (BENCHMARKS.md, "Python peers").

Run with the Python that has Debian's python3-oslo.messaging (/usr/bin/python3).

  oslo_bench.py serve URL EXCHANGE TOPIC SERVER
      An RPC server with one method, echo(payload), on the threading executor. Prints READY
      when consuming; a line STOP on stdin ends it.

  oslo_bench.py load URL EXCHANGE TOPIC SECONDS PAYLOAD_BYTES
      One caller calling echo in a closed loop for SECONDS (after 20 unrecorded calls);
      prints one JSON line: {"calls", "seconds", "p50_us", "p99_us"}.
"""

import json
import sys
import time

from oslo_config import cfg
import oslo_messaging


class Echo(object):
    target = oslo_messaging.Target(version='1.0')

    def echo(self, ctxt, payload):
        return payload


def transport_for(url, exchange):
    oslo_messaging.set_transport_defaults(exchange)
    cfg.CONF([], project='warren-bench')
    return oslo_messaging.get_rpc_transport(cfg.CONF, url=url)


def serve(url, exchange, topic, server):
    transport = transport_for(url, exchange)
    rpc = oslo_messaging.get_rpc_server(transport, oslo_messaging.Target(topic=topic, server=server),
                                        [Echo()], executor='threading')
    rpc.start()
    print('READY', flush=True)
    try:
        for line in sys.stdin:
            if line.strip() == 'STOP':
                break
    finally:
        rpc.stop()
        rpc.wait()
        transport.cleanup()


def load(url, exchange, topic, seconds, payload_bytes):
    transport = transport_for(url, exchange)
    client = oslo_messaging.RPCClient(transport, oslo_messaging.Target(topic=topic), timeout=20)
    payload = 'x' * payload_bytes
    try:
        for _ in range(20):
            client.call({}, 'echo', payload=payload)
        times = []
        start = time.monotonic()
        end = start + seconds
        while True:
            t0 = time.monotonic()
            if t0 >= end:
                break
            echoed = client.call({}, 'echo', payload=payload)
            times.append(time.monotonic() - t0)
            if len(echoed) != payload_bytes:
                raise RuntimeError('wrong echo')
        took = time.monotonic() - start
        times.sort()

        def q(p):
            return times[min(len(times) - 1, int(p * len(times)))] * 1e6 if times else float('nan')
        print(json.dumps({'calls': len(times), 'seconds': took, 'p50_us': q(0.5), 'p99_us': q(0.99)}), flush=True)
    finally:
        transport.cleanup()


if __name__ == '__main__':
    verb = sys.argv[1]
    if verb == 'serve':
        serve(*sys.argv[2:6])
    elif verb == 'load':
        load(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), int(sys.argv[6]))
    else:
        sys.exit('unknown verb ' + verb)
