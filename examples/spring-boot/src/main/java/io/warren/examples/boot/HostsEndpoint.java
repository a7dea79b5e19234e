package io.warren.examples.boot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An oslo RPC endpoint served by Warren: a Python oslo.messaging client calls it as
 * {@code client.prepare(topic='boot-example-hosts').call(ctxt, 'describe_host', host='compute1')}.
 * A plain object; its public methods are the RPC methods, their parameter names the keyword
 * arguments (the pom keeps them with {@code -parameters}).
 */
public class HostsEndpoint {
    private final String servedBy;

    HostsEndpoint(String servedBy) {
        this.servedBy = servedBy;
    }

    /**
     * @param host a host name
     * @return what this app knows about it
     */
    public Map<String, Object> describe_host(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("describe_host needs a host name");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("host", host);
        result.put("state", "up");
        result.put("served_by", servedBy);
        return result;
    }
}
