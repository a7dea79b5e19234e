package io.warren.rpc;

import io.warren.RpcEndpoint;
import io.warren.RpcMethod;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * oslo's RPC dispatch (PROTOCOL §5.2): endpoints in registration order; the first whose namespace
 * equals the request's and whose version is compatible, and that has the method, runs it. A
 * compatible endpoint without the method gives {@code NoSuchMethod}; no compatible endpoint
 * gives {@code UnsupportedVersion}. Methods named with a leading {@code _} are never callable.
 */
final class Dispatcher {
    /** An endpoint object with its namespace, version and exposed methods. */
    static final class Endpoint {
        final String namespace;
        final String version;
        final Map<String, EndpointMethod> methods = new LinkedHashMap<>();

        Endpoint(String namespace, String version) {
            this.namespace = namespace;
            this.version = version;
        }
    }

    /** What a lookup found. */
    static final class Lookup {
        final EndpointMethod method;
        final boolean compatibleEndpoint;

        Lookup(EndpointMethod method, boolean compatibleEndpoint) {
            this.method = method;
            this.compatibleEndpoint = compatibleEndpoint;
        }
    }

    private final List<Endpoint> endpoints = new ArrayList<>();

    /** Registers an object; its class's {@link RpcEndpoint} gives namespace and version. */
    void add(Object endpoint) {
        RpcEndpoint meta = endpoint.getClass().getAnnotation(RpcEndpoint.class);
        String namespace = meta == null || meta.namespace().isEmpty() ? null : meta.namespace();
        String version = meta == null ? "1.0" : meta.version();
        Endpoint e = new Endpoint(namespace, version);
        List<Method> annotated = new ArrayList<>();
        for (Method m : endpoint.getClass().getMethods()) {
            if (m.isAnnotationPresent(RpcMethod.class)) {
                annotated.add(m);
            }
        }
        List<Method> exposed = annotated;
        if (annotated.isEmpty()) {
            exposed = new ArrayList<>();
            for (Method m : endpoint.getClass().getMethods()) {
                if (m.getDeclaringClass() != Object.class && !Modifier.isStatic(m.getModifiers())) {
                    exposed.add(m);
                }
            }
        }
        for (Method m : exposed) {
            RpcMethod rm = m.getAnnotation(RpcMethod.class);
            String name = rm == null || rm.value().isEmpty() ? m.getName() : rm.value();
            if (e.methods.containsKey(name)) {
                throw new IllegalArgumentException(endpoint.getClass().getName() + " exposes two methods named '" + name
                        + "'; RPC methods are found by name, so overloads are not allowed");
            }
            e.methods.put(name, new EndpointMethod(endpoint, m, name));
        }
        endpoints.add(e);
    }

    /** Registers one method under a namespace and version, e.g. oslo's ping endpoint. */
    void add(String namespace, String version, String name, Object target, Method method) {
        Endpoint e = new Endpoint(namespace, version);
        e.methods.put(name, new EndpointMethod(target, method, name));
        endpoints.add(e);
    }

    Lookup find(String namespace, String requestedVersion, String method) {
        String version = requestedVersion == null ? "1.0" : requestedVersion;
        boolean compatible = false;
        for (Endpoint e : endpoints) {
            if (!Objects.equals(e.namespace, namespace) || !isCompatible(e.version, version)) {
                continue;
            }
            compatible = true;
            EndpointMethod m = e.methods.get(method);
            if (m != null && !method.startsWith("_")) {
                return new Lookup(m, true);
            }
        }
        return new Lookup(null, compatible);
    }

    /**
     * oslo's version check: same major; requested minor not above the endpoint's; for equal minors
     * the optional revision not above the endpoint's (missing = 0).
     */
    static boolean isCompatible(String endpointVersion, String requested) {
        int[] have = parse(endpointVersion);
        int[] want = parse(requested);
        if (have == null || want == null || have[0] != want[0]) {
            return false;
        }
        if (want[1] != have[1]) {
            return want[1] < have[1];
        }
        return want[2] <= have[2];
    }

    private static int[] parse(String v) {
        String[] parts = v.split("\\.");
        if (parts.length < 2 || parts.length > 3) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                    parts.length == 3 ? Integer.parseInt(parts[2]) : 0};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
