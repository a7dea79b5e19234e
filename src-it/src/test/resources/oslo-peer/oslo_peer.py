"""A real oslo.messaging peer for Warren's interoperability tests.

Run with the Python that has Debian's python3-oslo.messaging (/usr/bin/python3):

  oslo_peer.py serve URL EXCHANGE TOPIC SERVER NOTIFY_TOPIC
      An RPC server (namespace warren_ns, version 2.3, plus a default-namespace
      endpoint) and a notification listener on NOTIFY_TOPIC. Prints READY when
      consuming; every notification it receives is printed as one JSON line
      "NOTIFICATION {...}"; a line STOP on stdin ends it.

  oslo_peer.py call URL EXCHANGE TOPIC METHOD ARGS_JSON [CONTEXT_JSON]
      One RPC call; prints one JSON line: {"result": ...} or
      {"error_class": ..., "error_module": ..., "message": ...}.

  oslo_peer.py notify URL EXCHANGE NOTIFY_TOPIC EVENT_TYPE PAYLOAD_JSON
      One info notification with the messagingv2 driver.
"""

import json
import sys
import time

from oslo_config import cfg
import oslo_messaging
from oslo_messaging.notify import dispatcher as notify_dispatcher


class PeerError(Exception):
    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        super().__init__(message or 'peer error %s' % kwargs)


class PeerEndpoint(object):
    target = oslo_messaging.Target(namespace='warren_ns', version='2.3')

    def echo(self, ctxt, **kwargs):
        return {'you_sent': kwargs, 'context': ctxt}

    def fail_builtin(self, ctxt, reason):
        raise ValueError(reason)

    def fail_custom(self, ctxt, thing):
        raise PeerError(thing=thing)

    def slow(self, ctxt, seconds):
        time.sleep(seconds)
        return 'done after %s s' % seconds


class DefaultEndpoint(object):
    def ping(self, ctxt):
        return 'pong'


class PrintingEndpoint(object):
    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        print('NOTIFICATION ' + json.dumps({
            'ctxt': ctxt, 'publisher_id': publisher_id, 'event_type': event_type,
            'payload': payload, 'metadata': metadata, 'priority': 'info'}), flush=True)
        return notify_dispatcher.NotificationResult.HANDLED


def configure(exchange):
    oslo_messaging.set_transport_defaults(exchange)
    cfg.CONF([], project='warren-peer')
    return cfg.CONF


def serve(url, exchange, topic, server, notify_topic):
    conf = configure(exchange)
    transport = oslo_messaging.get_rpc_transport(conf, url=url)
    rpc = oslo_messaging.get_rpc_server(
        transport, oslo_messaging.Target(topic=topic, server=server),
        [PeerEndpoint(), DefaultEndpoint()], executor='threading')
    ntransport = oslo_messaging.get_notification_transport(conf, url=url)
    listener = oslo_messaging.get_notification_listener(
        ntransport, [oslo_messaging.Target(topic=notify_topic)],
        [PrintingEndpoint()], executor='threading')
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


def call(url, exchange, topic, method, args, context):
    conf = configure(exchange)
    transport = oslo_messaging.get_rpc_transport(conf, url=url)
    client = oslo_messaging.RPCClient(transport, oslo_messaging.Target(topic=topic),
                                      timeout=20)
    try:
        out = {'result': client.call(context, method, **args)}
    except oslo_messaging.MessagingTimeout as e:
        out = {'error_class': 'MessagingTimeout', 'error_module': 'oslo_messaging', 'message': str(e)}
    except oslo_messaging.RemoteError as e:
        out = {'error_class': 'RemoteError', 'exc_type': e.exc_type, 'message': e.value}
    except Exception as e:  # a builtin re-raised by oslo, e.g. ValueError
        out = {'error_class': type(e).__name__, 'error_module': type(e).__module__, 'message': str(e)}
    finally:
        transport.cleanup()
    print(json.dumps(out), flush=True)


def notify(url, exchange, topic, event_type, payload):
    conf = configure(exchange)
    transport = oslo_messaging.get_notification_transport(conf, url=url)
    notifier = oslo_messaging.Notifier(transport, publisher_id='peer.host1',
                                       driver='messagingv2', topics=[topic])
    notifier.info({'request_id': 'req-peer-1', 'user_id': 'u-1'}, event_type, payload)
    transport.cleanup()
    print('SENT', flush=True)


if __name__ == '__main__':
    verb = sys.argv[1]
    if verb == 'serve':
        serve(*sys.argv[2:7])
    elif verb == 'call':
        ctx = json.loads(sys.argv[7]) if len(sys.argv) > 7 else {}
        call(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], json.loads(sys.argv[6]), ctx)
    elif verb == 'notify':
        notify(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], json.loads(sys.argv[6]))
    else:
        sys.exit('unknown verb ' + verb)
