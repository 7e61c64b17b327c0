package io.routerlog.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.routerlog.OptionsCheck;
import io.routerlog.Settings;
import io.routerlog.config.ConfigSources;
import io.routerlog.testing.Certificates;
import io.routerlog.testing.Command;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * The files under {@code deploy/}: they parse, have the structure their tools expect, agree with each other, and
 * every routerlog flag and {@code ROUTERLOG_*} variable in them is accepted by routerlog's own option parser.
 *
 * <p>Some checks run external tools and fail when they are missing: {@code promtool} (Debian package
 * {@code prometheus}), {@code systemd-analyze} (Debian package {@code systemd}) and {@code openssl} (Debian package
 * {@code openssl}, for a test certificate). None needs a running systemd, Docker or Kubernetes.
 */
class DeployFilesTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path DEPLOY = ROOT.resolve("deploy");
    private static final Path UNIT = DEPLOY.resolve("systemd/routerlog.service");
    private static final Path ENV_FILE = DEPLOY.resolve("systemd/routerlog.env");
    private static final Path DOCKERFILE = DEPLOY.resolve("docker/Dockerfile");
    private static final Path COMPOSE = DEPLOY.resolve("docker/docker-compose.yml");
    private static final Path PROMETHEUS = DEPLOY.resolve("prometheus/prometheus.yml");
    private static final Path GRAFANA_DATASOURCE = DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml");
    private static final Path GRAFANA_DASHBOARDS = DEPLOY.resolve("grafana/provisioning/dashboards/routerlog.yml");
    private static final Path K8S = DEPLOY.resolve("k8s/routerlog.yaml");
    private static final Path README = DEPLOY.resolve("README.md");
    private static final Path DASHBOARD = DEPLOY.resolve("grafana/dashboards/routerlog-dns.json");

    /** The command line the unit runs; the install steps in its header put the jar there. */
    private static final String EXEC_START = "/usr/bin/java $JAVA_OPTS -jar /opt/routerlog/routerlog.jar";

    private static final List<String> ROUTERLOG_SERVICES = List.of("routerlog-1", "routerlog-2");
    /**
     * Room the JVM needs beside its heap (metaspace, code cache, thread stacks, direct buffers, the C heap): about
     * 170 MiB resident in a long run (docs/PERFORMANCE.md), 140 MiB when the native heap is trimmed.
     */
    private static final long NON_HEAP_ROOM = 192L << 20;

    @TempDir
    Path tmp;

    // --- YAML --------------------------------------------------------------------------------------------------------

    @Test
    void everyYamlFileUnderDeployParsesAsMappings() throws IOException {
        assertThat(ROOT.resolve("pom.xml"))
                .as("tests run from the repository root")
                .isRegularFile();
        List<Path> yamlFiles;
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            yamlFiles = files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().matches(".*\\.ya?ml"))
                    .sorted()
                    .toList();
        }
        assertThat(yamlFiles).contains(COMPOSE, PROMETHEUS, GRAFANA_DATASOURCE, GRAFANA_DASHBOARDS, K8S);
        for (Path f : yamlFiles) {
            List<Object> docs = loadAll(f);
            assertThat(docs).as("%s: YAML documents", ROOT.relativize(f)).isNotEmpty();
            assertThat(docs)
                    .as("%s: every document is a mapping", ROOT.relativize(f))
                    .allSatisfy(d -> assertThat(d).isInstanceOf(Map.class));
        }
    }

    @Test
    void yamlLoaderRejectsDuplicateKeys() {
        // the loader used above must be strict enough to catch a key written twice (the later one would win)
        assertThatThrownBy(() -> yaml().loadAll("a: 1\nb: 2\na: 3\n").forEach(d -> {}))
                .hasMessageContaining("duplicate key");
    }

    // --- docker compose ----------------------------------------------------------------------------------------------

    @Test
    void composeRunsTwoRouterlogNodesThatClusterWithEachOther() throws IOException {
        Map<String, Object> services = map(loadOne(COMPOSE).get("services"));
        assertThat(services).containsOnlyKeys("routerlog-1", "routerlog-2", "prometheus", "grafana");

        Map<String, Settings> nodes = new TreeMap<>();
        Map<String, Integer> syslogHostPorts = new TreeMap<>();
        for (String name : ROUTERLOG_SERVICES) {
            Map<String, Object> service = map(services.get(name));
            Map<String, Object> build = map(service.get("build"));
            assertThat(COMPOSE.getParent().resolve(str(build.get("context"))).normalize())
                    .as("%s: build context is the repository root", name)
                    .isEqualTo(ROOT);
            assertThat(ROOT.resolve(str(build.get("dockerfile"))).normalize())
                    .as("%s: dockerfile", name)
                    .isEqualTo(DOCKERFILE);

            Settings settings =
                    parseOptions(name, strings(service.get("command")), environment(service.get("environment")));
            nodes.put(name, settings);

            List<PortMapping> ports = list(service.get("ports")).stream()
                    .map(p -> PortMapping.parse(str(p)))
                    .toList();
            List<PortMapping> syslog = ports.stream()
                    .filter(p -> p.container() == settings.syslog().port())
                    .toList();
            assertThat(syslog)
                    .as("%s: syslog port %d published", name, settings.syslog().port())
                    .extracting(PortMapping::protocol)
                    .containsExactlyInAnyOrder("udp", "tcp");
            assertThat(syslog)
                    .as("%s: UDP and TCP on the same host port", name)
                    .extracting(PortMapping::host)
                    .containsOnly(syslog.get(0).host());
            syslogHostPorts.put(name, syslog.get(0).host());

            Duration stopGrace = duration(str(service.get("stop_grace_period")));
            assertThat(stopGrace)
                    .as("%s: stop_grace_period leaves time to drain, flush and leave", name)
                    .isGreaterThanOrEqualTo(settings.syslog().shutdownGrace().plusSeconds(10));
        }
        assertThat(Set.copyOf(syslogHostPorts.values()))
                .as("each node's syslog on its own host port")
                .hasSize(2);

        Settings one = nodes.get("routerlog-1");
        Settings two = nodes.get("routerlog-2");
        assertThat(one.store().cluster().name())
                .as("cluster names")
                .isEqualTo(two.store().cluster().name());
        assertThat(memberHosts(one)).as("routerlog-1 --cluster-members").contains("routerlog-2");
        assertThat(memberHosts(two)).as("routerlog-2 --cluster-members").contains("routerlog-1");
        for (Settings node : nodes.values()) {
            for (String member : node.store().cluster().members()) {
                String host = host(member);
                assertThat(ROUTERLOG_SERVICES)
                        .as("cluster member %s is a routerlog service", member)
                        .contains(host);
                int port = member.contains(":") ? Integer.parseInt(member.substring(member.indexOf(':') + 1)) : 5701;
                assertThat(port)
                        .as("cluster member %s: port", member)
                        .isEqualTo(nodes.get(host).store().cluster().port());
            }
        }
    }

    @Test
    void composePrometheusScrapesBothNodesAndGrafanaIsProvisioned() throws IOException {
        Map<String, Object> services = map(loadOne(COMPOSE).get("services"));

        Map<String, Object> prometheus = map(services.get("prometheus"));
        Map<String, String> promMounts = bindMounts(prometheus);
        assertThat(promMounts).as("prometheus volumes").containsKey("/etc/prometheus/prometheus.yml");
        assertThat(COMPOSE.getParent()
                        .resolve(promMounts.get("/etc/prometheus/prometheus.yml"))
                        .normalize())
                .isEqualTo(PROMETHEUS);
        assertThat(strings(prometheus.get("command")))
                .as("prometheus command")
                .contains("--config.file=/etc/prometheus/prometheus.yml");

        // the routerlog job scrapes every routerlog service on the HTTP port it really listens on
        Set<String> expectedTargets = new TreeSet<>();
        for (String name : ROUTERLOG_SERVICES) {
            Map<String, Object> service = map(services.get(name));
            Settings s = parseOptions(name, strings(service.get("command")), environment(service.get("environment")));
            expectedTargets.add(name + ":" + s.http().port());
        }
        Map<String, Object> job = scrapeJob(loadOne(PROMETHEUS), "routerlog");
        assertThat(str(job.getOrDefault("metrics_path", "/metrics"))).isEqualTo("/metrics");
        Set<String> targets = new TreeSet<>();
        for (Object sc : list(job.get("static_configs"))) {
            strings(map(sc).get("targets")).forEach(targets::add);
        }
        assertThat(targets).as("routerlog scrape targets").isEqualTo(expectedTargets);

        Map<String, Object> grafana = map(services.get("grafana"));
        Map<String, String> mounts = bindMounts(grafana);
        assertThat(mounts).containsKeys("/etc/grafana/provisioning", "/var/lib/grafana/dashboards");
        assertThat(COMPOSE.getParent()
                        .resolve(mounts.get("/etc/grafana/provisioning"))
                        .normalize())
                .isEqualTo(DEPLOY.resolve("grafana/provisioning"));
        assertThat(COMPOSE.getParent()
                        .resolve(mounts.get("/var/lib/grafana/dashboards"))
                        .normalize())
                .isEqualTo(DEPLOY.resolve("grafana/dashboards"));

        Map<String, Object> datasource =
                map(list(loadOne(GRAFANA_DATASOURCE).get("datasources")).get(0));
        assertThat(datasource).containsEntry("uid", "prometheus").containsEntry("type", "prometheus");
        assertThat(str(datasource.get("url")))
                .as("datasource url: the compose service, Prometheus' port")
                .isEqualTo("http://prometheus:9090");
        assertThat(strings(map(services.get("grafana")).get("depends_on"))).contains("prometheus");

        Map<String, Object> provider =
                map(list(loadOne(GRAFANA_DASHBOARDS).get("providers")).get(0));
        assertThat(provider).containsEntry("type", "file");
        assertThat(map(provider.get("options")))
                .as("dashboard provider reads what compose mounts")
                .containsEntry("path", "/var/lib/grafana/dashboards");
    }

    // --- Prometheus --------------------------------------------------------------------------------------------------

    @Test
    void prometheusConfigPassesPromtool() throws Exception {
        String promtool = tool("promtool", "prometheus");
        Result ok = run(ROOT, promtool, "check", "config", PROMETHEUS.toString());
        assertThat(ok.code()).as("promtool check config: %s", ok.output()).isZero();
        assertThat(ok.output()).contains("SUCCESS");

        // promtool really checks: a broken copy fails
        Path broken = tmp.resolve("prometheus.yml");
        Files.writeString(broken, Files.readString(PROMETHEUS).replace("scrape_interval: 15s", "scrape_interval: 15x"));
        assertThat(Files.readString(broken)).contains("15x");
        Result bad = run(tmp, promtool, "check", "config", broken.toString());
        assertThat(bad.code())
                .as("promtool on a broken config: %s", bad.output())
                .isNotZero();
    }

    @Test
    void tunnelAlertFiresForASuspectAndOnlyForIt() throws Exception {
        String promtool = tool("promtool", "prometheus");
        Path rules = ROOT.resolve("deploy/prometheus/alerts.yml");
        Result check = run(ROOT, promtool, "check", "rules", rules.toString());
        assertThat(check.code()).as("promtool check rules: %s", check.output()).isZero();
        // two nodes: one shows the suspect domain; the alert fires after 5 minutes, once per domain
        Path test = tmp.resolve("alerts-test.yml");
        Files.writeString(
                test,
                String.join(
                        "\n",
                        "rule_files: ['" + rules.toAbsolutePath() + "']",
                        "evaluation_interval: 1m",
                        "tests:",
                        "  - interval: 1m",
                        "    input_series:",
                        "      - series: 'routerlog_dns_suspect_score{domain=\"t.example\",instance=\"a:9514\"}'",
                        "        values: '9 9 9 9 9 9 9 9'",
                        "      - series: 'routerlog_dns_suspects{instance=\"b:9514\"}'",
                        "        values: '0 0 0 0 0 0 0 0'",
                        "    alert_rule_test:",
                        "      - eval_time: 3m",
                        "        alertname: DnsTunnelSuspect",
                        "        exp_alerts: []",
                        "      - eval_time: 6m",
                        "        alertname: DnsTunnelSuspect",
                        "        exp_alerts:",
                        "          - exp_labels: {severity: warning, domain: t.example}",
                        "            exp_annotations:",
                        "              summary: 'DNS tunnel suspected under t.example'",
                        "              description: 'Queries for names under t.example score 9 as a DNS tunnel. Which"
                                + " devices asked, and why it scores so: GET /api/v1/suspects on any routerlog node."
                                + " If the domain is expected, add it with --suspect-allow.'",
                        ""));
        Result ok = run(tmp, promtool, "test", "rules", test.toString());
        assertThat(ok.code()).as("promtool test rules: %s", ok.output()).isZero();
        assertThat(ok.output()).contains("SUCCESS");
    }

    @Test
    void prometheusConfigIsSelfContainedAndScrapesEvery15s() throws IOException {
        Map<String, Object> config = loadOne(PROMETHEUS);
        assertThat(map(config.get("global"))).containsEntry("scrape_interval", "15s");
        assertThat(config).doesNotContainKeys("rule_files", "scrape_config_files");
        for (Object job : list(config.get("scrape_configs"))) {
            assertThat(map(job))
                    .as("job %s uses static targets only", map(job).get("job_name"))
                    .doesNotContainKey("file_sd_configs");
        }
    }

    // --- systemd -----------------------------------------------------------------------------------------------------

    @Test
    void unitIsHardenedAndRunsTheJarWithTheEnvironmentFile() throws IOException {
        Map<String, Map<String, List<String>>> unit = parseUnit(UNIT);
        Map<String, List<String>> service = unit.get("Service");
        assertThat(service).as("[Service]").isNotNull();
        assertThat(service.get("ExecStart")).containsExactly(EXEC_START);
        assertThat(service.get("EnvironmentFile")).containsExactly("-/etc/default/routerlog");

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("DynamicUser", "yes");
        expected.put("AmbientCapabilities", "CAP_NET_BIND_SERVICE");
        expected.put("CapabilityBoundingSet", "CAP_NET_BIND_SERVICE");
        expected.put("NoNewPrivileges", "yes");
        expected.put("ProtectSystem", "strict");
        expected.put("ProtectHome", "yes");
        expected.put("PrivateTmp", "yes");
        expected.put("PrivateDevices", "yes");
        expected.put("ProtectKernelTunables", "yes");
        expected.put("ProtectKernelModules", "yes");
        expected.put("ProtectKernelLogs", "yes");
        expected.put("ProtectControlGroups", "yes");
        expected.put("SystemCallFilter", "@system-service");
        expected.put("Restart", "on-failure");
        expected.forEach(
                (key, value) -> assertThat(service.get(key)).as("%s=", key).containsExactly(value));
        assertThat(service.get("RestrictAddressFamilies")).hasSize(1);
        assertThat(service.get("RestrictAddressFamilies").get(0).split("\\s+"))
                .contains("AF_INET", "AF_INET6")
                .isSubsetOf("AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK");
        assertThat(service).as("the JIT needs writable+executable memory").doesNotContainKey("MemoryDenyWriteExecute");
        assertThat(unit.get("Install").get("WantedBy")).containsExactly("multi-user.target");

        // memory: the unit's limit leaves room beside the JVM heap it sets
        String javaOpts = unitJavaOpts(service);
        assertThat(systemdBytes(service.get("MemoryMax").get(0)))
                .as("MemoryMax against %s", javaOpts)
                .isGreaterThanOrEqualTo(xmx(javaOpts) + NON_HEAP_ROOM);
        // and the comments about it speak of the heap the unit sets
        List<String> heapsInComments = Files.readAllLines(UNIT).stream()
                .filter(l -> l.startsWith("#"))
                .flatMap(l -> Pattern.compile("-Xmx\\w+|\\(\\d+[mMgG]\\)")
                        .matcher(l)
                        .results()
                        .map(r -> r.group()))
                .toList();
        assertThat(heapsInComments)
                .as("heap sizes named in the unit's comments")
                .isNotEmpty()
                .allSatisfy(h -> assertThat(xmx(h.startsWith("(") ? "-Xmx" + h.substring(1, h.length() - 1) : h))
                        .as(h)
                        .isEqualTo(xmx(javaOpts)));

        // stop: longer than the drain routerlog does with the installed settings
        Settings settings = parseOptions("routerlog.env", List.of(), envFile().active());
        assertThat(duration(service.get("TimeoutStopSec").get(0)))
                .as("TimeoutStopSec")
                .isGreaterThanOrEqualTo(settings.syslog().shutdownGrace().plusSeconds(30));

        String header = Files.readAllLines(UNIT).stream()
                .takeWhile(l -> l.startsWith("#"))
                .collect(Collectors.joining("\n"));
        assertThat(header)
                .as("install instructions")
                .contains(
                        "/opt/routerlog/routerlog.jar",
                        "/etc/systemd/system/routerlog.service",
                        "/etc/default/routerlog",
                        "systemctl daemon-reload",
                        "systemctl enable --now routerlog");
    }

    /**
     * {@code systemd-analyze verify} checks that ExecStart's binary exists, so it runs on a copy whose
     * {@code /usr/bin/java} is replaced by the java running this test; everything else is the unit as shipped.
     */
    @Test
    void systemdAnalyzeVerifyAcceptsTheUnit() throws Exception {
        String analyze = tool("systemd-analyze", "systemd");
        Path copy = unitCopyWithThisJava(tmp.resolve("routerlog.service"));
        Result verify = run(tmp, analyze, "verify", copy.toString());
        assertThat(verify.code())
                .as("systemd-analyze verify: %s", verify.output())
                .isZero();
        assertThat(complaints(verify.output(), "routerlog.service"))
                .as("systemd-analyze verify output")
                .isEmpty();

        // the check above can fail: the same systemd-analyze reports a misspelt setting
        Path broken = tmp.resolve("broken.service");
        Files.writeString(
                broken,
                Files.readString(copy)
                        .replace("ProtectKernelTunables=yes", "ProtectKernelTunables=yes\nProtectKernelTunabels=yes"));
        Result bad = run(tmp, analyze, "verify", broken.toString());
        assertThat(complaints(bad.output(), "broken.service"))
                .as("verify on a misspelt key: %s", bad.output())
                .anySatisfy(l -> assertThat(l).contains("ProtectKernelTunabels"));
    }

    @Test
    void systemdSecurityRatesTheUnitOk() throws Exception {
        String analyze = tool("systemd-analyze", "systemd");
        Path copy = unitCopyWithThisJava(tmp.resolve("routerlog.service"));
        Result security = run(tmp, analyze, "security", "--offline=true", "--no-pager", copy.toString());
        assertThat(security.code())
                .as("systemd-analyze security: %s", security.output())
                .isZero();
        Matcher m = Pattern.compile("Overall exposure level for routerlog\\.service: (\\d+\\.\\d+)")
                .matcher(security.output());
        assertThat(m.find()).as("exposure level in: %s", security.output()).isTrue();
        double exposure = Double.parseDouble(m.group(1));
        assertThat(exposure).as("exposure level (0 safe .. 10 unsafe)").isLessThanOrEqualTo(2.5);
    }

    @Test
    void environmentFileDocumentsEveryOptionWithItsDefaultAndRouterlogAcceptsThem() throws Exception {
        EnvFile env = envFile();
        Map<String, String> known = OptionsCheck.environmentNames();
        Set<String> names = new TreeSet<>(env.active().keySet());
        names.addAll(env.commented().keySet());
        for (String name : names) {
            if (!name.equals("JAVA_OPTS")) {
                assertThat(known)
                        .as("%s in routerlog.env is a routerlog option", name)
                        .containsKey(name);
            }
        }

        Set<String> documented = names.stream()
                .filter(known::containsKey)
                .map(known::get)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(OptionsCheck.optionNames());
        missing.removeAll(documented);
        missing.remove("--cluster-k8s-service"); // Kubernetes only
        assertThat(missing).as("options not documented in routerlog.env").isEmpty();

        Map<String, String> defaults = OptionsCheck.defaults();
        env.commented().forEach((name, value) -> {
            String option = known.get(name);
            if (option != null && defaults.containsKey(option)) {
                assertThat(value)
                        .as("%s: commented value is the default of %s", name, option)
                        .isEqualTo(defaults.get(option));
            }
        });

        // every value, commented or not, is accepted together. Files are example paths that routerlog would open:
        // the TLS ones (which other settings need) are replaced by real files, the others left out.
        Map<String, String> all = new TreeMap<>(env.commented());
        all.putAll(env.active());
        all.remove("JAVA_OPTS");
        Map<String, Path> fixtures = tlsFixtures();
        for (String fileOption : OptionsCheck.fileOptions()) {
            String name = ConfigSources.envName(fileOption);
            String value = all.remove(name);
            if (value != null) {
                assertThat(Path.of(value)).as("%s example", fileOption).isAbsolute();
                if (fixtures.containsKey(fileOption)) {
                    all.put(name, fixtures.get(fileOption).toString());
                }
            }
        }
        Settings settings = parseOptions("routerlog.env (all values)", List.of(), all);
        assertThat(settings.store().cluster().members())
                .as("the example member list is used")
                .isNotEmpty();

        String unitOpts = unitJavaOpts(parseUnit(UNIT).get("Service"));
        if (env.commented().containsKey("JAVA_OPTS")) {
            assertThat(env.commented().get("JAVA_OPTS"))
                    .as("JAVA_OPTS shown as the unit's default")
                    .isEqualTo(unitOpts);
        }
    }

    @Test
    void optionsCheckRejectsWhatRouterlogWouldNot() {
        // the checks above rely on these failing
        assertThatThrownBy(() -> OptionsCheck.parse(List.of("--cluster-member=a"), Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class);
        assertThatThrownBy(() -> OptionsCheck.parse(List.of("--max-pairs=12"), Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class);
        assertThatThrownBy(() -> OptionsCheck.parse(List.of(), Map.of("ROUTERLOG_MAX_PAIR", "20000")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OptionsCheck.parse(List.of(), Map.of("ROUTERLOG_RETENTION", "forever")))
                .isInstanceOf(CommandLine.ParameterException.class);
        assertThat(OptionsCheck.parse(List.of("--syslog-port=514"), Map.of("ROUTERLOG_MAX_PAIRS", "20000")))
                .satisfies(s -> {
                    assertThat(s.syslog().port()).isEqualTo(514);
                    assertThat(s.store().maxPairs()).isEqualTo(20000);
                });
    }

    // --- Dockerfile ----------------------------------------------------------------------------------------------

    @Test
    void dockerfileBuildsWithMavenAndRunsTheJarAsNonRootWithAHealthcheck() throws IOException {
        List<Instruction> all = dockerInstructions(DOCKERFILE);
        List<List<Instruction>> stages = new ArrayList<>();
        for (Instruction i : all) {
            if (i.keyword().equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            assertThat(stages).as("%s before the first FROM", i.keyword()).isNotEmpty();
            stages.get(stages.size() - 1).add(i);
        }
        assertThat(stages).as("stages (FROM lines)").hasSizeGreaterThanOrEqualTo(2);

        // build stage: Maven with JDK 17 packages the jar from the repository (the build context)
        List<Instruction> build = stages.get(0);
        String[] from = build.get(0).args().split("\\s+");
        assertThat(from[0]).startsWith("maven:").contains("17");
        assertThat(from).as("build stage is named").hasSize(3);
        assertThat(from[1]).isEqualToIgnoringCase("AS");
        String buildStage = from[2];
        assertThat(build)
                .filteredOn(i -> i.keyword().equals("RUN"))
                .extracting(Instruction::args)
                .anySatisfy(r -> assertThat(r).contains("mvn -B -DskipTests package"));
        for (Instruction copy :
                build.stream().filter(i -> i.keyword().equals("COPY")).toList()) {
            String[] words = copy.args().split("\\s+");
            for (int k = 0; k < words.length - 1; k++) {
                if (!words[k].startsWith("--")) {
                    assertThat(ROOT.resolve(words[k]))
                            .as("COPY source %s in the build context", words[k])
                            .exists();
                }
            }
        }

        // runtime stage
        List<Instruction> runtime = stages.get(stages.size() - 1);
        String base = runtime.get(0).args().split("\\s+")[0];
        assertThat(base)
                .as("runtime base: a Java 17 JRE image that ships curl (the Ubuntu-based Temurin)")
                .startsWith("eclipse-temurin:17-jre")
                .doesNotContain("alpine")
                .doesNotContain("ubi");
        String jar = null;
        for (Instruction i : runtime) {
            if (i.keyword().equals("COPY") && i.args().startsWith("--from=" + buildStage + " ")) {
                String[] words = i.args().split("\\s+");
                assertThat(words[1]).endsWith("target/routerlog.jar");
                jar = words[2];
            }
        }
        assertThat(jar).as("COPY --from=%s of the jar", buildStage).isNotNull();

        List<String> users = values(runtime, "USER");
        assertThat(users).as("USER in the runtime stage").isNotEmpty();
        String user = users.get(users.size() - 1).split(":")[0];
        assertThat(user).as("runtime user").isNotIn("root", "0");

        List<String> entrypoint = execForm(single(runtime, "ENTRYPOINT"));
        assertThat(entrypoint.subList(0, 3)).as("ENTRYPOINT").containsExactly("java", "-jar", jar);
        List<String> args = new ArrayList<>(entrypoint.subList(3, entrypoint.size()));
        List<String> cmd = values(runtime, "CMD");
        if (!cmd.isEmpty()) {
            args.addAll(execForm(cmd.get(cmd.size() - 1)));
        }
        Map<String, String> env = new TreeMap<>();
        for (String e : values(runtime, "ENV")) {
            env.putAll(dockerEnv(e));
        }
        Settings settings = parseOptions("Dockerfile ENTRYPOINT/CMD/ENV", args, env);

        Set<String> exposed = new TreeSet<>();
        for (String e : values(runtime, "EXPOSE")) {
            for (String port : e.split("\\s+")) {
                exposed.add(port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp");
            }
        }
        assertThat(exposed)
                .as("EXPOSE")
                .contains(
                        settings.syslog().port() + "/udp",
                        settings.syslog().port() + "/tcp",
                        settings.http().port() + "/tcp",
                        settings.store().cluster().port() + "/tcp");

        String health = single(runtime, "HEALTHCHECK");
        assertThat(health)
                .as("HEALTHCHECK")
                .contains(" CMD ")
                .contains("http://127.0.0.1:" + settings.http().port() + "/healthz");
        assertThat(health).as("HEALTHCHECK fails on an HTTP error").containsPattern("curl -f\\S*\\s");
    }

    // --- Kubernetes --------------------------------------------------------------------------------------------------

    @Test
    void kubernetesStatefulSetClustersThroughTheHeadlessServiceAndServesProbesAndMetrics() throws IOException {
        Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
        for (Object doc : loadAll(K8S)) {
            Map<String, Object> o = map(doc);
            String key = str(o.get("kind")) + "/" + str(map(o.get("metadata")).get("name"));
            assertThat(objects).as("objects").doesNotContainKey(key);
            objects.put(key, o);
        }
        Map<String, Object> sts = objects.get("StatefulSet/routerlog");
        assertThat(sts).as("StatefulSet/routerlog in %s", objects.keySet()).isNotNull();
        assertThat(str(sts.get("apiVersion"))).isEqualTo("apps/v1");
        String namespace = str(map(sts.get("metadata")).getOrDefault("namespace", "default"));
        for (Map<String, Object> o : objects.values()) {
            if (!str(o.get("kind")).equals("Namespace")) {
                assertThat(map(o.get("metadata")).get("namespace"))
                        .as("namespace of %s", o.get("kind"))
                        .isEqualTo(map(sts.get("metadata")).get("namespace"));
            }
        }

        Map<String, Object> spec = map(sts.get("spec"));
        assertThat(spec.get("replicas")).isEqualTo(3);
        Map<String, Object> template = map(spec.get("template"));
        Map<String, Object> podLabels = map(map(template.get("metadata")).get("labels"));
        assertThat(podLabels).containsAllEntriesOf(map(map(spec.get("selector")).get("matchLabels")));
        Map<String, Object> pod = map(template.get("spec"));
        assertThat(list(pod.get("containers"))).hasSize(1);
        Map<String, Object> container = map(list(pod.get("containers")).get(0));

        // args and env, with $(VAR) expanded as the kubelet does
        Map<String, String> env = containerEnv(container, namespace);
        List<String> args = strings(container.getOrDefault("args", List.of())).stream()
                .map(a -> expand(a, env))
                .toList();
        Settings settings = parseOptions("StatefulSet container", args, env);

        // the headless service Hazelcast finds the members through
        String headlessName = str(spec.get("serviceName"));
        Map<String, Object> headless = map(objects.get("Service/" + headlessName));
        assertThat(headless)
                .as("Service/%s (the StatefulSet's serviceName)", headlessName)
                .isNotNull();
        Map<String, Object> headlessSpec = map(headless.get("spec"));
        assertThat(headlessSpec).containsEntry("clusterIP", "None").containsEntry("publishNotReadyAddresses", true);
        assertThat(settings.store().cluster().k8sService())
                .as("--cluster-k8s-service")
                .isEqualTo(headlessName + "." + namespace + ".svc.cluster.local");
        Map<String, Object> hazelcastPort = map(list(headlessSpec.get("ports")).get(0));
        assertThat(hazelcastPort.get("port"))
                .isEqualTo(5701)
                .isEqualTo(settings.store().cluster().port());
        assertThat(targetPort(container, hazelcastPort))
                .isEqualTo(settings.store().cluster().port());
        assertThat(podLabels)
                .as("headless service selects the pods")
                .containsAllEntriesOf(map(headlessSpec.get("selector")));

        // syslog for the routers, UDP and TCP
        Map<String, Object> syslog = map(objects.get("Service/routerlog-syslog"));
        Map<String, Object> syslogSpec = map(syslog.get("spec"));
        assertThat(str(syslogSpec.get("type"))).isIn("LoadBalancer", "NodePort");
        assertThat(podLabels).containsAllEntriesOf(map(syslogSpec.get("selector")));
        Map<String, Integer> syslogPorts = new TreeMap<>();
        for (Object p : list(syslogSpec.get("ports"))) {
            Map<String, Object> port = map(p);
            syslogPorts.put(str(port.getOrDefault("protocol", "TCP")), (Integer) port.get("port"));
            assertThat(targetPort(container, port))
                    .as("syslog target port")
                    .isEqualTo(settings.syslog().port());
        }
        assertThat(syslogPorts).containsExactlyInAnyOrderEntriesOf(Map.of("UDP", 5514, "TCP", 5514));

        // metrics, annotated for Prometheus
        Map<String, Object> metrics = map(objects.get("Service/routerlog-metrics"));
        assertThat(map(map(metrics.get("metadata")).get("annotations")))
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry(
                        "prometheus.io/port", Integer.toString(settings.http().port()))
                .containsEntry("prometheus.io/path", "/metrics");
        Map<String, Object> metricsSpec = map(metrics.get("spec"));
        assertThat(podLabels).containsAllEntriesOf(map(metricsSpec.get("selector")));
        assertThat(targetPort(container, map(list(metricsSpec.get("ports")).get(0))))
                .isEqualTo(settings.http().port());

        // probes
        assertThat(container).containsKeys("readinessProbe", "livenessProbe");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            if (container.containsKey(probe)) {
                Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
                assertThat(get).as(probe).containsEntry("path", "/healthz");
                assertThat(containerPort(container, get.get("port"), "TCP"))
                        .as("%s port", probe)
                        .isEqualTo(settings.http().port());
            }
        }

        // resources for the JVM, stop time for the drain
        Map<String, Object> resources = map(container.get("resources"));
        long limit = k8sBytes(str(map(resources.get("limits")).get("memory")));
        long request = k8sBytes(str(map(resources.get("requests")).get("memory")));
        assertThat(request).isLessThanOrEqualTo(limit);
        assertThat(limit)
                .as("memory limit against JAVA_TOOL_OPTIONS %s", env.get("JAVA_TOOL_OPTIONS"))
                .isGreaterThanOrEqualTo(xmx(env.get("JAVA_TOOL_OPTIONS")) + NON_HEAP_ROOM);
        assertThat(Duration.ofSeconds(((Number) pod.get("terminationGracePeriodSeconds")).longValue()))
                .isGreaterThanOrEqualTo(settings.syslog().shutdownGrace().plusSeconds(30));
        assertThat(map(pod.get("securityContext"))).containsEntry("runAsNonRoot", true);

        // Kubernetes' service links would put NAME_PORT=tcp://... into the pod for every Service of the namespace;
        // for a Service named routerlog-syslog that is ROUTERLOG_SYSLOG_PORT, which routerlog reads as --syslog-port
        Set<String> injected = new TreeSet<>();
        for (Map<String, Object> o : objects.values()) {
            if (str(o.get("kind")).equals("Service")) {
                injected.addAll(serviceLinkVariables(o));
            }
        }
        injected.retainAll(OptionsCheck.environmentNames().keySet());
        if (!injected.isEmpty()) {
            assertThat(pod.get("enableServiceLinks"))
                    .as("enableServiceLinks, since service links would set %s", injected)
                    .isEqualTo(false);
        }
    }

    @Test
    void serviceLinkNamesAreComputedAsKubernetesDoes() {
        Map<String, Object> service = Map.of(
                "metadata",
                Map.of("name", "routerlog-syslog"),
                "spec",
                Map.of("ports", List.of(Map.of("port", 5514, "protocol", "UDP"))));
        assertThat(serviceLinkVariables(service))
                .contains(
                        "ROUTERLOG_SYSLOG_SERVICE_HOST",
                        "ROUTERLOG_SYSLOG_SERVICE_PORT",
                        "ROUTERLOG_SYSLOG_PORT",
                        "ROUTERLOG_SYSLOG_PORT_5514_UDP_ADDR");
        assertThat(OptionsCheck.environmentNames()).containsKey("ROUTERLOG_SYSLOG_PORT");
    }

    // --- Grafana dashboard -------------------------------------------------------------------------------------------

    /** A metric the dashboard reads, with the selector after it if any. */
    private static final Pattern DASHBOARD_METRIC = Pattern.compile("\\b((?:routerlog|dnstt)_[a-z_]+)(\\{[^}]*})?");

    private static final String JOB_AND_INSTANCE = "job=~\"$job\", instance=~\"$instance\"";

    /**
     * Every metric every panel reads is selected by the job and instance variables: a node scraped both per node and
     * with ?scope=cluster (two jobs) would otherwise be counted twice, and the Lua collector's copies of the series
     * (scraped from the router) would be added to routerlog's.
     */
    @Test
    void everyDashboardQuerySelectsTheJobAndInstanceVariables() throws IOException {
        com.fasterxml.jackson.databind.JsonNode d = new ObjectMapper().readTree(DASHBOARD.toFile());
        Map<String, com.fasterxml.jackson.databind.JsonNode> variables = new LinkedHashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode v : d.path("templating").path("list")) {
            variables.put(v.path("name").asText(), v);
        }
        assertThat(variables).containsKeys("job", "instance", "client");
        assertThat(variables.get("job").path("query").asText()).isEqualTo("label_values(routerlog_build_info, job)");
        assertThat(variables.get("job").path("multi").asBoolean())
                .as("one job at a time")
                .isFalse();
        assertThat(variables.get("job").path("includeAll").asBoolean())
                .as("no All for job")
                .isFalse();
        assertThat(variables.get("instance").path("query").asText())
                .isEqualTo("label_values(routerlog_build_info{job=~\"$job\"}, instance)");
        assertThat(variables.get("instance").path("allValue").asText()).isEqualTo(".*");
        assertThat(variables.get("client").path("query").asText())
                .isEqualTo("label_values(routerlog_dns_queries_total{" + JOB_AND_INSTANCE + "}, client)");

        List<com.fasterxml.jackson.databind.JsonNode> panels = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode p : d.path("panels")) {
            panels.add(p);
            p.path("panels").forEach(panels::add);
        }
        int queries = 0;
        for (com.fasterxml.jackson.databind.JsonNode p : panels) {
            for (com.fasterxml.jackson.databind.JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText();
                String where =
                        "'" + p.path("title").asText() + "' " + t.path("refId").asText() + ": " + expr;
                Matcher m = DASHBOARD_METRIC.matcher(expr);
                int metrics = 0;
                while (m.find()) {
                    metrics++;
                    assertThat(m.group(2))
                            .as("selector of %s in %s", m.group(1), where)
                            .isNotNull()
                            .startsWith("{" + JOB_AND_INSTANCE);
                }
                assertThat(metrics).as("metrics read by %s", where).isPositive();
                queries++;
            }
        }
        assertThat(queries).as("panel queries").isGreaterThan(20);
    }

    // --- README ------------------------------------------------------------------------------------------------------

    /**
     * The image, Compose, Kubernetes and systemd start the JVM with the launcher's options ({@code scripts/java-opts.sh},
     * what the benchmarks measure), written out in each file: none may drop one. The native heap trim is the launcher's
     * only where the JVM knows it, so it is not required of the files that run the host's Java.
     */
    @Test
    void everyDeploymentStartsTheJvmWithTheLaunchersOptions() throws IOException {
        Result launcher = run(ROOT, "bash", "-c", "source scripts/java-opts.sh && routerlog_java_opts");
        assertThat(launcher.code()).as(launcher.output()).isZero();
        List<String> required = Stream.of(launcher.output().trim().split("\\s+"))
                .filter(o -> !o.startsWith("-XX:TrimNativeHeapInterval="))
                .toList();
        assertThat(required).contains("-Xmx192m", "-XX:ThreadPriorityPolicy=1");
        Pattern options = Pattern.compile("-Xms\\S+[^\"\\n]*");
        for (Path file : List.of(DOCKERFILE, COMPOSE, K8S, UNIT, ENV_FILE)) {
            Matcher m = options.matcher(Files.readString(file));
            int found = 0;
            while (m.find()) {
                found++;
                assertThat(List.of(m.group().trim().split("\\s+")))
                        .as("JVM options in %s", ROOT.relativize(file))
                        .containsAll(required);
            }
            assertThat(found).as("JVM options in %s", ROOT.relativize(file)).isPositive();
        }
    }

    @Test
    void readmeExplainsEveryDeploymentFile() throws IOException {
        String readme = Files.readString(README);
        for (Path f :
                List.of(UNIT, ENV_FILE, DOCKERFILE, COMPOSE, PROMETHEUS, GRAFANA_DATASOURCE, GRAFANA_DASHBOARDS, K8S)) {
            assertThat(readme)
                    .as("deploy/README.md mentions %s", DEPLOY.relativize(f))
                    .contains(DEPLOY.relativize(f).toString());
        }
        assertThat(readme).contains("docker build -f deploy/docker/Dockerfile -t routerlog .");
    }

    // --- helpers: routerlog options ----------------------------------------------------------------------------------

    private static Settings parseOptions(String where, List<String> args, Map<String, String> env) {
        try {
            return OptionsCheck.parse(args, env);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            return fail("%s: routerlog rejects args %s env %s: %s", where, args, env, e.getMessage());
        }
    }

    private static Set<String> memberHosts(Settings s) {
        return s.store().cluster().members().stream().map(DeployFilesTest::host).collect(Collectors.toSet());
    }

    private static String host(String member) {
        return member.contains(":") ? member.substring(0, member.indexOf(':')) : member;
    }

    // --- helpers: YAML -----------------------------------------------------------------------------------------------

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    private static List<Object> loadAll(Path f) throws IOException {
        List<Object> docs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(f)) {
            for (Object d : yaml().loadAll(in)) {
                if (d != null) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    private static Map<String, Object> loadOne(Path f) throws IOException {
        List<Object> docs = loadAll(f);
        assertThat(docs).as("%s: one YAML document", f).hasSize(1);
        return map(docs.get(0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).as("a YAML mapping").isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).as("a YAML list").isInstanceOf(List.class);
        return (List<Object>) o;
    }

    private static String str(Object o) {
        assertThat(o).as("a YAML scalar").isNotNull().isNotInstanceOf(Map.class).isNotInstanceOf(List.class);
        return o.toString();
    }

    private static List<String> strings(Object o) {
        return list(o).stream().map(DeployFilesTest::str).toList();
    }

    /** A compose service's environment, as a mapping or a list of KEY=VALUE. */
    private static Map<String, String> environment(Object o) {
        Map<String, String> env = new TreeMap<>();
        if (o == null) {
            return env;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(str(k), v == null ? "" : str(v)));
        } else {
            for (String kv : strings(o)) {
                assertThat(kv).contains("=");
                env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return env;
    }

    /** A compose service's bind mounts (short syntax): container path -> host path as written. */
    private static Map<String, String> bindMounts(Map<String, Object> service) {
        Map<String, String> mounts = new TreeMap<>();
        for (String v : strings(service.get("volumes"))) {
            String[] parts = v.split(":");
            if (parts[0].startsWith(".") || parts[0].startsWith("/")) {
                mounts.put(parts[1], parts[0]);
            }
        }
        return mounts;
    }

    /** A compose port in short syntax: [IP:]HOST:CONTAINER[/PROTOCOL]. */
    private record PortMapping(int host, int container, String protocol) {
        static PortMapping parse(String spec) {
            String protocol = "tcp";
            String ports = spec;
            if (spec.contains("/")) {
                protocol = spec.substring(spec.indexOf('/') + 1);
                ports = spec.substring(0, spec.indexOf('/'));
            }
            String[] parts = ports.split(":");
            assertThat(parts.length).as("port %s: [IP:]HOST:CONTAINER", spec).isBetween(2, 3);
            return new PortMapping(
                    Integer.parseInt(parts[parts.length - 2]), Integer.parseInt(parts[parts.length - 1]), protocol);
        }
    }

    private static Map<String, Object> scrapeJob(Map<String, Object> config, String name) {
        for (Object job : list(config.get("scrape_configs"))) {
            if (name.equals(map(job).get("job_name"))) {
                return map(job);
            }
        }
        return fail("no scrape job %s", name);
    }

    // --- helpers: Kubernetes -----------------------------------------------------------------------------------------

    /** The container's environment as the kubelet builds it (values, fieldRefs; earlier variables expanded). */
    private static Map<String, String> containerEnv(Map<String, Object> container, String namespace) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object e : list(container.getOrDefault("env", List.of()))) {
            Map<String, Object> var = map(e);
            String name = str(var.get("name"));
            if (var.containsKey("value")) {
                env.put(name, expand(str(var.get("value")), env));
            } else {
                String field =
                        str(map(map(var.get("valueFrom")).get("fieldRef")).get("fieldPath"));
                assertThat(field)
                        .as("env %s: fieldRef this test resolves", name)
                        .isIn("metadata.namespace", "metadata.name");
                env.put(name, field.equals("metadata.namespace") ? namespace : "routerlog-0");
            }
        }
        return env;
    }

    /** Kubernetes' $(VAR) expansion: defined variables are replaced, $$ escapes, anything else stays. */
    private static String expand(String s, Map<String, String> env) {
        Matcher m = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                replacement = env.getOrDefault(m.group(1), m.group());
            }
            m.appendReplacement(b, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** The variables the kubelet sets in every pod of the namespace for a Service (docker-link style). */
    private static Set<String> serviceLinkVariables(Map<String, Object> service) {
        String prefix = str(map(service.get("metadata")).get("name"))
                .toUpperCase(Locale.ROOT)
                .replace('-', '_');
        Set<String> names =
                new TreeSet<>(List.of(prefix + "_SERVICE_HOST", prefix + "_SERVICE_PORT", prefix + "_PORT"));
        for (Object p : list(map(service.get("spec")).get("ports"))) {
            Map<String, Object> port = map(p);
            if (port.containsKey("name")) {
                names.add(prefix + "_SERVICE_PORT_"
                        + str(port.get("name")).toUpperCase(Locale.ROOT).replace('-', '_'));
            }
            String base = prefix + "_PORT_" + port.get("port") + "_"
                    + str(port.getOrDefault("protocol", "TCP")).toUpperCase(Locale.ROOT);
            names.addAll(List.of(base, base + "_PROTO", base + "_PORT", base + "_ADDR"));
        }
        return names;
    }

    private static int targetPort(Map<String, Object> container, Map<String, Object> servicePort) {
        Object target = servicePort.getOrDefault("targetPort", servicePort.get("port"));
        return containerPort(container, target, str(servicePort.getOrDefault("protocol", "TCP")));
    }

    /** A port number, or the number of the container port of that name and protocol. */
    private static int containerPort(Map<String, Object> container, Object port, String protocol) {
        if (port instanceof Integer n) {
            return n;
        }
        for (Object p : list(container.get("ports"))) {
            Map<String, Object> cp = map(p);
            if (str(port).equals(cp.get("name"))) {
                assertThat(str(cp.getOrDefault("protocol", "TCP")))
                        .as("protocol of port %s", port)
                        .isEqualTo(protocol);
                return (Integer) cp.get("containerPort");
            }
        }
        return fail("no container port named %s", port);
    }

    // --- helpers: systemd --------------------------------------------------------------------------------------------

    /** section -> key -> values, in order (a key may repeat). */
    private static Map<String, Map<String, List<String>>> parseUnit(Path f) throws IOException {
        Map<String, Map<String, List<String>>> unit = new LinkedHashMap<>();
        Map<String, List<String>> section = null;
        String pending = "";
        for (String raw : Files.readAllLines(f)) {
            String line = pending + raw.strip();
            pending = "";
            if (line.endsWith("\\")) {
                pending = line.substring(0, line.length() - 1) + " ";
                continue;
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                assertThat(line).endsWith("]");
                section = unit.computeIfAbsent(line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            assertThat(section).as("%s: %s outside a section", f, line).isNotNull();
            assertThat(line).as("%s: key=value", f).contains("=");
            section.computeIfAbsent(line.substring(0, line.indexOf('=')).strip(), k -> new ArrayList<>())
                    .add(line.substring(line.indexOf('=') + 1).strip());
        }
        return unit;
    }

    /** JAVA_OPTS as the unit's Environment= sets it. */
    private static String unitJavaOpts(Map<String, List<String>> service) {
        for (String e : service.getOrDefault("Environment", List.of())) {
            String v = e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
            if (v.startsWith("JAVA_OPTS=")) {
                return v.substring("JAVA_OPTS=".length());
            }
        }
        return fail("the unit sets no JAVA_OPTS");
    }

    private record EnvFile(Map<String, String> active, Map<String, String> commented) {}

    /** The EnvironmentFile: active KEY=value lines, and commented-out #KEY=value lines. */
    private static EnvFile envFile() throws IOException {
        Pattern assignment = Pattern.compile("([A-Z_][A-Z0-9_]*)=(.*)");
        Map<String, String> active = new TreeMap<>();
        Map<String, String> commented = new TreeMap<>();
        for (String line : Files.readAllLines(ENV_FILE)) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher m = assignment.matcher(line.substring(1));
                if (m.matches()) {
                    assertThat(commented).as("%s shown twice", m.group(1)).doesNotContainKey(m.group(1));
                    commented.put(m.group(1), m.group(2));
                }
                continue;
            }
            Matcher m = assignment.matcher(line);
            assertThat(m.matches())
                    .as("routerlog.env line '%s': KEY=value", line)
                    .isTrue();
            assertThat(m.group(2))
                    .as("%s: plain value", m.group(1))
                    .doesNotStartWith("\"")
                    .doesNotStartWith("'");
            active.put(m.group(1), m.group(2));
        }
        return new EnvFile(active, commented);
    }

    /** A self-signed certificate and its key (unencrypted PKCS#8 PEM), made with openssl. */
    private Map<String, Path> tlsFixtures() throws Exception {
        Certificates.Issued tls = Certificates.in(Files.createDirectories(tmp.resolve("tls")))
                .openssl(tool("openssl", "openssl"))
                .selfSigned("routerlog", "routerlog");
        return Map.of("--tls-cert", tls.cert(), "--tls-key", tls.key(), "--tls-client-ca", tls.cert());
    }

    private Path unitCopyWithThisJava(Path copy) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertThat(java).isExecutable();
        String unit = Files.readString(UNIT);
        assertThat(unit).contains("ExecStart=/usr/bin/java ");
        String rewritten = unit.replace("ExecStart=/usr/bin/java ", "ExecStart=" + java + " ");
        Files.writeString(copy, rewritten);
        return copy;
    }

    /** Lines of systemd-analyze output about the unit, or about unknown settings anywhere. */
    private static List<String> complaints(String output, String unitName) {
        return output.lines()
                .filter(l -> l.contains(unitName) || l.matches("(?i).*unknown (key|section|lvalue|setting).*"))
                .toList();
    }

    // --- helpers: Dockerfile -----------------------------------------------------------------------------------------

    private record Instruction(String keyword, String args) {}

    /** Instructions, continuation lines joined, comments and parser directives left out. */
    private static List<Instruction> dockerInstructions(Path f) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(f)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String text = current.toString().strip();
            current.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            assertThat(space)
                    .as("Dockerfile instruction '%s' has arguments", text)
                    .isPositive();
            out.add(new Instruction(
                    text.substring(0, space).toUpperCase(Locale.ROOT),
                    text.substring(space + 1).strip().replaceAll("\\s+", " ")));
        }
        assertThat(current.toString())
                .as("Dockerfile ends inside a continued line")
                .isBlank();
        return out;
    }

    private static List<String> values(List<Instruction> stage, String keyword) {
        return stage.stream()
                .filter(i -> i.keyword().equals(keyword))
                .map(Instruction::args)
                .toList();
    }

    private static String single(List<Instruction> stage, String keyword) {
        List<String> v = values(stage, keyword);
        assertThat(v).as("%s in the runtime stage", keyword).hasSize(1);
        return v.get(0);
    }

    private static List<String> execForm(String json) throws IOException {
        assertThat(json).as("exec form (JSON array)").startsWith("[");
        String[] parsed = new ObjectMapper().readValue(json, String[].class);
        return List.of(parsed);
    }

    /** ENV KEY=value KEY2="value two" (the legacy 'ENV KEY value' form is not used). */
    private static Map<String, String> dockerEnv(String args) {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)\\s*")
                .matcher(args);
        int end = 0;
        while (m.find() && m.start() == end) {
            String v = m.group(2);
            if (v.startsWith("\"")) {
                v = v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1");
            }
            env.put(m.group(1), v);
            end = m.end();
        }
        assertThat(end).as("ENV %s: KEY=value pairs", args).isEqualTo(args.length());
        return env;
    }

    // --- helpers: units ----------------------------------------------------------------------------------------------

    /** -Xmx of JVM flags, in bytes (k, m, g are powers of 1024). */
    private static long xmx(String jvmFlags) {
        assertThat(jvmFlags).as("JVM flags").isNotNull();
        Matcher m = Pattern.compile("-Xmx(\\d+)([kKmMgG]?)(\\s|$)").matcher(jvmFlags);
        assertThat(m.find()).as("-Xmx in '%s'", jvmFlags).isTrue();
        return Long.parseLong(m.group(1)) << shift(m.group(2));
    }

    /** systemd sizes: K, M, G, T are powers of 1024. */
    private static long systemdBytes(String v) {
        Matcher m = Pattern.compile("(\\d+)([KMGT]?)").matcher(v.strip());
        assertThat(m.matches()).as("systemd size '%s'", v).isTrue();
        return Long.parseLong(m.group(1)) << shift(m.group(2));
    }

    /** Kubernetes quantities: Ki, Mi, Gi are powers of 1024, k, M, G of 1000. */
    private static long k8sBytes(String v) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|k|M|G)?").matcher(v.strip());
        assertThat(m.matches()).as("Kubernetes quantity '%s'", v).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            case "Gi" -> n << 30;
            case "k" -> n * 1_000L;
            case "M" -> n * 1_000_000L;
            case "G" -> n * 1_000_000_000L;
            default -> n;
        };
    }

    private static int shift(String unit) {
        return switch (unit.toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
    }

    /** "90s", "1min 30s", "1m30s", "500ms", "2h", or plain seconds (systemd and compose). */
    private static Duration duration(String v) {
        String s = v.strip();
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|sec|min|m|h)\\s*").matcher(s);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s", "sec" -> Duration.ofSeconds(n);
                        case "min", "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    });
            end = m.end();
        }
        assertThat(end).as("duration '%s'", v).isEqualTo(s.length()).isPositive();
        return d;
    }

    // --- helpers: processes ------------------------------------------------------------------------------------------

    private record Result(int code, String output) {}

    /** The path of an executable on PATH; fails naming the Debian package to install when it is missing. */
    private static String tool(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return fail(
                "%s not found on PATH: install the Debian package %s (apt-get install -y %s)",
                name, debianPackage, debianPackage);
    }

    private static Result run(Path dir, String... command) throws IOException {
        Command.Result r = Command.of(command)
                .in(dir)
                .env("SYSTEMD_COLORS", "0")
                .env("SYSTEMD_PAGER", "")
                .mergeStderr()
                .deadline(Duration.ofMinutes(2))
                .run();
        if (!r.finished()) {
            fail("%s did not finish within 120 s", String.join(" ", command));
        }
        return new Result(r.exitCode(), r.out());
    }
}
