package io.warren.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Address;
import io.warren.FailoverStrategy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FailoverAddressesTest {
    private final List<Address> three = List.of(new Address("h1", 5672), new Address("h2", 5672), new Address("h3", 5673));

    @Test
    void roundRobinStartsOneHostFurtherOnEachAttemptAndKeepsTheOrder() {
        FailoverAddresses addresses = new FailoverAddresses(three, FailoverStrategy.ROUND_ROBIN);
        List<Address> first = addresses.getAddresses();
        List<Address> second = addresses.getAddresses();
        List<Address> third = addresses.getAddresses();
        List<Address> fourth = addresses.getAddresses();

        assertThat(first).containsExactlyInAnyOrderElementsOf(three);
        assertThat(second.get(0)).isEqualTo(first.get(1));
        assertThat(third.get(0)).isEqualTo(first.get(2));
        assertThat(fourth).isEqualTo(first);
        assertThat(addresses.maybeShuffle(first)).isEqualTo(first);
    }

    @Test
    void theBaseOrderIsShuffledOnceSoClientsSpreadOverTheCluster() {
        Set<String> firstHosts = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            firstHosts.add(new FailoverAddresses(three, FailoverStrategy.ROUND_ROBIN).getAddresses().get(0).getHost());
        }
        assertThat(firstHosts).containsExactlyInAnyOrder("h1", "h2", "h3");
    }

    @Test
    void shuffleStrategyReordersEveryAttempt() {
        FailoverAddresses addresses = new FailoverAddresses(three, FailoverStrategy.SHUFFLE);
        Set<List<Address>> orders = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            orders.add(addresses.maybeShuffle(addresses.getAddresses()));
        }
        assertThat(orders.size()).isGreaterThan(3);
    }
}
