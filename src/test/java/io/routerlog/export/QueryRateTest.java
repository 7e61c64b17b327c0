package io.routerlog.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The summary's query rate from samples of the cluster total. */
class QueryRateTest {
    @Test
    void noRateBeforeTwoSamples() {
        QueryRate r = new QueryRate();
        assertThat(r.rate()).isNull();
        r.record(1_000, 50);
        assertThat(r.rate()).isNull();
    }

    @Test
    void theRateIsTheGrowthOverTheLastMinute() {
        QueryRate r = new QueryRate();
        r.record(0, 0);
        r.record(15_000, 150);
        assertThat(r.rate()).isEqualTo(new QueryRate.Rate(10.0, 15.0));
        for (long t = 30_000; t <= 120_000; t += 15_000) {
            r.record(t, t / 100 * 2); // 20 per second from here on
        }
        // the base is the oldest sample within 60 s of the newest: 60,000 ms, total 1200
        assertThat(r.rate()).isEqualTo(new QueryRate.Rate(20.0, 60.0));
    }

    @Test
    void evictionsThatLowerTheTotalReadAsZeroNotNegative() {
        QueryRate r = new QueryRate();
        r.record(0, 1000);
        r.record(10_000, 400);
        assertThat(r.rate()).isEqualTo(new QueryRate.Rate(0.0, 10.0));
    }

    @Test
    void aLongGapLeavesNoSampleWithinTheWindow() {
        QueryRate r = new QueryRate();
        r.record(0, 0);
        r.record(120_000, 600);
        assertThat(r.rate()).isNull();
    }
}
