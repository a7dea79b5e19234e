package io.warren.examples.worker;

import io.warren.Notifier;
import io.warren.RequestContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backend of the demo's "servers" API, served over oslo RPC on topic {@code compute}. Every
 * change is announced with a notification, as nova's compute service does.
 */
public class ComputeEndpoint {
    private final Map<String, Map<String, Object>> servers = new ConcurrentHashMap<>();
    private final Notifier notifier;

    public ComputeEndpoint(Notifier notifier) {
        this.notifier = notifier;
    }

    public Map<String, Object> create_server(RequestContext ctx, String name, String flavor) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a server needs a name");
        }
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("id", UUID.randomUUID().toString());
        server.put("name", name);
        server.put("flavor", flavor == null ? "m1.small" : flavor);
        server.put("status", "ACTIVE");
        servers.put((String) server.get("id"), server);
        notifier.info(ctx.asMap(), "compute.instance.create.end", server);
        return server;
    }

    public List<Map<String, Object>> list_servers(RequestContext ctx) {
        return new ArrayList<>(servers.values());
    }

    public Map<String, Object> get_server(RequestContext ctx, String id) {
        Map<String, Object> server = servers.get(id);
        if (server == null) {
            throw new ServerNotFound(id);
        }
        return server;
    }

    public Map<String, Object> delete_server(RequestContext ctx, String id) {
        Map<String, Object> server = servers.remove(id);
        if (server == null) {
            throw new ServerNotFound(id);
        }
        notifier.info(ctx.asMap(), "compute.instance.delete.end", server);
        return server;
    }

    /** Cast target: fire and forget. */
    public void reboot_server(RequestContext ctx, String id) {
        Map<String, Object> server = servers.get(id);
        if (server != null) {
            notifier.info(ctx.asMap(), "compute.instance.reboot.end", server);
        }
    }

    /** nova's InstanceNotFound, in spirit. */
    public static final class ServerNotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ServerNotFound(String id) {
            super("Server " + id + " could not be found.");
        }
    }
}
