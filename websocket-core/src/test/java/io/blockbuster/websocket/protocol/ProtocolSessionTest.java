package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The protocol obligations of one connection with no socket: bytes in (whole, cut at every byte
 * boundary, one byte at a time), and the exact frames the session owes the peer and what it reports.
 * Every input is fed as the transport feeds it: {@code receive}, then {@code answer} when it says
 * something is owed.
 */
class ProtocolSessionTest {
    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CLOSE = 8;
    private static final int PING = 9;

    /** One session with recorders for what it delivers and what it sends. */
    private static final class Session {
        final MessageRecorder received = new MessageRecorder();
        final List<String> sent = new ArrayList<>();
        final ProtocolSession session;

        Session(Role role, ProtocolLimits limits) {
            session = new ProtocolSession(role, limits, received, (opcode, payload) -> sent.add(opcode + " " + Hex.of(payload)));
            session.open(List.of());
        }

        Session(Role role) {
            this(role, ProtocolLimits.DEFAULT);
        }

        void feed(List<ByteBuffer> pieces) {
            for (ByteBuffer piece : pieces) {
                if (session.receive(piece)) {
                    session.answer();
                }
                assertThat(piece.hasRemaining()).as("every byte consumed").isFalse();
            }
        }

        void feed(byte[] input) {
            feed(List.of(ByteBuffer.wrap(input.clone())));
        }

        /** What the end reports: code, reason, and who closed. */
        String report() {
            return session.closeCode() + " " + session.closeReason() + (session.isClosedByPeer() ? " by peer" : " by us");
        }

        /** Takes the frames sent so far, so that the next assertion sees only what follows. */
        List<String> takeSent() {
            List<String> s = List.copyOf(sent);
            sent.clear();
            return s;
        }
    }

    /**
     * Feeds {@code input} from the peer to a fresh session in every partition and checks that
     * each gives the same messages, frames and report; returns the session fed the input whole.
     */
    private static Session receiveEverySplit(Role role, ProtocolLimits limits, byte[] input) {
        Session whole = new Session(role, limits);
        whole.feed(input);
        Partitions.forEach(input, (how, pieces) -> {
            Session s = new Session(role, limits);
            s.feed(pieces);
            assertThat(s.received.events).as(how).isEqualTo(whole.received.events);
            assertThat(s.sent).as(how).isEqualTo(whole.sent);
            assertThat(s.report()).as(how).isEqualTo(whole.report());
            assertThat(s.session.isFailed()).as(how).isEqualTo(whole.session.isFailed());
        });
        return whole;
    }

    private static Session receiveEverySplit(Role role, byte[] input) {
        return receiveEverySplit(role, ProtocolLimits.DEFAULT, input);
    }

    private static byte[] fromPeer(Role local, int opcode, byte[] payload) {
        return Wire.from(Wire.peer(local), true, opcode, payload);
    }

    private static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        return Hex.concat(new byte[] {(byte) (code >>> 8), (byte) code}, r);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- pings ----

    @ParameterizedTest
    @EnumSource(Role.class)
    void pingIsAnsweredWithPongCarryingItsPayload(Role role) {
        Session s = receiveEverySplit(role, Hex.concat(
                fromPeer(role, PING, utf8("Hello")),
                fromPeer(role, TEXT, utf8("between")),
                fromPeer(role, PING, new byte[0]),
                fromPeer(role, PING, new byte[125])));
        assertThat(s.received.events).containsExactly("ping 48656c6c6f", "text between", "ping ", "ping " + "00".repeat(125));
        assertThat(s.sent).containsExactly("PONG 48656c6c6f", "PONG ", "PONG " + "00".repeat(125));
        assertThat(s.session.canSend()).isTrue();
        assertThat(s.session.isClosing()).isFalse();
    }

    @Test
    void pingAfterOurCloseIsDeliveredButNotAnswered() {
        Session s = new Session(Role.SERVER);
        assertThat(s.session.close(1000, "")).isTrue();
        assertThat(s.takeSent()).containsExactly("CLOSE 03e8");
        s.feed(fromPeer(Role.SERVER, PING, utf8("p")));
        s.feed(fromPeer(Role.SERVER, TEXT, utf8("still read")));
        assertThat(s.received.events).containsExactly("ping 70", "text still read");
        assertThat(s.sent).as("nothing follows our close").isEmpty();
    }

    // ---- the peer closes ----

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 4000})
    void peersCloseIsEchoedWithItsCode(int code) {
        Session s = receiveEverySplit(Role.SERVER, fromPeer(Role.SERVER, CLOSE, closePayload(code, "bye")));
        assertThat(s.received.events).containsExactly("close " + code + " bye");
        // RFC 6455 5.5.1: the echo carries the status code received (not the reason).
        assertThat(s.sent).containsExactly("CLOSE " + String.format("%04x", code));
        assertThat(s.report()).isEqualTo(code + " bye by peer");
        assertThat(s.session.canSend()).isFalse();
        assertThat(s.session.isClosing()).isTrue();
        assertThat(s.session.isFailed()).isFalse();
    }

    @Test
    void emptyCloseGetsEmptyEchoAndReports1005() {
        Session s = receiveEverySplit(Role.CLIENT, fromPeer(Role.CLIENT, CLOSE, new byte[0]));
        assertThat(s.received.events).containsExactly("close 1005 ");
        assertThat(s.sent).as("1005 never goes on the wire").containsExactly("CLOSE ");
        assertThat(s.report()).isEqualTo("1005  by peer");
    }

    @ParameterizedTest
    @ValueSource(ints = {1005, 1006, 1015, 999, 1016, 5000})
    void invalidCodeInReceivedCloseFailsWith1002(int code) {
        Session s = receiveEverySplit(Role.SERVER, fromPeer(Role.SERVER, CLOSE, closePayload(code, "")));
        assertFailedWith(s, CloseCodes.PROTOCOL_ERROR);
        assertThat(s.received.events).isEmpty();
    }

    @Test
    void inputAfterPeersCloseIsIgnored() {
        Session s = receiveEverySplit(Role.SERVER, Hex.concat(
                fromPeer(Role.SERVER, TEXT, utf8("before")),
                fromPeer(Role.SERVER, CLOSE, closePayload(1000, "")),
                fromPeer(Role.SERVER, TEXT, utf8("after")),
                fromPeer(Role.SERVER, PING, utf8("p")),
                fromPeer(Role.SERVER, CLOSE, closePayload(1001, "")),
                Hex.bytes("ff ff ff"))); // garbage: not even decoded
        assertThat(s.received.events).containsExactly("text before", "close 1000 ");
        assertThat(s.sent).containsExactly("CLOSE 03e8");
        assertThat(s.report()).isEqualTo("1000  by peer");
        assertThat(s.session.isFailed()).isFalse();
    }

    // ---- the peer breaks the protocol ----

    @Test
    void invalidUtf8TextFailsWith1007() {
        Session s = receiveEverySplit(Role.SERVER, fromPeer(Role.SERVER, TEXT, Hex.bytes("48 c3 28")));
        assertFailedWith(s, CloseCodes.INVALID_PAYLOAD_DATA);
    }

    @Test
    void messageOverTheLimitFailsWith1009() {
        ProtocolLimits limits = new ProtocolLimits(1 << 20, 16);
        Session s = receiveEverySplit(Role.SERVER, limits, Hex.concat(
                fromPeer(Role.SERVER, BINARY, new byte[16]),
                fromPeer(Role.SERVER, BINARY, new byte[17])));
        assertThat(s.received.events).containsExactly("binary " + FrameRecorder.describe(new byte[16]));
        assertFailedWith(s, CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    void frameOverTheLimitFailsWith1009() {
        Session s = receiveEverySplit(Role.CLIENT, new ProtocolLimits(8, 1 << 20),
                fromPeer(Role.CLIENT, BINARY, new byte[9]));
        assertFailedWith(s, CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    void unmaskedFrameToServerFailsWith1002() {
        Session s = receiveEverySplit(Role.SERVER, Wire.frame(true, 0, TEXT, utf8("hi"), null));
        assertFailedWith(s, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void maskedFrameToClientFailsWith1002() {
        Session s = receiveEverySplit(Role.CLIENT, Wire.frame(true, 0, TEXT, utf8("hi"), 0x37fa213d));
        assertFailedWith(s, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void inputAfterFailureIsIgnoredAndOneCloseIsSent() {
        Session s = receiveEverySplit(Role.SERVER, Hex.concat(
                fromPeer(Role.SERVER, PING, utf8("a")),
                fromPeer(Role.SERVER, 3, new byte[0]), // reserved opcode
                fromPeer(Role.SERVER, TEXT, utf8("after")),
                fromPeer(Role.SERVER, PING, utf8("b")),
                fromPeer(Role.SERVER, CLOSE, closePayload(1000, ""))));
        assertThat(s.received.events).containsExactly("ping 61");
        assertThat(s.sent.get(0)).isEqualTo("PONG 61");
        assertThat(s.sent.subList(1, s.sent.size())).hasSize(1).allMatch(f -> f.startsWith("CLOSE 03ea"));
        assertFailedWith(s, CloseCodes.PROTOCOL_ERROR);

        s.sent.clear();
        assertThat(s.session.receive(ByteBuffer.wrap(fromPeer(Role.SERVER, PING, utf8("c")))))
                .as("nothing owed after a failure").isFalse();
        assertThat(s.received.events).containsExactly("ping 61");
        assertThat(s.session.close(1000, "")).as("our close went already").isFalse();
        assertThat(s.sent).isEmpty();
    }

    /** One close frame with {@code code}, that code reported as ours, input closed and the connection done once it is written. */
    private static void assertFailedWith(Session s, int code) {
        List<String> closes = s.sent.stream().filter(f -> f.startsWith("CLOSE")).toList();
        assertThat(closes).hasSize(1);
        assertThat(closes.get(0)).startsWith("CLOSE " + String.format("%04x", code));
        assertThat(s.session.failure().closeCode()).isEqualTo(code);
        assertThat(s.session.isFailed()).isTrue();
        assertThat(s.session.closeCode()).isEqualTo(code);
        assertThat(s.session.isClosedByPeer()).isFalse();
        assertThat(s.session.canSend()).isFalse();
        assertThat(s.session.isDone()).as("not before our close is written").isFalse();
        s.session.closeWritten();
        assertThat(s.session.isDone()).as("RFC 6455 7.1.7: close TCP once our close is out").isTrue();
    }

    // ---- who closes first, and when the connection is done ----

    @Test
    void weCloseFirstThePeerAnswersAndTheServerIsDone() {
        Session s = new Session(Role.SERVER);
        assertThat(s.session.canSend()).isTrue();
        assertThat(s.session.close(1000, "bye")).isTrue();
        assertThat(s.takeSent()).containsExactly("CLOSE 03e8627965");
        assertThat(s.session.canSend()).as("no data after our close").isFalse();
        assertThat(s.session.isClosing()).isTrue();
        assertThat(s.session.close(1001, "again")).as("one close only").isFalse();
        s.session.closeWritten();
        assertThat(s.session.isCloseComplete()).isFalse();
        assertThat(s.session.isDone()).isFalse();

        s.feed(fromPeer(Role.SERVER, CLOSE, closePayload(1001, "answer")));
        assertThat(s.sent).as("the peer's close answers ours: no echo").isEmpty();
        assertThat(s.report()).as("the first close wins").isEqualTo("1000 bye by us");
        assertThat(s.session.isCloseComplete()).isTrue();
        assertThat(s.session.isDone()).as("RFC 6455 7.1.1: the server closes TCP first").isTrue();
        s.session.end(CloseCodes.ABNORMAL_CLOSURE, "", true);
        assertThat(s.report()).as("the finished handshake is reported").isEqualTo("1000 bye by us");
    }

    @Test
    void peerClosesFirstAndTheServerIsDoneOnceItsEchoIsWritten() {
        Session s = new Session(Role.SERVER);
        s.feed(fromPeer(Role.SERVER, CLOSE, closePayload(4000, "go")));
        assertThat(s.takeSent()).containsExactly("CLOSE 0fa0");
        assertThat(s.report()).isEqualTo("4000 go by peer");
        assertThat(s.session.close(1000, "late")).as("the echo was our close").isFalse();
        assertThat(s.sent).isEmpty();
        assertThat(s.report()).isEqualTo("4000 go by peer");
        assertThat(s.session.isDone()).isFalse();
        s.session.closeWritten();
        assertThat(s.session.isCloseComplete()).isTrue();
        assertThat(s.session.isDone()).isTrue();
    }

    @Test
    void clientWaitsForTheServerToCloseTcp() {
        Session s = new Session(Role.CLIENT);
        assertThat(s.session.close(1000, "")).isTrue();
        s.session.closeWritten();
        s.feed(fromPeer(Role.CLIENT, CLOSE, closePayload(1000, "")));
        assertThat(s.session.isCloseComplete()).isTrue();
        assertThat(s.session.isDone()).as("RFC 6455 7.1.1: the client waits for the server's TCP close").isFalse();
        s.session.end(CloseCodes.ABNORMAL_CLOSURE, "", true); // the server closed TCP
        assertThat(s.report()).isEqualTo("1000  by us");
    }

    @Test
    void unansweredCloseReportsTheTransportsEnd() {
        Session s = new Session(Role.CLIENT);
        s.session.close(1000, "bye");
        s.session.closeWritten();
        s.session.end(CloseCodes.ABNORMAL_CLOSURE, "close handshake timed out", false);
        assertThat(s.report()).isEqualTo("1006 close handshake timed out by us");
    }

    @Test
    void endWithoutAnyCloseReports1006() {
        Session s = new Session(Role.SERVER);
        assertThat(s.report()).isEqualTo("1006  by us");
        s.session.end(CloseCodes.ABNORMAL_CLOSURE, "", true);
        assertThat(s.report()).isEqualTo("1006  by peer");
        assertThat(s.session.isClosing()).isTrue();
    }

    @Test
    void failureForcesItsCodeWhileAHandshakeIsUnderWay() {
        Session s = new Session(Role.SERVER);
        s.session.close(1000, "bye");
        s.takeSent();
        s.session.fail(CloseCodes.INTERNAL_ERROR, "internal error");
        assertThat(s.sent).as("our close went already").isEmpty();
        assertThat(s.report()).isEqualTo("1011 internal error by us");
        s.feed(fromPeer(Role.SERVER, CLOSE, closePayload(1000, "")));
        s.session.end(CloseCodes.ABNORMAL_CLOSURE, "", true);
        assertThat(s.report()).isEqualTo("1011 internal error by us");
    }

    @Test
    void ourFailureSendsOneCloseAndStillReadsThePeersAnswer() {
        Session s = new Session(Role.SERVER);
        s.session.fail(CloseCodes.INTERNAL_ERROR, "internal error");
        assertThat(s.takeSent()).containsExactly("CLOSE 03f3" + Hex.of(utf8("internal error")));
        s.session.fail(CloseCodes.POLICY_VIOLATION, "again");
        assertThat(s.sent).isEmpty();
        s.feed(fromPeer(Role.SERVER, CLOSE, closePayload(1011, "")));
        assertThat(s.received.events).containsExactly("close 1011 ");
        assertThat(s.sent).as("the peer answered ours").isEmpty();
        s.session.closeWritten();
        assertThat(s.session.isDone()).isTrue();
        assertThat(s.report()).isEqualTo("1011 internal error by us");
    }

    @Test
    void ignoredInputIsConsumedAndNotDelivered() {
        Session s = new Session(Role.SERVER);
        s.session.ignoreInput();
        s.feed(fromPeer(Role.SERVER, PING, utf8("p")));
        assertThat(s.received.events).isEmpty();
        assertThat(s.sent).isEmpty();
    }
}
