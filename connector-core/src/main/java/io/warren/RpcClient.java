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

    /**
     * Calls and waits, with the default options ({@code rpc_response_timeout}).
     *
     * @param target where to send: a topic, and a server to pin one
     * @param method the method's name on the server
     * @param args keyword arguments, JSON values; null means none
     * @return the method's result as JSON values
     * @throws MessagingTimeout when no reply came within the timeout
     * @throws RemoteError when the server's method raised
     */
    default Object call(Target target, String method, Map<String, ?> args) {
        return call(target, method, args, CallOptions.defaults());
    }

    /**
     * Calls and waits.
     *
     * @param target where to send: a topic, and a server to pin one; never a fanout target
     * @param method the method's name on the server
     * @param args keyword arguments, JSON values; null means none
     * @param options timeout, call monitor, version and request context of this call
     * @return the method's result as JSON values
     * @throws MessagingTimeout when no reply came within the timeout
     * @throws RemoteError when the server's method raised
     */
    Object call(Target target, String method, Map<String, ?> args, CallOptions options);

    /**
     * Calls, waits, and converts the result to {@code type}.
     *
     * @param <T> the result's type
     * @param target where to send: a topic, and a server to pin one; never a fanout target
     * @param method the method's name on the server
     * @param args keyword arguments, JSON values; null means none
     * @param options timeout, call monitor, version and request context of this call
     * @param type what to convert the JSON result to (a bean, a record, a collection type)
     * @return the converted result
     * @throws WarrenException when the result does not fit {@code type}, besides the failures of
     *         {@link #call(Target, String, Map, CallOptions)}
     */
    <T> T call(Target target, String method, Map<String, ?> args, CallOptions options, Class<T> type);

    /**
     * Calls without blocking.
     *
     * @param target where to send: a topic, and a server to pin one; never a fanout target
     * @param method the method's name on the server
     * @param args keyword arguments, JSON values; null means none
     * @param options timeout, call monitor, version and request context of this call
     * @return completed with the result, or failed as {@link #call(Target, String, Map, CallOptions)}
     *         would throw; completed on one of the connector's threads, so chain blocking work on
     *         an executor of your own
     */
    CompletableFuture<Object> callAsync(Target target, String method, Map<String, ?> args, CallOptions options);

    /**
     * Sends a cast (to the topic, one server, or every server for a fanout target) and waits for
     * the broker's confirm, with the default options.
     *
     * @param target where to send
     * @param method the method's name on the servers
     * @param args keyword arguments, JSON values; null means none
     */
    default void cast(Target target, String method, Map<String, ?> args) {
        cast(target, method, args, CallOptions.defaults());
    }

    /**
     * Sends a cast and waits for the broker's confirm.
     *
     * @param target where to send
     * @param method the method's name on the servers
     * @param args keyword arguments, JSON values; null means none
     * @param options version and request context (a cast has no timeout of its own: the publish
     *        timeout bounds it)
     */
    void cast(Target target, String method, Map<String, ?> args, CallOptions options);

    /**
     * Sends a cast without blocking on the confirm.
     *
     * @param target where to send
     * @param method the method's name on the servers
     * @param args keyword arguments, JSON values; null means none
     * @param options version and request context
     * @return completed on the broker's confirm, failed with a {@link PublishException} or another
     *         {@link WarrenException}
     */
    CompletableFuture<Void> castAsync(Target target, String method, Map<String, ?> args, CallOptions options);
}
