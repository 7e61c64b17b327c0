package io.routerlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.routerlog.testing.Command;
import io.routerlog.testing.RouterLogProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar meeting settings that only fail when a component starts (Netty, the JDK's HTTP server,
 * Hazelcast): each ends with one line on standard error that names the option, exit code 2 for a setting that
 * cannot work (the systemd unit does not restart on it), exit code 1 for what a restart may fix (a port in use).
 */
class StartFailuresIT {
    /** An address of TEST-NET-3 (RFC 5737), on no interface of a test machine; never sent to. */
    private static final String FOREIGN = "203.0.113.77";

    @TempDir
    Path dir;

    /** A copy of the jar any user can read, for the runs without privileges. */
    private static Path jar;

    @BeforeAll
    static void copyJar() throws IOException {
        jar = Files.createTempFile("routerlog-start", ".jar");
        Files.copy(RouterLogProcess.jar(), jar, StandardCopyOption.REPLACE_EXISTING);
        jar.toFile().setReadable(true, false);
    }

    @AfterAll
    static void deleteJar() throws IOException {
        Files.deleteIfExists(jar);
    }

    private record Result(int code, String out, String err) {
        /** Fails unless the run ended with exactly one line on stderr, no stack trace and no ERROR log line. */
        String oneLine() {
            assertThat(err.lines().toList())
                    .as("stderr of a failed start; stdout:\n%s", out)
                    .hasSize(1);
            assertThat(out)
                    .as("stdout")
                    .doesNotContain("\tat ")
                    .doesNotContain("ERROR")
                    .doesNotContain("Exception");
            return err.strip();
        }
    }

    private static Result run(List<String> prefix, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(
                RouterLogProcess.javaBin(),
                "-Xmx256m",
                "-jar",
                jar.toString(),
                "--listen-address",
                "127.0.0.1",
                "--http-address",
                "127.0.0.1",
                "--syslog-port",
                "0",
                "--http-port",
                "0"));
        cmd.addAll(List.of(args));
        Command.Result r =
                Command.of(cmd).env(env).deadline(Duration.ofSeconds(60)).run();
        if (!r.finished()) {
            throw new AssertionError("still running after 60 s: " + String.join(" ", args) + "\n" + r.out());
        }
        return new Result(r.exitCode(), r.out(), r.err());
    }

    private static Result run(String... args) throws Exception {
        return run(List.of(), Map.of(), args);
    }

    private static void assumeForeign() throws IOException {
        assumeTrue(
                NetworkInterface.getByInetAddress(InetAddress.getByName(FOREIGN)) == null,
                FOREIGN + " is an address of this host");
    }

    @Test
    void aClusterInterfaceThatIsNotOnThisHostIsABadSetting() throws Exception {
        assumeForeign();
        Result r = run("--cluster-members", "127.0.0.1", "--cluster-interface", FOREIGN);
        assertThat(r.oneLine())
                .startsWith("routerlog: --cluster-interface: " + FOREIGN + " is not an address of this host");
        assertThat(r.code()).isEqualTo(2);

        r = run("--cluster-members", "127.0.0.1", "--cluster-interface", "203.0.113.*");
        assertThat(r.oneLine()).startsWith("routerlog: --cluster-interface: 203.0.113.* matches no address");
        assertThat(r.code()).isEqualTo(2);

        r = run("--cluster-members", "127.0.0.1", "--cluster-interface", "eth0");
        assertThat(r.oneLine()).startsWith("routerlog: --cluster-interface: 'eth0' is not an address or a pattern");
        assertThat(r.code()).isEqualTo(2);

        // from the environment (as in the systemd unit's environment file): said where it came from
        r = run(List.of(), Map.of("ROUTERLOG_CLUSTER_MEMBERS", "127.0.0.1", "ROUTERLOG_CLUSTER_INTERFACE", FOREIGN));
        assertThat(r.oneLine())
                .startsWith("routerlog: --cluster-interface: " + FOREIGN)
                .endsWith("(from environment variable ROUTERLOG_CLUSTER_INTERFACE)");
        assertThat(r.code()).isEqualTo(2);
    }

    @Test
    void listenAndHttpAddressesThatAreNotOnThisHostAreBadSettings() throws Exception {
        assumeForeign();
        Result r = run("--listen-address", FOREIGN);
        assertThat(r.oneLine())
                .isEqualTo("routerlog: --listen-address: " + FOREIGN + " is not an address of this host");
        assertThat(r.code()).isEqualTo(2);

        r = run("--http-address", FOREIGN);
        assertThat(r.oneLine()).isEqualTo("routerlog: --http-address: " + FOREIGN + " is not an address of this host");
        assertThat(r.code()).isEqualTo(2);
    }

    @Test
    void privilegedPortsWithoutTheCapabilityAreBadSettings() throws Exception {
        List<String> unprivileged;
        if (isRoot()) {
            assumeTrue(installed("setpriv"), "needs setpriv to drop root");
            unprivileged = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all");
        } else {
            unprivileged = List.of();
        }
        assumeTrue(
                Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"))
                        .get(0)
                        .strip()
                        .equals("1024"),
                "ports below 1024 are privileged here");
        for (String[] option :
                List.of(new String[] {"--syslog-port", "514"}, new String[] {"--http-port", "80"}, new String[] {
                    "--cluster-port", "700"
                })) {
            Result r = run(unprivileged, Map.of(), option);
            assertThat(r.oneLine())
                    .as(option[0])
                    .isEqualTo("routerlog: " + option[0] + ": port " + option[1]
                            + " needs root or the CAP_NET_BIND_SERVICE capability (or use a port from 1024 up)");
            assertThat(r.code()).as(option[0]).isEqualTo(2);
        }
    }

    @Test
    void aPortInUseIsExitCode1WithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result r = run("--syslog-port", Integer.toString(taken.getLocalPort()));
            assertThat(r.oneLine())
                    .startsWith("routerlog: cannot start: cannot listen on tcp 127.0.0.1 port " + taken.getLocalPort()
                            + ": ")
                    .contains("in use");
            assertThat(r.code()).isEqualTo(1);

            r = run("--http-port", Integer.toString(taken.getLocalPort()));
            assertThat(r.oneLine())
                    .startsWith("routerlog: cannot start: cannot serve HTTP on 127.0.0.1 port " + taken.getLocalPort()
                            + ": ")
                    .contains("in use");
            assertThat(r.code()).isEqualTo(1);
        }
    }

    @Test
    void tlsFilesThatDoNotParseAreBadSettingsNamingTheirOption() throws Exception {
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(
                garbage, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        Path key = dir.resolve("key.pem");
        Files.writeString(key, "not a key\n");
        Result r = run("--http-tls", "--tls-cert", garbage.toString(), "--tls-key", key.toString());
        assertThat(r.oneLine()).startsWith("routerlog: --tls-cert: " + garbage + ": not a valid certificate");
        assertThat(r.code()).isEqualTo(2);
    }

    @Test
    void filesTheUserCannotReadSayPermissionDenied() throws Exception {
        assumeTrue(isRoot() && installed("setpriv"), "needs root to make files another user cannot read");
        List<String> nobody =
                List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all");
        Path shared = Files.createTempDirectory("routerlog-files");
        try {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path conf = Files.writeString(shared.resolve("routerlog.conf"), "max-pairs = 20000\n");
            Path leases = Files.writeString(shared.resolve("dhcp.leases"), "");
            for (Path f : List.of(conf, leases)) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            }
            Result r = run(nobody, Map.of(), "--config", conf.toString());
            assertThat(r.oneLine())
                    .isEqualTo("routerlog: cannot read config file " + conf
                            + ": permission denied (owner root, mode rw-------)");
            assertThat(r.code()).isEqualTo(2);

            r = run(nobody, Map.of(), "--leases-file", leases.toString());
            assertThat(r.oneLine())
                    .startsWith("routerlog: --leases-file: cannot read " + leases
                            + ": permission denied (owner root, mode rw-------)");
            assertThat(r.code()).isEqualTo(2);
        } finally {
            for (String f : List.of("routerlog.conf", "dhcp.leases")) {
                Files.deleteIfExists(shared.resolve(f));
            }
            Files.delete(shared);
        }
    }

    private static boolean isRoot() throws IOException {
        return "0".equals(Command.of("id", "-u").run().out().strip());
    }

    private static boolean installed(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
