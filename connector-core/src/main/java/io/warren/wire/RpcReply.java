package io.warren.wire;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reply message: {@code result}, {@code failure} (null, or a JSON string, see
 * {@link RpcFailure}), {@code ending} (false for call-monitor keep-alives), {@code _msg_id},
 * {@code _unique_id}.
 */
public final class RpcReply {
    private static final String CONTEXT_PREFIX = "_context_";
    private final Object result;
    private final String failure;
    private final boolean ending;
    private final String msgId;
    private final String uniqueId;
    private final Map<String, Object> context;

    public RpcReply(Object result, String failure, boolean ending, String msgId, String uniqueId) {
        this(result, failure, ending, msgId, uniqueId, Map.of());
    }

    /**
     * @param context entries written as {@code _context_<key>} after oslo's members: the trace
     *        context of the reply when tracing is on (oslo's own replies carry none, and oslo's
     *        reply waiter ignores members it does not know)
     */
    public RpcReply(Object result, String failure, boolean ending, String msgId, String uniqueId,
                    Map<String, Object> context) {
        this.result = result;
        this.failure = failure;
        this.ending = ending;
        this.msgId = msgId;
        this.uniqueId = uniqueId;
        this.context = context;
    }

    /** A keep-alive for a call still running. */
    public static RpcReply keepAlive(String msgId) {
        return new RpcReply(null, null, false, msgId, OsloEnvelope.newId());
    }

    /** Reads a reply; {@code _msg_id} is required, {@code ending} defaults to false as in oslo. */
    public static RpcReply from(Map<String, Object> m) throws WireException {
        String msgId = Fields.requiredString(m, "_msg_id");
        Object ending = m.get("ending");
        if (ending != null && !(ending instanceof Boolean)) {
            throw new WireException(WireException.Kind.WRONG_TYPE, "member 'ending' is "
                    + JacksonCodec.describe(ending) + ", expected true or false");
        }
        Map<String, Object> context = Map.of();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getKey().startsWith(CONTEXT_PREFIX)) {
                if (context.isEmpty()) {
                    context = new LinkedHashMap<>();
                }
                context.put(e.getKey().substring(CONTEXT_PREFIX.length()), e.getValue());
            }
        }
        return new RpcReply(m.get("result"), Fields.optionalString(m, "failure"), Boolean.TRUE.equals(ending), msgId,
                Fields.optionalString(m, "_unique_id"), context);
    }

    /** @return the members in oslo's order */
    public Map<String, Object> toMessage() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", result);
        m.put("failure", failure);
        m.put("ending", ending);
        m.put("_msg_id", msgId);
        m.put("_unique_id", uniqueId);
        for (Map.Entry<String, Object> e : context.entrySet()) {
            m.put(CONTEXT_PREFIX + e.getKey(), e.getValue());
        }
        return m;
    }

    public Object result() {
        return result;
    }

    /** @return the failure's JSON text, or null */
    public String failure() {
        return failure;
    }

    public boolean ending() {
        return ending;
    }

    public String msgId() {
        return msgId;
    }

    public String uniqueId() {
        return uniqueId;
    }

    /** @return the {@code _context_*} entries (the trace context of a traced reply), often empty */
    public Map<String, Object> context() {
        return context;
    }
}
