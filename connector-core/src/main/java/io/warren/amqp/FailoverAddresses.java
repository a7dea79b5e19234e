package io.warren.amqp;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.AddressResolver;
import io.warren.FailoverStrategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker addresses of a transport URL in oslo's order. The list is shuffled once, when the
 * connector is built, so a cluster's clients spread over its nodes; then every connection attempt
 * starts one host further on (round-robin) or at a random host (shuffle).
 */
final class FailoverAddresses implements AddressResolver {
    private final List<Address> addresses;
    private final FailoverStrategy strategy;
    private final AtomicInteger next = new AtomicInteger();

    FailoverAddresses(List<Address> addresses, FailoverStrategy strategy) {
        List<Address> shuffled = new ArrayList<>(addresses);
        Collections.shuffle(shuffled);
        this.addresses = List.copyOf(shuffled);
        this.strategy = strategy;
    }

    @Override
    public List<Address> getAddresses() {
        int start = Math.floorMod(next.getAndIncrement(), addresses.size());
        List<Address> rotated = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            rotated.add(addresses.get((start + i) % addresses.size()));
        }
        return rotated;
    }

    @Override
    public List<Address> maybeShuffle(List<Address> input) {
        if (strategy == FailoverStrategy.SHUFFLE) {
            List<Address> copy = new ArrayList<>(input);
            Collections.shuffle(copy);
            return copy;
        }
        return input;
    }

    /** @return the addresses in their shuffled base order, "host:port" */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Address a : addresses) {
            out.add(a.getHost() + ":" + a.getPort());
        }
        return out;
    }
}
