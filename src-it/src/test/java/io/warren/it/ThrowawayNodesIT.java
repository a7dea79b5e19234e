package io.warren.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.Rabbitmqctl.MemoryWatermark;
import io.warren.it.support.TestBroker;
import io.warren.it.support.ThrowawayNodes;

/** Throw-away RabbitMQ nodes start, serve AMQP, and leave nothing behind. */
@ExtendWith(TestBroker.Resolver.class)
class ThrowawayNodesIT {

    @Test
    void threeNodeClusterServesEveryNodeAndLeavesNothingBehind(TestBroker broker) throws Exception {
        ThrowawayNodes nodes = ThrowawayNodes.create(broker, "the throw-away cluster check");
        Path base = nodes.baseDir();
        List<String> processesWhileRunning;
        try {
            ThrowawayNodes.Cluster cluster = nodes.startCluster(3);
            processesWhileRunning = nodes.leftoverProcesses();

            assertThat(nodes.rabbitmqctl(cluster.nodeName(0)).runningNodes())
                    .containsExactlyInAnyOrderElementsOf(cluster.nodeNames());
            List<Object> products = new ArrayList<>();
            for (int i = 0; i < cluster.size(); i++) {
                try (Connection connection = cluster.connectionFactory(i).newConnection("warren-it-node-" + i)) {
                    products.add(connection.getServerProperties().get("product").toString());
                }
            }
            assertThat(products).containsOnly("RabbitMQ").hasSize(3);
            assertThat(cluster.amqpPorts()).doesNotContain(5672);
        } finally {
            nodes.close();
        }

        assertThat(processesWhileRunning).as("node processes while running").hasSizeGreaterThanOrEqualTo(3);
        assertThat(base).doesNotExist();
        assertThat(nodes.leftoverProcesses()).isEmpty();
    }

    @Test
    void memoryWatermarkOfZeroBlocksPublishersUntilRestored(TestBroker broker) throws Exception {
        try (ThrowawayNodes nodes = ThrowawayNodes.create(broker, "connection.blocked on a throw-away node")) {
            ThrowawayNodes.Cluster single = nodes.startCluster(1);
            Rabbitmqctl ctl = nodes.rabbitmqctl(single.nodeName(0));
            MemoryWatermark before = ctl.vmMemoryHighWatermark();
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            try (Connection connection = single.connectionFactory(0).newConnection("warren-it-blocked")) {
                connection.addBlockedListener(new BlockedListener() {
                    @Override
                    public void handleBlocked(String reason) {
                        events.add("blocked: " + reason);
                    }

                    @Override
                    public void handleUnblocked() {
                        events.add("unblocked");
                    }
                });
                Channel channel = connection.createChannel();
                try {
                    ctl.setVmMemoryHighWatermark(MemoryWatermark.relative(0));
                    // RabbitMQ blocks a connection when it next publishes.
                    channel.basicPublish("", "nowhere", null, new byte[1]);
                    assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("blocked: low on memory");
                } finally {
                    ctl.setVmMemoryHighWatermark(before);
                }
                assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("unblocked");
                assertThat(ctl.vmMemoryHighWatermark()).isEqualTo(before);
            }
        }
    }

    @Test
    void tlsNodeAcceptsItsCaOnlyOverTls(TestBroker broker) throws Exception {
        try (ThrowawayNodes nodes = ThrowawayNodes.create(broker, "the throw-away TLS node check")) {
            ThrowawayNodes.TlsNode tls = nodes.startTlsNode();

            try (Connection connection = tls.connectionFactory().newConnection("warren-it-tls")) {
                assertThat(connection.isOpen()).isTrue();
            }
            ConnectionFactory wrongCa = tls.connectionFactory();
            wrongCa.useSslProtocol(tls.sslContext(tls.wrongCaPem(), false));
            assertThatThrownBy(() -> wrongCa.newConnection("warren-it-tls-wrong-ca").close())
                    .hasStackTraceContaining("PKIX path building failed");
            ConnectionFactory plain = new ConnectionFactory();
            plain.setHost("127.0.0.1");
            plain.setPort(tls.port());
            plain.setConnectionTimeout(5_000);
            plain.setHandshakeTimeout(5_000);
            plain.setAutomaticRecoveryEnabled(false);
            assertThatThrownBy(() -> plain.newConnection("warren-it-plain-on-tls").close()).isNotNull();
        }
    }
}
