package io.warren.wire;

/**
 * An incoming message Warren cannot read. {@link #kind()} names the class of problem, so that
 * logs can be rate-limited per kind and metrics counted per kind; the message names the field or
 * property that was wrong.
 */
public final class WireException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What was wrong with the message. */
    public enum Kind {
        /** The body is larger than {@code warren_max_message_bytes}; it was not parsed. */
        TOO_LARGE("too_large"),
        /** The body is not JSON (or not UTF-8). */
        MALFORMED_JSON("malformed_json"),
        /** No {@code application/json} content type, or an envelope that is not oslo's. */
        BAD_ENVELOPE("bad_envelope"),
        /** An oslo envelope of a version Warren does not read (only 2.0 and un-enveloped 1.0). */
        UNSUPPORTED_VERSION("unsupported_version"),
        /** A field the message needs is missing. */
        MISSING_FIELD("missing_field"),
        /** A field has the wrong JSON type. */
        WRONG_TYPE("wrong_type"),
        /** A compressed body that cannot be inflated, or an unknown compression. */
        BAD_COMPRESSION("bad_compression");

        private final String tag;

        Kind(String tag) {
            this.tag = tag;
        }

        /** @return the lower-case word used in metrics and logs */
        public String tag() {
            return tag;
        }
    }

    private final Kind kind;

    /**
     * @param kind what was wrong
     * @param message which field or property, and what was found
     */
    public WireException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** @return what was wrong */
    public Kind kind() {
        return kind;
    }
}
