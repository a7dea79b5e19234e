package io.warren.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.shop.ShopEndpoint;
import io.warren.EndpointError;
import io.warren.RequestContext;
import io.warren.wire.JacksonCodec;
import io.warren.wire.RpcFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointFailuresTest {
    private final JacksonCodec json = new JacksonCodec();

    /** What the endpoint method threw when called as the RPC server calls it. */
    private Throwable thrownBy(String method, String arg) throws Exception {
        Dispatcher d = new Dispatcher();
        d.add(new ShopEndpoint());
        EndpointMethod m = d.find(null, "1.0", method).method;
        String param = method.equals("buy") ? "item" : method.equals("wrapped") ? "why" : "instance";
        try {
            m.invoke(Map.of(param, arg), new RequestContext(Map.of()), null, json);
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError(method + " did not fail");
    }

    @Test
    void aPlainExceptionKeepsTheSimpleNameRuleAndSendsTheEndpointsFramesOnly() throws Exception {
        RpcFailure f = new EndpointFailures("endpoint").describe(thrownBy("buy", "tea"));

        assertThat(f.className()).isEqualTo("IllegalStateException");
        assertThat(f.module()).isEqualTo("java.lang");
        assertThat(f.message()).isEqualTo("no tea left");
        assertThat(f.args()).containsExactly("no tea left");
        assertThat(f.traceback()).first().isEqualTo("java.lang.IllegalStateException: no tea left\n");
        assertThat(f.traceback()).anyMatch(l -> l.contains("ShopEndpoint.lookUp"))
                .anyMatch(l -> l.contains("ShopEndpoint.buy"))
                .noneMatch(l -> l.contains("io.warren.rpc."))
                .noneMatch(l -> l.contains("reflect"))
                .noneMatch(l -> l.contains("junit"))
                .allMatch(l -> l.endsWith("\n"));
        assertThat(f.traceback()).hasSize(3);
    }

    @Test
    void allSendsTheWholeStackAndNoneSendsNothing() throws Exception {
        Throwable t = thrownBy("buy", "tea");
        assertThat(new EndpointFailures("all").describe(t).traceback())
                .anyMatch(l -> l.contains("io.warren.rpc.EndpointMethod.invoke"))
                .anyMatch(l -> l.contains("junit"));
        assertThat(new EndpointFailures("none").describe(t).traceback()).isEmpty();
        assertThat(new EndpointFailures("none").describe(t).className()).isEqualTo("IllegalStateException");
    }

    @Test
    void causesAreTrimmedTheSameWay() throws Exception {
        List<String> tb = new EndpointFailures("endpoint").describe(thrownBy("wrapped", "x")).traceback();
        assertThat(tb).contains("Caused by: java.lang.IllegalStateException: no x left\n")
                .noneMatch(l -> l.contains("io.warren.rpc.") || l.contains("junit"));
    }

    @Test
    void anEndpointErrorGoesWithTheIdentityItWasGiven() throws Exception {
        RpcFailure f = new EndpointFailures("endpoint").describe(thrownBy("find", "vm-1"));

        assertThat(f.className()).isEqualTo("InstanceNotFound");
        assertThat(f.module()).isEqualTo("nova.exception");
        assertThat(f.message()).isEqualTo("Instance vm-1 could not be found.");
        assertThat(f.args()).containsExactly("Instance vm-1 could not be found.");
        assertThat(f.kwargs()).isEqualTo(Map.of("instance_id", "vm-1"));
        assertThat(f.traceback()).anyMatch(l -> l.contains("ShopEndpoint.find"));
        // on the wire as oslo writes it
        assertThat(json.read(f.toJson(json))).isEqualTo(Map.of("class", "InstanceNotFound", "module", "nova.exception",
                "message", "Instance vm-1 could not be found.", "tb", f.traceback(),
                "args", List.of("Instance vm-1 could not be found."), "kwargs", Map.of("instance_id", "vm-1")));
    }

    @Test
    void aRemoteErrorThrownOnIsForwardedUnchanged() throws Exception {
        RpcFailure f = new EndpointFailures("endpoint").describe(thrownBy("proxy", "vm-2"));

        assertThat(f.className()).isEqualTo("InstanceNotFound");
        assertThat(f.module()).isEqualTo("nova.exception");
        assertThat(f.message()).isEqualTo("Instance vm-2 could not be found.");
        assertThat(f.args()).isEmpty();
        assertThat(f.kwargs()).isEqualTo(Map.of("instance_id", "vm-2"));
        assertThat(f.traceback()).containsExactly("Traceback (most recent call last):\n",
                "  File \"nova/compute.py\", line 7\n");
        assertThat(new EndpointFailures("none").describe(thrownBy("proxy", "vm-2")).traceback()).isEmpty();
    }

    @Test
    void anEndpointErrorNamesWhatIsMissing() {
        assertThatThrownBy(() -> EndpointError.of("", "InstanceNotFound", "m"))
                .hasMessage("module must name a Python module, e.g. nova.exception, got ''");
        assertThatThrownBy(() -> EndpointError.of("nova.exception", null, "m"))
                .hasMessage("exceptionClass must name a Python class, e.g. InstanceNotFound, got null");
        EndpointError e = EndpointError.of("nova.exception", "Conflict", "busy").withArgs(List.of("busy", 409));
        assertThat(e.args()).containsExactly("busy", 409);
        assertThat(e.getMessage()).isEqualTo("Conflict: busy");
    }
}
