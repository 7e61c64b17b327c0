package io.routerlog.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgramCountsTest {
    private static void count(ProgramCounts.Local local, String program) {
        // the name inside a larger buffer, as the parser hands it on
        byte[] line = ("<30>Nov 22 01:59:47 OpenWrt " + program + "[1]: x").getBytes(StandardCharsets.ISO_8859_1);
        local.count(line, 28, program.length());
    }

    @Test
    void eachLineCountsForItsOwnProgram() {
        ProgramCounts counts = new ProgramCounts(ProgramCounts.DEFAULT_MAX_PROGRAMS);
        ProgramCounts.Local local = counts.local();
        String longName = "a-program-name-longer-than-thirty-two-bytes";
        for (String p : new String[] {
            "dnsmasq", "dnsmasq", "dnsmasX", "dnsmasq", "", "odhcpd", longName, longName, "dnsmasq", "", "dnsmasX"
        }) {
            count(local, p);
        }

        assertThat(counts.snapshot())
                .isEqualTo(Map.of("dnsmasq", 4L, "dnsmasX", 2L, ProgramCounts.NONE, 2L, "odhcpd", 1L, longName, 2L));
    }

    @Test
    void namesPastTheBoundAreCountedAsOther() {
        ProgramCounts counts = new ProgramCounts(2);
        ProgramCounts.Local local = counts.local();
        for (String p : new String[] {"a", "b", "c", "c", "d", "a"}) {
            count(local, p);
        }

        assertThat(counts.snapshot()).isEqualTo(Map.of("a", 2L, "b", 1L, ProgramCounts.OVERFLOW, 3L));
    }
}
