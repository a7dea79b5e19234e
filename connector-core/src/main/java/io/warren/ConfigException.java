package io.warren;

/**
 * Bad connector configuration: an unknown option, a value of the wrong type or out of range, a
 * malformed transport URL, or options that contradict each other. The message names what is wrong,
 * the value given (never a password) and what is allowed.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The option the error is about, or null. */
    private final String option;

    /**
     * @param message what is wrong and what is allowed; must not contain secrets
     * @param option the option or URL part that is wrong, or null when it is not one option
     */
    public ConfigException(String message, String option) {
        super(message);
        this.option = option;
    }

    /**
     * The name of the option (or the part of the transport URL, e.g. {@code transport_url}) that is
     * wrong.
     *
     * @return the option name, or null when the problem is not tied to one option
     */
    public String option() {
        return option;
    }
}
