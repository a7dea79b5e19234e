package io.warren.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot app (embedded Tomcat) that speaks oslo RPC through Warren and keeps its own
 * queues on Spring AMQP: Warren's connector is one bean among Boot's, started with the context
 * and stopped when it closes, after the web server has stopped taking requests.
 */
@SpringBootApplication
public class BootExampleApplication {
    public static void main(String[] args) {
        SpringApplication.run(BootExampleApplication.class, args);
    }
}
