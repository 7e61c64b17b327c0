package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the receive path's imports pointing down the flow: a stage may use the stages after it (and the shared
 * packages event, stats, bytes, config), never one before it. The interface a stage receives data through lives in
 * that stage's package, so handing data on never needs an import upstream. A compile-time rule would need a module
 * per stage; reading the sources is enough to stop a cycle from creeping back in.
 */
class PackageDirectionTest {
    /** The stages of the receive path, in the order data passes through them. */
    private static final List<String> FLOW =
            List.of("source", "framing", "syslog", "parser", "rules", "aggregate", "store");

    private static final Path MAIN = Path.of("src", "main", "java", "io", "routerlog");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.routerlog\\.(\\w+)\\.[A-Z]");

    @Test
    void noStageImportsOneBeforeIt() throws IOException {
        List<String> upstream = new ArrayList<>();
        for (String stage : FLOW) {
            try (Stream<Path> files = Files.list(MAIN.resolve(stage))) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = REFERENCE.matcher(Files.readString(file, StandardCharsets.UTF_8));
                    while (m.find()) {
                        int target = FLOW.indexOf(m.group(1));
                        if (target >= 0 && target < FLOW.indexOf(stage)) {
                            upstream.add(stage + "/" + file.getFileName() + " uses " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(upstream).isEmpty();
    }
}
