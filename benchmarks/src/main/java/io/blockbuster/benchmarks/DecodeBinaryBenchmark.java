package io.blockbuster.benchmarks;

import io.blockbuster.websocket.protocol.FrameDecoder;
import io.blockbuster.websocket.protocol.FrameSink;
import io.blockbuster.websocket.protocol.MessageAssembler;
import io.blockbuster.websocket.protocol.MessageSink;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.ProtocolLimits;
import io.blockbuster.websocket.protocol.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.Framedata;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Server side decoding of one masked client binary frame per operation (header, mask key,
 * unmasking, hand-off of the payload), the same bytes through every implementation.
 *
 * <p>Our decoder unmasks in place, so feeding the same buffer again toggles the payload between
 * masked and unmasked bytes; for binary frames that does not matter (the work is identical), so no
 * copy is needed. Netty copies the payload into a pooled buffer and unmasks the copy; Java-WebSocket
 * allocates a fresh buffer per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecodeBinaryBenchmark {

    @Param({"0", "16", "125", "126", "1024", "65536", "1048576"})
    public int size;

    @Param({"HEAP", "DIRECT"})
    public Fixtures.Memory memory;

    private ByteBuffer in;
    private ByteBuffer inLittleEndian;
    private FrameDecoder littleEndianDecoder;
    private FrameDecoder frameDecoder;
    private FrameDecoder messageDecoder;
    private MessageAssembler assembler;
    private BlackholeFrameSink frameSink;
    private BlackholeMessageSink messageSink;

    private ByteBuf nettyIn;
    private NettyCodec.Decoder nettyDecoder;
    private final List<Object> nettyOut = new ArrayList<>(2);

    private Draft_6455 draft;

    @Setup
    public void setUp(Blackhole blackhole) {
        byte[] frame = Fixtures.maskedFrame(0x2, Fixtures.payload(Fixtures.Content.BINARY, size));
        in = Fixtures.buffer(memory, frame);
        inLittleEndian = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ProtocolLimits limits = new ProtocolLimits(2 * 1024 * 1024, 2 * 1024 * 1024);
        frameSink = new BlackholeFrameSink(blackhole);
        frameDecoder = new FrameDecoder(Role.SERVER, limits.maxFramePayloadBytes());
        messageSink = new BlackholeMessageSink(blackhole);
        assembler = new MessageAssembler(limits, List.of(), messageSink);
        messageDecoder = new FrameDecoder(Role.SERVER, limits.maxFramePayloadBytes());
        littleEndianDecoder = new FrameDecoder(Role.SERVER, limits.maxFramePayloadBytes());

        nettyIn = memory == Fixtures.Memory.HEAP ? Unpooled.wrappedBuffer(frame)
                : Unpooled.directBuffer(frame.length).writeBytes(frame);
        nettyDecoder = new NettyCodec.Decoder();

        draft = new Draft_6455();
        draft.setParseMode(org.java_websocket.enums.Role.SERVER);
    }

    @TearDown
    public void tearDown() {
        nettyIn.release();
        nettyDecoder.channel.finishAndReleaseAll();
    }

    /** Frame layer only: header parsing and unmasking, payload handed to a sink as a view. */
    @Benchmark
    public void blockbusterFrame() {
        in.clear();
        frameDecoder.decode(in, frameSink);
    }

    /**
     * As {@link #blockbusterFrame}, the same bytes in a buffer whose order is little-endian. Once
     * the unmasking loop byte-swapped every 8 bytes of a (default) big-endian buffer, so this ran
     * about twice as fast; now that {@code Masking} ignores the buffer's order the two should match.
     */
    @Benchmark
    public void blockbusterFrameLittleEndian() {
        inLittleEndian.clear();
        littleEndianDecoder.decode(inLittleEndian, frameSink);
    }

    /** Frame layer plus message assembly: what a connection runs per inbound binary message. */
    @Benchmark
    public void blockbusterMessage() {
        in.clear();
        messageDecoder.decode(in, assembler);
    }

    /** Netty's WebSocket08FrameDecoder, decode() called directly. */
    @Benchmark
    public void netty(Blackhole blackhole) throws Exception {
        nettyIn.readerIndex(0);
        nettyDecoder.decodeDirect(nettyIn, nettyOut);
        WebSocketFrame frame = (WebSocketFrame) nettyOut.get(0);
        blackhole.consume(frame.content().readableBytes());
        frame.release();
        nettyOut.clear();
    }

    /** Java-WebSocket's Draft_6455.translateFrame. */
    @Benchmark
    public void javaWebSocket(Blackhole blackhole) throws Exception {
        in.clear();
        List<Framedata> frames = draft.translateFrame(in);
        blackhole.consume(frames.get(0).getPayloadData().remaining());
    }

    /** Consumes what a frame layer user would look at, nothing more. */
    static final class BlackholeFrameSink implements FrameSink {
        private final Blackhole blackhole;

        BlackholeFrameSink(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void frameStart(boolean fin, int rsv, Opcode opcode, long payloadLength) {
            blackhole.consume(payloadLength);
        }

        @Override
        public void payload(ByteBuffer chunk) {
            blackhole.consume(chunk.remaining());
        }

        @Override
        public void frameEnd() {
        }
    }

    static final class BlackholeMessageSink implements MessageSink {
        private final Blackhole blackhole;

        BlackholeMessageSink(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onText(String text) {
            blackhole.consume(text);
        }

        @Override
        public void onBinary(ByteBuffer data) {
            blackhole.consume(data.remaining());
        }

        @Override
        public void onPing(ByteBuffer payload) {
        }

        @Override
        public void onPong(ByteBuffer payload) {
        }

        @Override
        public void onClose(int code, String reason) {
        }
    }
}
