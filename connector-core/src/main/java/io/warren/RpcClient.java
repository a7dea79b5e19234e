package io.warren;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * oslo.messaging's RPC client: {@code call} waits for the result, {@code callAsync} returns it as
 * a future, {@code cast} sends without a reply. Arguments are keyword arguments (a JSON object);
 * results are plain JSON values ({@code Map}, {@code List}, {@code String}, {@code Number},
 * {@code Boolean}, {@code null}) or converted to a type you name.
 *
 * <p>Every wait is bounded: a call fails with {@link MessagingTimeout} after its timeout, with
 * {@link RemoteError} when the server's method raised, and with another {@link WarrenException}
 * when the message could not be sent.
 */
public interface RpcClient {

    /** Calls and waits, with the default options. */
    default Object call(Target target, String method, Map<String, ?> args) {
        return call(target, method, args, CallOptions.defaults());
    }

    /** Calls and waits. */
    Object call(Target target, String method, Map<String, ?> args, CallOptions options);

    /** Calls, waits, and converts the result to {@code type}. */
    <T> T call(Target target, String method, Map<String, ?> args, CallOptions options, Class<T> type);

    /** Calls without blocking; the future fails as {@link #call} would throw. */
    CompletableFuture<Object> callAsync(Target target, String method, Map<String, ?> args, CallOptions options);

    /** Sends a cast (to the topic, one server, or every server for a fanout target) and waits for the broker's confirm. */
    default void cast(Target target, String method, Map<String, ?> args) {
        cast(target, method, args, CallOptions.defaults());
    }

    /** Sends a cast and waits for the broker's confirm. */
    void cast(Target target, String method, Map<String, ?> args, CallOptions options);

    /** Sends a cast; the future completes on the broker's confirm. */
    CompletableFuture<Void> castAsync(Target target, String method, Map<String, ?> args, CallOptions options);
}
