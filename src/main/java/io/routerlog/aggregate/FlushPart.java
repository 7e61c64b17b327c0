package io.routerlog.aggregate;

/**
 * One stream of updates the {@link Flusher} moves into the store (query pairs, reply outcomes, DHCP changes, the
 * label counters, DNSTT), with what that stream keeps while the store is away and what it gives up.
 *
 * <p>Every stream has the same life: take the counts out of each receive thread's batch and merge them with what is
 * pending, write the pending counts, keep what the store did not confirm for the next flush, and, after a failed
 * flush, give up what has grown beyond the stream's bound. Only the data and the bound differ, so the flusher is a
 * loop over its parts. A part is used only on the flush thread.
 */
interface FlushPart {
    /** Takes this stream's counts out of a receive thread's batch and adds them to what is pending. */
    void collect(Batch batch);

    /**
     * Writes what is pending, as seen at {@code nowMillis}; what the store confirmed is no longer pending.
     *
     * @throws io.routerlog.store.StoreException when the store did not take everything; the rest stays pending
     */
    void write(long nowMillis, long timeoutMillis);

    /** After a failed flush: gives up what is pending beyond this stream's bound and tells {@code giveUp}. */
    void giveUpBeyondBound(GiveUp giveUp);

    /** Where a part reports what it gave up. */
    @FunctionalInterface
    interface GiveUp {
        /**
         * Reports entries given up.
         *
         * @param map      the store map the entries were meant for
         * @param entries  pending entries given up
         * @param messages the received messages they came from, counted as dropped; 0 when counted elsewhere
         */
        void gaveUp(String map, long entries, long messages);
    }
}
