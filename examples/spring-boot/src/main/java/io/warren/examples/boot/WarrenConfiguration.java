package io.warren.examples.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.RpcClient;
import io.warren.RpcServer;
import io.warren.Target;
import io.warren.jmx.ConnectorJmx;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Warren as Boot beans (README: Spring Boot, beside Spring AMQP, shows these lines). The connector
 * starts when its bean is made, so a bad URL or an unreachable broker fails the app's start,
 * naming why, and it is closed when the context closes. Beans go in the reverse order of their
 * dependencies, and only after Boot's lifecycle phase has stopped Tomcat and the
 * {@code @RabbitListener} containers: the RPC server stops first, then the MXBean goes, then the
 * connector drains and joins every thread it made.
 */
@Configuration(proxyBeanMethods = false)
class WarrenConfiguration {
    /** The topic this app serves, as an oslo service would name it. */
    static final String HOSTS_TOPIC = "boot-example-hosts";

    /**
     * {@code warren.url} is the oslo transport URL; {@code warren.options.*} takes any Warren or
     * oslo option by its oslo name, so one properties file configures both Spring AMQP
     * ({@code spring.rabbitmq.*}) and Warren.
     */
    @Bean(initMethod = "start", destroyMethod = "close")
    Connector warrenConnector(Environment env, MeterRegistry meterRegistry) {   // Boot's actuator registry
        ConnectorConfig config = ConnectorConfig.builder()
                .transportUrl(env.getRequiredProperty("warren.url"))
                .name(env.getProperty("warren.name", "boot-example"))
                .options(Binder.get(env).bind("warren.options", Bindable.mapOf(String.class, String.class))
                        .orElse(Map.of()))                                       // warren.options.rpc_response_timeout=10
                .build();
        // Warren's meters appear under /actuator/metrics and /actuator/prometheus and go again
        // when the connector stops; the registry stays Boot's.
        return Connector.builder(config).meterRegistry(meterRegistry).build();
    }

    /** The connector's MXBean, unregistered before the connector stops. */
    @Bean(destroyMethod = "close")
    ConnectorJmx warrenJmx(Connector warrenConnector) {
        return ConnectorJmx.register(warrenConnector);
    }

    @Bean(destroyMethod = "stop")                                                // stopped before the connector
    RpcServer hostsRpcServer(Connector warrenConnector, HostsEndpoint endpoint) {
        return warrenConnector.rpcServer(Target.topic(HOSTS_TOPIC), endpoint);
    }

    @Bean
    RpcClient warrenRpc(Connector warrenConnector) {                             // inject it into controllers
        return warrenConnector.rpcClient();
    }

    @Bean
    HostsEndpoint hostsEndpoint(Environment env) {
        return new HostsEndpoint(env.getProperty("warren.name", "boot-example"));
    }
}
