package io.blockbuster.benchmarks;

import io.blockbuster.websocket.protocol.HttpRequest;
import io.blockbuster.websocket.protocol.HttpRequestParser;
import io.blockbuster.websocket.protocol.ServerHandshake;
import io.blockbuster.websocket.protocol.UpgradeRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.HandshakeImpl1Server;
import org.java_websocket.handshake.HandshakeBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Server handshake per operation: parse a typical ~560-byte browser upgrade request, validate it
 * (RFC 6455 4.2.1), compute Sec-WebSocket-Accept (SHA-1 + Base64) and render the 101 response bytes.
 * Netty: HttpRequestDecoder + HttpObjectAggregator in an EmbeddedChannel (its standard way to parse a
 * request), then WebSocketServerHandshaker13's response, encoded by an HttpResponseEncoder. (The
 * combined HttpServerCodec refuses a 129th request on one channel: pipelining depth.)
 * Java-WebSocket: translateHandshake, acceptHandshakeAsServer, postProcessHandshakeResponseAsServer,
 * createHandshake.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HandshakeBenchmark {

    private ByteBuffer request;
    private byte[] requestBytes;
    private EmbeddedChannel nettyChannel;
    private EmbeddedChannel nettyOutbound;
    private NettyCodec.Handshaker nettyHandshaker;
    private Draft_6455 draft;

    @Setup
    public void setUp() {
        requestBytes = Fixtures.UPGRADE_REQUEST.getBytes(StandardCharsets.US_ASCII);
        request = ByteBuffer.wrap(requestBytes);
        nettyChannel = new EmbeddedChannel(new HttpRequestDecoder(), new HttpObjectAggregator(8192));
        nettyOutbound = new EmbeddedChannel(new HttpResponseEncoder());
        nettyHandshaker = new NettyCodec.Handshaker();
        draft = new Draft_6455();
    }

    @TearDown
    public void tearDown() {
        nettyChannel.finishAndReleaseAll();
        nettyOutbound.finishAndReleaseAll();
    }

    @Benchmark
    public ByteBuffer blockbuster() {
        request.clear();
        HttpRequest parsed = new HttpRequestParser(HttpRequestParser.DEFAULT_MAX_HEADER_BYTES).parse(request);
        UpgradeRequest upgrade = ServerHandshake.validate(parsed);
        return ServerHandshake.accept(upgrade, null, List.of());
    }

    @Benchmark
    public void netty(Blackhole blackhole) {
        nettyChannel.writeInbound(Unpooled.wrappedBuffer(requestBytes));
        FullHttpRequest parsed = nettyChannel.readInbound();
        if (parsed == null) {
            throw new IllegalStateException("Netty did not parse the request");
        }
        FullHttpResponse response = nettyHandshaker.respond(parsed);
        parsed.release();
        nettyOutbound.writeOutbound(response);
        ByteBuf bytes;
        while ((bytes = nettyOutbound.readOutbound()) != null) {
            blackhole.consume(bytes.readableBytes());
            ReferenceCountUtil.release(bytes);
        }
    }

    @Benchmark
    public void javaWebSocket(Blackhole blackhole) throws Exception {
        request.clear();
        Draft_6455 fresh = (Draft_6455) draft.copyInstance(); // per connection, as Java-WebSocket does
        ClientHandshake parsed = (ClientHandshake) fresh.translateHandshake(request);
        fresh.acceptHandshakeAsServer(parsed);
        HandshakeBuilder response = fresh.postProcessHandshakeResponseAsServer(parsed, new HandshakeImpl1Server());
        blackhole.consume(fresh.createHandshake(response));
    }
}
