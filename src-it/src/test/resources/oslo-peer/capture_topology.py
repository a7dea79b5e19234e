"""Captures what oslo.messaging declares on the broker under each option set.

  capture_topology.py URL OUT_JSON [VARIANT...]

For each variant (oslo options in [oslo_messaging_rabbit]) this starts an oslo RPC
server on topic cap_<v> (server cap-server), a pooled notification listener, makes
one RPC call (so a reply queue exists), sends one fanout cast and one notification,
then lists exchanges, queues (flags, arguments), bindings and consumers (their
arguments) with rabbitmqctl, stops everything and deletes what it made. Run it with
each oslo.messaging version (Debian's 14.0.3 is /usr/bin/python3; 18.1.0 is the same
Python with PBR_VERSION=18.1.0 and PYTHONPATH set) to see what that version declares.
Variants naming options a version lacks are skipped for it. Needs rabbitmqctl (root).
Only data written by this script is committed (connector-core's oslo-wire fixtures).
"""

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

from oslo_config import cfg
import oslo_messaging

VARIANTS = {
    'default': {},
    'durable': {'amqp_durable_queues': True},
    'ha_and_auto_delete': {'rabbit_ha_queues': True, 'amqp_auto_delete': True},
    'quorum': {'rabbit_quorum_queue': True, 'rabbit_transient_queues_ttl': 600,
               'rabbit_quorum_delivery_limit': 5},
    'transient_quorum': {'rabbit_transient_quorum_queue': True},
    'quorum_and_transient_quorum': {'rabbit_quorum_queue': True,
                                    'rabbit_transient_quorum_queue': True},
    'stream_fanout': {'rabbit_transient_quorum_queue': True, 'rabbit_stream_fanout': True,
                      'rabbit_qos_prefetch_count': 10},
    'queue_manager': {'use_queue_manager': True, 'hostname': 'cap-host',
                      'processname': 'cap-proc'},
    'all_four': {'rabbit_quorum_queue': True, 'rabbit_transient_quorum_queue': True,
                 'rabbit_stream_fanout': True, 'use_queue_manager': True,
                 'rabbit_qos_prefetch_count': 10, 'hostname': 'cap-host',
                 'processname': 'cap-proc'},
}


class Ping(object):
    def ping(self, ctxt):
        return 'pong'

    def hello(self, ctxt):
        return None


class Sink(object):
    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        return None


def ctl(*args):
    out = subprocess.run(['rabbitmqctl'] + list(args) + ['--formatter', 'json', '-q'],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return json.loads(out)


def make_conf(options, lock_path):
    # One variant per process (see main): oslo registers its options on the global CONF.
    conf = cfg.CONF
    conf([], project='capture')
    oslo_messaging.get_rpc_transport(conf, url='rabbit://').cleanup()
    for name, value in options.items():
        conf.set_override(name, value, group='oslo_messaging_rabbit')
    # the queue manager's counter lock (an oslo_concurrency external lock) lives there
    from oslo_concurrency import lockutils
    lockutils.set_defaults(lock_path)
    return conf


def known(options):
    conf = cfg.CONF
    conf([], project='capture')
    oslo_messaging.get_rpc_transport(conf, url='rabbit://').cleanup()
    return all(hasattr(conf.oslo_messaging_rabbit, n) for n in options)


def run_variant(url, name, options, lock_path):
    suffix = uuid.uuid4().hex[:6]
    exchange = 'cap_x_' + suffix
    topic = 'cap_t_' + suffix
    ntopic = 'cap_n_' + suffix
    pool = 'cap_p_' + suffix
    conf = make_conf(options, lock_path)
    oslo_messaging.set_transport_defaults(exchange)
    conf.set_override('control_exchange', exchange)
    transport = oslo_messaging.get_rpc_transport(conf, url=url)
    ntransport = oslo_messaging.get_notification_transport(conf, url=url)
    server = oslo_messaging.get_rpc_server(
        transport, oslo_messaging.Target(topic=topic, server='cap-server'),
        [Ping()], executor='threading')
    listener = oslo_messaging.get_notification_listener(
        ntransport, [oslo_messaging.Target(topic=ntopic)], [Sink()],
        executor='threading', pool=pool)
    server.start()
    listener.start()
    reply_q = None
    snap = None
    try:
        client = oslo_messaging.get_rpc_client(transport, oslo_messaging.Target(topic=topic))
        result = client.call({}, 'ping')
        client.prepare(fanout=True).cast({}, 'hello')
        reply_q = transport._driver._reply_q
        oslo_messaging.Notifier(ntransport, publisher_id='cap.host', driver='messagingv2',
                                topics=[ntopic]).info({}, 'cap.event', {})
        time.sleep(1.5)
        ours = (lambda n: n is not None and (n == reply_q or n.startswith(
            (exchange, topic, ntopic, pool))))
        snap = {
            'variant': name,
            'options': options,
            'rpc_call_result': result,
            'names': {'exchange': exchange, 'topic': topic, 'server': 'cap-server',
                      'notification_topic': ntopic, 'pool': pool, 'reply_queue': reply_q},
            'exchanges': sorted([e for e in ctl('list_exchanges', 'name', 'type', 'durable',
                                                'auto_delete', 'arguments')
                                 if ours(e['name'])], key=lambda e: e['name']),
            'queues': sorted([q for q in ctl('list_queues', 'name', 'type', 'durable',
                                             'auto_delete', 'exclusive', 'arguments')
                              if ours(q['name'])], key=lambda q: q['name']),
            'bindings': sorted([b for b in ctl('list_bindings', 'source_name',
                                               'destination_name', 'routing_key')
                                if ours(b['source_name']) or ours(b['destination_name'])],
                               key=lambda b: (b['source_name'], b['destination_name'])),
            'consumers': sorted([{'queue_name': c['queue_name'], 'ack_required': c['ack_required'],
                                  'prefetch_count': c['prefetch_count'],
                                  'arguments': c['arguments']}
                                 for c in ctl('list_consumers', 'queue_name', 'ack_required',
                                              'prefetch_count', 'arguments')
                                 if ours(c['queue_name'])], key=lambda c: c['queue_name']),
        }
    finally:
        for s in (server, listener):
            s.stop()
            s.wait()
        transport.cleanup()
        ntransport.cleanup()
        cleanup(url, exchange, topic, ntopic, pool, reply_q)
    return snap


def cleanup(url, exchange, topic, ntopic, pool, reply_q):
    prefixes = (exchange, topic, ntopic, pool)
    for q in ctl('list_queues', 'name'):
        if q['name'] == reply_q or q['name'].startswith(prefixes):
            subprocess.run(['rabbitmqctl', 'delete_queue', q['name']], capture_output=True, timeout=60)
    for e in ctl('list_exchanges', 'name'):
        if e['name'].startswith(prefixes):
            # rabbitmqctl has no delete_exchange; rabbitmqadmin may be absent: use eval
            subprocess.run(['rabbitmqctl', 'eval',
                            'rabbit_exchange:delete(rabbit_misc:r(<<"/">>, exchange, <<"%s">>), false, <<"capture">>).'
                            % e['name']], capture_output=True, timeout=60)


def oslo_version():
    # 18.1.0 runs from a source folder on PYTHONPATH with PBR_VERSION set; the installed
    # distribution's metadata (Debian's 14.0.3) says nothing about it.
    return os.environ.get('PBR_VERSION') or importlib.metadata.version('oslo.messaging')


def main():
    if sys.argv[1] == '--one':
        url, name, lock_path, out = sys.argv[2:6]
        options = VARIANTS[name]
        snap = run_variant(url, name, options, lock_path) if known(options) else None
        with open(out, 'w') as fh:
            json.dump(snap, fh)
        return
    url, out = sys.argv[1], sys.argv[2]
    wanted = sys.argv[3:] or list(VARIANTS)
    work = tempfile.mkdtemp(prefix='capture-')
    version = oslo_version()
    snaps = []
    try:
        for name in wanted:
            part = os.path.join(work, name + '.json')
            subprocess.run([sys.executable, __file__, '--one', url, name, work, part],
                           check=True, timeout=120)
            with open(part) as fh:
                snap = json.load(fh)
            if snap is None:
                print('skipped %s: oslo.messaging %s lacks one of %s'
                      % (name, version, sorted(VARIANTS[name])), flush=True)
            else:
                snaps.append(snap)
                print('captured', name, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for f in os.listdir('/dev/shm'):
            if f.startswith('cap-host_'):
                os.remove(os.path.join('/dev/shm', f))
    with open(out, 'w') as fh:
        json.dump({'description': 'Broker objects declared by oslo.messaging %s per option set (RPC'
                                  ' server on cap_t_<id> server cap-server, pooled notification'
                                  ' listener, one call, one fanout cast, one notification);'
                                  ' rabbitmqctl renders arguments as [name, type, value].' % version,
                   'oslo_messaging': version, 'variants': snaps}, fh, indent=1)
        fh.write('\n')


if __name__ == '__main__':
    main()
