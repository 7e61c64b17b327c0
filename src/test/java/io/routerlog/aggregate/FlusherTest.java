package io.routerlog.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.event.DhcpLease;
import io.routerlog.event.DhcpRelease;
import io.routerlog.event.DnsQuery;
import io.routerlog.event.FirewallPacket;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.store.PairKey;
import io.routerlog.store.Store;
import io.routerlog.store.StoreSettings;
import io.routerlog.testing.Waiting;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Local aggregation and flushing into a real single-member store. */
class FlusherTest {
    private static Store store;

    @BeforeAll
    static void startStore() {
        store = Store.start(StoreSettings.singleNode(271_000, 1000, Duration.ofHours(1)));
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    /** A query flyweight over "client domain qtype". */
    static DnsQuery query(String client, String domain, String qtype) {
        byte[] b = (client + " " + domain + " " + qtype).getBytes(StandardCharsets.UTF_8);
        int c = client.getBytes(StandardCharsets.UTF_8).length;
        int d = domain.getBytes(StandardCharsets.UTF_8).length;
        return new DnsQuery().set(b, 0, c, c + 1, d, c + d + 2, b.length - c - d - 2);
    }

    @Test
    void countsFromSeveralReceiveThreadsAreExactAcrossManyFlushes() throws Exception {
        PipelineCounters counters = new PipelineCounters();
        Flusher flusher = new Flusher(store, counters, Duration.ofMillis(20), 4096, System::currentTimeMillis);
        flusher.start();
        int threads = 4;
        int perThread = 50_000;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            LocalAggregator aggregator = flusher.newAggregator();
            int id = t;
            senders.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    aggregator.query(query("10.9." + id + "." + (i % 50), "site" + (i % 37) + ".flush.test", "A"));
                    if (i % 10 == 0) {
                        aggregator.reply(ReplyOutcome.CACHED, new DnsQuery());
                    }
                }
            }));
        }
        long cachedBefore = store.replies().get("cached");
        senders.forEach(Thread::start);
        for (Thread s : senders) {
            s.join();
        }
        flusher.close();
        Map<PairKey, Long> expected = new HashMap<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                expected.merge(
                        new PairKey("", "10.9." + t + "." + (i % 50), "site" + (i % 37) + ".flush.test", "A"),
                        1L,
                        Long::sum);
            }
        }
        for (Map.Entry<PairKey, Long> e : expected.entrySet()) {
            assertThat(store.pairs().get(e.getKey())).as(e.getKey().toString()).isEqualTo(e.getValue());
        }
        assertThat(store.replies().get("cached") - cachedBefore).isEqualTo(threads * perThread / 10);
        assertThat(flusher.stats().flushes()).isGreaterThan(1);
        assertThat(flusher.stats().failures()).isZero();
        assertThat(counters.dropCount(DropReason.AGGREGATION_FULL)).isZero();
        // the totals add up every flush: at least the last one, and some CPU for grouping 200,000 queries
        FlushStats stats = flusher.stats();
        assertThat(stats.totalDurationSeconds()).isGreaterThanOrEqualTo(stats.lastDurationSeconds());
        assertThat(stats.totalDurationSeconds()).isGreaterThan(0);
        assertThat(stats.totalCpuSeconds()).isGreaterThan(0).isLessThanOrEqualTo(stats.totalDurationSeconds() + 0.1);
    }

    @Test
    void queriesPerMinuteAreFiledUnderTheMinuteOfTheirFlush() {
        // a clock of its own, far from the other tests' minutes
        long minute = 1_000;
        java.util.concurrent.atomic.AtomicLong now =
                new java.util.concurrent.atomic.AtomicLong(minute * 60_000 + 5_000);
        Flusher flusher = new Flusher(store, new PipelineCounters(), Duration.ofHours(1), 4096, now::get);
        LocalAggregator a = flusher.newAggregator();
        for (int i = 0; i < 3; i++) {
            a.query(query("10.7.0.1", "minute" + i + ".test", "A"));
        }
        a.query(query("10.7.0.2", "minute0.test", "AAAA"));
        flusher.flushNow();
        now.set((minute + 2) * 60_000 + 59_000);
        a.query(query("10.7.0.1", "minute0.test", "A"));
        a.query(query("10.7.0.1", "minute0.test", "A"));
        flusher.close();
        assertThat(store.activity().series("", "10.7.0.1", minute - 1, 5)).containsExactly(0, 3, 0, 2, 0);
        assertThat(store.activity().series(null, "10.7.0.2", minute - 1, 5)).containsExactly(0, 1, 0, 0, 0);
        // the router's total: every client of it
        assertThat(store.activity().series("", null, minute, 3)).containsExactly(4, 0, 2);
        assertThat(store.activity().series("elsewhere", null, minute, 3)).containsExactly(0, 0, 0);
    }

    @Test
    void dhcpChangesAreAppliedInTheOrderTheyWereSeen() {
        Flusher flusher =
                new Flusher(store, new PipelineCounters(), Duration.ofHours(1), 4096, System::currentTimeMillis);
        LocalAggregator a = flusher.newAggregator();
        LocalAggregator b = flusher.newAggregator();
        a.lease(new DhcpLease("r1", "192.168.7.2", "aa:00:00:00:00:02", "phone", 1000, 0));
        b.release(new DhcpRelease("r1", "192.168.7.2", "aa:00:00:00:00:02", 2000));
        a.lease(new DhcpLease("r1", "192.168.7.3", "aa:00:00:00:00:03", "old-name", 1000, 0));
        b.lease(new DhcpLease("r1", "192.168.7.3", "aa:00:00:00:00:03", "new-name", 3000, 0));
        a.lease(new DhcpLease("r1", "192.168.7.4", "aa:00:00:00:00:04", "", 1000, 0));
        flusher.close();
        assertThat(store.identities().get("r1", "192.168.7.2")).isNull();
        assertThat(Objects.requireNonNull(store.identities().get("r1", "192.168.7.3"))
                        .hostname())
                .isEqualTo("new-name");
        assertThat(Objects.requireNonNull(store.identities().get("r1", "192.168.7.4"))
                        .mac())
                .isEqualTo("aa:00:00:00:00:04");
    }

    @Test
    void aNearlyFullBatchIsFlushedEarlySoThatNothingIsDropped() throws Exception {
        PipelineCounters counters = new PipelineCounters();
        // no periodic flush within the test: only the early one can empty the batch
        Flusher flusher = new Flusher(store, counters, Duration.ofHours(1), 10, System::currentTimeMillis);
        flusher.start();
        LocalAggregator a = flusher.newAggregator();
        for (int i = 0; i < 9; i++) {
            a.query(query("10.8.0.1", "full" + i + ".test", "A")); // the ninth asks for a flush
        }
        Waiting.upTo(
                Duration.ofSeconds(10),
                Duration.ofMillis(10),
                () -> store.pairs().get(new PairKey("", "10.8.0.1", "full8.test", "A")) != 0);
        for (int i = 9; i < 17; i++) {
            a.query(query("10.8.0.1", "full" + i + ".test", "A"));
        }
        a.query(query("10.8.0.1", "full0.test", "A")); // the next batch's ninth
        flusher.close();
        for (int i = 0; i < 17; i++) {
            assertThat(store.pairs().get(new PairKey("", "10.8.0.1", "full" + i + ".test", "A")))
                    .as("full%d", i)
                    .isEqualTo(i == 0 ? 2 : 1);
        }
        assertThat(counters.dropCount(DropReason.AGGREGATION_FULL)).isZero();
    }

    @Test
    void aReceiveThreadsBatchFollowsTheStoreUpToABound() {
        assertThat(Flusher.batchCapacity(10)).as("a floor for tiny stores").isEqualTo(4096);
        assertThat(Flusher.batchCapacity(10_000)).isEqualTo(10_000);
        assertThat(Flusher.batchCapacity(100_000))
                .as("the default store's working set")
                .isEqualTo(100_000);
        assertThat(Flusher.batchCapacity(400_000)).as("not --max-pairs").isEqualTo(Flusher.MAX_BATCH_PAIRS);
        assertThat(Flusher.MAX_BATCH_PAIRS).isLessThan(400_000);
    }

    @Test
    void aFullBatchDropsOnlyNewPairsCountsThemAndAsksForOneFlush() {
        PipelineCounters counters = new PipelineCounters();
        int[] asked = new int[1];
        // nothing takes the batch here: the flusher that was asked is late
        LocalAggregator a = new LocalAggregator(10, 0, counters, () -> asked[0]++);
        for (int i = 0; i < 8; i++) {
            a.query(query("10.8.0.2", "late" + i + ".test", "A"));
        }
        assertThat(asked[0]).as("eight of ten").isZero();
        assertThat(a.nearlyFull()).isFalse();
        a.query(query("10.8.0.2", "late8.test", "A"));
        assertThat(asked[0]).as("nine of ten").isEqualTo(1);
        assertThat(a.nearlyFull()).isTrue();
        a.query(query("10.8.0.2", "late9.test", "A"));
        a.query(query("10.8.0.2", "late0.test", "A")); // a known pair still counts
        a.query(query("10.8.0.2", "overflow.test", "A")); // a new one does not fit
        assertThat(counters.dropCount(DropReason.AGGREGATION_FULL)).isEqualTo(1);
        assertThat(asked[0]).as("asked once until the batch is taken").isEqualTo(1);

        Batch taken = a.take();
        assertThat(taken.pairs.size()).isEqualTo(10);
        a.query(query("10.8.0.2", "overflow.test", "A"));
        assertThat(a.take().pairs.size()).as("room again after the take").isEqualTo(1);
        assertThat(counters.dropCount(DropReason.AGGREGATION_FULL)).isEqualTo(1);
    }

    @Test
    void manyNewPairsAskForAFlushWhileAWorkingSetThatRecursDoesNot() {
        int n = LocalAggregator.NEW_PAIRS_PER_BATCH;
        int[] asked = new int[1];
        LocalAggregator a = new LocalAggregator(100_000, 0, new PipelineCounters(), () -> asked[0]++);
        for (int i = 0; i < n - 1; i++) {
            a.query(query("10.8.1.1", "set" + i + ".test", "A"));
            a.query(query("10.8.1.1", "set" + i + ".test", "A"));
        }
        assertThat(asked[0]).as("one new pair short").isZero();
        assertThat(a.nearlyFull()).isFalse();
        a.query(query("10.8.1.1", "new.test", "A"));
        assertThat(asked[0]).as("the new pairs of a flood").isEqualTo(1);
        assertThat(a.nearlyFull()).as("a stream source waits").isTrue();

        // the flusher's round: drain and hand back, twice, so that the drained batch is the active one again
        for (int round = 0; round < 2; round++) {
            Batch b = a.take();
            b.pairs.drainTo((bytes, off, len, hash, count) -> {});
            b.pairs.recycle();
            a.giveBack(b);
        }
        assertThat(a.nearlyFull()).isFalse();
        for (int i = 0; i < n - 1; i++) {
            a.query(query("10.8.1.1", "set" + i + ".test", "A"));
        }
        a.query(query("10.8.1.1", "new2.test", "A"));
        assertThat(asked[0])
                .as("the same pairs again and one new: no early flush")
                .isEqualTo(1);
        assertThat(a.nearlyFull()).isFalse();

        // reply outcomes have their table, and a stream waits for it too
        for (int i = 0; i < n; i++) {
            a.reply(ReplyOutcome.ANSWERED, query("10.8.1.2", "reply" + i + ".test", ""));
        }
        assertThat(asked[0]).isEqualTo(2);
        assertThat(a.nearlyFull()).isTrue();
        assertThat(a.take().replies.size())
                .as("every outcome counted in detail")
                .isEqualTo(n);
    }

    @Test
    void countsTheStoreDidNotTakeAreKeptAndTheFailureCounted() {
        Store stopped = Store.start(StoreSettings.singleNode(2710, 1000, Duration.ofHours(1)));
        stopped.close();
        Flusher flusher =
                new Flusher(stopped, new PipelineCounters(), Duration.ofHours(1), 4096, System::currentTimeMillis);
        LocalAggregator a = flusher.newAggregator();
        a.query(query("10.7.0.1", "kept.test", "A"));
        a.query(query("10.7.0.2", "kept.test", "A"));
        flusher.flushNow();
        assertThat(flusher.stats().failures()).isEqualTo(1);
        assertThat(flusher.stats().pendingPairs()).isEqualTo(2);
        assertThat(flusher.stats().lastSuccessEpochMillis()).isZero();
        flusher.close();
        assertThat(flusher.stats().pendingPairs())
                .as("still kept after the last try")
                .isEqualTo(2);
    }

    @Test
    void everyKindOfPendingUpdateIsBoundedWhileTheStoreIsAway() {
        Store stopped = Store.start(StoreSettings.singleNode(2710, 1000, Duration.ofHours(1)));
        stopped.close();
        PipelineCounters counters = new PipelineCounters();
        Flusher flusher = new Flusher(stopped, counters, Duration.ofHours(1), 4096, System::currentTimeMillis);
        LocalAggregator a = flusher.newAggregator();
        int rounds = 5;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 4096; i++) {
                String host = "10." + r + "." + (i >> 8) + "." + (i & 0xff);
                a.firewallPacket(new FirewallPacket("drop:", host, "192.0.2.1", "TCP", "22"));
            }
            for (int i = 0; i < LocalAggregator.MAX_DHCP_EVENTS; i++) {
                a.lease(new DhcpLease(
                        "r1", "fd00::" + r + ":" + Integer.toHexString(i), "aa:bb:cc:dd:ee:ff", "", 1, 0));
            }
            flusher.flushNow();
        }
        flusher.close();
        // bound: four times what one flush brings (4 x 4096 series, 4 x 65536 DHCP changes); beyond it, given up
        assertThat(flusher.stats().givenUp())
                .containsEntry(Store.FIREWALL, (long) rounds * 4096)
                .containsEntry(Store.IDENTITIES, (long) rounds * LocalAggregator.MAX_DHCP_EVENTS);
        assertThat(counters.dropCount(DropReason.STORE_UNAVAILABLE))
                .isEqualTo((long) rounds * (4096 + LocalAggregator.MAX_DHCP_EVENTS));
        assertThat(counters.dropCount(DropReason.AGGREGATION_FULL)).isZero();
    }
}
