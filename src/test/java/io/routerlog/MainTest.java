package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routerlog.stats.Transport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flags, environment and config file, and what the command says about bad values. */
class MainTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private Path config(String text) throws IOException {
        Path f = dir.resolve("routerlog.conf");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void defaults() {
        Settings s = Main.parse(new String[0], Map.of());
        assertThat(s.syslog().port()).isEqualTo(5514);
        assertThat(s.http().port()).isEqualTo(9514);
        assertThat(s.syslog().maxFrame()).isEqualTo(65536);
        assertThat(s.store().maxPairs()).isEqualTo(10_000);
        assertThat(s.store().retention()).isEqualTo(Duration.ofHours(24));
        assertThat(s.flush().interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.rules().dnsttDomains()).isEmpty();
        assertThat(s.leases().file()).isEmpty();
        assertThat(s.syslog().address().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(s.syslog().ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(s.detect().window()).isEqualTo(Duration.ofHours(1));
        assertThat(s.detect().threshold()).isEqualTo(7.0);
        assertThat(s.detect().allow()).isEmpty();
    }

    @Test
    void suspectOptions() {
        Settings s = Main.parse(
                new String[] {
                    "--suspect-window",
                    "30m",
                    "--suspect-threshold",
                    "9.5",
                    "--suspect-allow",
                    "VPN.Example.Net.,b.test"
                },
                Map.of());
        assertThat(s.detect().window()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.detect().bucketMillis()).isEqualTo(300_000);
        assertThat(s.detect().threshold()).isEqualTo(9.5);
        assertThat(s.detect().allow()).containsExactly("vpn.example.net", "b.test");
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverTheConfigFile() throws IOException {
        Path f = config("""
                # routerlog settings
                max-pairs = 30000
                retention = 2h
                http-port = 9600
                dnstt-domain = t.example.com
                dnstt-domain = "T2.Example.org."
                """);
        Map<String, String> env = Map.of("ROUTERLOG_RETENTION", "3h", "ROUTERLOG_HTTP_PORT", "9700");
        Settings s = Main.parse(new String[] {"--config", f.toString(), "--http-port", "9800"}, env);
        assertThat(s.store().maxPairs()).isEqualTo(30_000);
        assertThat(s.store().retention()).isEqualTo(Duration.ofHours(3));
        assertThat(s.http().port()).isEqualTo(9800);
        assertThat(s.rules().dnsttDomains()).containsExactly("t.example.com", "t2.example.org");
    }

    @Test
    void configFileCanBeNamedInTheEnvironmentAndRepeatableValuesCommaSeparated() throws IOException {
        Path f = config("dnstt-domain = a.test, b.test\nflush-interval = 250ms\nmax-frame = 8KiB\n");
        Settings s = Main.parse(new String[0], Map.of("ROUTERLOG_CONFIG", f.toString()));
        assertThat(s.rules().dnsttDomains()).containsExactly("a.test", "b.test");
        assertThat(s.flush().interval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.syslog().maxFrame()).isEqualTo(8192);
    }

    @Test
    void clusterOptions() {
        Settings single = Main.parse(new String[0], Map.of());
        assertThat(single.store().cluster().clustered()).isFalse();
        assertThat(single.store().backupCount()).isEqualTo(1);
        Settings s = Main.parse(
                new String[] {
                    "--cluster-members",
                    "10.0.0.1,10.0.0.2:5702",
                    "--cluster-members",
                    "[fd00::3]:5701",
                    "--cluster-name",
                    "home",
                    "--cluster-port",
                    "5801",
                    "--cluster-interface",
                    "10.0.0.*",
                    "--cluster-multicast",
                    "--backup-count",
                    "2",
                    "--shutdown-grace",
                    "2s"
                },
                Map.of());
        assertThat(s.store().cluster().members()).containsExactly("10.0.0.1", "10.0.0.2:5702", "[fd00::3]:5701");
        assertThat(s.store().cluster().name()).isEqualTo("home");
        assertThat(s.store().cluster().port()).isEqualTo(5801);
        assertThat(s.store().cluster().iface()).isEqualTo("10.0.0.*");
        assertThat(s.store().cluster().multicast()).isTrue();
        assertThat(s.store().cluster().clustered()).isTrue();
        assertThat(s.store().backupCount()).isEqualTo(2);
        assertThat(s.syslog().shutdownGrace()).isEqualTo(Duration.ofSeconds(2));
        Settings env = Main.parse(
                new String[0],
                Map.of(
                        "ROUTERLOG_CLUSTER_MULTICAST",
                        "true",
                        "ROUTERLOG_CLUSTER_K8S_SERVICE",
                        "routerlog.default.svc.cluster.local"));
        assertThat(env.store().cluster().multicast()).isTrue();
        assertThat(env.store().cluster().k8sService()).isEqualTo("routerlog.default.svc.cluster.local");
    }

    @Test
    void theClusterSecretComesFromTheEnvironmentAndIsWarnedAboutOnTheCommandLine() {
        Settings s = Main.parse(
                new String[] {"--cluster-members", "10.0.0.1"}, Map.of("ROUTERLOG_CLUSTER_SECRET", "0123456789abcdef"));
        assertThat(s.store().cluster().secret()).isEqualTo("0123456789abcdef");
        assertThat(s.store().cluster().toString()).doesNotContain("0123456789abcdef");
        Result tooShort = run(Map.of("ROUTERLOG_CLUSTER_SECRET", "short"));
        assertThat(tooShort.code()).isEqualTo(2);
        assertThat(tooShort.err().lines())
                .singleElement()
                .asString()
                .contains("--cluster-secret must be at least 16 characters")
                .contains("(from environment variable ROUTERLOG_CLUSTER_SECRET)")
                .doesNotContain("short");
        Result onCommandLine = run(Map.of(), "--cluster-secret", "0123456789abcdef", "--log-level", "loud");
        assertThat(onCommandLine.err())
                .contains("warning: --cluster-secret on the command line can be read by " + "every local user");
    }

    @Test
    void syslogTransports() {
        assertThat(Main.parse(new String[0], Map.of()).syslog().transports())
                .containsExactly(Transport.UDP, Transport.TCP);
        assertThat(Main.parse(new String[] {"--syslog-transports", "TCP"}, Map.of())
                        .syslog()
                        .transports())
                .containsExactly(Transport.TCP);
        @SuppressWarnings("ArrayAsKeyOfSetOrMap") // only iterated, in order
        Map<String[], String> bad = new LinkedHashMap<>();
        bad.put(new String[] {"--syslog-transports", "smtp"}, "--syslog-transports: 'smtp' is not udp, tcp or tls");
        bad.put(new String[] {"--syslog-transports", ""}, "--syslog-transports is empty");
        bad.put(new String[] {"--syslog-transports", "tcp,tls"}, "--syslog-transports: tls needs --syslog-tls-port");
        bad.put(
                new String[] {"--syslog-transports", "tcp", "--syslog-tls-port", "6514"},
                "--syslog-transports leaves out tls but --syslog-tls-port is set");
        bad.forEach((args, message) -> {
            Result r = run(Map.of(), args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().lines())
                    .as(String.join(" ", args))
                    .singleElement()
                    .asString()
                    .startsWith("routerlog: " + message);
        });
    }

    @Test
    void sizesAndDurationsInTheirUsualSpellings() {
        Settings s = Main.parse(
                new String[] {
                    "--max-frame",
                    "64k",
                    "--udp-receive-buffer",
                    "16MiB",
                    "--retention",
                    "7d",
                    "--flush-interval",
                    "PT0.5S"
                },
                Map.of());
        assertThat(s.syslog().maxFrame()).isEqualTo(65536);
        assertThat(s.syslog().udpReceiveBuffer()).isEqualTo(16 << 20);
        assertThat(s.store().retention()).isEqualTo(Duration.ofDays(7));
        assertThat(s.flush().interval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void badValuesGiveAOneLineErrorAndExitCode2() {
        List<String[]> bad = List.of(
                new String[] {"--syslog-port", "abc"},
                new String[] {"--syslog-port", "70000"},
                new String[] {"--http-port", "-1"},
                new String[] {"--max-pairs", "10"},
                new String[] {"--max-leases", "many"},
                new String[] {"--retention", "5 fortnights"},
                new String[] {"--flush-interval", "0s"},
                new String[] {"--max-frame", "10"},
                new String[] {"--max-buffered", "16KiB"},
                new String[] {"--udp-receive-buffer", "1"},
                new String[] {"--io-threads", "0"},
                new String[] {"--max-connections-per-sender", "0"},
                new String[] {"--frame-timeout", "50ms"},
                new String[] {"--dnstt-domain", "not a domain!"},
                new String[] {"--log-level", "loud"},
                new String[] {"--leases-file", dir.resolve("missing.leases").toString()},
                new String[] {"--geoip-country-db", dir.resolve("missing.mmdb").toString()},
                new String[] {"--geoip-asn-db", dir.toString()},
                new String[] {"--dnstt-active-window", "0s"},
                new String[] {"--max-dnstt-sessions", "100"},
                new String[] {"--cluster-members", "10.0.0.1:99999"},
                new String[] {"--cluster-members", "host name"},
                new String[] {"--cluster-port", "0"},
                new String[] {"--backup-count", "7"},
                new String[] {"--query-log-size", "-1"},
                new String[] {"--query-log-size", "10000001"},
                new String[] {"--cluster-k8s-service", "not a name"},
                new String[] {"--suspect-window", "10s"},
                new String[] {"--suspect-window", "30d"},
                new String[] {"--suspect-threshold", "0"},
                new String[] {"--suspect-threshold", "NaN"},
                new String[] {"--suspect-threshold", "lots"},
                new String[] {"--suspect-allow", "not a domain!"},
                new String[] {"--shutdown-grace", "soon"},
                new String[] {"--listen-address", "no.such.host.invalid"},
                new String[] {"--no-such-flag"});
        for (String[] args : bad) {
            Result r = run(Map.of(), args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().lines())
                    .as(String.join(" ", args))
                    .singleElement()
                    .asString()
                    .startsWith("routerlog: ")
                    .contains(args[0]);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void badValueFromTheEnvironmentOrFileSaysWhereItCameFrom() throws IOException {
        Result env = run(Map.of("ROUTERLOG_MAX_PAIRS", "lots"));
        assertThat(env.code()).isEqualTo(2);
        assertThat(env.err()).contains("--max-pairs").contains("(from environment variable ROUTERLOG_MAX_PAIRS)");
        assertThatThrownBy(() -> Main.parse(new String[0], Map.of("ROUTERLOG_MAX_PAIRS", "lots")))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--max-pairs");

        Path f = config("retention = forever\n");
        Result file = run(Map.of(), "--config", f.toString());
        assertThat(file.code()).isEqualTo(2);
        assertThat(file.err()).contains("--retention").contains("(from " + f + ")");
    }

    @Test
    void unknownOrMalformedConfigFileEntriesAreErrorsWithTheLine() throws IOException {
        Result unknown = run(
                Map.of(),
                "--config",
                config("max-pairs = 20000\nmax-paris = 3\n").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("line 2").contains("unknown setting 'max-paris'");

        Result malformed = run(Map.of(), "--config", config("just some words\n").toString());
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("line 1").contains("expected 'name = value'");

        Result missing = run(Map.of(), "--config", dir.resolve("nope.conf").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read config file " + dir.resolve("nope.conf") + ": no such file");
    }

    @Test
    void aByteOrderMarkAtTheStartOfTheConfigFileIsSkipped() throws IOException {
        Path f = dir.resolve("bom.conf");
        Files.write(f, "\uFEFFmax-pairs = 20000\nretention = 2h\n".getBytes(StandardCharsets.UTF_8));
        Settings s = Main.parse(new String[] {"--config", f.toString()}, Map.of());
        assertThat(s.store().maxPairs()).isEqualTo(20_000);
        assertThat(s.store().retention()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aSettingGivenTwiceInTheConfigFileNamesBothLinesUnlessItIsRepeatable() throws IOException {
        Result twice = run(
                Map.of(),
                "--config",
                config("max-pairs = 1000\n# more\nmax-pairs = 30000\n").toString());
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err().lines())
                .singleElement()
                .asString()
                .startsWith("routerlog: ")
                .contains("line 3")
                .contains("max-pairs is already set on line 1");
        // a repeatable option may be given on several lines
        Settings s = Main.parse(
                new String[] {
                    "--config",
                    config("ignore-domain = a.test\nignore-domain = b.test\n").toString()
                },
                Map.of());
        assertThat(s.rules().ignoreDomains()).containsExactly("a.test", "b.test");
    }

    @Test
    void aConfigFileThatIsNotTextOrTooLargeIsRefusedOnOneLine() throws IOException {
        Path binary = dir.resolve("binary.conf");
        Files.write(binary, new byte[] {'m', 'a', 'x', (byte) 0xc3, (byte) 0x28, '\n', 0, 1, 2, (byte) 0xff});
        Path nul = dir.resolve("nul.conf");
        Files.write(nul, "max-pairs = 20000\nretention\0= 2h\n".getBytes(StandardCharsets.UTF_8));
        Path large = dir.resolve("large.conf");
        Files.writeString(large, "# padding\n".repeat(120_000));
        Map<Path, String> cases = new LinkedHashMap<>();
        cases.put(binary, "config file " + binary + " is not text (not UTF-8, line 1)");
        cases.put(nul, "config file " + nul + " is not text (a NUL byte on line 2)");
        cases.put(large, "config file " + large + " is larger than 1 MiB: not a settings file");
        cases.put(Path.of("/dev/zero"), "config file /dev/zero is larger than 1 MiB: not a settings file");
        cases.forEach((file, message) -> {
            if (!Files.exists(file)) {
                return; // no /dev/zero here
            }
            Result r = run(Map.of(), "--config", file.toString());
            assertThat(r.code()).as(file.toString()).isEqualTo(2);
            assertThat(r.err().lines())
                    .as(file.toString())
                    .singleElement()
                    .asString()
                    .isEqualTo("routerlog: " + message);
        });
    }

    @Test
    void anEmptyAllowFromIsRefusedRatherThanRefusingEverySender() throws IOException {
        // with a bad --log-level too (checked last), so that a node would not start if the empty list passed
        for (Result r : List.of(
                run(Map.of(), "--allow-from", "", "--log-level", "loud"),
                run(Map.of("ROUTERLOG_ALLOW_FROM", " "), "--log-level", "loud"),
                run(Map.of(), "--config", config("allow-from =\n").toString(), "--log-level", "loud"))) {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().lines()).singleElement().asString().startsWith("routerlog: --allow-from is empty");
        }
    }

    @Test
    void filesThatCannotBeReadSayWhy() throws IOException {
        Path missing = dir.resolve("missing");
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        Path cert = Files.writeString(dir.resolve("cert.pem"), "");
        @SuppressWarnings("ArrayAsKeyOfSetOrMap") // only iterated, in order
        Map<String[], String> cases = new LinkedHashMap<>();
        cases.put(
                new String[] {"--config", directory.toString()},
                "cannot read config file " + directory + ": is a directory");
        cases.put(
                new String[] {"--leases-file", missing.toString()},
                "--leases-file: cannot read " + missing + ": no such file");
        cases.put(
                new String[] {"--leases-file", directory.toString()},
                "--leases-file: cannot read " + directory + ": is a directory");
        cases.put(
                new String[] {"--geoip-country-db", missing.toString()},
                "--geoip-country-db: cannot read " + missing + ": no such file");
        cases.put(
                new String[] {"--geoip-asn-db", directory.toString()},
                "--geoip-asn-db: cannot read " + directory + ": is a directory");
        cases.put(
                new String[] {"--http-tls", "--tls-cert", missing.toString(), "--tls-key", cert.toString()},
                "--tls-cert: cannot read " + missing + ": no such file");
        cases.put(
                new String[] {"--http-tls", "--tls-cert", directory.toString(), "--tls-key", cert.toString()},
                "--tls-cert: cannot read " + directory + ": is a directory");
        cases.forEach((args, reason) -> {
            Result r = run(Map.of(), args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().lines())
                    .as(String.join(" ", args))
                    .singleElement()
                    .asString()
                    .startsWith("routerlog: " + reason);
        });
    }

    @Test
    void helpListsEveryOptionAndItsEnvironmentVariableRule() {
        Result r = run(Map.of(), "--help");
        assertThat(r.code()).isZero();
        for (String option : List.of(
                "--config",
                "--listen-address",
                "--syslog-port",
                "--http-address",
                "--http-port",
                "--max-frame",
                "--udp-receive-buffer",
                "--io-threads",
                "--max-pairs",
                "--max-leases",
                "--retention",
                "--query-log-size",
                "--flush-interval",
                "--dnstt-domain",
                "--dnstt-active-window",
                "--max-dnstt-sessions",
                "--suspect-window",
                "--suspect-threshold",
                "--suspect-allow",
                "--geoip-country-db",
                "--geoip-asn-db",
                "--leases-file",
                "--log-level",
                "--version")) {
            assertThat(r.out()).contains(option);
        }
        assertThat(r.out()).contains("ROUTERLOG_MAX_PAIRS").contains("CAP_NET_BIND_SERVICE");
    }

    @Test
    void helpFitsEightyColumnsAndShowsFlagsWithoutAValue() {
        for (String[] args : List.of(
                new String[] {"--help"},
                new String[] {"ingest", "--help"},
                new String[] {"hash-password", "--help"},
                new String[] {"loadgen", "--help"},
                new String[] {"top", "--help"},
                new String[] {"top", "domains", "--help"},
                new String[] {"top", "clients", "--help"},
                new String[] {"queries", "--help"},
                new String[] {"suspects", "--help"})) {
            Result r = run(Map.of("COLUMNS", "80"), args);
            String what = String.join(" ", args);
            assertThat(r.code()).as(what).isZero();
            assertThat(r.out().lines())
                    .as("lines of %s longer than 80 columns", what)
                    .allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
            assertThat(r.out()).as(what).doesNotContain("[=<");
        }
        String help = run(Map.of(), "--help").out();
        assertThat(help)
                .containsPattern("(?m)^ +--http-tls +Serve the HTTP endpoints over HTTPS")
                .containsPattern("(?m)^ +--cluster-multicast +Find other nodes by multicast")
                .startsWith("Usage: routerlog [OPTION]...");
        // the flags still take an explicit value, from the command line and from the environment
        assertThat(Main.parse(new String[] {"--cluster-multicast"}, Map.of())
                        .store()
                        .cluster()
                        .multicast())
                .isTrue();
        assertThat(Main.parse(new String[] {"--cluster-multicast=false"}, Map.of("ROUTERLOG_CLUSTER_MULTICAST", "true"))
                        .store()
                        .cluster()
                        .multicast())
                .isFalse();
        assertThat(Main.parse(new String[] {"--cluster-multicast"}, Map.of("ROUTERLOG_CLUSTER_MULTICAST", "true"))
                        .store()
                        .cluster()
                        .multicast())
                .isTrue();
    }

    @Test
    void thePasswordHashErrorShowsTheFormHashPasswordPrints() {
        InputStream stdin = System.in;
        Result hashed;
        try {
            System.setIn(new ByteArrayInputStream("s3cret-pass\n".getBytes(StandardCharsets.UTF_8)));
            hashed = run(Map.of(), "hash-password");
        } finally {
            System.setIn(stdin);
        }
        assertThat(hashed.code()).isZero();
        String hash = hashed.out().strip();
        Result bad = run(Map.of(), "--http-user", "admin", "--http-password-hash", "s3cret-pass");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("is not a bcrypt hash (" + hash.substring(0, 7) + "...)");
        assertThat(Main.parse(new String[] {"--http-user", "admin", "--http-password-hash", hash}, Map.of())
                        .http()
                        .login()
                        .orElseThrow()
                        .passwordHash())
                .isEqualTo(hash);
    }

    @Test
    void hashPasswordRefusesPasswordsLongerThanBcryptTakes() {
        InputStream stdin = System.in;
        Result tooLong;
        Result longest;
        try {
            // 73 bytes in UTF-8: bcrypt would silently use only the first 72
            System.setIn(new ByteArrayInputStream(("é".repeat(36) + "x\n").getBytes(StandardCharsets.UTF_8)));
            tooLong = run(Map.of(), "hash-password");
            System.setIn(new ByteArrayInputStream(("é".repeat(36) + "\n").getBytes(StandardCharsets.UTF_8)));
            longest = run(Map.of(), "hash-password");
        } finally {
            System.setIn(stdin);
        }
        assertThat(tooLong.code()).isEqualTo(2);
        assertThat(tooLong.out()).isEmpty();
        assertThat(tooLong.err().strip())
                .doesNotContain("\n")
                .contains("73 bytes")
                .contains("at most 72");
        assertThat(longest.code()).isZero();
        assertThat(longest.out().strip()).startsWith("$2");
    }

    @Test
    void versionPrintsTheVersion() {
        Result r = run(Map.of(), "--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("routerlog ");
    }

    @Test
    void unknownRouterlogEnvironmentVariablesAreReported() {
        Result r = run(Map.of("ROUTERLOG_MAX_PARIS", "1"), "--version");
        assertThat(r.err()).contains("ignoring unknown environment variable ROUTERLOG_MAX_PARIS");
    }
}
