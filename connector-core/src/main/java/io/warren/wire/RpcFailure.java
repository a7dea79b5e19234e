package io.warren.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An exception as oslo sends it in a reply's {@code failure} member: a JSON string (so three
 * levels deep on the wire) holding {@code class}, {@code module}, {@code message}, {@code tb}
 * (traceback lines), {@code args} and {@code kwargs}.
 */
public final class RpcFailure {
    /** The module oslo's dispatcher errors come from. */
    public static final String DISPATCHER_MODULE = "oslo_messaging.rpc.dispatcher";

    private final String className;
    private final String module;
    private final String message;
    private final List<String> traceback;
    private final List<Object> args;
    private final Map<String, Object> kwargs;

    public RpcFailure(String className, String module, String message, List<String> traceback,
                      List<Object> args, Map<String, Object> kwargs) {
        this.className = className;
        this.module = module;
        this.message = message == null ? "" : message;
        this.traceback = traceback == null ? List.of() : List.copyOf(traceback);
        this.args = args == null ? List.of() : new ArrayList<>(args);
        this.kwargs = kwargs == null ? Map.of() : new LinkedHashMap<>(kwargs);
    }

    /** oslo's NoSuchMethod, worded as oslo words it. */
    public static RpcFailure noSuchMethod(String method) {
        String m = "Endpoint does not support RPC method " + method;
        return new RpcFailure("NoSuchMethod", DISPATCHER_MODULE, m, List.of(), List.of(method), Map.of());
    }

    /** oslo's UnsupportedVersion, worded as oslo words it. */
    public static RpcFailure unsupportedVersion(String version, String method) {
        String m = "Endpoint does not support RPC version " + version + ". Attempted method: " + method;
        return new RpcFailure("UnsupportedVersion", DISPATCHER_MODULE, m, List.of(), List.of(version), Map.of());
    }

    /** Reads the JSON text of a failure member. */
    @SuppressWarnings("unchecked")
    public static RpcFailure parse(JsonCodec json, String text) throws WireException {
        Object v = json.read(text);
        if (!(v instanceof Map)) {
            throw new WireException(WireException.Kind.WRONG_TYPE, "failure holds " + JacksonCodec.describe(v)
                    + ", expected a JSON object");
        }
        Map<String, Object> m = (Map<String, Object>) v;
        List<String> tb = new ArrayList<>();
        if (m.get("tb") instanceof List<?> lines) {
            for (Object line : lines) {
                tb.add(String.valueOf(line));
            }
        }
        return new RpcFailure(Fields.requiredString(m, "class"), Fields.optionalString(m, "module"),
                m.get("message") == null ? "" : String.valueOf(m.get("message")), tb,
                m.get("args") instanceof List<?> a ? new ArrayList<>(a) : List.of(),
                m.get("kwargs") instanceof Map<?, ?> k ? (Map<String, Object>) k : Map.of());
    }

    /** @return the JSON text that goes into a reply's failure member */
    public String toJson(JsonCodec json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class", className);
        m.put("module", module);
        m.put("message", message);
        m.put("tb", traceback);
        m.put("args", args);
        m.put("kwargs", kwargs);
        return json.writeString(m);
    }

    public String className() {
        return className;
    }

    public String module() {
        return module;
    }

    public String message() {
        return message;
    }

    public List<String> traceback() {
        return traceback;
    }

    public List<Object> args() {
        return args;
    }

    public Map<String, Object> kwargs() {
        return kwargs;
    }
}
