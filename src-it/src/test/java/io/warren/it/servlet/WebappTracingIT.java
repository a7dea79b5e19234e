package io.warren.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.warren.Connector;
import io.warren.RequestContext;
import io.warren.Target;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.InMemoryTracing;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import io.warren.servlet.Warren;
import io.warren.servlet.WarrenContextListener;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The servlet layer's part of one trace, in a real Jetty: the application puts its observation
 * registry in {@code io.warren.observationRegistry}; an HTTP request's span continues the caller's
 * {@code traceparent} header and is the parent of the RPC call made while serving it, which a
 * server in another application (its own tracer) serves as a child; the request-id filter works
 * beside it.
 */
class WebappTracingIT {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private final TestBroker broker = TestBroker.shared();
    private final InMemoryTracing webTracing = new InMemoryTracing();
    private final InMemoryTracing serverTracing = new InMemoryTracing();
    private String name;
    private Connector server;
    private Server jetty;
    private int port;

    /** Answers with the request id it was called under. */
    public static final class Echo {
        public String echo(RequestContext ctx, String word) {
            return word + " under " + ctx.requestId();
        }
    }

    @BeforeEach
    void start() throws Exception {
        name = CoreFixtures.uniqueName("webtrace");
        String topic = name + "-t";
        server = Connector.builder(CoreFixtures.config(broker, name + "-server", "control_exchange", name + "-x"))
                .observationRegistry(serverTracing.registry).build();
        server.start();
        server.rpcServer(Target.topic(topic).server("s1"), new Echo());

        jetty = new Server();
        ServerConnector http = new ServerConnector(jetty);
        http.setHost("127.0.0.1");
        http.setPort(0);
        jetty.addConnector(http);
        ServletContextHandler webapp = new ServletContextHandler("/shop");
        webapp.setInitParameter("warren.url", broker.transportUrl());
        webapp.setInitParameter("warren.name", name + "-web");
        webapp.setInitParameter("warren.control_exchange", name + "-x");
        // The application's listener, before Warren's: it hands over its registry.
        webapp.addEventListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                event.getServletContext().setAttribute(WarrenContextListener.OBSERVATION_REGISTRY_ATTRIBUTE,
                        webTracing.registry);
            }
        });
        webapp.addEventListener(new WarrenContextListener());
        webapp.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                Object answer = Warren.rpc(getServletContext()).call(Target.topic(topic), "echo", Map.of("word", "hi"));
                resp.setContentType("text/plain");
                resp.getWriter().print(answer);
            }
        }), "/call");
        jetty.setHandler(webapp);
        jetty.start();
        port = http.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        server.stop(Duration.ofSeconds(10));
        webTracing.close();
        serverTracing.close();
        Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "deleting the queues of " + name);
        try (var c = broker.connectionFactory().newConnection(); var ch = c.createChannel()) {
            for (Rabbitmqctl.QueueInfo q : ctl.listQueues()) {
                if (q.name().contains(name)) {
                    ch.queueDelete(q.name());
                }
            }
            ch.exchangeDelete(name + "-x");
            ch.exchangeDelete(name + "-t_fanout");
        }
    }

    @Test
    void theHttpRequestIsTheParentOfTheCallAndContinuesItsCaller() throws Exception {
        // An upstream (a browser's tracer, a proxy) that already has a trace.
        String upstreamTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String upstreamSpan = "00f067aa0ba902b7";
        String requestId = "req-" + java.util.UUID.randomUUID();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/shop/call"))
                .header("traceparent", "00-" + upstreamTrace + "-" + upstreamSpan + "-01")
                .header("X-OpenStack-Request-ID", requestId)
                .timeout(BOUND).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        // The request-id filter, beside the observation filter: the call carried the id, the response returns it.
        assertThat(response.body()).isEqualTo("hi under " + requestId);
        assertThat(response.headers().firstValue("X-OpenStack-Request-ID")).hasValue(requestId);

        SpanData get = webTracing.awaitSpan("GET", BOUND);
        SpanData call = webTracing.awaitSpan("call " + name + "-t", BOUND);
        SpanData served = serverTracing.awaitSpan("oslo.messaging.rpc.process", BOUND);
        assertThat(get.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(get.getTraceId()).isEqualTo(upstreamTrace);
        assertThat(get.getParentSpanId()).isEqualTo(upstreamSpan);
        assertThat(get.getAttributes().get(AttributeKey.stringKey("http.response.status_code"))).isEqualTo("200");
        assertThat(get.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/shop/call");
        assertThat(call.getParentSpanId()).isEqualTo(get.getSpanId());
        assertThat(served.getTraceId()).isEqualTo(upstreamTrace);
        assertThat(served.getParentSpanId()).isEqualTo(call.getSpanId());
    }

    @Test
    void aRequestWithoutATraceStartsOne() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/shop/call")).timeout(BOUND).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).matches("hi under req-[0-9a-f-]{36}");
        SpanData get = webTracing.awaitSpan("GET", BOUND);
        assertThat(get.getParentSpanContext().isValid()).isFalse();
        SpanData call = webTracing.awaitSpan("call " + name + "-t", BOUND);
        assertThat(call.getTraceId()).isEqualTo(get.getTraceId());
        assertThat(call.getParentSpanId()).isEqualTo(get.getSpanId());
    }
}
