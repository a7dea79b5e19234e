package io.warren.examples.tracing;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;

/**
 * The demo's tracing: OpenTelemetry configured from the standard {@code OTEL_*} environment (or
 * {@code otel.*} system properties), bridged to a Micrometer {@code ObservationRegistry} for
 * Warren. Off unless the environment chooses where spans go ({@code OTEL_TRACES_EXPORTER},
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}), so the
 * demo without them is what it was.
 */
public final class OtelTracing implements AutoCloseable {
    private final OpenTelemetrySdk sdk;
    private final ObservationRegistry registry;

    private OtelTracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
        Tracer otel = sdk.getTracer("io.warren.examples");
        OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { });
        OtelPropagator propagator = new OtelPropagator(sdk.getPropagators(), otel);
        registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    }

    /**
     * @param serviceName the service name unless {@code OTEL_SERVICE_NAME} gives one
     * @return the tracing of one component, or null when the environment asks for none
     */
    public static OtelTracing fromEnvironment(String serviceName) {
        String exporter = setting("OTEL_TRACES_EXPORTER");
        boolean chosen = exporter != null || setting("OTEL_EXPORTER_OTLP_ENDPOINT") != null
                || setting("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != null;
        if (!chosen || "none".equalsIgnoreCase(exporter) || "true".equalsIgnoreCase(setting("OTEL_SDK_DISABLED"))) {
            return null;
        }
        // Defaults only: the environment and system properties win.
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of(
                        "otel.service.name", serviceName,
                        "otel.exporter.otlp.protocol", "http/protobuf", // the JDK's HTTP client sends it; no gRPC stack
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
                .build().getOpenTelemetrySdk();
        return new OtelTracing(sdk);
    }

    private static String setting(String env) {
        String property = System.getProperty(env.toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
        return property != null ? property : System.getenv(env);
    }

    /** @return the registry to hand to Warren */
    public ObservationRegistry registry() {
        return registry;
    }

    /** Exports what is left and stops the exporter's thread. */
    @Override
    public void close() {
        sdk.close();
    }
}
