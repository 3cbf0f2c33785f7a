package io.blockbuster.benchmarks.echo;

import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The echo server of {@link EchoBenchmark}, run in a JVM of its own: ours or Netty's, both echoing
 * binary messages on {@code /ws}. Prints {@code port N} once listening, and stops when its standard
 * input closes (the driver's signal).
 *
 * <pre>
 * java -cp benchmarks.jar io.blockbuster.benchmarks.echo.EchoServer blockbuster|netty LOOPS
 * </pre>
 */
public final class EchoServer {

    private EchoServer() {
    }

    /** Echoes on our server: the payload is valid only during the call, so it is copied. */
    static WebSocketServer startBlockbuster(int loops) throws Exception {
        WebSocketServer server = WebSocketServer.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(0)
                .eventLoops(loops)
                .handler("/ws", new WebSocketListener() {
                    @Override
                    public void onBinary(WebSocket ws, ByteBuffer data) {
                        ws.sendBinary(ByteBuffer.allocate(data.remaining()).put(data).flip());
                    }
                })
                .build();
        server.start();
        return server;
    }

    /** The same echo on Netty (HttpServerCodec + WebSocketServerProtocolHandler, the usual setup). */
    static final class NettyEcho extends SimpleChannelInboundHandler<BinaryWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame frame) {
            ctx.writeAndFlush(new BinaryWebSocketFrame(frame.content().retain()));
        }
    }

    public static void main(String[] args) throws Exception {
        String which = args[0];
        int loops = Integer.parseInt(args[1]);
        WebSocketServer ours = null;
        EventLoopGroup group = null;
        int port;
        if (which.equals("netty")) {
            group = new MultiThreadIoEventLoopGroup(loops, NioIoHandler.newFactory());
            Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                    new WebSocketServerProtocolHandler("/ws", null, false, 1 << 20), new NettyEcho());
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            port = ((InetSocketAddress) channel.localAddress()).getPort();
        } else if (which.equals("blockbuster")) {
            ours = startBlockbuster(loops);
            port = ours.port();
        } else {
            throw new IllegalArgumentException("unknown server " + which);
        }
        System.out.println("port " + port);
        System.out.flush();
        waitForEndOfInput(System.in);
        if (ours != null) {
            ours.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        System.exit(0);
    }

    private static void waitForEndOfInput(InputStream in) {
        try {
            while (in.read() >= 0) {
                // the driver writes nothing; end of input is the signal
            }
        } catch (IOException ignored) {
            // the driver is gone: stop as well
        }
    }
}
