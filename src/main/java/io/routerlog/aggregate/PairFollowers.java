package io.routerlog.aggregate;

import org.jspecify.annotations.Nullable;

/**
 * The parts that follow what the drained pairs say about clients and names (sightings, activity, tunnel detection),
 * fed as the pair parts drain the batches. Each pair is looked up once in the {@link PairMemo}, whose entry carries
 * what those parts worked out for it before; its labels are read from its key only when the entry lacks something.
 * Used only on the flush thread.
 */
final class PairFollowers {
    private final PairMemo memo;
    private final PairView view = new PairView();
    private final ClientSeenPart seen;
    private final ActivityPart activity;
    private @Nullable SuspectPart suspects;

    /** Told each drained query pair. */
    final PairCounts.Sink queries = this::query;
    /** Told each drained reply-outcome pair. */
    final PairCounts.Sink outcomes = this::outcome;

    PairFollowers(PairMemo memo, ClientSeenPart seen, ActivityPart activity) {
        this.memo = memo;
        this.seen = seen;
        this.activity = activity;
    }

    /** Also feeds tunnel detection. */
    void detectWith(SuspectPart part) {
        this.suspects = part;
    }

    private void query(byte[] b, int off, int len, int hash, long count) {
        if (!view.set(b, off, len)) {
            return;
        }
        PairMemo.Entry e = memo.of(b, off, len, hash);
        seen.saw(view, e);
        activity.saw(view, e, count);
        SuspectPart detection = suspects;
        if (detection != null) {
            detection.query(view, e, count);
        }
    }

    private void outcome(byte[] b, int off, int len, int hash, long count) {
        SuspectPart detection = suspects;
        // only the outcomes detection counts get a memo entry
        if (detection != null && view.set(b, off, len) && SuspectPart.counts(view)) {
            detection.outcome(view, memo.of(b, off, len, hash), count);
        }
    }

    /** A flush drained everything it will drain. */
    void flushed(long nowMillis) {
        view.clear();
        memo.flushed(nowMillis);
    }
}
