package io.blockbuster.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The request/reply side of the protocol, over a fake session: welcome, ping, and every error reply. */
class StreamHubProtocolTest {
    private final ManualScheduler time = new ManualScheduler();
    private StreamHub hub;
    private final AtomicInteger value = new AtomicInteger();

    @BeforeEach
    void setUp() {
        hub = StreamHub.builder().scheduler(time).sourceExecutor(Runnable::run).epoch("e1")
                .welcomeMessage("hello")
                .limits(new HubLimits(256, 2, 5, 64))
                .authorizer((handshake, stream) -> !stream.equals("secret") || "yes".equals(handshake.queryParameter("key")))
                .build();
        hub.register("network_metrics", PolledSource.every(Duration.ofSeconds(1), value::incrementAndGet));
        hub.register("receipts", new PushedSource());
        hub.register("alerts", new PushedSource());
        hub.register("secret", new PushedSource());
        hub.start();
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    @Test
    void welcomeListsAuthorizedStreamsWithEpochAndTimestamp() {
        FakeSession s = FakeSession.open(hub);
        Map<String, Object> welcome = s.next();
        assertThat(welcome).containsEntry("type", "welcome").containsEntry("message", "hello")
                .containsEntry("available_streams", List.of("network_metrics", "receipts", "alerts"))
                .containsEntry("epoch", "e1").containsKey("timestamp");
        assertThat(welcome.get("timestamp").toString()).isEqualTo("1764000000.000");
        s.assertNothingSent();

        FakeSession withKey = new FakeSession(HandshakeInfo.of("/ws?key=yes", Map.of(), null));
        withKey.connection = hub.open(withKey);
        assertThat(withKey.next().get("available_streams")).isEqualTo(List.of("network_metrics", "receipts", "alerts", "secret"));
    }

    @Test
    void pingGetsPong() {
        FakeSession s = FakeSession.welcomed(hub);
        s.request("{\"type\":\"ping\"}");
        assertThat(s.next()).containsEntry("type", "pong").containsKey("timestamp");
        s.assertNothingSent();
    }

    @Test
    void subscribeAndUnsubscribeAreConfirmed() {
        FakeSession s = FakeSession.welcomed(hub);
        s.request("{\"type\":\"subscribe\",\"stream\":\"receipts\"}");
        assertThat(s.next()).containsEntry("type", "subscribed").containsEntry("stream", "receipts")
                .containsEntry("epoch", "e1").containsEntry("policy", "queue").containsEntry("seq", 0L).containsKey("timestamp");
        s.request("{\"type\":\"unsubscribe\",\"stream\":\"receipts\"}");
        assertThat(s.next()).containsEntry("type", "unsubscribed").containsEntry("stream", "receipts");
        s.assertNothingSent();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"type\":\"subscribe\"                              | invalid_json",
        "not json                                           | invalid_json",
        "[1,2]                                              | invalid_request",
        "\"ping\"                                           | invalid_request",
        "{}                                                 | missing_type",
        "{\"type\":7}                                       | missing_type",
        "{\"type\":\"dance\"}                               | unknown_type",
        "{\"type\":\"subscribe\"}                           | invalid_request",
        "{\"type\":\"subscribe\",\"stream\":[]}             | invalid_request",
        "{\"type\":\"subscribe\",\"stream\":\"nope\"}       | unknown_stream",
        "{\"type\":\"unsubscribe\",\"stream\":\"nope\"}     | unknown_stream",
        "{\"type\":\"unsubscribe\",\"stream\":\"alerts\"}   | not_subscribed",
        "{\"type\":\"subscribe\",\"stream\":\"secret\"}     | not_authorized",
        "{\"type\":\"subscribe\",\"stream\":\"alerts\",\"since\":-1}   | invalid_request",
        "{\"type\":\"subscribe\",\"stream\":\"alerts\",\"since\":1.5}  | invalid_request",
        "{\"type\":\"subscribe\",\"stream\":\"alerts\",\"epoch\":3}    | invalid_request",
        "[[[[[[[[[[1]]]]]]]]]]                              | invalid_json",
    })
    void badRequestGetsErrorReplyAndConnectionStays(String request, String code) {
        FakeSession s = FakeSession.welcomed(hub);
        s.request(request);
        Map<String, Object> error = s.next();
        assertThat(error).containsEntry("type", "error").containsEntry("code", code);
        assertThat((String) error.get("message")).isNotBlank();
        assertStillServing(s);
    }

    @Test
    void invalidJsonErrorNamesThePosition() {
        FakeSession s = FakeSession.welcomed(hub);
        s.request("{\"type\":01}");
        assertThat((String) s.next().get("message")).isEqualTo("invalid JSON: leading zero at position 9");
    }

    @Test
    void unknownStreamIsAnsweredInTheOriginalServersWordsWithTheStableCode() {
        FakeSession s = FakeSession.welcomed(hub);
        s.request("{\"type\":\"subscribe\",\"stream\":\"nope\"}");
        assertThat(s.next()).containsEntry("type", "error").containsEntry("message", "Invalid stream name")
                .containsEntry("code", "unknown_stream").containsEntry("stream", "nope");
        assertStillServing(s);
    }

    @Test
    void duplicateSubscriptionIsAnError() {
        FakeSession s = FakeSession.welcomed(hub);
        s.request("{\"type\":\"subscribe\",\"stream\":\"alerts\"}");
        s.next();
        s.request("{\"type\":\"subscribe\",\"stream\":\"alerts\"}");
        assertThat(s.next()).containsEntry("code", "already_subscribed").containsEntry("stream", "alerts");
        assertStillServing(s);
    }

    @Test
    void tooManySubscriptionsIsAnError() {
        FakeSession s = FakeSession.welcomed(hub);
        s.request("{\"type\":\"subscribe\",\"stream\":\"alerts\"}");
        s.request("{\"type\":\"subscribe\",\"stream\":\"receipts\"}");
        s.drain();
        s.request("{\"type\":\"subscribe\",\"stream\":\"network_metrics\"}");
        assertThat(s.next()).containsEntry("code", "too_many_subscriptions");
        assertStillServing(s);
    }

    @Test
    void requestTooLargeIsRejectedBeforeParsing() {
        FakeSession s = FakeSession.welcomed(hub);
        s.request("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(300) + "\"}");
        assertThat(s.next()).containsEntry("code", "request_too_large");
        s.request("[".repeat(257));
        assertThat(s.next()).containsEntry("code", "request_too_large");
        assertStillServing(s);
    }

    @Test
    void tooManyRequestsPerSecondAreRateLimitedThenAllowedAgain() {
        FakeSession s = FakeSession.welcomed(hub);
        for (int i = 0; i < 5; i++) {
            s.request("{\"type\":\"ping\"}");
            assertThat(s.next()).containsEntry("type", "pong");
        }
        s.request("{\"type\":\"ping\"}");
        assertThat(s.next()).containsEntry("type", "error").containsEntry("code", "rate_limited");
        time.advance(Duration.ofMillis(200)); // one token back at 5 per second
        s.request("{\"type\":\"ping\"}");
        assertThat(s.next()).containsEntry("type", "pong");
        s.request("{\"type\":\"ping\"}");
        assertThat(s.next()).containsEntry("code", "rate_limited");
        assertThat(s.closeCode).isNull();
    }

    @Test
    void binaryMessageIsAnError() {
        FakeSession s = FakeSession.welcomed(hub);
        s.connection.receiveBinary();
        assertThat(s.next()).containsEntry("code", "unsupported_message");
        assertStillServing(s);
    }

    @Test
    void refusedHandshakeIsClosedWithNotAuthorized() {
        try (StreamHub strict = StreamHub.builder().scheduler(time).authorizer(new StreamAuthorizer() {
            @Override
            public boolean maySubscribe(HandshakeInfo handshake, String stream) {
                return true;
            }

            @Override
            public boolean mayConnect(HandshakeInfo handshake) {
                return "Bearer ok".equals(handshake.header("authorization"));
            }
        }).build()) {
            FakeSession refused = FakeSession.open(strict);
            assertThat(refused.closeCode).isEqualTo(StreamCloseCodes.NOT_AUTHORIZED);
            refused.assertNothingSent();
            refused.request("{\"type\":\"ping\"}");
            refused.assertNothingSent();
            FakeSession allowed = new FakeSession(HandshakeInfo.of("/", Map.of("Authorization", List.of("Bearer ok")), null));
            allowed.connection = strict.open(allowed);
            assertThat(allowed.next()).containsEntry("type", "welcome");
            assertThat(strict.stats().connections()).isEqualTo(1);
        }
    }

    @Test
    void throwingAuthorizerRefusesWithoutBreakingTheConnection() {
        try (StreamHub fragile = StreamHub.builder().scheduler(time).authorizer((handshake, stream) -> {
            throw new IllegalStateException("auth backend down");
        }).build()) {
            fragile.register("alerts", new PushedSource());
            FakeSession s = FakeSession.open(fragile);
            assertThat(s.next().get("available_streams")).isEqualTo(List.of());
            s.request("{\"type\":\"subscribe\",\"stream\":\"alerts\"}");
            assertThat(s.next()).containsEntry("code", "not_authorized");
            assertThat(s.closeCode).isNull();
        }
    }

    @Test
    void errorRepliesAreCounted() {
        FakeSession s = FakeSession.open(hub);
        s.request("x");
        s.request("{}");
        assertThat(hub.stats().errorReplies()).isEqualTo(2);
    }

    private void assertStillServing(FakeSession s) {
        assertThat(s.closeCode).as("connection closed").isNull();
        s.request("{\"type\":\"ping\"}");
        assertThat(s.next()).containsEntry("type", "pong");
        s.assertNothingSent();
    }
}
