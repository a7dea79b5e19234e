package io.warren.examples.boot;

import io.warren.MessagingTimeout;
import io.warren.RemoteError;
import io.warren.RpcClient;
import io.warren.Target;
import io.warren.WarrenException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** HTTP in front of an oslo RPC call, made through Warren's RPC client. */
@RestController
class HostsController {
    private final RpcClient rpc;

    HostsController(RpcClient rpc) {
        this.rpc = rpc;
    }

    @GetMapping("/hosts/{host}")
    Object describe(@PathVariable String host) {
        return rpc.call(Target.topic(WarrenConfiguration.HOSTS_TOPIC), "describe_host", Map.of("host", host));
    }

    // The servers' own errors are the caller's problem (400); no answer in time is 504; anything
    // else from Warren (broker down, connector stopped) is 503. Never a stack trace.
    @ExceptionHandler(RemoteError.class)
    ResponseEntity<Map<String, String>> remoteError(RemoteError e) {
        return error(HttpStatus.BAD_REQUEST, e.exceptionClass(), e.remoteMessage());
    }

    @ExceptionHandler(MessagingTimeout.class)
    ResponseEntity<Map<String, String>> timeout(MessagingTimeout e) {
        return error(HttpStatus.GATEWAY_TIMEOUT, "MessagingTimeout", e.getMessage());
    }

    @ExceptionHandler(WarrenException.class)
    ResponseEntity<Map<String, String>> unavailable(WarrenException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, e.getClass().getSimpleName(), e.getMessage());
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String type, String message) {
        return ResponseEntity.status(status).body(Map.of("error", type, "message", String.valueOf(message)));
    }
}
