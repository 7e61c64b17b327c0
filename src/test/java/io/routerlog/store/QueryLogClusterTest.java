package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.testing.StoreCluster;
import io.routerlog.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The query log on a cluster of three real Hazelcast members on loopback: what a search returns is compared with
 * what a model of everything written says it must (the newest {@value #SIZE} entries of each writer, none older
 * than the retention, newest first).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryLogClusterTest {
    private static final int SIZE = 3000;
    private static final long TIMEOUT = 30_000;
    private static final Duration RETENTION = Duration.ofHours(1);

    private final List<Store> members = new ArrayList<>();
    private final List<StoreSettings> settings = new ArrayList<>();
    /** Everything written, per writer, in the order written (its index in the list is the entry's index). */
    private final Map<String, List<LoggedQuery>> written = new HashMap<>();

    private long clock = System.currentTimeMillis() - 600_000;

    @BeforeAll
    void startCluster() throws Exception {
        settings.addAll(StoreCluster.settings(
                3, "querylog", cluster -> new StoreSettings(2710, 1000, 1000, RETENTION, 1, cluster, 10_000, SIZE)));
        members.addAll(StoreCluster.start(settings));
    }

    @AfterAll
    void stopCluster() {
        members.forEach(Store::close);
    }

    /** Writes {@code n} entries from member {@code m}, several to a millisecond, in batches of {@code batch}. */
    private List<LoggedQuery> write(int m, int n, int batch, String tag) {
        QueryLog log = members.get(m).queryLog();
        List<LoggedQuery> all = new ArrayList<>();
        for (int start = 0; start < n; start += batch) {
            List<LoggedQuery> part = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + batch); i++) {
                if (i % 3 == 0) {
                    clock++;
                }
                part.add(new LoggedQuery(
                        clock,
                        "router" + m,
                        "10.0." + m + "." + (i % 7),
                        tag + i % 11 + ".example" + (i % 2 == 0 ? ".org" : ".net"),
                        i % 5 == 0 ? "AAAA" : "A"));
            }
            log.append(part, TIMEOUT);
            all.addAll(part);
        }
        written.computeIfAbsent(log.writer(), w -> new ArrayList<>()).addAll(all);
        return all;
    }

    private record Placed(LoggedQuery q, String writer, long index) {}

    private static final Comparator<Placed> NEWEST_FIRST = Comparator.<Placed>comparingLong(p -> p.q.timeMillis())
            .thenComparing(p -> p.writer)
            .thenComparingLong(p -> p.index)
            .reversed();

    /** What a search must return, in order: visible entries that match, newest first. */
    private List<LoggedQuery> expected(Predicate<LoggedQuery> match) {
        long cutoff = System.currentTimeMillis() - RETENTION.toMillis();
        List<Placed> visible = new ArrayList<>();
        written.forEach((w, list) -> {
            for (int i = Math.max(0, list.size() - SIZE); i < list.size(); i++) {
                LoggedQuery q = list.get(i);
                if (q.timeMillis() >= cutoff && match.test(q)) {
                    visible.add(new Placed(q, w, i));
                }
            }
        });
        visible.sort(NEWEST_FIRST);
        return visible.stream().map(Placed::q).toList();
    }

    /** Every page of a search from {@code m}, following {@code next}. */
    private List<LoggedQuery> walk(int m, QueryLogFilter f, int limit) {
        List<LoggedQuery> all = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            QueryLogPage page = members.get(m).queryLog().search(f, before, null, limit);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
            if (page.next() != null) {
                assertThat(page.items()).hasSize(limit);
            }
            all.addAll(page.items());
            before = page.next();
            assertThat(++pages).isLessThan(10_000);
        } while (before != null);
        return all;
    }

    @Test
    @Order(1)
    void searchFromAThirdMemberReturnsTheNewestOfWhatTwoOthersWrote() {
        write(0, 2500, 700, "alpha");
        write(1, 2000, 300, "beta");
        QueryLog third = members.get(2).queryLog();
        assertThat(third.search(QueryLogFilter.ALL, null, null, 100).items())
                .containsExactlyElementsOf(expected(q -> true).subList(0, 100));
        assertThat(third.search(new QueryLogFilter("10.0.1.3", null, null, null), null, null, 50)
                        .items())
                .containsExactlyElementsOf(
                        expected(q -> q.client().equals("10.0.1.3")).subList(0, 50));
        assertThat(third.search(new QueryLogFilter(null, null, "aaaa", "ALPHA3.example.ORG"), null, null, 1000)
                        .items())
                .isNotEmpty()
                .containsExactlyElementsOf(
                        expected(q -> q.qtype().equals("AAAA") && q.domain().contains("alpha3.example.org")));
        assertThat(third.search(new QueryLogFilter(null, "router1", null, null), null, null, 10_000)
                        .items())
                .hasSize(2000)
                .containsExactlyElementsOf(expected(q -> q.router().equals("router1")));
        assertThat(third.size()).isEqualTo(4500);
        assertThat(third.capacity()).isEqualTo(SIZE);
    }

    @Test
    @Order(2)
    void pagingWithBeforeWalksEveryMatchOnce() {
        QueryLogFilter f = new QueryLogFilter(null, null, null, ".net");
        List<LoggedQuery> all = walk(2, f, 37);
        assertThat(all)
                .hasSizeGreaterThan(1000)
                .containsExactlyElementsOf(expected(q -> q.domain().contains(".net")));
        assertThat(walk(0, QueryLogFilter.ALL, 1000)).containsExactlyElementsOf(expected(q -> true));
    }

    @Test
    @Order(3)
    void afterReturnsOnlyNewerEntries() {
        QueryLog log = members.get(2).queryLog();
        QueryLogPage now = log.search(QueryLogFilter.ALL, null, null, 5);
        String newest = Objects.requireNonNull(now.newest());
        QueryLogPage none = log.search(QueryLogFilter.ALL, null, newest, 5);
        assertThat(none.items()).isEmpty();
        assertThat(none.newest()).isEqualTo(newest);

        List<LoggedQuery> added = new ArrayList<>(write(0, 30, 30, "gamma"));
        added.addAll(write(1, 20, 20, "delta"));
        List<LoggedQuery> newer = expected(added::contains);
        QueryLogPage tail = log.search(QueryLogFilter.ALL, null, newest, 1000);
        assertThat(tail.items()).hasSize(50).containsExactlyElementsOf(newer);
        assertThat(tail.next()).isNull();
        QueryLogPage firstTen = log.search(QueryLogFilter.ALL, null, newest, 10);
        assertThat(firstTen.items()).containsExactlyElementsOf(newer.subList(0, 10));
        assertThat(log.search(QueryLogFilter.ALL, null, tail.newest(), 10).items())
                .isEmpty();
    }

    @Test
    @Order(4)
    void eachWriterShowsExactlyItsNewestSizeEntries() {
        write(0, SIZE + 1700, 999, "epsilon");
        String writer = members.get(0).queryLog().writer();
        List<LoggedQuery> mine = walk(1, new QueryLogFilter(null, "router0", null, null), 10_000);
        List<LoggedQuery> ownWrites = Objects.requireNonNull(written.get(writer));
        List<LoggedQuery> newest = new ArrayList<>(ownWrites.subList(ownWrites.size() - SIZE, ownWrites.size()));
        java.util.Collections.reverse(newest);
        assertThat(mine).hasSize(SIZE).containsExactlyElementsOf(newest);
        long chunks = members.get(1).queryLogKeys().stream()
                .filter(k -> k.writer().equals(writer))
                .count();
        assertThat(chunks).isLessThanOrEqualTo(members.get(0).queryLog().chunksKept());
        assertThat(walk(2, QueryLogFilter.ALL, 2000)).containsExactlyElementsOf(expected(q -> true));
    }

    @Test
    @Order(5)
    void entriesOlderThanTheRetentionAreHiddenThenRemoved() {
        long saved = clock;
        clock = System.currentTimeMillis() - RETENTION.toMillis() - 60_000;
        write(2, 1500, 500, "old");
        clock = saved;
        String writer = members.get(2).queryLog().writer();
        assertThat(members.get(0)
                        .queryLog()
                        .search(new QueryLogFilter(null, "router2", null, null), null, null, 100)
                        .items())
                .isEmpty();
        assertThat(members.get(0).queryLogKeys()).anyMatch(k -> k.writer().equals(writer));
        members.get(0).queryLog().removeExpired();
        assertThat(members.get(1).queryLogKeys()).noneMatch(k -> k.writer().equals(writer));
        assertThat(walk(1, QueryLogFilter.ALL, 5000)).containsExactlyElementsOf(expected(q -> true));
    }

    @Test
    @Order(6)
    void aMemberRestartedWithTheSameAddressContinuesItsLog() {
        String writer = members.get(0).queryLog().writer();
        write(0, 700, 700, "eta"); // the open chunk is partly full
        members.get(0).close();
        Store restarted = Store.start(settings.get(0));
        members.set(0, restarted);
        Waiting.upTo(
                Duration.ofSeconds(60),
                Duration.ofMillis(100),
                () -> members.stream().allMatch(m -> m.clusterSize() == 3));
        assertThat(restarted.queryLog().writer()).isEqualTo(writer);
        write(0, 2000, 600, "theta");
        assertThat(walk(2, new QueryLogFilter(null, "router0", null, null), 5000))
                .hasSize(SIZE)
                .containsExactlyElementsOf(expected(q -> q.router().equals("router0")));
        assertThat(walk(1, QueryLogFilter.ALL, 5000)).containsExactlyElementsOf(expected(q -> true));
    }

    @Test
    @Order(7)
    void theLogIsCompleteAfterAMemberIsLost() {
        List<LoggedQuery> before = expected(q -> true);
        members.get(1).terminate();
        members.remove(1);
        Waiting.upTo(
                Duration.ofSeconds(60),
                Duration.ofMillis(200),
                () -> members.stream().allMatch(m -> m.clusterSize() == 2));
        List<LoggedQuery> after = new ArrayList<>();
        Waiting.upTo(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
            try {
                after.clear();
                after.addAll(walk(0, QueryLogFilter.ALL, 5000));
                return after.equals(before);
            } catch (RuntimeException migrating) {
                return false;
            }
        });
        assertThat(after).hasSize(before.size()).containsExactlyElementsOf(before);
        // the survivors keep writing
        write(0, 10, 10, "zeta");
        assertThat(walk(1, QueryLogFilter.ALL, 5000)).containsExactlyElementsOf(expected(q -> true));
    }
}
