package io.routerlog.cli;

/**
 * A request to the node that did not give an answer to use. Its message is one line for the user, without the
 * {@code routerlog: } prefix.
 */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the request failed. */
    public enum Kind {
        /** Nothing answered (refused, timed out, reset): worth retrying while following. */
        UNREACHABLE,
        /** The node refused the credentials (401). */
        AUTHENTICATION,
        /** The node refused the request (400, 404): the API's own error line. */
        REFUSED,
        /** The node failed (5xx): worth retrying while following. */
        SERVER,
        /** An answer that is not the API's JSON. */
        BAD_ANSWER
    }

    private final Kind kind;

    ApiException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** True when the same request may succeed later without anything changing on this side. */
    public boolean retryable() {
        return kind == Kind.UNREACHABLE || kind == Kind.SERVER;
    }

    @Override
    public String getMessage() {
        String m = super.getMessage();
        return m == null ? kind.toString() : m;
    }
}
