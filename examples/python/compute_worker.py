"""The demo's compute worker in Python, with OpenStack's oslo.messaging.

The Java servers API (examples/ WAR) calls it exactly as it calls the Java worker: oslo RPC on
topic "compute" of exchange "demo", notifications with the messagingv2 driver.

    /usr/bin/python3 examples/python/compute_worker.py rabbit://guest:guest@localhost:5672/

Needs Debian's python3-oslo.messaging (run it with /usr/bin/python3). Ctrl-C stops it.
"""

import sys
import uuid

from oslo_config import cfg
import oslo_messaging


class ServerNotFound(Exception):
    pass


class ComputeEndpoint(object):
    def __init__(self, notifier):
        self.servers = {}
        self.notifier = notifier

    def create_server(self, ctxt, name, flavor=None):
        server = {'id': str(uuid.uuid4()), 'name': name, 'flavor': flavor or 'm1.small',
                  'status': 'ACTIVE', 'served_by': 'python'}
        self.servers[server['id']] = server
        self.notifier.info(ctxt, 'compute.instance.create.end', server)
        return server

    def list_servers(self, ctxt):
        return list(self.servers.values())

    def get_server(self, ctxt, id):
        if id not in self.servers:
            raise ServerNotFound('Server %s could not be found.' % id)
        return self.servers[id]

    def delete_server(self, ctxt, id):
        server = self.servers.pop(id, None)
        if server is None:
            raise ServerNotFound('Server %s could not be found.' % id)
        self.notifier.info(ctxt, 'compute.instance.delete.end', server)
        return server

    def reboot_server(self, ctxt, id):
        if id in self.servers:
            self.notifier.info(ctxt, 'compute.instance.reboot.end', self.servers[id])


def main():
    url = sys.argv[1] if len(sys.argv) > 1 else 'rabbit://guest:guest@localhost:5672/'
    oslo_messaging.set_transport_defaults('demo')
    cfg.CONF([], project='warren-demo')
    transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=url)
    notifier = oslo_messaging.Notifier(oslo_messaging.get_notification_transport(cfg.CONF, url=url),
                                       publisher_id='compute.python1', driver='messagingv2',
                                       topics=['notifications'])
    server = oslo_messaging.get_rpc_server(
        transport, oslo_messaging.Target(topic='compute', server='python1'),
        [ComputeEndpoint(notifier)], executor='threading')
    server.start()
    print('READY python compute worker on topic compute, exchange demo', flush=True)
    try:
        for line in sys.stdin:
            if line.strip() == 'STOP':
                break
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        server.wait()
        transport.cleanup()


if __name__ == '__main__':
    main()
