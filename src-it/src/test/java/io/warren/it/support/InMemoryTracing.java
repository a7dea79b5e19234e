package io.warren.it.support;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;

/**
 * What an application with Micrometer Tracing's OpenTelemetry bridge has: an observation registry
 * whose handlers make spans and inject / extract W3C trace context, here exported to memory.
 */
public final class InMemoryTracing implements AutoCloseable {
    public final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    public final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    public final OtelTracer tracer;
    public final ObservationRegistry registry = ObservationRegistry.create();

    public InMemoryTracing() {
        io.opentelemetry.api.trace.Tracer otel = provider.get("warren-test");
        tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { });
        OtelPropagator propagator = new OtelPropagator(
                ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    }

    public List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    public SpanData span(String name) {
        return spans().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans().stream().map(SpanData::getName).toList()));
    }

    /** @return the first finished span named {@code name}, waiting for it within {@code bound} */
    public SpanData awaitSpan(String name, java.time.Duration bound) {
        try {
            CoreFixtures.waitUntil(bound, "a finished span " + name,
                    () -> spans().stream().anyMatch(s -> s.getName().equals(name)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; finished: " + spans().stream().map(SpanData::getName).toList());
        }
        return span(name);
    }

    @Override
    public void close() {
        provider.close();
    }
}
