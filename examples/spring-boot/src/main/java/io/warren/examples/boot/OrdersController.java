package io.warren.examples.boot;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The app's own messaging, on Spring AMQP as before Warren came: a queue declared by Boot's
 * RabbitAdmin, a RabbitTemplate to send to it and a {@code @RabbitListener} to take from it.
 * Spring AMQP keeps its own connection (Boot's {@code spring.rabbitmq.*}); Warren keeps its two.
 */
@RestController
class OrdersController {
    private final RabbitTemplate rabbit;
    private final String queue;
    private final List<String> received = new CopyOnWriteArrayList<>();

    OrdersController(RabbitTemplate rabbit, @Value("${example.orders-queue}") String queue) {
        this.rabbit = rabbit;
        this.queue = queue;
    }

    @PostMapping("/orders")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, String> send(@RequestBody String order) {
        rabbit.convertAndSend(queue, order);
        return Map.of("queued", order);
    }

    @GetMapping("/orders")
    List<String> received() {
        return received;
    }

    @RabbitListener(queues = "${example.orders-queue}")
    void onOrder(String order) {
        received.add(order);
    }

    @Configuration(proxyBeanMethods = false)
    static class Declarations {
        /** Not durable, deleted with its last consumer: the example leaves nothing on the broker. */
        @Bean
        Queue ordersQueue(@Value("${example.orders-queue}") String queue) {
            return new Queue(queue, false, false, true);
        }
    }
}
