package io.blockbuster.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import java.util.List;

/**
 * Netty's WebSocket codec driven directly: the protected {@code decode}/{@code encode} methods are
 * called with the context of a real {@link EmbeddedChannel} pipeline (so {@code ctx.alloc()} is
 * Netty's default pooled allocator), skipping the pipeline's per-message dispatch. This is the
 * fastest way to use Netty's codec, i.e. the strictest yardstick.
 */
final class NettyCodec {

    private NettyCodec() {
    }

    static WebSocketDecoderConfig serverConfig() {
        return WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true)
                .allowExtensions(false)
                .maxFramePayloadLength(2 * 1024 * 1024)
                .build();
    }

    /** A server-side decoder whose protected decode is callable. */
    static final class Decoder extends WebSocket08FrameDecoder {
        final ChannelHandlerContext ctx;
        final EmbeddedChannel channel;

        Decoder() {
            super(serverConfig());
            channel = new EmbeddedChannel(this);
            ctx = channel.pipeline().context(this);
        }

        void decodeDirect(ByteBuf in, List<Object> out) throws Exception {
            decode(ctx, in, out);
        }
    }

    /** A server-side (unmasking) encoder whose protected encode is callable. */
    static final class Encoder extends WebSocket08FrameEncoder {
        final ChannelHandlerContext ctx;
        final EmbeddedChannel channel;

        Encoder() {
            super(false);
            channel = new EmbeddedChannel(this);
            ctx = channel.pipeline().context(this);
        }

        void encodeDirect(WebSocketFrame frame, List<Object> out) throws Exception {
            encode(ctx, frame, out);
        }
    }

    /** Exposes the 101 response builder of Netty's RFC 6455 server handshaker. */
    static final class Handshaker extends WebSocketServerHandshaker13 {
        Handshaker() {
            super("ws://localhost:8080/stream", null, serverConfig());
        }

        FullHttpResponse respond(FullHttpRequest request) {
            return newHandshakeResponse(request, null);
        }
    }
}
