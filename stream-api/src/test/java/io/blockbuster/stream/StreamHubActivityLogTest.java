package io.blockbuster.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hub's activity log, as the original system's troubleshooting expects it: connections opening
 * and closing and each subscribe and unsubscribe at INFO, with the client's address; nothing per
 * message above DEBUG; off with {@code activityLog(false)}. Read through java.util.logging, the
 * System.Logger backend of a plain JDK.
 */
class StreamHubActivityLogTest {
    private final ManualScheduler time = new ManualScheduler();
    private final Logger activity = Logger.getLogger("io.blockbuster.stream.activity");
    private final Logger hubLoggers = Logger.getLogger("io.blockbuster.stream");
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (records) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level savedLevel;
    private StreamHub hub;

    @BeforeEach
    void record() {
        savedLevel = hubLoggers.getLevel();
        hubLoggers.setLevel(Level.ALL);     // every level reaches the recorder, DEBUG (FINE) included
        recorder.setLevel(Level.ALL);
        hubLoggers.addHandler(recorder);
    }

    @AfterEach
    void stop() {
        hubLoggers.removeHandler(recorder);
        hubLoggers.setLevel(savedLevel);
        if (hub != null) {
            hub.close();
        }
    }

    private FakeSession session(StreamHub hub) {
        FakeSession s = new FakeSession(HandshakeInfo.of("/ws", Map.of(), new InetSocketAddress("127.0.0.1", 50312)));
        s.connection = hub.open(s);
        assertThat(s.next()).containsEntry("type", "welcome");
        return s;
    }

    @Test
    void connectionsAndSubscriptionsAreLoggedAtInfoWithTheClientsAddressAndMessagesAreNot() {
        hub = StreamHub.builder().scheduler(time).sourceExecutor(Runnable::run).build();
        PushedSource events = new PushedSource();
        hub.register("network_metrics", events);
        hub.start();

        FakeSession s = session(hub);
        s.request("{\"type\":\"subscribe\",\"stream\":\"network_metrics\"}");
        for (int i = 0; i < 100; i++) {
            events.publish(Map.of("n", i));
        }
        s.request("{\"type\":\"ping\"}");
        s.request("{\"type\":\"unsubscribe\",\"stream\":\"network_metrics\"}");
        s.connection.closed();

        assertThat(infoAndAbove()).containsExactly(
                "client 127.0.0.1:50312 connected to /ws",
                "client 127.0.0.1:50312 subscribed to network_metrics",
                "client 127.0.0.1:50312 unsubscribed from network_metrics",
                "client 127.0.0.1:50312 disconnected");
        assertThat(records).allSatisfy(r -> assertThat(r.getLoggerName()).isEqualTo("io.blockbuster.stream.activity"));
    }

    @Test
    void activityLogFalseLogsNothing() {
        hub = StreamHub.builder().scheduler(time).sourceExecutor(Runnable::run).activityLog(false).build();
        hub.register("network_metrics", new PushedSource());
        hub.start();
        FakeSession s = session(hub);
        s.request("{\"type\":\"subscribe\",\"stream\":\"network_metrics\"}");
        s.connection.closed();
        assertThat(infoAndAbove()).isEmpty();
    }

    private List<String> infoAndAbove() {
        List<String> out = new ArrayList<>();
        synchronized (records) {
            for (LogRecord r : records) {
                if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                    out.add(r.getMessage());
                }
            }
        }
        return out;
    }
}
