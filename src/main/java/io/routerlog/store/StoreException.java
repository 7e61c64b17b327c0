package io.routerlog.store;

/** A write to the store that did not complete; the caller keeps its data and tries again. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
