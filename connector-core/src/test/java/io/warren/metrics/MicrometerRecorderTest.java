package io.warren.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MicrometerRecorderTest {

    @Test
    void metersAreTaggedWithTheConnectorAndAllGoOnClose() {
        MeterRegistry registry = new SimpleMeterRegistry();
        registry.counter("app.requests").increment(); // the application's own meter stays
        MicrometerRecorder shop = new MicrometerRecorder(registry, "shop");
        MicrometerRecorder admin = new MicrometerRecorder(registry, "admin");

        shop.rpcCall("compute", "get", 1_000_000, "ok");
        shop.rpcServed("compute", "get", 2_000_000, "remote_error");
        shop.cast("compute", "ok");
        shop.notificationSent("info", "ok");
        shop.notificationReceived("info", "ok");
        shop.rejected("malformed_json");
        admin.cast("compute", "ok");

        assertThat(registry.get("warren.rpc.calls").tag("warren.connector", "shop").tag("outcome", "ok").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("warren.messages.rejected").tag("kind", "malformed_json").counter().count()).isEqualTo(1);
        assertThat(registry.find("rabbitmq.connections").tag("warren.connector", "shop").meters()).isNotEmpty();

        shop.close();

        assertThat(registry.getMeters()).noneMatch(m -> "shop".equals(m.getId().getTag("warren.connector")));
        assertThat(registry.find("warren.casts").tag("warren.connector", "admin").counter()).isNotNull();
        assertThat(registry.find("app.requests").counter()).isNotNull();
        admin.close();
        assertThat(registry.getMeters()).hasSize(1);
    }
}
