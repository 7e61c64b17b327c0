package io.routerlog.store;

import org.jspecify.annotations.Nullable;

/** A write to the store that did not complete; the caller keeps its data and tries again. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
