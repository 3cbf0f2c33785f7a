package io.blockbuster.benchmarks;

import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.Role;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.TextFrame;
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
 * Server side encoding of one text frame per operation, starting from a {@code String} (what an
 * application hands to each library): UTF-8 encoding plus framing. The UTF-8 encoding allocates in
 * every implementation; the binary benchmark is the one that must not.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EncodeTextBenchmark {

    @Param({"0", "16", "125", "126", "1024", "65536", "1048576"})
    public int size;

    @Param({"ASCII", "MULTIBYTE"})
    public Fixtures.Content content;

    private String text;
    private ByteBuffer dst;
    private FrameEncoder encoder;
    private NettyCodec.Encoder nettyEncoder;
    private final List<Object> nettyOut = new ArrayList<>(4);
    private Draft_6455 draft;
    private TextFrame jwsFrame;

    @Setup
    public void setUp() {
        text = Fixtures.text(content, size);
        dst = ByteBuffer.allocate(size + FrameEncoder.MAX_HEADER_BYTES);
        encoder = new FrameEncoder(Role.SERVER, () -> {
            throw new AssertionError("a server does not mask");
        });
        nettyEncoder = new NettyCodec.Encoder();
        draft = new Draft_6455();
        draft.setParseMode(org.java_websocket.enums.Role.SERVER);
        jwsFrame = new TextFrame();
        jwsFrame.setFin(true);
    }

    @TearDown
    public void tearDown() {
        nettyEncoder.channel.finishAndReleaseAll();
    }

    @Benchmark
    public ByteBuffer blockbuster() {
        dst.clear();
        encoder.encodeFrame(true, 0, Opcode.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), dst);
        return dst;
    }

    @Benchmark
    public void netty(Blackhole blackhole) throws Exception {
        TextWebSocketFrame frame = new TextWebSocketFrame(text);
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
        jwsFrame.setPayload(ByteBuffer.wrap(Charsetfunctions.utf8Bytes(text)));
        return draft.createBinaryFrame(jwsFrame);
    }
}
