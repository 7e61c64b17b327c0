package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.detect.NameShape;
import io.routerlog.detect.RegistrableDomains;
import io.routerlog.testing.StoreCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The tunnel-detection map on three real Hazelcast members: a tunnel whose queries reached every member (different
 * clients, different buckets) is scored on everything stored of it, every member answers the same, the members'
 * owned answers add up to the cluster's, and old buckets drop out of the window.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuspectMapClusterTest {
    private static final long TIMEOUT = 30_000;
    private static final long BUCKET = 600_000;
    private List<Store> members = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        members = StoreCluster.start(StoreCluster.settings(
                3,
                "suspects",
                cluster -> new StoreSettings(27_100, 1000, 1000, Duration.ofHours(2), 1, cluster, 10_000, 0)));
    }

    @AfterAll
    void stop() {
        members.forEach(Store::close);
    }

    /** Stats of {@code n} queries for distinct random names of {@code labelLength} under {@code domain}. */
    private static SuspectStats stats(Random r, String domain, int n, int labelLength, String qtype, long at) {
        RegistrableDomains registrable = new RegistrableDomains();
        NameShape shape = new NameShape();
        SuspectStats s = new SuspectStats();
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < labelLength; c++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String name = b + ".t." + domain;
            s.query(1, name.length(), qtype.equals("TXT"), at);
            if (shape.measure(name, registrable.start(name) - 1)) {
                s.names().add(shape.hash(), shape.pack());
            }
        }
        return s;
    }

    @Test
    void aTunnelSpreadOverMembersClientsAndBucketsIsScoredWhole() {
        Random r = new Random(5);
        long now = System.currentTimeMillis();
        long bucket = now - now % BUCKET;
        // each member alone saw too few distinct names for a suspect; together they are one
        for (int m = 0; m < 3; m++) {
            Map<SuspectKey, SuspectStats> batch = new HashMap<>();
            batch.put(
                    new SuspectKey("r" + m, "10.0.0." + m, "tunnel.test", bucket - m * BUCKET),
                    stats(r, "tunnel.test", 12, 50, "TXT", now - m * BUCKET));
            // ordinary domains, many of them, few names each
            for (int d = 0; d < 300; d++) {
                batch.put(
                        new SuspectKey("r" + m, "10.0.0." + m, "site" + d + ".example", bucket),
                        stats(r, "site" + d + ".example", 3, 6, "A", now));
            }
            // an old bucket, outside the window
            batch.put(
                    new SuspectKey("r" + m, "10.0.9." + m, "old-tunnel.test", bucket - 7 * BUCKET),
                    stats(r, "old-tunnel.test", 200, 50, "TXT", now - 7 * BUCKET));
            members.get(m).suspects().add(batch, 3_600_000, TIMEOUT);
            assertThat(batch).isEmpty();
        }
        long from = bucket - 5 * BUCKET;
        List<Suspect> first = members.get(0).suspects().search(from, 7);
        assertThat(first).extracting(Suspect::domain).containsExactly("tunnel.test");
        Suspect t = first.get(0);
        assertThat(t.clients()).containsExactly("10.0.0.0", "10.0.0.1", "10.0.0.2");
        assertThat(t.routers()).containsExactly("r0", "r1", "r2");
        assertThat(t.queries()).isEqualTo(36);
        assertThat(t.unusual()).isEqualTo(36);
        assertThat(t.names()).isEqualTo(36);
        assertThat(t.reasons()).contains("TXT/NULL queries", "long labels", "high label entropy");
        for (Store m : members) {
            assertThat(m.suspects().search(from, 7)).isEqualTo(first);
        }
        List<Suspect> owned = new ArrayList<>();
        members.forEach(m -> owned.addAll(m.suspects().searchOwned(from, 7)));
        assertThat(owned).isEqualTo(first);
        // the old tunnel counts when the window reaches back to it
        assertThat(members.get(1).suspects().search(bucket - 7 * BUCKET, 7))
                .extracting(Suspect::domain)
                .containsExactlyInAnyOrder("tunnel.test", "old-tunnel.test");
    }
}
