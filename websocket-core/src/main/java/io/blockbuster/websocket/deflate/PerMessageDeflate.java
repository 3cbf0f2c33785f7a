package io.blockbuster.websocket.deflate;

import static io.blockbuster.websocket.deflate.OfferParameters.ABSENT;
import static io.blockbuster.websocket.deflate.OfferParameters.CLIENT_MAX_WINDOW_BITS;
import static io.blockbuster.websocket.deflate.OfferParameters.CLIENT_NO_CONTEXT_TAKEOVER;
import static io.blockbuster.websocket.deflate.OfferParameters.NO_VALUE;
import static io.blockbuster.websocket.deflate.OfferParameters.SERVER_MAX_WINDOW_BITS;
import static io.blockbuster.websocket.deflate.OfferParameters.SERVER_NO_CONTEXT_TAKEOVER;
import static io.blockbuster.websocket.deflate.DeflateParameters.MAX_WINDOW_BITS;

import io.blockbuster.websocket.protocol.ExtensionFactory;
import io.blockbuster.websocket.protocol.ExtensionOffer;
import io.blockbuster.websocket.protocol.HandshakeException;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.Role;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The permessage-deflate extension (RFC 7692) for servers and clients: negotiates the four
 * parameters and creates one {@link PerMessageDeflateExtension} per connection.
 *
 * <p>It is off unless a server or client is given one of these. The defaults are the
 * memory-lean choice for servers with many connections: no context takeover in either direction
 * (so an idle connection holds no native memory and a broadcast is compressed once), messages of
 * 128 bytes or more compressed at the default level.
 *
 * <pre>{@code
 * PerMessageDeflate deflate = PerMessageDeflate.builder()
 *         .serverNoContextTakeover(false)     // better ratio for chatty connections, ~300 KiB each
 *         .minCompressBytes(256)
 *         .build();
 * }</pre>
 *
 * <p>Server negotiation ({@link #acceptOffer}): an offer with an unknown or duplicated parameter,
 * a parameter value where none is allowed, or a window size that is not 8 to 15 written without
 * leading zeros is declined, so the next offer is tried (RFC 7692 section 5). An accepted offer is
 * answered with {@code server_no_context_takeover} when the client asked for it or this server
 * is configured so; {@code client_no_context_takeover} when the client offered it or this server
 * requires it; {@code server_max_window_bits} (the smaller of the client's and this server's
 * limit) when the client asked for a limit or this server has one; and
 * {@code client_max_window_bits} only when the client offered the parameter and a limit below 15
 * applies.
 *
 * <p>java.util.zip compresses with a 32 KiB window only. When the agreed window of the sending
 * side is smaller, that side compresses only messages no longer than the window, each from a
 * reset Deflater (so every back-reference stays inside the message and within the window), and
 * sends longer ones uncompressed; it also answers or assumes no context takeover for itself.
 * Inflating works with any window up to 32 KiB, so every client request is acceptable.
 *
 * <p>Client negotiation: {@link #offers()} is one offer carrying the configured parameters and a
 * bare {@code client_max_window_bits} (we can honour any client window, see above).
 * {@link #acceptResponse} fails the handshake for a response with invalid syntax, a
 * {@code client_max_window_bits} without a value, or a {@code server_max_window_bits} above the
 * one offered. A response that grants less than was asked ({@code server_no_context_takeover} or
 * {@code server_max_window_bits} left out) is accepted: the Inflater handles context takeover and
 * any window.
 *
 * <p>Thread safe: one instance serves every connection of a server or client. It owns small pools
 * of Deflaters and Inflaters that connections without context takeover borrow for one message at
 * a time; {@link #close()} ends the idle ones.
 */
public final class PerMessageDeflate implements ExtensionFactory, AutoCloseable {
    /** The registered extension name. */
    public static final String NAME = "permessage-deflate";

    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private final int serverMaxWindowBits;
    private final int clientMaxWindowBits;
    private final int minCompressBytes;
    private final int compressionLevel;
    private final CodecPool<Deflater> deflaters;
    private final CodecPool<Inflater> inflaters;
    /** Responses and parameters are the same for most connections: share them. */
    private final Map<DeflateParameters, ExtensionOffer> responses = new ConcurrentHashMap<>();

    private PerMessageDeflate(Builder b) {
        this.serverNoContextTakeover = b.serverNoContextTakeover;
        this.clientNoContextTakeover = b.clientNoContextTakeover;
        this.serverMaxWindowBits = b.serverMaxWindowBits;
        this.clientMaxWindowBits = b.clientMaxWindowBits;
        this.minCompressBytes = b.minCompressBytes;
        this.compressionLevel = b.compressionLevel;
        int level = b.compressionLevel;
        this.deflaters = new CodecPool<>(b.poolSize, () -> new Deflater(level, true), Deflater::end);
        this.inflaters = new CodecPool<>(b.poolSize, () -> new Inflater(true), Inflater::end);
    }

    /** Returns an instance with the defaults described in {@link Builder}. */
    public static PerMessageDeflate withDefaults() {
        return builder().build();
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Server side: answers one client offer, or declines it (null) if its parameters are invalid.
     * Every valid offer is acceptable (see the class comment for window sizes).
     */
    @Override
    public PerMessageDeflateExtension acceptOffer(ExtensionOffer offer) {
        if (!NAME.equalsIgnoreCase(offer.name())) {
            return null;
        }
        OfferParameters p;
        try {
            p = OfferParameters.parse(offer);
        } catch (IllegalArgumentException e) {
            return null; // RFC 7692 7: decline an offer with invalid parameters
        }
        int serverBits = p.serverMaxWindowBits == ABSENT
                ? serverMaxWindowBits : Math.min(p.serverMaxWindowBits, serverMaxWindowBits);
        // Below 15 we reset per message anyway (see MessageDeflater), so say so.
        boolean serverNoContext = p.serverNoContextTakeover || serverNoContextTakeover || serverBits < MAX_WINDOW_BITS;
        boolean clientNoContext = p.clientNoContextTakeover || clientNoContextTakeover;
        int clientBits = MAX_WINDOW_BITS;
        if (p.clientMaxWindowBits != ABSENT) {
            // RFC 7692 7.1.2.2: only when offered may the response limit the client's window
            int offered = p.clientMaxWindowBits == NO_VALUE ? MAX_WINDOW_BITS : p.clientMaxWindowBits;
            clientBits = Math.min(offered, clientMaxWindowBits);
        }
        DeflateParameters agreed = new DeflateParameters(serverNoContext, clientNoContext, serverBits, clientBits);
        // RFC 7692 7.1.2.1: accepting an offered server_max_window_bits means answering it
        ExtensionOffer response = p.serverMaxWindowBits == MAX_WINDOW_BITS
                ? render(agreed, true) // "15" offered explicitly: rare, not worth caching
                : responses.computeIfAbsent(agreed, a -> render(a, a.serverMaxWindowBits() < MAX_WINDOW_BITS));
        return newExtension(Role.SERVER, agreed, response);
    }

    /** Client side: the one offer this client makes. */
    @Override
    public List<ExtensionOffer> offers() {
        Map<String, String> params = new LinkedHashMap<>();
        if (serverNoContextTakeover) {
            params.put(SERVER_NO_CONTEXT_TAKEOVER, null);
        }
        if (clientNoContextTakeover) {
            params.put(CLIENT_NO_CONTEXT_TAKEOVER, null);
        }
        if (serverMaxWindowBits < MAX_WINDOW_BITS) {
            params.put(SERVER_MAX_WINDOW_BITS, Integer.toString(serverMaxWindowBits));
        }
        params.put(CLIENT_MAX_WINDOW_BITS, clientMaxWindowBits < MAX_WINDOW_BITS
                ? Integer.toString(clientMaxWindowBits) : null);
        return List.of(new ExtensionOffer(NAME, Collections.unmodifiableMap(params)));
    }

    /**
     * Client side: validates the server's answer to {@link #offers()}.
     *
     * @throws HandshakeException (status 0) if the answer is not one this client may accept
     */
    @Override
    public PerMessageDeflateExtension acceptResponse(ExtensionOffer response) {
        if (!NAME.equalsIgnoreCase(response.name())) {
            throw fail("unexpected extension " + response.name());
        }
        OfferParameters p;
        try {
            p = OfferParameters.parse(response);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
        if (p.clientMaxWindowBits == NO_VALUE) {
            throw fail("client_max_window_bits needs a value in a response");
        }
        if (p.clientMaxWindowBits != ABSENT && p.clientMaxWindowBits > clientMaxWindowBits) {
            throw fail("client_max_window_bits " + p.clientMaxWindowBits + " > offered " + clientMaxWindowBits);
        }
        if (p.serverMaxWindowBits != ABSENT && p.serverMaxWindowBits > serverMaxWindowBits) {
            // RFC 7692 7.1.2.1: the same or a smaller value than offered
            throw fail("server_max_window_bits " + p.serverMaxWindowBits + " > offered " + serverMaxWindowBits);
        }
        DeflateParameters agreed = new DeflateParameters(p.serverNoContextTakeover, p.clientNoContextTakeover,
                p.serverMaxWindowBits == ABSENT ? MAX_WINDOW_BITS : p.serverMaxWindowBits,
                p.clientMaxWindowBits == ABSENT ? MAX_WINDOW_BITS : p.clientMaxWindowBits);
        return newExtension(Role.CLIENT, agreed, response);
    }

    /**
     * Broadcast: compresses a message once, with a pooled Deflater at this instance's level, into
     * a frame any server connection without outbound context takeover can write
     * ({@link PerMessageDeflateExtension#sharedFrame}). Thread safe.
     *
     * @param opcode {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @param payload the message; neither its position nor its bytes change
     * @return the frame, or null if the message is shorter than the threshold or would not shrink
     */
    public CompressedFrame compressShared(Opcode opcode, ByteBuffer payload) {
        if (payload.remaining() < minCompressBytes) {
            return null;
        }
        Deflater d = deflaters.take();
        try {
            return CompressedFrame.compress(opcode, payload, d);
        } finally {
            d.reset();
            deflaters.give(d);
        }
    }

    /** Ends the pooled idle Deflaters and Inflaters; connections keep working (the pools refill). */
    @Override
    public void close() {
        deflaters.clear();
        inflaters.clear();
    }

    CodecPool<Deflater> deflaterPool() {
        return deflaters;
    }

    CodecPool<Inflater> inflaterPool() {
        return inflaters;
    }

    private PerMessageDeflateExtension newExtension(Role role, DeflateParameters agreed, ExtensionOffer response) {
        boolean server = role == Role.SERVER;
        // What we send: the agreed rule for our side, or no takeover if we are configured so.
        boolean outNoContext = server
                ? agreed.serverNoContextTakeover() || serverNoContextTakeover
                : agreed.clientNoContextTakeover() || clientNoContextTakeover;
        int outBits = server ? agreed.serverMaxWindowBits() : agreed.clientMaxWindowBits();
        boolean inNoContext = server ? agreed.clientNoContextTakeover() : agreed.serverNoContextTakeover();
        MessageDeflater out = new MessageDeflater(deflaters, !outNoContext, outBits, minCompressBytes, compressionLevel);
        MessageInflater in = new MessageInflater(inflaters, !inNoContext);
        return new PerMessageDeflateExtension(role, agreed, response, out, in);
    }

    private static ExtensionOffer render(DeflateParameters a, boolean serverBits) {
        Map<String, String> params = new LinkedHashMap<>();
        if (a.serverNoContextTakeover()) {
            params.put(SERVER_NO_CONTEXT_TAKEOVER, null);
        }
        if (a.clientNoContextTakeover()) {
            params.put(CLIENT_NO_CONTEXT_TAKEOVER, null);
        }
        if (serverBits) {
            params.put(SERVER_MAX_WINDOW_BITS, Integer.toString(a.serverMaxWindowBits()));
        }
        if (a.clientMaxWindowBits() < MAX_WINDOW_BITS) {
            params.put(CLIENT_MAX_WINDOW_BITS, Integer.toString(a.clientMaxWindowBits()));
        }
        return new ExtensionOffer(NAME, Collections.unmodifiableMap(params));
    }

    private static HandshakeException fail(String reason) {
        return new HandshakeException(0, "permessage-deflate: " + reason);
    }

    /**
     * Settings for {@link PerMessageDeflate}; the same settings serve a server (what it requires
     * or allows) and a client (what it offers).
     */
    public static final class Builder {
        private boolean serverNoContextTakeover = true;
        private boolean clientNoContextTakeover = true;
        private int serverMaxWindowBits = MAX_WINDOW_BITS;
        private int clientMaxWindowBits = MAX_WINDOW_BITS;
        private int minCompressBytes = 128;
        private int compressionLevel = Deflater.DEFAULT_COMPRESSION;
        private int poolSize = Math.min(16, 2 * Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        /**
         * Server: never use context takeover for what it sends, and say so in every response.
         * Client: ask the server for that. Default true (no per-connection Deflater on the server,
         * and shared broadcast frames).
         *
         * @param value the setting
         * @return this builder
         */
        public Builder serverNoContextTakeover(boolean value) {
            this.serverNoContextTakeover = value;
            return this;
        }

        /**
         * Server: require clients not to use context takeover (so the server needs no
         * per-connection Inflater). Client: never use it, and say so in the offer. Default true.
         *
         * @param value the setting
         * @return this builder
         */
        public Builder clientNoContextTakeover(boolean value) {
            this.clientNoContextTakeover = value;
            return this;
        }

        /**
         * Server: the largest window it agrees to compress with; client: the largest window it
         * asks the server to use. 8 to 15, default 15. Below 15, only messages up to 2^bits bytes
         * are compressed (see the class comment).
         *
         * @param bits 8 to 15
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder serverMaxWindowBits(int bits) {
            this.serverMaxWindowBits = DeflateParameters.checkWindowBits(bits);
            return this;
        }

        /**
         * Server: the largest window it asks clients to compress with (only clients that offered
         * {@code client_max_window_bits} can be asked); client: the largest it offers to use.
         * 8 to 15, default 15.
         *
         * @param bits 8 to 15
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder clientMaxWindowBits(int bits) {
            this.clientMaxWindowBits = DeflateParameters.checkWindowBits(bits);
            return this;
        }

        /**
         * Messages shorter than this are sent uncompressed. Default 128.
         *
         * @param bytes 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder minCompressBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("minCompressBytes must be >= 0");
            }
            this.minCompressBytes = bytes;
            return this;
        }

        /**
         * The zlib level, 0 to 9 or {@link Deflater#DEFAULT_COMPRESSION} (6), the default.
         *
         * @param level the level
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder compressionLevel(int level) {
            if (level != Deflater.DEFAULT_COMPRESSION && (level < 0 || level > 9)) {
                throw new IllegalArgumentException("compression level must be 0 to 9 or -1");
            }
            this.compressionLevel = level;
            return this;
        }

        /**
         * How many idle Deflaters and how many idle Inflaters to keep for connections without
         * context takeover. Default twice the processors, at most 16.
         *
         * @param size 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder poolSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("poolSize must be >= 0");
            }
            this.poolSize = size;
            return this;
        }

        /** Returns the configured extension factory. */
        public PerMessageDeflate build() {
            return new PerMessageDeflate(this);
        }
    }
}
