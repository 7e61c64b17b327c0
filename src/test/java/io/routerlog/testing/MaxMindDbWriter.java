package io.routerlog.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds small MaxMind DB ({@code .mmdb}) files for tests, so that GeoIP code can be exercised without a
 * downloaded database. The output follows version 2.0 of the MaxMind DB file format and is read by MaxMind's
 * own readers ({@code com.maxmind.db.Reader}, {@code com.maxmind.geoip2.DatabaseReader}).
 *
 * <h2>File layout</h2>
 * <pre>
 *   search tree        node_count nodes, each = two records (left: bit 0, right: bit 1) of record_size bits
 *   16 zero bytes      data section separator
 *   data section       the encoded values the tree points to
 *   "\xAB\xCD\xEFMaxMind.com" + metadata map
 * </pre>
 * A record holds one of three things: a node number ({@code < node_count}), "no data" ({@code == node_count}),
 * or a data pointer ({@code node_count + 16 + offset into the data section}).
 *
 * <h2>Networks</h2>
 * {@link #insert(String, Map)} takes {@code "a.b.c.d/n"} or {@code "x:y::/n"} (no prefix means a single host).
 * In an IPv6 database an IPv4 network is stored at {@code ::a.b.c.d/(96+n)}, which is where MaxMind's readers
 * look IPv4 addresses up. By default the writer also points {@code ::ffff:0:0/96} (IPv4-mapped) and
 * {@code 2002::/16} (6to4) at that IPv4 subtree, as MaxMind's own IPv6 databases do; inserting into those two
 * ranges is then refused. Networks may overlap: <b>the last insert covering an address wins</b>. A more specific
 * network inserted after a broader one carves a hole in it (the rest of the broader network keeps its data);
 * a broader network inserted after a more specific one replaces it.
 *
 * <h2>Values</h2>
 * The MaxMind DB type of a value is chosen from its Java type:
 * <table>
 *   <caption>Java type to MaxMind DB type</caption>
 *   <tr><td>{@code String}</td><td>UTF-8 string</td></tr>
 *   <tr><td>{@code Map<String, ?>}</td><td>map (iteration order is kept; use a {@code LinkedHashMap} for a fixed order)</td></tr>
 *   <tr><td>{@code List<?>}, {@code Object[]}</td><td>array</td></tr>
 *   <tr><td>{@code Boolean}</td><td>boolean</td></tr>
 *   <tr><td>{@code Double} / {@code Float}</td><td>double / float</td></tr>
 *   <tr><td>{@code Integer} (non-negative)</td><td>uint32</td></tr>
 *   <tr><td>{@code Long} (non-negative)</td><td>uint64</td></tr>
 *   <tr><td>{@code BigInteger}</td><td>uint64 up to 64 bits, uint128 up to 128 bits</td></tr>
 *   <tr><td>{@code byte[]}</td><td>bytes</td></tr>
 *   <tr><td>{@link #uint16(int)}, {@link #uint32(long)}, {@link #int32(int)}</td><td>uint16, uint32, int32</td></tr>
 * </table>
 * MaxMind's Java reader decodes uint16 and int32 to {@code Integer}, uint32 to {@code Long} and uint64/uint128 to
 * {@code BigInteger}; model classes such as {@code CountryResponse} expect those types (e.g. {@code geoname_id}
 * and {@code autonomous_system_number} are uint32). Identical records are stored once in the data section.
 *
 * <p>Not supported: data-section pointers inside records (values are always written inline), the data cache
 * container and end marker types, and record sizes other than 24, 28 and 32 bits.
 */
public final class MaxMindDbWriter {

    /** Marks the start of the metadata section; readers search for its last occurrence. */
    private static final byte[] METADATA_MARKER = {
        (byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'
    };

    /** Zero bytes between the search tree and the data section. */
    private static final int DATA_SECTION_SEPARATOR_SIZE = 16;

    // Type numbers from the specification. Types 1..7 fit in the control byte's top three bits; higher ("extended")
    // types are written as 0 in those bits followed by a byte holding (type - 7).
    private static final int TYPE_UTF8_STRING = 2;
    private static final int TYPE_DOUBLE = 3;
    private static final int TYPE_BYTES = 4;
    private static final int TYPE_UINT16 = 5;
    private static final int TYPE_UINT32 = 6;
    private static final int TYPE_MAP = 7;
    private static final int TYPE_INT32 = 8;
    private static final int TYPE_UINT64 = 9;
    private static final int TYPE_UINT128 = 10;
    private static final int TYPE_ARRAY = 11;
    private static final int TYPE_BOOLEAN = 14;
    private static final int TYPE_FLOAT = 15;

    /** Largest payload size (or map/array entry count) the control byte can express: 65,821 + 2^24 - 1. */
    private static final int MAX_PAYLOAD_SIZE = 65_821 + 0xFF_FFFF;

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    /** Networks that MaxMind's IPv6 databases point at the IPv4 subtree: IPv4-mapped and 6to4. */
    private static final List<String> IPV4_ALIASES = List.of("::ffff:0:0/96", "2002::/16");

    private final String databaseType;
    private final int ipVersion;
    private final int recordSize;
    private final Map<String, String> description;
    private final List<String> languages;
    private final long buildEpoch;
    private final boolean ipv4Aliases;

    /** Root of the search tree being built; its records are {@code null} (no data), a {@link Node} or a {@link Data}. */
    private final Node root = new Node(null, null);

    /** Distinct encoded records in first-insert order, keyed by their bytes, so identical records are stored once. */
    private final Map<ByteBuffer, Data> records = new LinkedHashMap<>();

    private MaxMindDbWriter(Builder builder) {
        this.databaseType = builder.databaseType;
        this.ipVersion = builder.ipVersion;
        this.recordSize = builder.recordSize;
        this.description = builder.description.isEmpty()
                ? Map.of("en", builder.databaseType + " test database")
                : Collections.unmodifiableMap(new LinkedHashMap<>(builder.description));
        this.languages = List.copyOf(builder.languages);
        this.buildEpoch = builder.buildEpoch;
        this.ipv4Aliases = builder.ipv4Aliases && builder.ipVersion == 6;
    }

    /** A writer for {@code databaseType} with the defaults: IPv6, 24-bit records, languages [en], IPv4 aliases. */
    public MaxMindDbWriter(String databaseType) {
        this(builder(databaseType));
    }

    public static Builder builder(String databaseType) {
        return new Builder(databaseType);
    }

    /** An empty database of type {@code GeoLite2-Country}, readable with {@code DatabaseReader.country(...)}. */
    public static MaxMindDbWriter geoLite2Country() {
        return builder("GeoLite2-Country")
                .description("en", "GeoLite2 Country test database")
                .build();
    }

    /** An empty database of type {@code GeoLite2-ASN}, readable with {@code DatabaseReader.asn(...)}. */
    public static MaxMindDbWriter geoLite2Asn() {
        return builder("GeoLite2-ASN")
                .description("en", "GeoLite2 ASN test database")
                .build();
    }

    /** Settings of a database; everything except the type has a default. */
    public static final class Builder {
        private final String databaseType;
        private int ipVersion = 6;
        private int recordSize = 24;
        private final Map<String, String> description = new LinkedHashMap<>();
        private final List<String> languages = new ArrayList<>(List.of("en"));
        private long buildEpoch = Instant.now().getEpochSecond();
        private boolean ipv4Aliases = true;

        private Builder(String databaseType) {
            this.databaseType = Objects.requireNonNull(databaseType, "databaseType");
        }

        /** 6 (default; holds IPv4 and IPv6 networks) or 4 (IPv4 networks only, 32-bit deep tree). */
        public Builder ipVersion(int version) {
            if (version != 4 && version != 6) {
                throw new IllegalArgumentException("ip version must be 4 or 6, not " + version);
            }
            this.ipVersion = version;
            return this;
        }

        /** Bits per search tree record: 24 (default, up to ~16.7 million nodes plus data bytes), 28 or 32. */
        public Builder recordSize(int bits) {
            if (bits != 24 && bits != 28 && bits != 32) {
                throw new IllegalArgumentException("record size must be 24, 28 or 32, not " + bits);
            }
            this.recordSize = bits;
            return this;
        }

        /** Adds a description in one language; without any, it is {@code {"en": "<type> test database"}}. */
        public Builder description(String language, String text) {
            description.put(Objects.requireNonNull(language), Objects.requireNonNull(text));
            return this;
        }

        /** The locale codes the records' {@code names} maps use; default [en]. */
        public Builder languages(String... codes) {
            languages.clear();
            languages.addAll(List.of(codes));
            return this;
        }

        /** Build time in seconds since the epoch; default now. */
        public Builder buildEpoch(long epochSeconds) {
            if (epochSeconds < 0) {
                throw new IllegalArgumentException("build epoch must not be negative");
            }
            this.buildEpoch = epochSeconds;
            return this;
        }

        /** Whether {@code ::ffff:0:0/96} and {@code 2002::/16} lead to the IPv4 networks (IPv6 databases only). */
        public Builder ipv4Aliases(boolean enabled) {
            this.ipv4Aliases = enabled;
            return this;
        }

        public MaxMindDbWriter build() {
            return new MaxMindDbWriter(this);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Record helpers
    // ------------------------------------------------------------------------------------------------------------

    /** The integer kinds whose MaxMind DB type does not follow from a plain Java number type. */
    public enum IntegerType {
        UINT16,
        UINT32,
        INT32
    }

    /** An integer written with an explicit MaxMind DB type; create with {@link #uint16}, {@link #uint32}, {@link #int32}. */
    public record TypedInteger(IntegerType type, long value) {
        public TypedInteger {
            Objects.requireNonNull(type, "type");
            long min = type == IntegerType.INT32 ? Integer.MIN_VALUE : 0;
            long max = switch (type) {
                case UINT16 -> 0xFFFF;
                case UINT32 -> 0xFFFF_FFFFL;
                case INT32 -> Integer.MAX_VALUE;
            };
            if (value < min || value > max) {
                throw new IllegalArgumentException(value + " is out of range for " + type);
            }
        }
    }

    /** An unsigned 16-bit integer value (decoded by MaxMind's Java reader as {@code Integer}). */
    public static TypedInteger uint16(int value) {
        return new TypedInteger(IntegerType.UINT16, value);
    }

    /** An unsigned 32-bit integer value (decoded as {@code Long}); plain {@code Integer} values are uint32 too. */
    public static TypedInteger uint32(long value) {
        return new TypedInteger(IntegerType.UINT32, value);
    }

    /** A signed 32-bit integer value (decoded as {@code Integer}). */
    public static TypedInteger int32(int value) {
        return new TypedInteger(IntegerType.INT32, value);
    }

    /** GeoNames ids and continents of a few countries, as found in MaxMind's GeoLite2 data. */
    private record CountryInfo(long geonameId, String continentCode, boolean inEuropeanUnion) {}

    private static final Map<String, CountryInfo> COUNTRIES = Map.ofEntries(
            Map.entry("AT", new CountryInfo(2782113, "EU", true)),
            Map.entry("BE", new CountryInfo(2802361, "EU", true)),
            Map.entry("CH", new CountryInfo(2658434, "EU", false)),
            Map.entry("CN", new CountryInfo(1814991, "AS", false)),
            Map.entry("CZ", new CountryInfo(3077311, "EU", true)),
            Map.entry("DE", new CountryInfo(2921044, "EU", true)),
            Map.entry("DK", new CountryInfo(2623032, "EU", true)),
            Map.entry("ES", new CountryInfo(2510769, "EU", true)),
            Map.entry("FI", new CountryInfo(660013, "EU", true)),
            Map.entry("FR", new CountryInfo(3017382, "EU", true)),
            Map.entry("GB", new CountryInfo(2635167, "EU", false)),
            Map.entry("HK", new CountryInfo(1819730, "AS", false)),
            Map.entry("IE", new CountryInfo(2963597, "EU", true)),
            Map.entry("IT", new CountryInfo(3175395, "EU", true)),
            Map.entry("JP", new CountryInfo(1861060, "AS", false)),
            Map.entry("KR", new CountryInfo(1835841, "AS", false)),
            Map.entry("NL", new CountryInfo(2750405, "EU", true)),
            Map.entry("NO", new CountryInfo(3144096, "EU", false)),
            Map.entry("PL", new CountryInfo(798544, "EU", true)),
            Map.entry("RU", new CountryInfo(2017370, "EU", false)),
            Map.entry("SE", new CountryInfo(2661886, "EU", true)),
            Map.entry("TW", new CountryInfo(1668284, "AS", false)),
            Map.entry("UA", new CountryInfo(690791, "EU", false)),
            Map.entry("US", new CountryInfo(6252001, "NA", false)));

    /** Continent code to GeoNames id and English name. */
    private static final Map<String, Map.Entry<Long, String>> CONTINENTS = Map.of(
            "AF", Map.entry(6255146L, "Africa"),
            "AN", Map.entry(6255152L, "Antarctica"),
            "AS", Map.entry(6255147L, "Asia"),
            "EU", Map.entry(6255148L, "Europe"),
            "NA", Map.entry(6255149L, "North America"),
            "OC", Map.entry(6255151L, "Oceania"),
            "SA", Map.entry(6255150L, "South America"));

    /**
     * A record shaped like a GeoLite2-Country entry: {@code continent}, {@code country} and
     * {@code registered_country} (here always the same country), each with {@code geoname_id}, code and English
     * {@code names}, plus {@code is_in_european_union: true} for EU members. For countries the
     * writer knows (e.g. GB, US, DE, NL, SE, JP, CN) the GeoNames id and continent are filled in; for others only
     * the ISO code and name are (use {@link #country(String, String, String)} to add a continent).
     */
    public static Map<String, Object> country(String isoCode, String englishName) {
        CountryInfo info = COUNTRIES.get(isoCode);
        return countryRecord(isoCode, englishName, info == null ? null : info.continentCode(), info);
    }

    /** Like {@link #country(String, String)} with an explicit continent code (AF, AN, AS, EU, NA, OC, SA). */
    public static Map<String, Object> country(String isoCode, String englishName, String continentCode) {
        if (!CONTINENTS.containsKey(continentCode)) {
            throw new IllegalArgumentException("unknown continent code " + continentCode);
        }
        return countryRecord(isoCode, englishName, continentCode, COUNTRIES.get(isoCode));
    }

    private static Map<String, Object> countryRecord(
            String isoCode, String englishName, String continentCode, CountryInfo info) {
        Objects.requireNonNull(isoCode, "isoCode");
        Objects.requireNonNull(englishName, "englishName");
        Map<String, Object> country = new LinkedHashMap<>();
        if (info != null) {
            country.put("geoname_id", uint32(info.geonameId()));
            if (info.inEuropeanUnion()) {
                country.put("is_in_european_union", true);
            }
        }
        country.put("iso_code", isoCode);
        country.put("names", Map.of("en", englishName));

        Map<String, Object> record = new LinkedHashMap<>();
        if (continentCode != null) {
            Map.Entry<Long, String> continent = CONTINENTS.get(continentCode);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("code", continentCode);
            c.put("geoname_id", uint32(continent.getKey()));
            c.put("names", Map.of("en", continent.getValue()));
            record.put("continent", c);
        }
        record.put("country", country);
        record.put("registered_country", country);
        return record;
    }

    /** A record shaped like a GeoLite2-ASN entry (the number is written as uint32, as MaxMind does). */
    public static Map<String, Object> asn(long number, String organization) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("autonomous_system_number", uint32(number));
        record.put("autonomous_system_organization", Objects.requireNonNull(organization, "organization"));
        return record;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Inserting networks
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Maps every address of {@code cidr} to {@code data}, replacing what earlier inserts stored for those addresses.
     * Host bits must be zero ({@code 10.1.2.0/24}, not {@code 10.1.2.3/24}).
     *
     * @throws IllegalArgumentException for a malformed network, an IPv6 network in an IPv4 database, a network
     *                                  inside an IPv4 alias range, or a value of an unsupported type
     */
    public MaxMindDbWriter insert(String cidr, Map<String, ?> data) {
        Objects.requireNonNull(data, "data");
        Prefix prefix = treePrefix(cidr);
        if (ipv4Aliases) {
            for (String alias : IPV4_ALIASES) {
                if (prefix.startsWith(Prefix.parse(alias, 128))) {
                    throw new IllegalArgumentException(cidr + " lies in " + alias
                            + ", which this database points at the IPv4 networks; insert the IPv4 network instead"
                            + " or build the writer with ipv4Aliases(false)");
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encode(data, out);
        byte[] encoded = out.toByteArray();
        Data record = records.computeIfAbsent(ByteBuffer.wrap(encoded), key -> new Data(encoded));
        setRecord(root, prefix, record);
        return this;
    }

    /** The network as a path in this database's tree: 32 bits deep for IPv4 databases, 128 for IPv6. */
    private Prefix treePrefix(String cidr) {
        Objects.requireNonNull(cidr, "cidr");
        Prefix parsed = Prefix.parse(cidr, -1);
        if (ipVersion == 4) {
            if (parsed.bits().length != 4) {
                throw new IllegalArgumentException(cidr + " is an IPv6 network; this is an IPv4 database");
            }
            return parsed;
        }
        if (parsed.bits().length == 4) {
            // IPv4 a.b.c.d/n lives at ::a.b.c.d/(96+n): 96 zero bits, then the IPv4 address.
            byte[] bits = new byte[16];
            System.arraycopy(parsed.bits(), 0, bits, 12, 4);
            return new Prefix(bits, 96 + parsed.length());
        }
        return parsed;
    }

    /**
     * Walks (creating nodes where needed) to the record for {@code prefix} and stores {@code value} there. A record
     * passed on the way that holds data for a broader network becomes a node whose two records both keep that data,
     * so the rest of the broader network still finds it.
     */
    private static void setRecord(Node root, Prefix prefix, Object value) {
        if (prefix.length() == 0) {
            root.left = value;
            root.right = value;
            return;
        }
        Node node = root;
        for (int depth = 0; depth < prefix.length() - 1; depth++) {
            int bit = prefix.bit(depth);
            Object child = node.get(bit);
            if (!(child instanceof Node)) {
                child = new Node(child, child);
                node.set(bit, child);
            }
            node = (Node) child;
        }
        node.set(prefix.bit(prefix.length() - 1), value);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Writing the file
    // ------------------------------------------------------------------------------------------------------------

    /** Writes the database to {@code file}, replacing it. The writer stays usable for further inserts. */
    public void write(Path file) throws IOException {
        Files.write(file, toByteArray());
    }

    /** The complete database file. */
    public byte[] toByteArray() {
        Node tree = copy(root);
        if (ipv4Aliases) {
            addIpv4Aliases(tree);
        }

        // Number the nodes breadth-first (the root must be node 0). Alias records share nodes, so a node is
        // numbered the first time it is reached.
        IdentityHashMap<Node, Integer> nodeNumbers = new IdentityHashMap<>();
        List<Node> nodes = new ArrayList<>();
        Set<Data> used = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> queue = new ArrayDeque<>();
        nodeNumbers.put(tree, 0);
        nodes.add(tree);
        queue.add(tree);
        while (!queue.isEmpty()) {
            Node node = queue.remove();
            for (Object child : new Object[] {node.left, node.right}) {
                if (child instanceof Node n && !nodeNumbers.containsKey(n)) {
                    nodeNumbers.put(n, nodes.size());
                    nodes.add(n);
                    queue.add(n);
                } else if (child instanceof Data d) {
                    used.add(d);
                }
            }
        }
        long nodeCount = nodes.size();

        // Lay out the data section: every record still referenced by the tree, in first-insert order.
        IdentityHashMap<Data, Long> dataOffsets = new IdentityHashMap<>();
        ByteArrayOutputStream dataSection = new ByteArrayOutputStream();
        for (Data d : records.values()) {
            if (used.contains(d)) {
                dataOffsets.put(d, (long) dataSection.size());
                dataSection.writeBytes(d.encoded());
            }
        }

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        long maxRecordValue = (1L << recordSize) - 1;
        for (Node node : nodes) {
            long left = recordValue(node.left, nodeCount, nodeNumbers, dataOffsets);
            long right = recordValue(node.right, nodeCount, nodeNumbers, dataOffsets);
            if (Math.max(left, right) > maxRecordValue) {
                throw new IllegalStateException("a record value of " + Math.max(left, right) + " does not fit in "
                        + recordSize + " bits; use a larger record size");
            }
            writeNode(file, left, right);
        }
        file.writeBytes(new byte[DATA_SECTION_SEPARATOR_SIZE]);
        file.writeBytes(dataSection.toByteArray());

        file.writeBytes(METADATA_MARKER);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("binary_format_major_version", uint16(2));
        metadata.put("binary_format_minor_version", uint16(0));
        metadata.put("build_epoch", buildEpoch); // Long: uint64
        metadata.put("database_type", databaseType);
        metadata.put("description", description);
        metadata.put("ip_version", uint16(ipVersion));
        metadata.put("languages", languages);
        metadata.put("node_count", uint32(nodeCount));
        metadata.put("record_size", uint16(recordSize));
        encode(metadata, file);
        return file.toByteArray();
    }

    /** What a record stores: a node number, {@code node_count} for "no data", or a pointer past the separator. */
    private static long recordValue(
            Object record,
            long nodeCount,
            IdentityHashMap<Node, Integer> nodeNumbers,
            IdentityHashMap<Data, Long> dataOffsets) {
        if (record == null) {
            return nodeCount;
        }
        if (record instanceof Node n) {
            return nodeNumbers.get(n);
        }
        return nodeCount + DATA_SECTION_SEPARATOR_SIZE + dataOffsets.get((Data) record);
    }

    /**
     * Writes one node, big-endian. 24 and 32 bits: left record then right record. 28 bits: the low 24 bits of the
     * left record, a middle byte whose high nibble holds bits 27..24 of the left record and whose low nibble holds
     * bits 27..24 of the right record, then the low 24 bits of the right record.
     */
    private void writeNode(ByteArrayOutputStream out, long left, long right) {
        switch (recordSize) {
            case 24 -> {
                writeBigEndian(out, left, 3);
                writeBigEndian(out, right, 3);
            }
            case 28 -> {
                writeBigEndian(out, left & 0xFF_FFFF, 3);
                out.write((int) (((left >>> 24) & 0x0F) << 4 | ((right >>> 24) & 0x0F)));
                writeBigEndian(out, right & 0xFF_FFFF, 3);
            }
            case 32 -> {
                writeBigEndian(out, left, 4);
                writeBigEndian(out, right, 4);
            }
            default -> throw new IllegalStateException("record size " + recordSize);
        }
    }

    /**
     * Points {@code ::ffff:0:0/96} and {@code 2002::/16} at whatever {@code ::/96} holds (normally the node that
     * starts the IPv4 networks), making the tree a graph in which those ranges share the IPv4 subtree.
     */
    private static void addIpv4Aliases(Node tree) {
        Object ipv4Root = tree;
        for (int depth = 0; depth < 96 && ipv4Root instanceof Node n; depth++) {
            ipv4Root = n.left; // ::/96 is 96 zero bits
        }
        if (ipv4Root == null) {
            return; // no IPv4 data: nothing to alias
        }
        for (String alias : IPV4_ALIASES) {
            setRecord(tree, Prefix.parse(alias, 128), ipv4Root);
        }
    }

    /** A deep copy of a (not yet aliased) tree, so that writing does not change what later inserts see. */
    private static Node copy(Node node) {
        return new Node(copyRecord(node.left), copyRecord(node.right));
    }

    private static Object copyRecord(Object record) {
        return record instanceof Node n ? copy(n) : record;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Data section encoding
    // ------------------------------------------------------------------------------------------------------------

    /** Appends {@code value} as one data field: a control byte (plus extension bytes), then the payload. */
    private static void encode(Object value, ByteArrayOutputStream out) {
        if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            writeControl(out, TYPE_UTF8_STRING, utf8.length);
            out.writeBytes(utf8);
        } else if (value instanceof Map<?, ?> map) {
            // The size of a map is its number of pairs; each key is a UTF-8 string followed by its value.
            writeControl(out, TYPE_MAP, map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("map keys must be strings, not " + e.getKey());
                }
                encode(key, out);
                encode(e.getValue(), out);
            }
        } else if (value instanceof List<?> list) {
            writeControl(out, TYPE_ARRAY, list.size());
            for (Object element : list) {
                encode(element, out);
            }
        } else if (value instanceof Object[] array) {
            encode(Arrays.asList(array), out);
        } else if (value instanceof Boolean b) {
            writeControl(out, TYPE_BOOLEAN, b ? 1 : 0); // the size is the value; there is no payload
        } else if (value instanceof Double d) {
            writeControl(out, TYPE_DOUBLE, 8);
            writeBigEndian(out, Double.doubleToLongBits(d), 8);
        } else if (value instanceof Float f) {
            writeControl(out, TYPE_FLOAT, 4);
            writeBigEndian(out, Float.floatToIntBits(f), 4);
        } else if (value instanceof Integer i) {
            writeUnsigned(out, TYPE_UINT32, BigInteger.valueOf(i), 32);
        } else if (value instanceof Long l) {
            writeUnsigned(out, TYPE_UINT64, BigInteger.valueOf(l), 64);
        } else if (value instanceof BigInteger big) {
            boolean fits64 = big.bitLength() <= 64;
            writeUnsigned(out, fits64 ? TYPE_UINT64 : TYPE_UINT128, big, fits64 ? 64 : 128);
        } else if (value instanceof TypedInteger t) {
            switch (t.type()) {
                case UINT16 -> writeUnsigned(out, TYPE_UINT16, BigInteger.valueOf(t.value()), 16);
                case UINT32 -> writeUnsigned(out, TYPE_UINT32, BigInteger.valueOf(t.value()), 32);
                case INT32 -> {
                    // Always four bytes of two's complement, so the sign bit is where a reader expects it.
                    writeControl(out, TYPE_INT32, 4);
                    writeBigEndian(out, t.value(), 4);
                }
                default -> throw new IllegalStateException(t.type().toString());
            }
        } else if (value instanceof byte[] bytes) {
            writeControl(out, TYPE_BYTES, bytes.length);
            out.writeBytes(bytes);
        } else {
            throw new IllegalArgumentException(
                    "cannot store " + (value == null ? "null" : value.getClass().getName())
                            + " in a MaxMind DB; use String, Map, List, Boolean, Double, Float, Integer, Long, BigInteger, byte[]"
                            + " or uint16()/uint32()/int32()");
        }
    }

    /** An unsigned integer in as few big-endian bytes as it needs (zero takes none). */
    private static void writeUnsigned(ByteArrayOutputStream out, int type, BigInteger value, int maxBits) {
        if (value.signum() < 0 || value.bitLength() > maxBits) {
            throw new IllegalArgumentException(value + " does not fit an unsigned " + maxBits + "-bit integer"
                    + (value.signum() < 0 ? " (use int32() for negative numbers)" : ""));
        }
        byte[] bytes = value.toByteArray(); // two's complement: may carry one leading zero byte for the sign
        int start = 0;
        while (start < bytes.length && bytes[start] == 0) {
            start++;
        }
        writeControl(out, type, bytes.length - start);
        out.write(bytes, start, bytes.length - start);
    }

    /**
     * The control byte: type in the top three bits, size in the low five. Sizes below 29 fit directly; 29, 30 and 31
     * announce one, two or three following bytes holding {@code size - 29}, {@code size - 285} or
     * {@code size - 65821}. An extended type (above 7) writes 0 as the type and puts {@code type - 7} in the next
     * byte, which comes before the size extension bytes.
     */
    private static void writeControl(ByteArrayOutputStream out, int type, int size) {
        if (size < 0 || size > MAX_PAYLOAD_SIZE) {
            throw new IllegalArgumentException("a field of size " + size + " cannot be encoded");
        }
        int sizeBits;
        int extension;
        int extensionBytes;
        if (size < 29) {
            sizeBits = size;
            extension = 0;
            extensionBytes = 0;
        } else if (size < 29 + 0x100) {
            sizeBits = 29;
            extension = size - 29;
            extensionBytes = 1;
        } else if (size < 285 + 0x1_0000) {
            sizeBits = 30;
            extension = size - 285;
            extensionBytes = 2;
        } else {
            sizeBits = 31;
            extension = size - 65_821;
            extensionBytes = 3;
        }
        if (type <= 7) {
            out.write(type << 5 | sizeBits);
        } else {
            out.write(sizeBits);
            out.write(type - 7);
        }
        writeBigEndian(out, extension, extensionBytes);
    }

    private static void writeBigEndian(ByteArrayOutputStream out, long value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Tree and network types
    // ------------------------------------------------------------------------------------------------------------

    /** A search tree node; each record is {@code null} (no data), another {@link Node} or a {@link Data}. */
    private static final class Node {
        Object left;
        Object right;

        Node(Object left, Object right) {
            this.left = left;
            this.right = right;
        }

        Object get(int bit) {
            return bit == 0 ? left : right;
        }

        void set(int bit, Object value) {
            if (bit == 0) {
                left = value;
            } else {
                right = value;
            }
        }
    }

    /** One encoded data record; compared by identity (equal encodings are interned to one instance). */
    private record Data(byte[] encoded) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return "Data[" + encoded.length + " bytes]";
        }
    }

    /** A network: address bytes (4 or 16) and the number of leading bits that matter. */
    private record Prefix(byte[] bits, int length) {

        /** The bit at {@code index}, counting from the most significant bit of the first byte. */
        int bit(int index) {
            return (bits[index >>> 3] >>> (7 - (index & 7))) & 1;
        }

        boolean startsWith(Prefix other) {
            if (bits.length != other.bits.length || length < other.length) {
                return false;
            }
            for (int i = 0; i < other.length; i++) {
                if (bit(i) != other.bit(i)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Parses {@code address[/prefix]}. Only literals are accepted (never a host name, so no DNS). An IPv6
         * literal stays 16 bytes even where Java would turn it into an IPv4 address ({@code ::ffff:a.b.c.d}).
         *
         * @param requiredBits 32 or 128 to insist on one family, or -1 for either
         */
        static Prefix parse(String cidr, int requiredBits) {
            int slash = cidr.indexOf('/');
            String address = slash < 0 ? cidr : cidr.substring(0, slash);
            boolean ipv6 = address.indexOf(':') >= 0;
            if (!(ipv6 ? IPV6_LITERAL : IPV4_LITERAL).matcher(address).matches()) {
                throw new IllegalArgumentException("not an IP network: " + cidr);
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP network: " + cidr, e);
            }
            if (ipv6 && bytes.length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                bytes = mapped;
            }
            int maxLength = bytes.length * 8;
            if (requiredBits >= 0 && maxLength != requiredBits) {
                throw new IllegalArgumentException("expected a " + requiredBits + "-bit network: " + cidr);
            }
            int length;
            try {
                length = slash < 0 ? maxLength : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + cidr, e);
            }
            if (length < 0 || length > maxLength) {
                throw new IllegalArgumentException("prefix length out of range in " + cidr);
            }
            Prefix prefix = new Prefix(bytes, length);
            for (int i = length; i < maxLength; i++) {
                if (prefix.bit(i) != 0) {
                    throw new IllegalArgumentException(
                            cidr + " has host bits set (the bits after the first " + length + " must be zero)");
                }
            }
            return prefix;
        }
    }
}
