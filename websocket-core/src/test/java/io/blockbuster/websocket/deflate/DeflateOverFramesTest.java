package io.blockbuster.websocket.deflate;

import io.blockbuster.websocket.protocol.Hex;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockbuster.websocket.protocol.CloseCodes;
import io.blockbuster.websocket.protocol.EncodedPayload;
import io.blockbuster.websocket.protocol.ExtensionOffer;
import io.blockbuster.websocket.protocol.FrameDecoder;
import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.FrameSink;
import io.blockbuster.websocket.protocol.MessageAssembler;
import io.blockbuster.websocket.protocol.MessageSink;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.ProtocolLimits;
import io.blockbuster.websocket.protocol.Role;
import io.blockbuster.websocket.protocol.WebSocketProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * permessage-deflate through the real protocol layer: extension, FrameEncoder fragmenting,
 * FrameDecoder and MessageAssembler inflating. Checks RSV1 sits on the first frame only.
 */
class DeflateOverFramesTest {
    private static final ProtocolLimits LIMITS = new ProtocolLimits(1 << 20, 1 << 20);

    /** Messages as the sink saw them ("T:" text, "B:" binary as length), plus control frames. */
    static final class Received implements MessageSink {
        final List<String> events = new ArrayList<>();
        final List<byte[]> binaries = new ArrayList<>();

        @Override
        public void onText(String text) {
            events.add("T:" + text);
        }

        @Override
        public void onBinary(ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binaries.add(b);
            events.add("B:" + b.length);
        }

        @Override
        public void onPing(ByteBuffer payload) {
            events.add("ping:" + UTF_8.decode(payload));
        }

        @Override
        public void onPong(ByteBuffer payload) {
            events.add("pong");
        }

        @Override
        public void onClose(int code, String reason) {
            events.add("close:" + code);
        }
    }

    /** Records each frame's header: "fin rsv opcode". */
    static List<String> headers(Role receiver, ByteBuffer wire) {
        List<String> out = new ArrayList<>();
        FrameDecoder d = new FrameDecoder(receiver, 1 << 20);
        d.allowRsv(PerMessageDeflateExtension.RSV1);
        d.decode(wire.duplicate(), new FrameSink() {
            @Override
            public void frameStart(boolean fin, int rsv, Opcode opcode, long payloadLength) {
                out.add((fin ? "F" : "-") + rsv + opcode);
            }

            @Override
            public void payload(ByteBuffer chunk) {
            }

            @Override
            public void frameEnd() {
            }
        });
        return out;
    }

    /** Encodes as {@code sender} would send, fragmenting at {@code fragmentSize}. */
    static ByteBuffer send(PerMessageDeflateExtension ext, Role sender, Opcode opcode, byte[] message, int fragmentSize) {
        EncodedPayload e = ext.encodeMessage(opcode, ByteBuffer.wrap(message));
        FrameEncoder enc = new FrameEncoder(sender, () -> 0x37fa213d);
        ByteBuffer wire = ByteBuffer.allocate(enc.messageLength(e.payload().remaining(), fragmentSize));
        enc.encodeMessage(e.rsv(), opcode, e.payload(), fragmentSize, wire);
        return wire.flip();
    }

    static Stream<Arguments> modesAndFragmentSizes() {
        List<Arguments> rows = new ArrayList<>();
        for (boolean noContext : new boolean[] {false, true}) {
            for (int fragment : new int[] {1, 2, 7, 125, 126, 1000, 65_536}) {
                rows.add(Arguments.of(noContext, fragment));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "noContextTakeover={0}, fragments of {1}")
    @MethodSource("modesAndFragmentSizes")
    void fragmentedCompressedMessagesRoundTripBothWays(boolean noContext, int fragmentSize) {
        PerMessageDeflate config = PerMessageDeflate.builder().serverNoContextTakeover(noContext)
                .clientNoContextTakeover(noContext).minCompressBytes(100).build();
        PerMessageDeflateExtension server = config.acceptOffer(config.offers().get(0));
        PerMessageDeflateExtension client = config.acceptResponse(server.response());
        Received atClient = new Received();
        Received atServer = new Received();
        FrameDecoder clientDecoder = new FrameDecoder(Role.CLIENT, 1 << 20);
        clientDecoder.allowRsv(client.rsvBits());
        FrameDecoder serverDecoder = new FrameDecoder(Role.SERVER, 1 << 20);
        serverDecoder.allowRsv(server.rsvBits());
        MessageAssembler clientAssembler = new MessageAssembler(LIMITS, List.of(client), atClient);
        MessageAssembler serverAssembler = new MessageAssembler(LIMITS, List.of(server), atServer);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String text = new String(PerMessageDeflateExtensionTest.ticks(i == 3 ? 50 : 300 * (i + 1), i), UTF_8)
                    + "€ü";
            byte[] bytes = text.getBytes(UTF_8);
            ByteBuffer down = send(server, Role.SERVER, Opcode.TEXT, bytes, fragmentSize);
            List<String> frames = headers(Role.CLIENT, down);
            boolean compressed = bytes.length >= 100;
            // RFC 7692 6.1: RSV1 on the first frame only, never on continuations
            assertThat(frames.get(0)).isEqualTo((frames.size() == 1 ? "F" : "-") + (compressed ? 4 : 0) + "TEXT");
            assertThat(frames.subList(1, frames.size())).allSatisfy(h -> assertThat(h).matches("[F-]0CONTINUATION"));
            clientDecoder.decode(down, clientAssembler);
            serverDecoder.decode(send(client, Role.CLIENT, Opcode.TEXT, bytes, fragmentSize), serverAssembler);
            expected.add("T:" + text);
        }
        assertThat(atClient.events).containsExactlyElementsOf(expected);
        assertThat(atServer.events).containsExactlyElementsOf(expected);
        server.close();
        client.close();
    }

    private static PerMessageDeflateExtension clientWithContextTakeover() {
        return PerMessageDeflate.withDefaults().acceptResponse(new ExtensionOffer(PerMessageDeflate.NAME, Map.of()));
    }

    private static List<String> receive(PerMessageDeflateExtension client, String... hexFrames) {
        Received r = new Received();
        FrameDecoder d = new FrameDecoder(Role.CLIENT, 1 << 20);
        d.allowRsv(client.rsvBits());
        MessageAssembler a = new MessageAssembler(LIMITS, List.of(client), r);
        for (String f : hexFrames) {
            d.decode(Hex.buffer(f), a);
        }
        return r.events;
    }

    @Test
    void rfc7692Section7231SingleFrame() {
        assertThat(receive(clientWithContextTakeover(), "c1 07 f2 48 cd c9 c9 07 00")).containsExactly("T:Hello");
    }

    @Test
    void rfc7692Section7231Fragmented() {
        assertThat(receive(clientWithContextTakeover(), "41 03 f2 48 cd", "80 04 c9 c9 07 00")).containsExactly("T:Hello");
    }

    @Test
    void rfc7692Section7232SharedWindowAcrossTwoMessages() {
        assertThat(receive(clientWithContextTakeover(), "c1 07 f2 48 cd c9 c9 07 00", "c1 05 f2 00 11 00 00"))
                .containsExactly("T:Hello", "T:Hello");
    }

    @Test
    void rfc7692Section7233To7236() {
        PerMessageDeflateExtension c = clientWithContextTakeover();
        assertThat(receive(c, "c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00", "c1 08 f3 48 cd c9 c9 07 00 00",
                "c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00", "41 0b f2 48 cd c9 c9 07 00 00 00 ff ff", "80 01 00"))
                .containsExactly("T:Hello", "T:Hello", "T:Hello", "T:Hello");
    }

    @Test
    void controlFrameBetweenCompressedFragmentsIsDeliveredAsIs() {
        assertThat(receive(clientWithContextTakeover(), "41 03 f2 48 cd", "89 02 68 69", "80 04 c9 c9 07 00"))
                .containsExactly("ping:hi", "T:Hello");
    }

    @Test
    void rsv1OnAContinuationFrameFailsWith1002() {
        assertThatThrownBy(() -> receive(clientWithContextTakeover(), "41 03 f2 48 cd", "c0 04 c9 c9 07 00"))
                .isInstanceOfSatisfying(WebSocketProtocolException.class,
                        e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR));
    }

    @Test
    void invalidUtf8InsideACompressedTextMessageFailsWith1007() {
        PerMessageDeflateExtension sender = PerMessageDeflate.builder().minCompressBytes(0).build()
                .acceptOffer(new ExtensionOffer(PerMessageDeflate.NAME, Map.of()));
        byte[] bad = new byte[300];
        java.util.Arrays.fill(bad, (byte) 'a');
        bad[150] = (byte) 0xff;
        ByteBuffer wire = send(sender, Role.SERVER, Opcode.TEXT, bad, 1000);
        assertThat(headers(Role.CLIENT, wire).get(0)).isEqualTo("F4TEXT");
        assertThatThrownBy(() -> receive(clientWithContextTakeover(), Hex.of(wire)))
                .isInstanceOfSatisfying(WebSocketProtocolException.class,
                        e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.INVALID_PAYLOAD_DATA));
    }

    @Test
    void smallFrameThatInflatesPastTheMessageLimitFailsWith1009() {
        ByteBuffer bomb = PerMessageDeflateExtensionTest.compress(new byte[1 << 20]);
        FrameEncoder enc = new FrameEncoder(Role.SERVER, () -> 0);
        ByteBuffer wire = ByteBuffer.allocate(enc.frameLength(bomb.remaining()));
        enc.encodeFrame(true, PerMessageDeflateExtension.RSV1, Opcode.BINARY, bomb, wire);
        wire.flip();
        assertThat(wire.remaining()).isLessThan(2048);
        PerMessageDeflateExtension client = clientWithContextTakeover();
        FrameDecoder d = new FrameDecoder(Role.CLIENT, 1 << 20);
        d.allowRsv(client.rsvBits());
        MessageAssembler a = new MessageAssembler(new ProtocolLimits(1 << 20, 64 * 1024), List.of(client), new Received());
        assertThatThrownBy(() -> d.decode(wire, a))
                .isInstanceOfSatisfying(WebSocketProtocolException.class,
                        e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG));
    }

    @Test
    void sharedFrameIsCompressedOnceAndReadByEveryClientWithoutServerContextTakeover() {
        PerMessageDeflate server = PerMessageDeflate.withDefaults();
        byte[] message = PerMessageDeflateExtensionTest.ticks(5000, 42);
        CompressedFrame shared = server.compressShared(Opcode.TEXT, ByteBuffer.wrap(message));
        assertThat(shared.frameLength()).isLessThan(message.length / 2);
        assertThat(shared.frame().isReadOnly()).isTrue();
        assertThat(headers(Role.CLIENT, shared.frame())).containsExactly("F4TEXT");
        for (int i = 0; i < 3; i++) {
            PerMessageDeflate clientConfig = PerMessageDeflate.withDefaults();
            PerMessageDeflateExtension s = server.acceptOffer(clientConfig.offers().get(0));
            PerMessageDeflateExtension c = clientConfig.acceptResponse(s.response());
            // the client's window is in use, and still the shared frame inflates in sequence
            Received r = new Received();
            FrameDecoder d = new FrameDecoder(Role.CLIENT, 1 << 20);
            d.allowRsv(c.rsvBits());
            MessageAssembler a = new MessageAssembler(LIMITS, List.of(c), r);
            d.decode(send(s, Role.SERVER, Opcode.TEXT, message, 4096), a);
            d.decode(s.sharedFrame(shared), a);
            d.decode(send(s, Role.SERVER, Opcode.TEXT, message, 4096), a);
            String text = new String(message, UTF_8);
            assertThat(r.events).containsExactly("T:" + text, "T:" + text, "T:" + text);
        }
    }

    @Test
    void sharedFrameIsRefusedWhereItWouldBreakTheWindowOrTheRules() {
        byte[] message = PerMessageDeflateExtensionTest.ticks(5000, 42);
        CompressedFrame shared = CompressedFrame.compress(Opcode.TEXT, ByteBuffer.wrap(message));
        PerMessageDeflate takeover = PerMessageDeflate.builder().serverNoContextTakeover(false).build();
        PerMessageDeflate lean = PerMessageDeflate.withDefaults();
        // server with context takeover: the shared frame would desynchronize the window
        assertThat(takeover.acceptOffer(takeover.offers().get(0)).sharedFrame(shared)).isNull();
        // a client masks every frame: nothing to share
        assertThat(lean.acceptResponse(lean.acceptOffer(lean.offers().get(0)).response()).sharedFrame(shared)).isNull();
        // a client window of 2^12 cannot take 5000 bytes from a 32 KiB Deflater
        PerMessageDeflate smallWindow = PerMessageDeflate.builder().serverMaxWindowBits(12).build();
        assertThat(lean.acceptOffer(smallWindow.offers().get(0)).sharedFrame(shared)).isNull();
        // closed connection
        PerMessageDeflateExtension closed = lean.acceptOffer(lean.offers().get(0));
        closed.close();
        assertThat(closed.sharedFrame(shared)).isNull();
        // a fitting one gets a view of the same bytes
        assertThat(lean.acceptOffer(lean.offers().get(0)).sharedFrame(shared)).isEqualTo(shared.frame());
        // below the threshold or incompressible: nothing to share
        assertThat(lean.compressShared(Opcode.TEXT, ByteBuffer.wrap(new byte[10]))).isNull();
        byte[] noise = new byte[1000];
        new java.util.Random(1).nextBytes(noise);
        assertThat(CompressedFrame.compress(Opcode.BINARY, ByteBuffer.wrap(noise))).isNull();
    }
}
