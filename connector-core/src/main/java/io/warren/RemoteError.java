package io.warren;

import java.util.List;
import java.util.Map;

/**
 * The server's method raised: the exception as oslo describes it (class, module, message,
 * traceback lines, args, kwargs). oslo's own dispatcher errors arrive as {@code NoSuchMethod} and
 * {@code UnsupportedVersion} from module {@code oslo_messaging.rpc.dispatcher}.
 */
public final class RemoteError extends WarrenException {
    private static final long serialVersionUID = 1L;

    /** The remote exception's class name. */
    private final String exceptionClass;
    /** The remote exception's module (Python) or package (Java). */
    private final String module;
    /** The remote exception's message. */
    private final String remoteMessage;
    private final transient List<String> traceback;
    private final transient List<Object> args;
    private final transient Map<String, Object> kwargs;

    /**
     * @param exceptionClass the remote class name, e.g. {@code ValueError}
     * @param module its module, e.g. {@code builtins}
     * @param remoteMessage the remote exception's message
     * @param traceback the remote traceback, one line each
     * @param args the remote exception's arguments
     * @param kwargs the remote exception's keyword arguments
     */
    public RemoteError(String exceptionClass, String module, String remoteMessage, List<String> traceback,
                       List<Object> args, Map<String, Object> kwargs) {
        super("Remote error: " + exceptionClass + " " + remoteMessage);
        this.exceptionClass = exceptionClass;
        this.module = module;
        this.remoteMessage = remoteMessage;
        this.traceback = List.copyOf(traceback);
        this.args = args;
        this.kwargs = kwargs;
    }

    /** @return the remote exception's class name */
    public String exceptionClass() {
        return exceptionClass;
    }

    /** @return the remote exception's module */
    public String module() {
        return module;
    }

    /** @return the remote exception's message */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** @return the remote traceback, one line per entry */
    public List<String> traceback() {
        return traceback;
    }

    /** @return the remote exception's positional arguments */
    public List<Object> args() {
        return args;
    }

    /** @return the remote exception's keyword arguments (OpenStack exceptions carry them) */
    public Map<String, Object> kwargs() {
        return kwargs;
    }
}
