package io.blockbuster.benchmarks;

import io.blockbuster.websocket.protocol.Utf8Validator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Strict UTF-8 validation alone (no String produced): our DFA validator as the decoder uses it
 * (reset, validate the chunk, finish), Netty's {@code ByteBufUtil.isText(UTF_8)}, and the JDK's
 * CharsetDecoder with REPORT into a reused CharBuffer (which also decodes, as the JDK offers no
 * validate-only call).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Utf8Benchmark {

    @Param({"16", "125", "1024", "65536", "1048576"})
    public int size;

    @Param({"ASCII", "MULTIBYTE"})
    public Fixtures.Content content;

    @Param({"HEAP"})
    public Fixtures.Memory memory;

    private ByteBuffer bytes;
    private ByteBuf nettyBytes;
    private Utf8Validator validator;
    private CharsetDecoder jdk;
    private CharBuffer chars;

    @Setup
    public void setUp() {
        byte[] payload = Fixtures.payload(content, size);
        bytes = Fixtures.buffer(memory, payload);
        nettyBytes = Unpooled.wrappedBuffer(bytes.duplicate());
        validator = new Utf8Validator();
        jdk = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        chars = CharBuffer.allocate(size);
    }

    @Benchmark
    public boolean blockbuster() {
        validator.reset();
        validator.validate(bytes.duplicate());
        validator.finish();
        return validator.isComplete();
    }

    @Benchmark
    public boolean netty() {
        return ByteBufUtil.isText(nettyBytes, StandardCharsets.UTF_8);
    }

    @Benchmark
    public boolean jdkDecoder() {
        jdk.reset();
        chars.clear();
        CoderResult result = jdk.decode(bytes.duplicate(), chars, true);
        return !result.isError();
    }
}
