package io.warren.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RPC request as oslo writes it: {@code method}, {@code args}, optional {@code namespace} and
 * {@code version}, for calls {@code _msg_id}, {@code _reply_q} and {@code _timeout}, always
 * {@code _unique_id}, and one {@code _context_<key>} member per context entry.
 */
public final class RpcRequest {
    private static final String CONTEXT_PREFIX = "_context_";

    private final String method;
    private final Map<String, Object> args;
    private final String namespace;
    private final String version;
    private final String msgId;
    private final String replyQueue;
    private final Object timeout;
    private final String uniqueId;
    private final Map<String, Object> context;

    /**
     * @param msgId null for a cast
     * @param replyQueue null for a cast
     * @param timeout the call-monitor timeout in seconds, or null (sent as null on calls)
     */
    public RpcRequest(String method, Map<String, Object> args, String namespace, String version,
                      String msgId, String replyQueue, Object timeout, String uniqueId, Map<String, Object> context) {
        this.method = method;
        this.args = args == null ? Map.of() : args;
        this.namespace = namespace;
        this.version = version;
        this.msgId = msgId;
        this.replyQueue = replyQueue;
        this.timeout = timeout;
        this.uniqueId = uniqueId;
        this.context = context == null ? Map.of() : context;
    }

    /**
     * Reads a request. The minimum a server needs is {@code method} and {@code args} (and for a
     * call {@code _msg_id} and {@code _reply_q}); all else is optional, unknown members are ignored.
     */
    public static RpcRequest from(Map<String, Object> m) throws WireException {
        String method = Fields.requiredString(m, "method");
        Map<String, Object> args = Fields.requiredObject(m, "args");
        Map<String, Object> context = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getKey().startsWith(CONTEXT_PREFIX)) {
                context.put(e.getKey().substring(CONTEXT_PREFIX.length()), e.getValue());
            }
        }
        return new RpcRequest(method, args, Fields.optionalString(m, "namespace"), Fields.optionalString(m, "version"),
                Fields.optionalString(m, "_msg_id"), Fields.optionalString(m, "_reply_q"), m.get("_timeout"),
                Fields.optionalString(m, "_unique_id"), context);
    }

    /** @return this request answered to another reply address (RabbitMQ direct reply-to) */
    public RpcRequest withReplyQueue(String queue) {
        return new RpcRequest(method, args, namespace, version, msgId, queue, timeout, uniqueId, context);
    }

    /** @return the members in oslo's order */
    public Map<String, Object> toMessage() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("args", args);
        if (namespace != null) {
            m.put("namespace", namespace);
        }
        if (version != null) {
            m.put("version", version);
        }
        if (msgId != null) {
            m.put("_msg_id", msgId);
            m.put("_reply_q", replyQueue);
            m.put("_timeout", timeout);
        }
        m.put("_unique_id", uniqueId);
        for (Map.Entry<String, Object> e : context.entrySet()) {
            m.put(CONTEXT_PREFIX + e.getKey(), e.getValue());
        }
        return m;
    }

    public String method() {
        return method;
    }

    public Map<String, Object> args() {
        return Collections.unmodifiableMap(args);
    }

    public String namespace() {
        return namespace;
    }

    public String version() {
        return version;
    }

    /** @return the correlation id, null for a cast */
    public String msgId() {
        return msgId;
    }

    public String replyQueue() {
        return replyQueue;
    }

    /** @return the call-monitor timeout as sent (a number or null) */
    public Object timeout() {
        return timeout;
    }

    public String uniqueId() {
        return uniqueId;
    }

    public Map<String, Object> context() {
        return Collections.unmodifiableMap(context);
    }

    /** @return whether a reply is expected */
    public boolean isCall() {
        return msgId != null && replyQueue != null;
    }

    @Override
    public String toString() {
        return "RpcRequest[" + method + (namespace == null ? "" : " ns=" + namespace)
                + (version == null ? "" : " v" + version) + (isCall() ? " call " + msgId : " cast") + "]";
    }
}
