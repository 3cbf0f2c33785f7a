package io.blockbuster.websocket.fuzz;

import io.blockbuster.websocket.protocol.CloseCodes;
import io.blockbuster.websocket.protocol.EncodedPayload;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.FrameDecoder;
import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.FrameSink;
import io.blockbuster.websocket.protocol.MessageAssembler;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.PartialMessageSink;
import io.blockbuster.websocket.protocol.ProtocolLimits;
import io.blockbuster.websocket.protocol.Role;
import io.blockbuster.websocket.protocol.WebSocketProtocolException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The receive path of one connection direction, FrameDecoder into MessageAssembler, as the fuzz
 * targets drive it: feeds wire bytes in a given chunk plan and records what came out (the frames
 * the decoder completed, the messages the assembler delivered, the close code it failed with) and
 * checks the invariants every single run must keep. Comparisons between runs are the targets' job.
 */
final class FramePipeline {
    /** Small limits, so the fuzzer reaches the 1009 paths with short inputs. */
    static final ProtocolLimits LIMITS = new ProtocolLimits(4096, 16_384);
    /** The only close codes a peer's bytes may earn. */
    static final Set<Integer> PEER_FAULT_CODES = Set.of(CloseCodes.PROTOCOL_ERROR,
            CloseCodes.INVALID_PAYLOAD_DATA, CloseCodes.MESSAGE_TOO_BIG);

    enum Kind { TEXT, BINARY, PING, PONG, CLOSE }

    /** A delivered message; {@code data} is the UTF-8 of text and of a close reason. */
    record Message(Kind kind, byte[] data, int code) {
        String describe() {
            return kind + (kind == Kind.CLOSE ? " " + code : "") + " " + Arrays.toString(data);
        }
    }

    /** A frame the decoder completed, payload unmasked. */
    record Frame(boolean fin, int rsv, Opcode opcode, byte[] payload) {
    }

    /** What one run produced. */
    record Outcome(List<Message> messages, List<Frame> frames, int closeCode, long allocatedBytes) {
        List<String> described() {
            List<String> out = new ArrayList<>();
            for (Message m : messages) {
                out.add(m.describe());
            }
            return out;
        }
    }

    private FramePipeline() {
    }

    /**
     * Chunk sizes for splitting input: {@code seed == 0} means one piece, else sizes 1..n drawn
     * from a generator seeded with it.
     */
    static int[] chunkPlan(int seed, int length) {
        if (seed == 0 || length == 0) {
            return new int[] {Math.max(length, 1)};
        }
        Random r = new Random(seed);
        int max = 1 + (seed & 0x3F);
        List<Integer> sizes = new ArrayList<>();
        for (int left = length; left > 0; ) {
            int n = Math.min(left, 1 + r.nextInt(max));
            sizes.add(n);
            left -= n;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Decodes {@code wire} (not modified: a copy is unmasked) as a {@code local} endpoint would.
     *
     * @param partialThreshold -1 for whole messages only, else deliver in parts above it
     */
    static Outcome run(Role local, List<Extension> extensions, int partialThreshold, byte[] wire, int[] plan) {
        Recorder recorder = new Recorder();
        MessageAssembler assembler = partialThreshold < 0
                ? new MessageAssembler(LIMITS, extensions, recorder)
                : new MessageAssembler(LIMITS, extensions, recorder, partialThreshold);
        FrameDecoder decoder = new FrameDecoder(local, LIMITS.maxFramePayloadBytes());
        int rsv = 0;
        for (Extension e : extensions) {
            rsv |= e.rsvBits();
        }
        decoder.allowRsv(rsv);
        FrameTap tap = new FrameTap(assembler);
        byte[] copy = wire.clone();
        int closeCode = 0;
        int offset = 0;
        long before = Allocations.currentThread();
        for (int i = 0; i < plan.length && offset < copy.length; i++) {
            int n = Math.min(plan[i], copy.length - offset);
            ByteBuffer in = ByteBuffer.wrap(copy, offset, n);
            try {
                decoder.decode(in, tap);
            } catch (WebSocketProtocolException e) {
                closeCode = e.closeCode();
                check(PEER_FAULT_CODES.contains(closeCode), "close code " + closeCode + " for a peer fault");
                check(e.getMessage() != null
                        && e.getMessage().getBytes(StandardCharsets.UTF_8).length <= 123, "reason fits a close frame");
                check(decoder.isFailed(), "decoder is terminal after a failure");
                // A failed decoder swallows whatever else arrives, and reports nothing more.
                int delivered = recorder.messages.size();
                ByteBuffer rest = ByteBuffer.wrap(copy, offset + n, copy.length - offset - n);
                decoder.decode(rest, tap);
                check(!rest.hasRemaining(), "failed decoder consumes input");
                check(recorder.messages.size() == delivered, "nothing delivered after failure");
                break;
            }
            check(!in.hasRemaining(), "decode consumes all input");
            offset += n;
        }
        long after = Allocations.currentThread();
        recorder.checkAfterRun();
        return new Outcome(recorder.messages, tap.frames, closeCode, before < 0 || after < 0 ? -1 : after - before);
    }

    /**
     * Frame-level exactness: every completed frame, encoded again by the peer's encoder with the
     * same mask key, is exactly the bytes it was decoded from (the decoder accepts only minimal
     * length encodings, so there is one encoding per frame).
     */
    static void checkFramesReencodeExactly(Role local, byte[] wire, List<Frame> frames) {
        Role peer = local == Role.SERVER ? Role.CLIENT : Role.SERVER;
        boolean masked = peer == Role.CLIENT;
        int offset = 0;
        for (Frame f : frames) {
            int header = FrameEncoder.headerLength(f.payload().length, masked);
            int key = masked ? ByteBuffer.wrap(wire, offset + header - 4, 4).getInt() : 0;
            FrameEncoder encoder = new FrameEncoder(peer, () -> key);
            ByteBuffer dst = ByteBuffer.allocate(encoder.frameLength(f.payload().length));
            encoder.encodeFrame(f.fin(), f.rsv(), f.opcode(), ByteBuffer.wrap(f.payload()), dst);
            byte[] original = Arrays.copyOfRange(wire, offset, offset + dst.capacity());
            check(Arrays.equals(dst.array(), original), "frame at " + offset + " re-encodes to its own bytes");
            offset += dst.capacity();
        }
    }

    /**
     * Encodes messages as the peer would send them: one frame each, data messages through the
     * peer's extensions (which may compress them), with a fixed mask key from a client.
     */
    static byte[] encodeAsPeer(Role local, List<Extension> peerExtensions, List<Message> messages) {
        Role peer = local == Role.SERVER ? Role.CLIENT : Role.SERVER;
        FrameEncoder encoder = new FrameEncoder(peer, () -> 0x1f2e3d4c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message m : messages) {
            Opcode opcode;
            ByteBuffer payload;
            switch (m.kind()) {
                case TEXT -> { opcode = Opcode.TEXT; payload = ByteBuffer.wrap(m.data()); }
                case BINARY -> { opcode = Opcode.BINARY; payload = ByteBuffer.wrap(m.data()); }
                case PING -> { opcode = Opcode.PING; payload = ByteBuffer.wrap(m.data()); }
                case PONG -> { opcode = Opcode.PONG; payload = ByteBuffer.wrap(m.data()); }
                default -> {
                    opcode = Opcode.CLOSE;
                    payload = m.code() == CloseCodes.NO_STATUS_RECEIVED ? ByteBuffer.allocate(0)
                            : FrameEncoder.closePayload(m.code(), new String(m.data(), StandardCharsets.UTF_8));
                }
            }
            int rsv = 0;
            if (!opcode.isControl()) {
                for (Extension e : peerExtensions) {
                    EncodedPayload encoded = e.encodeMessage(opcode, payload);
                    payload = encoded.payload();
                    rsv |= encoded.rsv();
                }
            }
            // Fragments no larger than the frame limit; the first carries opcode and RSV bits.
            ByteBuffer rest = payload.duplicate();
            int fragment = (int) LIMITS.maxFramePayloadBytes();
            do {
                int n = Math.min(fragment, rest.remaining());
                ByteBuffer piece = rest.slice(rest.position(), n);
                rest.position(rest.position() + n);
                ByteBuffer dst = ByteBuffer.allocate(encoder.frameLength(n));
                encoder.encodeFrame(!rest.hasRemaining(), rsv, opcode, piece, dst);
                out.writeBytes(dst.array());
                opcode = Opcode.CONTINUATION;
                rsv = 0;
            } while (rest.hasRemaining());
        }
        return out.toByteArray();
    }

    /** The extensions of both ends of one fresh connection; closing releases them. */
    interface Connection extends AutoCloseable {
        List<Extension> local();

        List<Extension> peer();

        @Override
        void close();
    }

    /**
     * The whole invariant set for one input: decoding is independent of how the input is split
     * and of whole versus partial delivery (same messages, same close code); completed frames
     * re-encode to their exact bytes; the delivered messages, sent again by the peer, decode to
     * the same messages with no error (decode, encode, decode is stable); allocation stays
     * proportional to the input and the message limit, never to a claimed length.
     */
    static void checkAll(Role local, java.util.function.Supplier<Connection> connections, int partialThreshold,
                         int chunkSeed, byte[] wire) {
        Outcome first;
        Outcome whole;
        Outcome split;
        try (Connection c = connections.get()) {
            first = run(local, c.local(), -1, wire, chunkPlan(0, wire.length));
        }
        // Measured on a second run: the first may load (and instrument) classes.
        try (Connection c = connections.get()) {
            whole = run(local, c.local(), -1, wire, chunkPlan(0, wire.length));
        }
        check(first.described().equals(whole.described()) && first.closeCode() == whole.closeCode(),
                "decoding is deterministic");
        try (Connection c = connections.get()) {
            split = run(local, c.local(), partialThreshold, wire, chunkPlan(chunkSeed, wire.length));
        }
        check(split.described().equals(whole.described()), "same messages however the input is split");
        check(split.closeCode() == whole.closeCode(), "same close code however the input is split");
        check(split.frames().size() == whole.frames().size(), "same frames however the input is split");
        checkFramesReencodeExactly(local, wire, whole.frames());
        if (whole.allocatedBytes() >= 0) {
            long bound = (1 << 20) + 32L * wire.length
                    + (long) whole.messages().size() * 8 * LIMITS.maxMessageBytes();
            check(whole.allocatedBytes() <= bound, "allocated " + whole.allocatedBytes() + " <= " + bound);
        }
        try (Connection c = connections.get()) {
            byte[] again = encodeAsPeer(local, c.peer(), whole.messages());
            Outcome re = run(local, c.local(), -1, again, chunkPlan(0, again.length));
            check(re.closeCode() == 0, "re-encoded messages decode without error, got " + re.closeCode());
            check(re.described().equals(whole.described()), "decode, encode, decode is stable");
        }
    }

    static void check(boolean condition, String invariant) {
        if (!condition) {
            throw new AssertionError("invariant broken: " + invariant);
        }
    }

    /** Forwards to the assembler and keeps a copy of every completed frame. */
    private static final class FrameTap implements FrameSink {
        final List<Frame> frames = new ArrayList<>();
        private final FrameSink next;
        private boolean fin;
        private int rsv;
        private Opcode opcode;
        private long length;
        private ByteArrayOutputStream payload;

        FrameTap(FrameSink next) {
            this.next = next;
        }

        @Override
        public void frameStart(boolean fin, int rsv, Opcode opcode, long payloadLength) {
            check(payload == null, "frameStart follows frameEnd");
            check(payloadLength >= 0 && payloadLength <= LIMITS.maxFramePayloadBytes(), "claimed length within limit");
            check(!opcode.isReserved(), "reserved opcodes never reach the sink");
            check(!opcode.isControl() || (fin && payloadLength <= 125), "control frames are small and whole");
            this.fin = fin;
            this.rsv = rsv;
            this.opcode = opcode;
            this.length = payloadLength;
            this.payload = new ByteArrayOutputStream();
            next.frameStart(fin, rsv, opcode, payloadLength);
        }

        @Override
        public void payload(ByteBuffer chunk) {
            check(payload != null, "payload inside a frame");
            check(chunk.hasRemaining(), "chunks are not empty");
            byte[] b = new byte[chunk.remaining()];
            chunk.duplicate().get(b);
            payload.writeBytes(b);
            check(payload.size() <= length, "no more payload than claimed");
            int position = chunk.position();
            next.payload(chunk);
            chunk.position(position);
        }

        @Override
        public void frameEnd() {
            check(payload != null && payload.size() == length, "frameEnd after exactly the claimed payload");
            Frame f = new Frame(fin, rsv, opcode, payload.toByteArray());
            payload = null;
            next.frameEnd();
            // Counted only once the assembler took it: where it fails (payload or frameEnd) may
            // depend on the split, the frame count must not.
            frames.add(f);
        }
    }

    /** Records messages; parts of a streamed message are joined, so every mode gives the same list. */
    private static final class Recorder implements PartialMessageSink {
        final List<Message> messages = new ArrayList<>();
        private ByteArrayOutputStream parts;
        private Kind partsKind;
        private boolean closed;

        private void add(Message m) {
            check(!closed, "nothing is delivered after a close");
            check(parts == null, "a whole message never interleaves a streamed one");
            check(m.data().length <= LIMITS.maxMessageBytes(), "message within maxMessageBytes");
            messages.add(m);
        }

        @Override
        public void onText(String text) {
            add(new Message(Kind.TEXT, text.getBytes(StandardCharsets.UTF_8), 0));
        }

        @Override
        public void onBinary(ByteBuffer data) {
            add(new Message(Kind.BINARY, bytes(data), 0));
        }

        @Override
        public void onPing(ByteBuffer payload) {
            check(payload.remaining() <= 125, "ping payload <= 125");
            check(!closed, "nothing is delivered after a close");
            messages.add(new Message(Kind.PING, bytes(payload), 0));
        }

        @Override
        public void onPong(ByteBuffer payload) {
            check(payload.remaining() <= 125, "pong payload <= 125");
            check(!closed, "nothing is delivered after a close");
            messages.add(new Message(Kind.PONG, bytes(payload), 0));
        }

        @Override
        public void onClose(int code, String reason) {
            byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
            check(code == CloseCodes.NO_STATUS_RECEIVED ? utf8.length == 0 : CloseCodes.isValidOnWire(code),
                    "close code valid on the wire, or 1005 with no reason");
            check(utf8.length <= 123, "close reason <= 123 bytes");
            check(!closed, "one close");
            messages.add(new Message(Kind.CLOSE, utf8, code));
            closed = true;
        }

        @Override
        public void onTextPart(String part, boolean last) {
            check(partsKind == null || partsKind == Kind.TEXT, "parts of one kind");
            // Every part ends on a character boundary, so it encodes back to the bytes received.
            appendPart(Kind.TEXT, part.getBytes(StandardCharsets.UTF_8), last);
        }

        @Override
        public void onBinaryPart(ByteBuffer part, boolean last) {
            check(partsKind == null || partsKind == Kind.BINARY, "parts of one kind");
            appendPart(Kind.BINARY, bytes(part), last);
        }

        private void appendPart(Kind kind, byte[] bytes, boolean last) {
            check(!closed, "nothing is delivered after a close");
            if (parts == null) {
                parts = new ByteArrayOutputStream();
                partsKind = kind;
            }
            parts.writeBytes(bytes);
            check(parts.size() <= LIMITS.maxMessageBytes(), "streamed message within maxMessageBytes");
            if (last) {
                byte[] whole = parts.toByteArray();
                parts = null;
                partsKind = null;
                add(new Message(kind, whole, 0));
            }
        }

        void checkAfterRun() {
            // A message left unfinished (input ended, or the peer failed) is simply not reported.
            parts = null;
        }

        private static byte[] bytes(ByteBuffer b) {
            byte[] out = new byte[b.remaining()];
            b.duplicate().get(out);
            return out;
        }
    }
}
