package io.blockbuster.websocket.deflate;

import io.blockbuster.websocket.protocol.EncodedPayload;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.ExtensionFactory;
import io.blockbuster.websocket.protocol.ExtensionOffer;
import io.blockbuster.websocket.protocol.Opcode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps {@link PerMessageDeflate} and counts, over all its connections, the messages that went
 * out compressed and came in compressed, and how many extensions were closed: end-to-end tests
 * then know compression really happened on the wire.
 */
final class CountingDeflate implements ExtensionFactory {
    final PerMessageDeflate delegate;
    final AtomicInteger compressedOut = new AtomicInteger();
    final AtomicInteger compressedIn = new AtomicInteger();
    final AtomicInteger negotiated = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    /** One permit per extension closed, to wait on. */
    final java.util.concurrent.Semaphore closes = new java.util.concurrent.Semaphore(0);

    CountingDeflate(PerMessageDeflate delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Extension acceptOffer(ExtensionOffer offer) {
        PerMessageDeflateExtension e = delegate.acceptOffer(offer);
        return e == null ? null : new Counted(e);
    }

    @Override
    public List<ExtensionOffer> offers() {
        return delegate.offers();
    }

    @Override
    public Extension acceptResponse(ExtensionOffer response) {
        return new Counted(delegate.acceptResponse(response));
    }

    private final class Counted implements Extension {
        private final PerMessageDeflateExtension e;

        Counted(PerMessageDeflateExtension e) {
            this.e = e;
            negotiated.incrementAndGet();
        }

        @Override
        public String name() {
            return e.name();
        }

        @Override
        public int rsvBits() {
            return e.rsvBits();
        }

        @Override
        public ExtensionOffer response() {
            return e.response();
        }

        @Override
        public ByteBuffer decodeMessage(int rsv, ByteBuffer payload, long maxMessageBytes) {
            if ((rsv & PerMessageDeflateExtension.RSV1) != 0) {
                compressedIn.incrementAndGet();
            }
            return e.decodeMessage(rsv, payload, maxMessageBytes);
        }

        @Override
        public EncodedPayload encodeMessage(Opcode opcode, ByteBuffer payload) {
            EncodedPayload p = e.encodeMessage(opcode, payload);
            if (p.rsv() != 0) {
                compressedOut.incrementAndGet();
            }
            return p;
        }

        @Override
        public void close() {
            boolean first = !e.deflater().isClosed();
            e.close();
            if (first) {
                closed.incrementAndGet();
                closes.release();
            }
        }
    }
}
