package io.blockbuster.benchmarks;

import io.blockbuster.websocket.protocol.FrameDecoder;
import io.blockbuster.websocket.protocol.MessageAssembler;
import io.blockbuster.websocket.protocol.ProtocolLimits;
import io.blockbuster.websocket.protocol.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.Framedata;
import org.java_websocket.util.Charsetfunctions;
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
 * Server side decoding of one masked client text frame per operation, with UTF-8 validation and
 * delivery of a {@code String}, which is what an application receives from each library.
 *
 * <p>Our decoder unmasks in place, which would leave plaintext behind for the next operation, so
 * every method (ours and the others alike) first restores the masked frame with one bulk copy from
 * a pristine buffer; {@link #copyOnly} measures that copy alone, to subtract.
 * Netty: decode() called directly, then {@code ByteBufUtil.isText(UTF_8)} (what its
 * Utf8FrameValidator guarantees) and {@code text()}. Java-WebSocket: translateFrame (which checks
 * UTF-8 while validating the frame) and {@code Charsetfunctions.stringUtf8}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecodeTextBenchmark {

    @Param({"0", "16", "125", "126", "1024", "65536", "1048576"})
    public int size;

    @Param({"ASCII", "MULTIBYTE"})
    public Fixtures.Content content;

    @Param({"HEAP"})
    public Fixtures.Memory memory;

    private ByteBuffer pristine;
    private ByteBuffer in;
    private FrameDecoder decoder;
    private MessageAssembler assembler;

    private ByteBuf nettyIn;
    private NettyCodec.Decoder nettyDecoder;
    private final List<Object> nettyOut = new ArrayList<>(2);

    private Draft_6455 draft;

    @Setup
    public void setUp(Blackhole blackhole) {
        byte[] frame = Fixtures.maskedFrame(0x1, Fixtures.payload(content, size));
        pristine = Fixtures.buffer(memory, frame);
        in = Fixtures.allocate(memory, frame.length);
        ProtocolLimits limits = new ProtocolLimits(2 * 1024 * 1024, 2 * 1024 * 1024);
        decoder = new FrameDecoder(Role.SERVER, limits.maxFramePayloadBytes());
        assembler = new MessageAssembler(limits, List.of(), new DecodeBinaryBenchmark.BlackholeMessageSink(blackhole));

        nettyIn = io.netty.buffer.Unpooled.wrappedBuffer(in);
        nettyDecoder = new NettyCodec.Decoder();

        draft = new Draft_6455();
        draft.setParseMode(org.java_websocket.enums.Role.SERVER);
    }

    @TearDown
    public void tearDown() {
        nettyDecoder.channel.finishAndReleaseAll();
    }

    private void restore() {
        in.clear();
        in.put(pristine.duplicate());
        in.flip();
    }

    @Benchmark
    public ByteBuffer copyOnly() {
        restore();
        return in;
    }

    @Benchmark
    public void blockbuster() {
        restore();
        decoder.decode(in, assembler);
    }

    @Benchmark
    public void netty(Blackhole blackhole) throws Exception {
        restore();
        nettyIn.setIndex(0, in.limit());
        nettyDecoder.decodeDirect(nettyIn, nettyOut);
        WebSocketFrame frame = (WebSocketFrame) nettyOut.get(0);
        ByteBuf content = frame.content();
        if (!ByteBufUtil.isText(content, StandardCharsets.UTF_8)) {
            throw new IllegalStateException("invalid UTF-8");
        }
        blackhole.consume(content.toString(StandardCharsets.UTF_8));
        frame.release();
        nettyOut.clear();
    }

    @Benchmark
    public void javaWebSocket(Blackhole blackhole) throws Exception {
        restore();
        List<Framedata> frames = draft.translateFrame(in);
        blackhole.consume(Charsetfunctions.stringUtf8(frames.get(0).getPayloadData()));
    }
}
