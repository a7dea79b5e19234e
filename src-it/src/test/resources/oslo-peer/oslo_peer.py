"""A real oslo.messaging peer for Warren's interoperability tests.

Run with the Python that has Debian's python3-oslo.messaging (/usr/bin/python3), as it is
(oslo.messaging 14.0.3) or with PBR_VERSION=18.1.0 PYTHONPATH=<oslo.messaging-18.1.0 folder>
(18.1.0). The environment may carry WARREN_PEER_OPTIONS, a JSON object of
[oslo_messaging_rabbit] options (e.g. {"rabbit_quorum_queue": true}), and
WARREN_PEER_LOCK_PATH, oslo_concurrency's lock_path (the queue manager needs one).

  oslo_peer.py serve URL EXCHANGE TOPIC SERVER NOTIFY_TOPIC
      An RPC server (namespace warren_ns, version 2.3, plus a default-namespace
      endpoint) and a notification listener on NOTIFY_TOPIC. Prints READY when
      consuming; every notification it receives is printed as one JSON line
      "NOTIFICATION {...}"; every cast of `record` as "CAST <tag>"; a line STOP on stdin
      ends it.

  oslo_peer.py call URL EXCHANGE TOPIC METHOD ARGS_JSON [CONTEXT_JSON]
      One RPC call; prints one JSON line: {"result": ...} or
      {"error_class": ..., "error_module": ..., "message": ...}.

  oslo_peer.py calls URL EXCHANGE TOPIC CALLS_JSON
      Several calls in one process, CALLS_JSON a list of {"method", "args", "context",
      "server", "call_monitor_timeout"}; one JSON line each, in order. The transport has
      allowed_remote_exmods=['nova.exception'] (the nova/ package beside this script), so
      a failure naming nova.exception.InstanceNotFound is rebuilt as that class; a rebuilt
      failure's line lists its classes ("mro") and kwargs.

  oslo_peer.py cast URL EXCHANGE TOPIC METHOD ARGS_JSON [fanout]
      One RPC cast (to every server of TOPIC with "fanout"); prints SENT.

  oslo_peer.py notify URL EXCHANGE NOTIFY_TOPIC EVENT_TYPE PAYLOAD_JSON
      One info notification with the messagingv2 driver, sent as a service sends it: from an
      oslo.context RequestContext (request req-peer-1, user u-1, project p-1, a token), through
      a serializer that writes the context's to_dict(), as nova's does.
"""

import json
import os
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

    def fail_nova(self, ctxt, instance):
        import nova.exception
        raise nova.exception.InstanceNotFound(instance_id=instance)

    def slow(self, ctxt, seconds):
        time.sleep(seconds)
        return 'done after %s s' % seconds


class DefaultEndpoint(object):
    def ping(self, ctxt):
        return 'pong'

    def record(self, ctxt, tag):
        print('CAST ' + tag, flush=True)


class ContextSerializer(oslo_messaging.NoOpSerializer):
    """What nova's RequestContextSerializer does with an oslo.context RequestContext."""

    def serialize_context(self, context):
        return context.to_dict() if hasattr(context, 'to_dict') else context


class PrintingEndpoint(object):
    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        print('NOTIFICATION ' + json.dumps({
            'ctxt': ctxt, 'publisher_id': publisher_id, 'event_type': event_type,
            'payload': payload, 'metadata': metadata, 'priority': 'info'}), flush=True)
        return notify_dispatcher.NotificationResult.HANDLED


def configure(exchange):
    oslo_messaging.set_transport_defaults(exchange)
    cfg.CONF([], project='warren-peer')
    # registers [oslo_messaging_rabbit] before it is given values
    oslo_messaging.get_rpc_transport(cfg.CONF, url='rabbit://').cleanup()
    for name, value in json.loads(os.environ.get('WARREN_PEER_OPTIONS') or '{}').items():
        cfg.CONF.set_override(name, value, group='oslo_messaging_rabbit')
    if os.environ.get('WARREN_PEER_LOCK_PATH'):
        from oslo_concurrency import lockutils
        lockutils.set_defaults(os.environ['WARREN_PEER_LOCK_PATH'])
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


def one_call(transport, topic, server, method, args, context, call_monitor_timeout=None):
    client = oslo_messaging.RPCClient(transport, oslo_messaging.Target(topic=topic, server=server),
                                      timeout=20, call_monitor_timeout=call_monitor_timeout)
    try:
        out = {'result': client.call(context, method, **args)}
    except oslo_messaging.MessagingTimeout as e:
        out = {'error_class': 'MessagingTimeout', 'error_module': 'oslo_messaging', 'message': str(e)}
    except oslo_messaging.RemoteError as e:
        out = {'error_class': 'RemoteError', 'exc_type': e.exc_type, 'message': e.value,
               'traceback': e.traceback}
    except Exception as e:  # re-raised by oslo: a builtin (ValueError) or an allowed module's class
        out = {'error_class': type(e).__name__, 'error_module': type(e).__module__, 'message': str(e),
               'mro': [c.__module__ + '.' + c.__name__ for c in type(e).__mro__],
               'kwargs': getattr(e, 'kwargs', None)}
    print(json.dumps(out), flush=True)


def call(url, exchange, topic, method, args, context):
    calls(url, exchange, topic, [{'method': method, 'args': args, 'context': context}])


def calls(url, exchange, topic, requests):
    conf = configure(exchange)
    transport = oslo_messaging.get_rpc_transport(conf, url=url,
                                                 allowed_remote_exmods=['nova.exception'])
    try:
        for r in requests:
            one_call(transport, topic, r.get('server'), r['method'], r.get('args', {}),
                     r.get('context', {}), r.get('call_monitor_timeout'))
    finally:
        transport.cleanup()


def cast(url, exchange, topic, method, args, fanout):
    conf = configure(exchange)
    transport = oslo_messaging.get_rpc_transport(conf, url=url)
    client = oslo_messaging.RPCClient(transport, oslo_messaging.Target(topic=topic, fanout=fanout))
    client.cast({'request_id': 'req-peer-cast'}, method, **args)
    transport.cleanup()
    print('SENT', flush=True)


def notify(url, exchange, topic, event_type, payload):
    from oslo_context import context
    conf = configure(exchange)
    transport = oslo_messaging.get_notification_transport(conf, url=url)
    notifier = oslo_messaging.Notifier(transport, publisher_id='peer.host1',
                                       driver='messagingv2', topics=[topic],
                                       serializer=ContextSerializer())
    ctxt = context.RequestContext(request_id='req-peer-1', user_id='u-1', project_id='p-1',
                                  auth_token='peer-token-1', roles=['reader'])
    notifier.info(ctxt, event_type, payload)
    transport.cleanup()
    print('SENT', flush=True)


if __name__ == '__main__':
    verb = sys.argv[1]
    if verb == 'serve':
        serve(*sys.argv[2:7])
    elif verb == 'call':
        ctx = json.loads(sys.argv[7]) if len(sys.argv) > 7 else {}
        call(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], json.loads(sys.argv[6]), ctx)
    elif verb == 'calls':
        calls(sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5]))
    elif verb == 'cast':
        cast(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], json.loads(sys.argv[6]),
             len(sys.argv) > 7 and sys.argv[7] == 'fanout')
    elif verb == 'notify':
        notify(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], json.loads(sys.argv[6]))
    else:
        sys.exit('unknown verb ' + verb)
