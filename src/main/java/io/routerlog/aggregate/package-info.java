/**
 * Counting per receive thread without allocating for known pairs ({@link io.routerlog.aggregate.LocalAggregator}),
 * and the {@link io.routerlog.aggregate.Flusher} that moves each thread's batch into the store, one
 * {@link io.routerlog.aggregate.FlushPart} per stream with its own bound while the store is away.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}. NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.aggregate;

import org.jspecify.annotations.NullMarked;
