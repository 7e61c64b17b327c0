package io.routerlog.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.detect.DetectSettings;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.store.ClientSeen;
import io.routerlog.store.PairBytes;
import io.routerlog.store.PairKey;
import io.routerlog.store.Store;
import io.routerlog.store.StoreSettings;
import io.routerlog.store.Suspect;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The parts the drained pairs feed (sightings, activity, tunnel detection) on the same working set flush after
 * flush, driven as the flusher drives them, against a real single-member store: after the first flushes they make
 * (almost) nothing per pair, and their counts stay exact across writes, minutes, buckets and clients that go quiet.
 */
class FlushPartsAllocationTest {
    private static final long TIMEOUT_MILLIS = 30_000;
    private static final int CLIENTS = 25;
    private static final int NAMES = 40;
    private static final int TUNNEL_NAMES = 10;
    /** A minute and a bucket of the default one-hour window (ten minutes) start here. */
    private static final long START = 1_800_000_000_000L - 1_800_000_000_000L % 600_000;

    private static Store store;

    @BeforeAll
    static void startStore() {
        store = Store.start(StoreSettings.singleNode(100_000, 1000, Duration.ofHours(2)));
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    /** The parts as the flusher wires them, and the working set each flush drains. */
    private static final class Parts {
        final AtomicLong clock = new AtomicLong(START);
        final PairMemo memo = new PairMemo(100_000);
        final ClientSeenPart seen = new ClientSeenPart(store.seen(), 400_000);
        final ActivityPart activity = new ActivityPart(store.activity().counters(), 400_000);
        final SuspectPart suspects =
                new SuspectPart(store.suspects(), DetectSettings.defaults(), 7_200_000, 400_000, clock::get);
        final PairFollowers followers = new PairFollowers(memo, seen, activity);
        /** Keys as the receive threads build them. */
        final List<byte[]> queries = new ArrayList<>();

        final List<byte[]> outcomes = new ArrayList<>();

        /** Each client of {@code router} asks {@link #NAMES} ordinary names and {@link #TUNNEL_NAMES} TXT ones. */
        Parts(String router, String tunnel, int clients) {
            followers.detectWith(suspects);
            for (int c = 1; c <= clients; c++) {
                String client = ("10.7." + router.length() + "." + c).intern();
                for (int n = 0; n < NAMES; n++) {
                    String name = ("www" + n + ".site" + n % 8 + ".com").intern();
                    queries.add(PairBytes.of(new PairKey(router, client, name, "A")));
                }
                for (int n = 0; n < TUNNEL_NAMES; n++) {
                    String name = ("c" + c + "x" + n + "q7zk." + tunnel).intern();
                    queries.add(PairBytes.of(new PairKey(router, client, name, "TXT")));
                    outcomes.add(PairBytes.of(new PairKey(router, client, name, ReplyOutcome.NXDOMAIN.label())));
                }
                outcomes.add(
                        PairBytes.of(new PairKey(router, client, "www0.site0.com", ReplyOutcome.ANSWERED.label())));
            }
        }

        /** One flush at {@code nowMillis} that drains every pair of the working set once. */
        void flush(long nowMillis) {
            clock.set(nowMillis);
            for (int i = 0, n = queries.size(); i < n; i++) {
                byte[] b = queries.get(i);
                followers.queries.pair(b, 0, b.length, PairBytes.hash(b, 0, b.length), 1);
            }
            for (int i = 0, n = outcomes.size(); i < n; i++) {
                byte[] b = outcomes.get(i);
                followers.outcomes.pair(b, 0, b.length, PairBytes.hash(b, 0, b.length), 1);
            }
            seen.write(nowMillis, TIMEOUT_MILLIS);
            activity.write(nowMillis, TIMEOUT_MILLIS);
            suspects.write(nowMillis, TIMEOUT_MILLIS);
            followers.flushed(nowMillis);
        }

        /** The flush someone waits for: everything pending is written. */
        void flushAll(long nowMillis) {
            seen.writeAllNext();
            activity.writeAllNext();
            suspects.writeAllNext();
            flush(nowMillis);
        }
    }

    @Test
    void flushesOfAKnownWorkingSetAllocateAlmostNothingInTheseParts() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Parts parts = new Parts("alloc", "alloc-tunnel.net", CLIENTS);
        // warm-up and two writes: every pair known, every slot made, the code compiled
        for (int s = 0; s < 21; s++) {
            parts.flush(START + s * 1000L);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int s = 21; s < 30; s++) {
            parts.flush(START + s * 1000L);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        int drained = 9 * (parts.queries.size() + parts.outcomes.size());
        // the old parts made about 185 bytes per pair and flush (keys, substrings, boxes): 5 MB here
        assertThat(allocated)
                .as("bytes the parts allocated for %d drained pairs in 9 flushes between writes", drained)
                .isLessThan(40_000);

        parts.flushAll(START + 30_000);
        String client = "10.7.5.1";
        assertThat(store.seen().get("alloc", client)).isEqualTo(new ClientSeen(START, START + 30_000));
        long minute = START / 60_000;
        assertThat(store.activity().series("alloc", client, minute, 1)).containsExactly(31L * (NAMES + TUNNEL_NAMES));
        assertThat(store.activity().series("alloc", null, minute, 1))
                .containsExactly(31L * CLIENTS * (NAMES + TUNNEL_NAMES));
        Suspect tunnel = suspect("alloc-tunnel.net");
        assertThat(tunnel.queries()).isEqualTo(31L * CLIENTS * TUNNEL_NAMES);
        assertThat(tunnel.unusual()).isEqualTo(31L * CLIENTS * TUNNEL_NAMES);
        assertThat(tunnel.nxdomain()).isEqualTo(31L * CLIENTS * TUNNEL_NAMES);
    }

    @Test
    void countsStayExactAcrossMinutesBucketsAndQuietSpells() {
        Parts parts = new Parts("span", "span-tunnel.net", 4);
        Parts later = new Parts("span", "span-tunnel.net", 6);
        long t = START + 595_000;
        int flushes = 0;
        // across a bucket (and minute) boundary at START + 600 s, with writes every 10 s
        for (int s = 0; s < 25; s++, t += 1000) {
            parts.flush(t);
            flushes++;
        }
        // nobody asks anything for 40 s: the parts forget the quiet clients and slots
        for (int s = 0; s < 40; s++, t += 1000) {
            parts.seen.write(t, TIMEOUT_MILLIS);
            parts.activity.write(t, TIMEOUT_MILLIS);
            parts.suspects.write(t, TIMEOUT_MILLIS);
            parts.followers.flushed(t);
        }
        assertThat(parts.seen.clients()).isZero();
        assertThat(parts.activity.counters()).isZero();
        assertThat(parts.suspects.slots()).isZero();
        // they come back in the next minute, with two more clients, also through other objects of the same pairs
        for (int s = 0; s < 5; s++, t += 1000) {
            parts.flush(t);
            later.flush(t);
        }
        later.flushAll(t);
        parts.flushAll(t);

        long first = START + 595_000;
        assertThat(store.seen().get("span", "10.7.4.1")).isEqualTo(new ClientSeen(first, t));
        assertThat(store.seen().get("span", "10.7.4.6")).isEqualTo(new ClientSeen(t - 5000, t));
        long perFlush = NAMES + TUNNEL_NAMES;
        long[] minutes = store.activity().series("span", "10.7.4.1", first / 60_000, 3);
        assertThat(minutes).containsExactly(5 * perFlush, 20 * perFlush, 12 * perFlush);
        long[] all = store.activity().series("span", null, first / 60_000, 3);
        assertThat(all).containsExactly(5 * 4 * perFlush, 20 * 4 * perFlush, (6 * 4 + 6 * 6) * perFlush);
        Suspect tunnel = suspect("span-tunnel.net");
        long txt = (flushes + 6L) * 4 * TUNNEL_NAMES + 6L * 6 * TUNNEL_NAMES;
        assertThat(tunnel.queries()).isEqualTo(txt);
        assertThat(tunnel.nxdomain()).isEqualTo(txt);
        assertThat(tunnel.clients()).hasSize(6);
    }

    private static Suspect suspect(String domain) {
        return store.suspects().search(0, 0).stream()
                .filter(s -> s.domain().equals(domain))
                .findFirst()
                .orElseThrow();
    }
}
