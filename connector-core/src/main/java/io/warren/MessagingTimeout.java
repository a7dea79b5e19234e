package io.warren;

/** No reply to an RPC call came within its timeout (or the server's keep-alives stopped). */
public final class MessagingTimeout extends WarrenException {
    private static final long serialVersionUID = 1L;

    /** @param message names the target, method, message id and timeout */
    public MessagingTimeout(String message) {
        super(message);
    }
}
