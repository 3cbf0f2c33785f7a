package io.blockbuster.benchmarks;

import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.BinaryFrame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Server side encoding of one unmasked binary frame per operation.
 *
 * <p>{@link #blockbusterFrame} copies header and payload into one caller-owned buffer (what the
 * transport does below about 1 KiB); {@link #blockbusterHeader} writes the header alone (the
 * gathering-write path for larger payloads, the payload itself is never touched). Netty's encoder,
 * called directly, likewise copies small payloads into one pooled buffer and emits header + retained
 * payload above 1 KiB; the frame object is part of its API, so it is created per operation.
 * Java-WebSocket's createBinaryFrame always allocates a new buffer and copies.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EncodeBinaryBenchmark {

    @Param({"0", "16", "125", "126", "1024", "65536", "1048576"})
    public int size;

    @Param({"HEAP", "DIRECT"})
    public Fixtures.Memory memory;

    private ByteBuffer payload;
    private ByteBuffer dst;
    private FrameEncoder encoder;

    private ByteBuf nettyPayload;
    private NettyCodec.Encoder nettyEncoder;
    private final List<Object> nettyOut = new ArrayList<>(4);

    private Draft_6455 draft;
    private BinaryFrame jwsFrame;

    @Setup
    public void setUp() {
        byte[] bytes = Fixtures.payload(Fixtures.Content.BINARY, size);
        payload = Fixtures.buffer(memory, bytes);
        dst = Fixtures.allocate(memory, size + FrameEncoder.MAX_HEADER_BYTES);
        encoder = new FrameEncoder(Role.SERVER, () -> {
            throw new AssertionError("a server does not mask");
        });

        nettyPayload = memory == Fixtures.Memory.HEAP ? Unpooled.wrappedBuffer(bytes)
                : Unpooled.directBuffer(size).writeBytes(bytes);
        nettyEncoder = new NettyCodec.Encoder();

        draft = new Draft_6455();
        draft.setParseMode(org.java_websocket.enums.Role.SERVER);
        jwsFrame = new BinaryFrame();
        jwsFrame.setFin(true);
    }

    @TearDown
    public void tearDown() {
        nettyPayload.release();
        nettyEncoder.channel.finishAndReleaseAll();
    }

    @Benchmark
    public ByteBuffer blockbusterFrame() {
        payload.clear();
        dst.clear();
        encoder.encodeFrame(true, 0, Opcode.BINARY, payload, dst);
        return dst;
    }

    @Benchmark
    public ByteBuffer blockbusterHeader() {
        dst.clear();
        encoder.writeHeader(true, 0, Opcode.BINARY, size, dst);
        return dst;
    }

    @Benchmark
    public void netty(Blackhole blackhole) throws Exception {
        BinaryWebSocketFrame frame = new BinaryWebSocketFrame(nettyPayload.retainedDuplicate());
        nettyEncoder.encodeDirect(frame, nettyOut);
        frame.release();
        for (int i = 0; i < nettyOut.size(); i++) {
            Object part = nettyOut.get(i);
            blackhole.consume(part);
            ReferenceCountUtil.release(part);
        }
        nettyOut.clear();
    }

    @Benchmark
    public ByteBuffer javaWebSocket() {
        payload.clear();
        jwsFrame.setPayload(payload);
        return draft.createBinaryFrame(jwsFrame);
    }
}
