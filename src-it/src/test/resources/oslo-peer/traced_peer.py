"""An oslo.messaging service traced the way opentelemetry-instrumentation-oslo-messaging does it,
for Warren's tracing test, without OpenTelemetry (not packaged by Debian, and PyPI is not reached).

It hooks what that instrumentation (0.12.5) hooks, and carries the trace the same way:
Transport._send and Transport._send_notification write a W3C traceparent into the serialized
context dict (so "_context_traceparent" on the wire) for the span sending it, a child of the span
being served; RPCDispatcher.dispatch and NotificationDispatcher.dispatch read the traceparent off
the incoming context and open a span under it. Spans are printed instead of exported:

  PROCESS {"what": "rpc"|"notification", "traceparent": <as received>, "trace_id", "span_id", "parent"}
  SEND {"what": "rpc"|"notification", "name": <method or event type>, "trace_id", "span_id", "parent"}

  traced_peer.py serve URL EXCHANGE TOPIC SERVER PY_NOTIFY_TOPIC JAVA_TOPIC JAVA_NOTIFY_TOPIC
      An RPC server on TOPIC whose traced_work(item) casts record(tag=item) to JAVA_TOPIC, sends
      an info notification traced.work.done to JAVA_NOTIFY_TOPIC, and returns the traceparent it
      received; a notification listener on PY_NOTIFY_TOPIC. Prints READY when consuming; a line
      STOP on stdin ends it.
"""

import json
import re
import secrets
import sys
import threading

from oslo_config import cfg
import oslo_messaging
from oslo_messaging import transport as om_transport
from oslo_messaging.notify import dispatcher as notify_dispatcher
from oslo_messaging.rpc import dispatcher as rpc_dispatcher

TRACEPARENT = re.compile(r'^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$')
_current = threading.local()


def report(kind, **fields):
    print(kind + ' ' + json.dumps(fields), flush=True)


def traced_send(original, what):
    def send(self, target, ctxt, message, *args, **kwargs):
        current = getattr(_current, 'span', None)
        trace_id = current[0] if current else secrets.token_hex(16)
        span_id = secrets.token_hex(8)
        if isinstance(ctxt, dict):
            ctxt['traceparent'] = '00-%s-%s-01' % (trace_id, span_id)
        name = message.get('method') or message.get('event_type') if isinstance(message, dict) else None
        report('SEND', what=what, name=name, trace_id=trace_id, span_id=span_id,
               parent=current[1] if current else None)
        return original(self, target, ctxt, message, *args, **kwargs)
    return send


def traced_dispatch(original, what):
    def dispatch(self, incoming, *args, **kwargs):
        ctxt = getattr(incoming, 'ctxt', None) or {}
        received = ctxt.get('traceparent')
        match = TRACEPARENT.match(received) if isinstance(received, str) else None
        trace_id = match.group(1) if match else secrets.token_hex(16)
        span_id = secrets.token_hex(8)
        report('PROCESS', what=what, traceparent=received, trace_id=trace_id, span_id=span_id,
               parent=match.group(2) if match else None)
        _current.span = (trace_id, span_id)
        try:
            return original(self, incoming, *args, **kwargs)
        finally:
            # pooled worker threads: never keep a finished message's trace
            _current.span = None
    return dispatch


om_transport.Transport._send = traced_send(om_transport.Transport._send, 'rpc')
om_transport.Transport._send_notification = traced_send(
    om_transport.Transport._send_notification, 'notification')
rpc_dispatcher.RPCDispatcher.dispatch = traced_dispatch(
    rpc_dispatcher.RPCDispatcher.dispatch, 'rpc')
notify_dispatcher.NotificationDispatcher.dispatch = traced_dispatch(
    notify_dispatcher.NotificationDispatcher.dispatch, 'notification')


class TracedEndpoint(object):
    def __init__(self, java, notifier):
        self.java = java
        self.notifier = notifier

    def traced_work(self, ctxt, item):
        self.java.cast({'request_id': ctxt.get('request_id')}, 'record', tag=item)
        self.notifier.info({'request_id': ctxt.get('request_id')}, 'traced.work.done', {'item': item})
        return {'received_traceparent': ctxt.get('traceparent')}


class QuietListener(object):
    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        return notify_dispatcher.NotificationResult.HANDLED


def serve(url, exchange, topic, server, py_notify_topic, java_topic, java_notify_topic):
    oslo_messaging.set_transport_defaults(exchange)
    cfg.CONF([], project='warren-traced-peer')
    transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=url)
    ntransport = oslo_messaging.get_notification_transport(cfg.CONF, url=url)
    java = oslo_messaging.RPCClient(transport, oslo_messaging.Target(topic=java_topic))
    notifier = oslo_messaging.Notifier(ntransport, publisher_id='peer.traced', driver='messagingv2',
                                       topics=[java_notify_topic])
    rpc = oslo_messaging.get_rpc_server(
        transport, oslo_messaging.Target(topic=topic, server=server),
        [TracedEndpoint(java, notifier)], executor='threading')
    listener = oslo_messaging.get_notification_listener(
        ntransport, [oslo_messaging.Target(topic=py_notify_topic)], [QuietListener()],
        executor='threading')
    rpc.start()
    listener.start()
    print('READY', flush=True)
    try:
        for line in sys.stdin:
            if line.strip() == 'STOP':
                break
    finally:
        for s in (rpc, listener):
            s.stop()
            s.wait()
        transport.cleanup()
        ntransport.cleanup()
        print('STOPPED', flush=True)


if __name__ == '__main__':
    if sys.argv[1] != 'serve':
        sys.exit('unknown verb ' + sys.argv[1])
    serve(*sys.argv[2:9])
