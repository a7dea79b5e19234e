package io.warren.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.ConnectorMXBean;
import io.warren.WarrenException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.JMX;
import javax.management.ObjectName;
import javax.management.MBeanServer;
import org.junit.jupiter.api.Test;

class ConnectorJmxTest {
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    private static Connector connector(String name, boolean writes) {
        return Connector.create(ConnectorConfig.builder()
                .transportUrl("rabbit://app:jmx-s3cret@127.0.0.1:1/")
                .name(name)
                .option("warren_jmx_write_operations", Boolean.toString(writes))
                .build());
    }

    @Test
    void theMxBeanShowsTheConnectorWithoutSecretsAndGoesAwayOnClose() {
        Connector connector = connector("shop.api-1", false);
        ConnectorJmx registration = ConnectorJmx.register(connector);
        try {
            assertThat(registration.name().toString()).isEqualTo("io.warren:type=Connector,name=\"shop.api-1\"");
            ConnectorMXBean bean = JMX.newMXBeanProxy(server, registration.name(), ConnectorMXBean.class);

            assertThat(bean.getName()).isEqualTo("shop.api-1");
            assertThat(bean.getState()).isEqualTo("NEW");
            assertThat(bean.getHealth()).isEqualTo("DOWN");
            assertThat(bean.getBrokerAddresses()).containsExactly("127.0.0.1:1");
            assertThat(String.join(" ", bean.getBrokerAddresses()) + bean.getLastError() + bean.getHealthReasons())
                    .doesNotContain("jmx-s3cret");
            // Every option of the table, effective value, the URL masked.
            assertThat(bean.getOptions()).hasSize(io.warren.ConfigOption.all().size())
                    .contains("transport_url=rabbit://app:***@127.0.0.1:1/", "warren_jmx_write_operations=false",
                            "heartbeat_timeout_threshold=60", "warren_call_expiration=true");
            assertThat(String.join(" ", bean.getOptions())).doesNotContain("jmx-s3cret");
            assertThatThrownBy(bean::reconnect).hasMessageContaining("warren_jmx_write_operations=true");
            assertThatThrownBy(() -> ConnectorJmx.register(connector)).isInstanceOf(WarrenException.class)
                    .hasMessageContaining("set warren.name");
        } finally {
            registration.close();
        }
        assertThat(server.isRegistered(registration.name())).isFalse();
        connector.stop(Duration.ofSeconds(1));
    }

    @Test
    void reconnectIsAllowedOnlyWhenWriteOperationsAreOn() {
        Connector connector = connector("jmx-writes", true);
        try (ConnectorJmx registration = ConnectorJmx.register(connector)) {
            ConnectorMXBean bean = JMX.newMXBeanProxy(server, registration.name(), ConnectorMXBean.class);
            // Allowed, but a connector that is not running still refuses it, with its own reason.
            assertThatThrownBy(bean::reconnect).hasMessageContaining("takes no work");
        }
    }

    @Test
    void aWebappsConnectorCarriesItsContextPathQuotedInTheName() {
        Connector connector = connector("shop", false);
        try (ConnectorJmx registration = ConnectorJmx.register(connector, "/shop,\"v2\"")) {
            assertThat(registration.name().getKeyProperty("context")).isEqualTo("\"/shop,\\\"v2\\\"\"");
            assertThat(ObjectName.unquote(registration.name().getKeyProperty("context"))).isEqualTo("/shop,\"v2\"");
            assertThat(server.isRegistered(registration.name())).isTrue();
        }
        assertThat(ConnectorJmx.objectName("", "ROOT").toString()).isEqualTo("io.warren:type=Connector,context=\"/\",name=\"ROOT\"");
        connector.stop(Duration.ofSeconds(1));
    }

    @Test
    void twoVersionsOfOneWebappHaveTwoNamesAndATakenNameGetsAnInstanceKey() {
        Connector v1 = connector("servers-api", false);
        Connector v2 = connector("servers-api", false);
        Connector copy = connector("servers-api", false);
        try (ConnectorJmx first = ConnectorJmx.register(v1, "/app", "001");
             ConnectorJmx second = ConnectorJmx.register(v2, "/app", "002")) {
            assertThat(first.name().toString())
                    .isEqualTo("io.warren:type=Connector,context=\"/app\",version=\"001\",name=\"servers-api\"");
            assertThat(second.name().toString())
                    .isEqualTo("io.warren:type=Connector,context=\"/app\",version=\"002\",name=\"servers-api\"");
            assertThat(first.name()).isEqualTo(ConnectorJmx.objectName("/app", "001", "servers-api"));

            // The same path, version and name again (another virtual host): registered, not refused.
            try (ConnectorJmx third = ConnectorJmx.register(copy, "/app", "002")) {
                assertThat(third.name().toString()).isEqualTo(
                        "io.warren:type=Connector,context=\"/app\",version=\"002\",instance=2,name=\"servers-api\"");
                assertThat(server.isRegistered(third.name())).isTrue();
                assertThat(JMX.newMXBeanProxy(server, third.name(), ConnectorMXBean.class).getName()).isEqualTo("servers-api");
            }
            // Undeploying the first version leaves the second registered.
            first.close();
            assertThat(server.isRegistered(first.name())).isFalse();
            assertThat(server.isRegistered(second.name())).isTrue();
        }
        assertThat(server.queryNames(pattern("io.warren:type=Connector,context=\"/app\",*"), null)).isEmpty();
        assertThat(ConnectorJmx.objectName("/app", "", "x").toString()).isEqualTo("io.warren:type=Connector,context=\"/app\",name=\"x\"");
        for (Connector c : new Connector[] {v1, v2, copy}) {
            c.stop(Duration.ofSeconds(1));
        }
    }

    private static ObjectName pattern(String name) {
        try {
            return new ObjectName(name);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
