package io.blockbuster.examples.dashboard;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Command-line parsing of the dashboard: defaults, both spellings, help, and bad options explained. */
class DashboardOptionsTest {

    @Test
    void defaultsRunOnTheSimulatedNode() {
        DashboardOptions o = DashboardOptions.parse();
        assertThat(o.node()).isNull();
        assertThat(o.redis()).as("alone, as before cluster mode").isNull();
        assertThat(o.httpPort()).isEqualTo(8000);
        assertThat(o.wsPort()).isEqualTo(8080);
        assertThat(o.scaled(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void parsesBothSpellingsOfEveryOption() {
        DashboardOptions o = DashboardOptions.parse("--node", "http://127.0.0.1:9933", "--http-port=9000",
                "--ws-port", "9001", "--speed", "10", "--host", "0.0.0.0", "--rpc-timeout=500",
                "--redis=rediss://:pw@redis.internal:6380/2");
        assertThat(o.node()).isEqualTo(URI.create("http://127.0.0.1:9933"));
        assertThat(o.httpPort()).isEqualTo(9000);
        assertThat(o.wsPort()).isEqualTo(9001);
        assertThat(o.host()).isEqualTo("0.0.0.0");
        assertThat(o.rpcTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.redis()).isEqualTo("rediss://:pw@redis.internal:6380/2");
        assertThat(o.scaled(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void helpListsEveryOption() {
        assertThat(DashboardOptions.parse("--help")).isNull();
        assertThat(DashboardOptions.USAGE).contains("--node", "--http-port", "--ws-port", "--speed", "--host",
                "--rpc-timeout", "--redis", "--help");
    }

    @Test
    void badOptionsAreExplained() {
        assertThatThrownBy(() -> DashboardOptions.parse("--bogus", "1")).hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> DashboardOptions.parse("--http-port", "70000")).hasMessageContaining("--http-port");
        assertThatThrownBy(() -> DashboardOptions.parse("--node", "ftp://x")).hasMessageContaining("http://");
        assertThatThrownBy(() -> DashboardOptions.parse("--speed")).hasMessageContaining("missing value");
        assertThatThrownBy(() -> DashboardOptions.parse("--redis", "http://x")).hasMessageContaining("redis://");
        assertThatThrownBy(() -> DashboardOptions.parse("--http-port", "1", "--ws-port", "1")).hasMessageContaining("differ");
    }
}
