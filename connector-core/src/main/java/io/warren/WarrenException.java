package io.warren;

/** The base of every exception Warren throws for messaging failures. Messages never hold secrets. */
public class WarrenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, in words a developer can act on */
    public WarrenException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public WarrenException(String message, Throwable cause) {
        super(message, cause);
    }
}
