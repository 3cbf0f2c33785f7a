package io.blockbuster.benchmarks.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The measuring parts of the fan-out benchmark: what they report must be right. */
class FanoutHarnessTest {

    @Test
    void histogramQuantilesStayWithinTheBucketPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v * 1_000); // 1 us .. 100 ms, uniform
        }
        assertThat(h.count()).isEqualTo(100_000);
        assertThat(h.max()).isEqualTo(100_000_000L);
        assertThat(h.min()).isEqualTo(1_000L);
        assertThat(h.valueAt(0.5)).isBetween(50_000_000L, (long) (50_000_000L * 1.016));
        assertThat(h.valueAt(0.99)).isBetween(99_000_000L, (long) (99_000_000L * 1.016));
        assertThat(h.valueAt(1.0)).isEqualTo(100_000_000L);
    }

    @Test
    void histogramIsExactBelow128AndMergesCounts() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int v = 0; v < 128; v++) {
            a.record(v);
        }
        b.record(5_000_000_000L);
        a.add(b);
        assertThat(a.count()).isEqualTo(129);
        assertThat(a.valueAt(0.5)).isEqualTo(64);
        assertThat(a.max()).isEqualTo(5_000_000_000L);
    }

    @Test
    void histogramNeverReportsAboveTheTrueValueByMoreThanOneSixtyFourth() {
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            long v = 128 + (random.nextLong() >>> 20);
            LatencyHistogram h = new LatencyHistogram();
            h.record(v);
            h.record(Long.MAX_VALUE >>> 2); // keeps max from clamping the answer
            long reported = h.valueAt(0.5);
            assertThat(reported).isBetween(v, v + v / 64);
        }
    }

    @Test
    void fieldParsesNumbersAfterTheKeyOnly() {
        String hubMessage = "{\"type\":\"data\",\"stream\":\"bench\",\"data\":{\"seq\":42,\"t\":-17,\"pad\":\"x\"},"
                + "\"timestamp\":\"2026-11-25T21:00:00Z\",\"seq\":7}";
        assertThat(FanoutClient.field(hubMessage, "\"seq\":")).isEqualTo(42);
        assertThat(FanoutClient.field(hubMessage, "\"t\":")).isEqualTo(-17);
        assertThat(FanoutClient.field("{\"type\":\"subscribed\"}", "\"t\":")).isEqualTo(Long.MIN_VALUE);
        assertThat(FanoutClient.field("{\"t\":\"x\"}", "\"t\":")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void publishedMessageHasTheRequestedSizeAndBothFields() {
        for (int size : new int[] {64, 256, 1024}) {
            String json = FanoutServer.message(123, 987_654_321L, size);
            assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(size);
            assertThat(FanoutClient.field(json, "\"seq\":")).isEqualTo(123);
            assertThat(FanoutClient.field(json, "\"t\":")).isEqualTo(987_654_321L);
        }
    }
}
