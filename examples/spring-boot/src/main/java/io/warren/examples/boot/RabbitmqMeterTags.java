package io.warren.examples.boot;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * amqp-client's {@code rabbitmq.*} meters come twice into Boot's registry: from Spring AMQP's
 * connection, tagged {@code name=<connection factory bean>}, and from Warren's two, tagged
 * {@code warren.connector=<name>}. Prometheus needs one set of tag keys per meter name and drops
 * whichever registers second (one WARN, then silence). This filter gives every {@code rabbitmq.*}
 * meter both keys: Spring AMQP's get {@code warren.connector=""}, Warren's get
 * {@code name=warren}, so both clients' series are scraped and told apart.
 */
@Configuration(proxyBeanMethods = false)
class RabbitmqMeterTags {
    static final String PREFIX = "rabbitmq.";

    @Bean
    MeterFilter rabbitmqMetersOfBothClients() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith(PREFIX)) {
                    return id;
                }
                Meter.Id mapped = id;
                if (mapped.getTag("warren.connector") == null) {
                    mapped = mapped.withTag(io.micrometer.core.instrument.Tag.of("warren.connector", ""));
                }
                if (mapped.getTag("name") == null) {
                    mapped = mapped.withTag(io.micrometer.core.instrument.Tag.of("name", "warren"));
                }
                return mapped;
            }
        };
    }
}
