package io.routerlog.store;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.util.AddressUtil;
import io.routerlog.config.BindFailures;
import io.routerlog.config.HostPort;
import io.routerlog.config.SettingException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The embedded Hazelcast member and routerlog's maps in it:
 * <ul>
 *   <li>{@value #PAIRS}: (router, client, domain, qtype) query counts, packed into {@value PairMap#SHARDS}
 *       {@link PairShard}s, bounded by {@code maxPairs} (shared out over the shards) with least recently updated
 *       pairs removed first, and removed after {@code retention} without an update;</li>
 *   <li>{@value #REPLIES}: reply outcome counts;</li>
 *   <li>{@value #OUTCOMES}: reply outcome counts per (router, client when known, domain, outcome), for the query
 *       API (not exported to Prometheus), bounded and retained like the pairs;</li>
 *   <li>{@value #IDENTITIES}: DHCP identities by address, bounded by {@code maxLeases}, same retention;</li>
 *   <li>{@value #TUNNEL_SESSIONS}, {@value #TUNNEL_PEAKS}, {@value #TUNNEL_COUNTERS}: DNSTT sessions (bounded by
 *       {@code maxTunnelSessions}, same retention), peak active counts and counters;</li>
 *   <li>{@value #SEEN}: when each client (router, address) was first and last seen, bounded like the pairs
 *       (a client has at least one), same retention;</li>
 *   <li>{@value #FIREWALL}, {@value #HTTP}, {@value #LONG_NAMES}: firewall packets, HTTP requests and queries for
 *       over-long names per label set, each bounded by {@code maxLogSeries}, same retention;</li>
 *   <li>{@value #ACTIVITY}: queries per minute per (router, client) and per router, for the web page's charts,
 *       bounded like the pairs and kept for the retention, at most a day ({@link ActivityMap});</li>
 *   <li>{@value #QUERY_LOG}: the query log, chunks of recent queries per writing member ({@link QueryLog}).</li>
 * </ul>
 *
 * <p>Hazelcast applies a size bound per partition. {@code PER_NODE} would divide the bound by the partitions a
 * member owns and round up per partition, so the total could exceed it; here each of the {@value
 * StoreSettings#PARTITIONS} partitions may hold {@code floor(max / 271)} entries of a bounded map, which keeps the
 * whole map at or under the bound on any number of members. The pairs' shards share {@code max} out exactly.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Store.class);
    public static final String PAIRS = "routerlog.dns.pairs";
    public static final String REPLIES = "routerlog.dns.replies";
    public static final String OUTCOMES = "routerlog.dns.outcomes";
    public static final String IDENTITIES = "routerlog.dhcp.identities";
    public static final String TUNNEL_SESSIONS = "routerlog.dnstt.sessions";
    public static final String TUNNEL_SESSION_COUNTS = "routerlog.dnstt.session_counts";
    public static final String TUNNEL_PEAKS = "routerlog.dnstt.peaks";
    public static final String TUNNEL_COUNTERS = "routerlog.dnstt.counters";
    public static final String FIREWALL = "routerlog.firewall.packets";
    public static final String HTTP = "routerlog.http.requests";
    public static final String LONG_NAMES = "routerlog.dns.long_names";
    public static final String QUERY_LOG = "routerlog.dns.querylog";
    public static final String SEEN = "routerlog.dns.clients_seen";
    public static final String SUSPECTS = "routerlog.dns.suspects";
    public static final String ACTIVITY = "routerlog.dns.activity";

    private final HazelcastInstance hz;
    private final PairMap pairs;
    private final PairMap outcomes;
    private final CounterMap<String> replies;
    private final IdentityMap identities;
    private final TunnelStore tunnels;
    private final CounterMap<LabelValuesKey> firewall;
    private final CounterMap<LabelValuesKey> http;
    private final CounterMap<LabelValuesKey> longNames;
    private final QueryLog queryLog;
    private final PairQueries queries;
    private final SeenMap seen;
    private final SuspectMap suspects;
    private final ActivityMap activity;
    private final int pairCapacity;
    private final LongAdder unexpectedMembers;

    private Store(HazelcastInstance hz, StoreSettings settings, LongAdder unexpectedMembers) {
        this.hz = hz;
        this.unexpectedMembers = unexpectedMembers;
        this.pairCapacity = settings.maxPairs();
        int retentionSeconds = retentionSeconds(settings);
        this.pairs = new PairMap(hz, PAIRS, settings.maxPairs(), retentionSeconds);
        this.outcomes = new PairMap(hz, OUTCOMES, settings.maxPairs(), retentionSeconds);
        this.replies = new CounterMap<>(hz, REPLIES);
        this.identities = new IdentityMap(hz, IDENTITIES);
        this.tunnels = new TunnelStore(hz, TUNNEL_SESSIONS, TUNNEL_PEAKS, TUNNEL_COUNTERS, TUNNEL_SESSION_COUNTS);
        this.firewall = new CounterMap<>(hz, FIREWALL);
        this.http = new CounterMap<>(hz, HTTP);
        this.longNames = new CounterMap<>(hz, LONG_NAMES);
        this.queries = new PairQueries(hz.getMap(PAIRS), hz.getMap(OUTCOMES));
        this.seen = new SeenMap(hz, SEEN);
        this.suspects = new SuspectMap(hz, SUSPECTS);
        this.activity = new ActivityMap(hz, ACTIVITY);
        this.queryLog = new QueryLog(
                hz.getMap(QUERY_LOG),
                writerName(memberAddress(hz)),
                settings.queryLogSize(),
                settings.retention(),
                System::currentTimeMillis);
    }

    /** host:port, with brackets around an IPv6 host. */
    static String writerName(InetSocketAddress a) {
        String host = a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /**
     * Member attribute of a node started by {@code routerlog ingest}: it joins for a while to add what it read, so
     * the others do not take it for a stranger (see {@link Membership}).
     */
    static final String ROLE = "routerlog.role";

    static final String INGEST = "ingest";

    /** Starts the member; returns when it is ready to take writes. */
    public static Store start(StoreSettings settings) {
        return start(settings, false);
    }

    /**
     * Starts the member; returns when it is ready to take writes.
     *
     * @param ingest a node of {@code routerlog ingest}, which announces itself as such to the other members
     */
    public static Store start(StoreSettings settings, boolean ingest) {
        checkNetwork(settings.cluster());
        if (settings.cluster().clustered() && settings.cluster().secret() == null) {
            LOG.warn(
                    "The cluster has no --cluster-secret: any host that can reach the cluster port and knows the "
                            + "cluster name '{}' can join and read or change every entry. Set the same "
                            + "ROUTERLOG_CLUSTER_SECRET on every node, and firewall the cluster port from all but the other "
                            + "nodes.",
                    settings.cluster().name());
        }
        Config config = config(settings);
        if (ingest) {
            config.getMemberAttributeConfig().setAttribute(ROLE, INGEST);
        }
        Set<InetSocketAddress> expected = resolveMembers(settings.cluster());
        Membership membership = new Membership(settings.cluster().members().isEmpty() ? null : expected);
        // registered before the member starts, so that no join between its start and a later registration is missed
        config.addListenerConfig(new ListenerConfig(membership));
        AsyncCompletions.install();
        HazelcastInstance hz = inBackground(() -> Hazelcast.newHazelcastInstance(config));
        int port = hz.getCluster().getLocalMember().getAddress().getPort();
        if (port != settings.cluster().port()) {
            // instead of Hazelcast's "ports seem occupied" warning (log4j2.xml): expected, but worth knowing
            LOG.info(
                    "Cluster port {} is in use; this node took {}",
                    settings.cluster().port(),
                    port);
        }
        Store store = new Store(hz, settings, membership.unexpected);
        return store;
    }

    /**
     * Runs {@code start} on a thread of the lowest priority and waits for it, so that every thread Hazelcast starts
     * from it (and they, later, theirs) inherits that priority: where the JVM maps priorities to the system's
     * ({@code -XX:ThreadPriorityPolicy=1}, see the README), the store's work then takes a smaller share of the CPU
     * than the receive threads, which lose datagrams when they wait. A lower priority needs no permission, a higher
     * one does, so the caller's own priority must stay as it is: hence a thread of its own.
     */
    @SuppressWarnings("ThreadPriorityCheck") // a lower priority for background work is the point
    static <T> T inBackground(Supplier<T> start) {
        try {
            // join waits through an interrupt (a member half started would be left behind) and passes it on after
            return CompletableFuture.supplyAsync(start, r -> {
                        Thread t = new Thread(r, "routerlog-store-start");
                        t.setPriority(Thread.MIN_PRIORITY);
                        t.start();
                    })
                    .join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * Logs every member that joins or leaves, on every member and whatever found it (member list, multicast,
     * Kubernetes), with the cluster's size after the change; with a member list, also reports (and counts) a member
     * that is not in it, unless it is an ingest node ({@value #ROLE} = {@value #INGEST}), which joins from anywhere
     * by design. That attribute is what a member says of itself: the check points out a misconfigured node, it does
     * not keep anyone out (the join check of {@code --cluster-secret} and a firewall on the cluster port do).
     */
    static final class Membership implements MembershipListener {
        final LongAdder unexpected = new LongAdder();
        /** The listed members' addresses (port 0 where none was given), or null without a member list. */
        private final java.util.@Nullable Set<InetSocketAddress> expected;

        Membership(java.util.@Nullable Set<InetSocketAddress> expected) {
            this.expected = expected;
        }

        @Override
        public void memberAdded(MembershipEvent event) {
            Member member = event.getMember();
            if (member.localMember()) {
                return; // this node's own start: its ready line says it
            }
            boolean ingest = INGEST.equals(member.getAttribute(ROLE));
            LOG.info(
                    "Member {}{} joined (cluster of {})",
                    member.getAddress(),
                    ingest ? " (ingest)" : "",
                    event.getMembers().size());
            if (expected != null && !ingest && !listed(expected, member.getAddress())) {
                unexpected.increment();
                LOG.error(
                        "Member {} joined the cluster but is not in --cluster-members: Hazelcast's open "
                                + "source edition admits any member that knows the cluster name (and --cluster-secret); "
                                + "firewall the cluster port",
                        member.getAddress());
            }
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            Member member = event.getMember();
            LOG.info(
                    "Member {}{} left (cluster of {})",
                    member.getAddress(),
                    INGEST.equals(member.getAttribute(ROLE)) ? " (ingest)" : "",
                    event.getMembers().size());
        }

        private static boolean listed(Set<InetSocketAddress> expected, Address address) {
            InetAddress a;
            try {
                a = address.getInetAddress();
            } catch (UnknownHostException e) {
                return true; // cannot tell
            }
            return expected.contains(new InetSocketAddress(a, address.getPort()))
                    || expected.contains(new InetSocketAddress(a, 0));
        }
    }

    /**
     * Fails with a {@link SettingException} for network settings Hazelcast would only refuse with a stack trace: a
     * {@code --cluster-interface} that matches no address of this host, a {@code --cluster-port} below the
     * unprivileged ports without the capability.
     */
    static void checkNetwork(ClusterSettings cluster) {
        BindFailures.checkPortAllowed("--cluster-port", cluster.port());
        if (cluster.publicAddress() != null && cluster.clustered()) {
            String host = HostPort.parse(cluster.publicAddress()).host();
            try {
                InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                // not a SettingException: a name may resolve once DNS is up
                throw new IllegalStateException("--cluster-public-address: " + host + " does not resolve", e);
            }
        }
        String iface = cluster.iface();
        if (iface == null || !cluster.clustered()) {
            return;
        }
        try {
            AddressUtil.getAddressMatcher(iface);
        } catch (RuntimeException e) {
            throw new SettingException(
                    "--cluster-interface",
                    "'" + iface + "' is not an address or a pattern such " + "as 10.0.*.* or 10.0.1-9.*");
        }
        List<String> local = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    local.add(withoutZone(a));
                }
            }
        } catch (SocketException e) {
            return; // cannot tell: Hazelcast will say
        }
        for (String address : local) {
            try {
                if (AddressUtil.matchInterface(address, iface)) {
                    return;
                }
            } catch (RuntimeException notComparable) {
                // an IPv6 address against an IPv4 pattern
            }
        }
        boolean pattern = iface.contains("*") || iface.contains("-");
        throw new SettingException(
                "--cluster-interface",
                iface
                        + (pattern ? " matches no address of this host" : " is not an address of this host")
                        + hostAddresses());
    }

    private static String withoutZone(InetAddress a) {
        String address = a.getHostAddress();
        int zone = address.indexOf('%');
        return zone < 0 ? address : address.substring(0, zone);
    }

    /** " (it has A, B)": a few of the host's IPv4 addresses other nodes could reach; "" when it has none. */
    private static String hostAddresses() {
        List<String> shown = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && shown.size() < 4) {
                        shown.add(withoutZone(a));
                    }
                }
            }
        } catch (SocketException e) {
            return "";
        }
        return shown.isEmpty() ? "" : " (it has " + String.join(", ", shown) + ")";
    }

    /**
     * The addresses of the listed members (port 0 where the list gives none); warns about names that do not resolve
     * (Hazelcast keeps trying them).
     */
    private static Set<InetSocketAddress> resolveMembers(ClusterSettings cluster) {
        Set<InetSocketAddress> addresses = new HashSet<>();
        for (String member : cluster.members()) {
            HostPort hp = HostPort.parse(member);
            String host = hp.host();
            int port = hp.portOr(0);
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    addresses.add(new InetSocketAddress(a, port));
                }
            } catch (UnknownHostException e) {
                LOG.warn(
                        "Cluster member '{}' does not resolve (yet); starting anyway, the others are tried as they "
                                + "come",
                        host);
            }
        }
        return addresses;
    }

    static Config config(StoreSettings s) {
        ClusterSettings cluster = s.cluster();
        Config c = new Config();
        c.setInstanceName("routerlog-" + UUID.randomUUID());
        c.setProperty("hazelcast.logging.type", "log4j2");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        // routerlog flushes its batches before the member leaves; it shuts Hazelcast down itself
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.partition.count", Integer.toString(StoreSettings.PARTITIONS));
        c.setProperty("hazelcast.health.monitoring.level", "OFF");
        // a small appliance: fewer threads than Hazelcast's server defaults
        c.setProperty("hazelcast.partition.operation.thread.count", "2");
        c.setProperty("hazelcast.operation.generic.thread.count", "2");
        c.setProperty("hazelcast.io.thread.count", "1");
        c.setProperty("hazelcast.event.thread.count", "1");
        c.setProperty("hazelcast.query.thread.count", "1");
        // notice a dead member within seconds and merge the sides of a healed partition soon after
        defaultProperty(c, "hazelcast.heartbeat.interval.seconds", "2");
        defaultProperty(c, "hazelcast.max.no.heartbeat.seconds", "15");
        defaultProperty(c, "hazelcast.merge.first.run.delay.seconds", "30");
        defaultProperty(c, "hazelcast.merge.next.run.delay.seconds", "15");
        c.getJetConfig().setEnabled(false);
        // routerlog exports its own metrics; Hazelcast's would walk every map's statistics every 5 s and publish them
        // as JMX beans, which costs a node CPU (and compilation) that nothing reads
        c.getMetricsConfig().setEnabled(false);
        c.getSerializationConfig().addDataSerializableFactory(StoreSerialization.FACTORY_ID, new StoreSerialization());

        // Only the member protocol: with the advanced network configuration and no client endpoint, the port
        // refuses Hazelcast clients (and REST, memcache), which would otherwise read and clear every map without
        // credentials. The members need nothing else.
        AdvancedNetworkConfig net = c.getAdvancedNetworkConfig().setEnabled(true);
        ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
        member.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(100);
        net.setMemberEndpointConfig(member);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(cluster.multicast());
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(!cluster.members().isEmpty()).setMembers(cluster.members());
        if (cluster.k8sService() != null) {
            join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cluster.k8sService());
        }
        if (!cluster.clustered()) {
            member.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
            c.setProperty("hazelcast.socket.bind.any", "false");
            // nobody has to find a single node: a name nobody knows turns away a join attempt from this host too
            c.setClusterName("routerlog-single-" + UUID.randomUUID());
        } else if (cluster.iface() != null) {
            member.getInterfaces().setEnabled(true).addInterface(cluster.iface());
            c.setProperty("hazelcast.socket.bind.any", "false");
        }
        if (cluster.clustered()) {
            c.setClusterName(cluster.joinName());
        }
        if (!c.getClusterName().equals(cluster.name())) {
            // Hazelcast puts the cluster name into every line it logs; this one admits members, so keep it out
            c.setProperty("hazelcast.logging.details.enabled", "false");
        }
        if (cluster.publicAddress() != null) {
            member.setPublicAddress(cluster.publicAddress());
        }

        int retentionSeconds = retentionSeconds(s);
        int backups = s.backupCount();
        c.addMapConfig(merged(shards(PAIRS, backups), MergePolicies.ShardsByMember.class));
        c.addMapConfig(
                merged(boundedMap(SEEN, s.maxPairs(), retentionSeconds, backups), MergePolicies.WidestSeen.class));
        int activitySeconds = (int) Math.max(1, ActivityMap.ttl(s.retention()).toSeconds());
        c.addMapConfig(merged(
                boundedCounters(ACTIVITY, s.maxPairs(), activitySeconds, backups),
                MergePolicies.CountersByMember.class));
        c.addMapConfig(merged(shards(OUTCOMES, backups), MergePolicies.ShardsByMember.class));
        c.addMapConfig(merged(
                boundedMap(IDENTITIES, s.maxLeases(), retentionSeconds, backups), MergePolicies.LatestIdentity.class));
        c.addMapConfig(merged(new MapConfig(REPLIES).setBackupCount(backups), MergePolicies.CountersByMember.class));
        c.addMapConfig(merged(
                boundedMap(TUNNEL_SESSIONS, s.maxTunnelSessions(), retentionSeconds, backups),
                MergePolicies.LatestSession.class));
        // one counter per (counter, domain, country, AS): never more label sets than sessions
        c.addMapConfig(merged(
                boundedMap(TUNNEL_COUNTERS, 4 * s.maxTunnelSessions(), retentionSeconds, backups),
                MergePolicies.CountersByMember.class));
        // queries and bytes per session: two counters a session
        c.addMapConfig(merged(
                boundedCounters(TUNNEL_SESSION_COUNTS, 2 * s.maxTunnelSessions(), retentionSeconds, backups),
                MergePolicies.CountersByMember.class));
        c.addMapConfig(merged(new MapConfig(TUNNEL_PEAKS).setBackupCount(backups), MergePolicies.Highest.class));
        c.addMapConfig(merged(
                boundedCounters(FIREWALL, s.maxLogSeries(), retentionSeconds, backups),
                MergePolicies.CountersByMember.class));
        c.addMapConfig(merged(
                boundedCounters(HTTP, s.maxLogSeries(), retentionSeconds, backups),
                MergePolicies.CountersByMember.class));
        c.addMapConfig(merged(
                boundedCounters(LONG_NAMES, s.maxLogSeries(), retentionSeconds, backups),
                MergePolicies.CountersByMember.class));
        // entries expire with their time bucket (MergeSuspectStats sets it), at the latest after the retention
        c.addMapConfig(merged(
                boundedMap(SUSPECTS, s.maxPairs(), retentionSeconds, backups).setInMemoryFormat(InMemoryFormat.OBJECT),
                MergePolicies.WiderSuspectStats.class));
        // the writer appends to its chunks in place (AppendToChunk), and bounds and expires them itself (QueryLog)
        c.addMapConfig(merged(
                new MapConfig(QUERY_LOG).setBackupCount(backups).setInMemoryFormat(InMemoryFormat.OBJECT),
                MergePolicies.LongerChunk.class));
        return c;
    }

    /** Sets a Hazelcast property unless it was given as a JVM system property. */
    private static void defaultProperty(Config c, String name, String value) {
        if (System.getProperty(name) == null) {
            c.setProperty(name, value);
        }
    }

    private static int retentionSeconds(StoreSettings s) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, s.retention().toSeconds()));
    }

    /**
     * A map of {@link PairMap#SHARDS} {@link PairShard}s, kept as objects ({@link AddToShard} adds to the stored
     * shard); the shards keep their bound and retention themselves, so the map has neither.
     */
    private static MapConfig shards(String name, int backupCount) {
        return new MapConfig(name).setBackupCount(backupCount).setInMemoryFormat(InMemoryFormat.OBJECT);
    }

    private static MapConfig merged(MapConfig map, Class<?> policy) {
        map.setMergePolicyConfig(new MergePolicyConfig(policy.getName(), MergePolicyConfig.DEFAULT_BATCH_SIZE));
        return map;
    }

    /**
     * A bounded map of {@link MemberCounts}, kept as objects: {@link AddToMemberCounts} then adds to the stored
     * counter itself instead of replacing a serialized value on every flush (which, for a busy store, fed the old
     * generation with a dead value per counter per flush and caused the long collections).
     */
    private static MapConfig boundedCounters(String name, int max, int retentionSeconds, int backupCount) {
        return boundedMap(name, max, retentionSeconds, backupCount).setInMemoryFormat(InMemoryFormat.OBJECT);
    }

    private static MapConfig boundedMap(String name, int max, int retentionSeconds, int backupCount) {
        return new MapConfig(name)
                .setBackupCount(backupCount)
                .setInMemoryFormat(InMemoryFormat.BINARY)
                .setTimeToLiveSeconds(retentionSeconds)
                .setPerEntryStatsEnabled(true)
                .setEvictionConfig(new EvictionConfig()
                        .setEvictionPolicy(EvictionPolicy.NONE) // replaced by the comparator
                        .setComparator(new LeastRecentlyUpdated())
                        .setMaxSizePolicy(MaxSizePolicy.PER_PARTITION)
                        .setSize(perPartition(max)));
    }

    static int perPartition(int max) {
        return Math.max(1, max / StoreSettings.PARTITIONS);
    }

    public PairMap pairs() {
        return pairs;
    }

    /**
     * Reply outcomes per (router, client, domain, outcome): a {@link PairKey} whose {@link PairKey#qtype} is the
     * outcome's label, and whose client is empty when the resolver did not say which client it answered.
     */
    public PairMap outcomes() {
        return outcomes;
    }

    /** The most pairs the map can hold: {@code --max-pairs} rounded down to a multiple of the partition count. */
    public int pairCapacity() {
        return pairCapacity;
    }

    /** Whole-cluster aggregations over the pairs, for the query API. */
    public PairQueries queries() {
        return queries;
    }

    /** When each client was first and last seen. */
    /** The tunnel-detection map. */
    public SuspectMap suspects() {
        return suspects;
    }

    public SeenMap seen() {
        return seen;
    }

    /** Queries per minute, per client and per router. */
    public ActivityMap activity() {
        return activity;
    }

    /** A member of the cluster as this node sees it. */
    public record MemberInfo(String address, boolean local, boolean ingest) {}

    /** The cluster's members, in Hazelcast's order (the oldest first). */
    public List<MemberInfo> members() {
        List<MemberInfo> all = new ArrayList<>();
        for (Member m : hz.getCluster().getMembers()) {
            String host = m.getAddress().getHost();
            all.add(new MemberInfo(
                    (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
                            + m.getAddress().getPort(),
                    m.localMember(),
                    INGEST.equals(m.getAttribute(ROLE))));
        }
        return all;
    }

    public CounterMap<String> replies() {
        return replies;
    }

    public IdentityMap identities() {
        return identities;
    }

    public TunnelStore tunnels() {
        return tunnels;
    }

    /** Firewall LOG packets per (prefix, src, dst, proto, dport). */
    public CounterMap<LabelValuesKey> firewall() {
        return firewall;
    }

    /** HAProxy requests per (client, frontend, backend, status). */
    public CounterMap<LabelValuesKey> http() {
        return http;
    }

    /** Queries for names longer than 253 characters per (client, stored suffix of the name). */
    public CounterMap<LabelValuesKey> longNames() {
        return longNames;
    }

    /** The query log ({@code --query-log-size}). */
    public QueryLog queryLog() {
        return queryLog;
    }

    public UUID memberId() {
        return hz.getCluster().getLocalMember().getUuid();
    }

    /** Members that joined without being in the member list, since start. */
    public long unexpectedMembers() {
        return unexpectedMembers.sum();
    }

    /** The cluster name Hazelcast uses (see {@link ClusterSettings#joinName()}); for tests. */
    String hazelcastClusterName() {
        return hz.getConfig().getClusterName();
    }

    /** The member's own address (the cluster port it took). */
    public InetSocketAddress memberAddress() {
        return memberAddress(hz);
    }

    private static InetSocketAddress memberAddress(HazelcastInstance hz) {
        try {
            return hz.getCluster().getLocalMember().getAddress().getInetSocketAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public int clusterSize() {
        return hz.getCluster().getMembers().size();
    }

    public boolean isRunning() {
        return hz.getLifecycleService().isRunning();
    }

    /** Stops the member at once, without migrating its partitions: a crash, for tests. */
    void terminate() {
        hz.getLifecycleService().terminate();
    }

    /** The Hazelcast member; for tests of the store's own operations. */
    HazelcastInstance hazelcast() {
        return hz;
    }

    /** Chunk keys of the query log in the whole cluster; for tests. */
    java.util.Set<QueryLogChunkKey> queryLogKeys() {
        return hz.<QueryLogChunkKey, QueryLogChunk>getMap(QUERY_LOG).keySet();
    }

    @Override
    public void close() {
        if (hz.getLifecycleService().isRunning()) {
            hz.shutdown();
        }
    }
}
