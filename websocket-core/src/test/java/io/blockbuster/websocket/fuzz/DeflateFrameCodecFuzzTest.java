package io.blockbuster.websocket.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.blockbuster.websocket.deflate.PerMessageDeflate;
import io.blockbuster.websocket.deflate.PerMessageDeflateExtension;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.ExtensionOffer;
import io.blockbuster.websocket.protocol.Role;

import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes FrameDecoder + MessageAssembler with permessage-deflate negotiated, in both roles.
 * Input layout: byte 0 bit 0 role (0 server, 1 client), bit 1 server_no_context_takeover, bit 2
 * client_no_context_takeover, bit 3 partial delivery; byte 1 seeds the split into reads; the
 * rest is the wire. Besides {@link FramePipeline#checkAll}'s invariants this covers inflation:
 * corrupt DEFLATE data is 1002, output past the message limit (a bomb) is 1009, and the inflated
 * text is UTF-8 checked (1007).
 */
class DeflateFrameCodecFuzzTest {

    /** A freshly negotiated pair of extensions, as one new connection would have. */
    private record Negotiated(PerMessageDeflate serverSide, PerMessageDeflate clientSide,
                              PerMessageDeflateExtension server, PerMessageDeflateExtension client, Role role)
            implements FramePipeline.Connection {
        static Negotiated of(Role local, boolean serverNoContext, boolean clientNoContext) {
            PerMessageDeflate s = PerMessageDeflate.builder().serverNoContextTakeover(serverNoContext)
                    .clientNoContextTakeover(clientNoContext).minCompressBytes(16).build();
            PerMessageDeflate c = PerMessageDeflate.builder().serverNoContextTakeover(serverNoContext)
                    .clientNoContextTakeover(clientNoContext).minCompressBytes(16).build();
            ExtensionOffer offer = c.offers().get(0);
            PerMessageDeflateExtension server = s.acceptOffer(offer);
            PerMessageDeflateExtension client = c.acceptResponse(server.response());
            return new Negotiated(s, c, server, client, local);
        }

        @Override
        public List<Extension> local() {
            return List.of(role == Role.SERVER ? server : client);
        }

        @Override
        public List<Extension> peer() {
            return List.of(role == Role.SERVER ? client : server);
        }

        @Override
        public void close() {
            server.close();
            client.close();
            serverSide.close();
            clientSide.close();
        }
    }

    @FuzzTest(maxDuration = FuzzBudget.PER_TARGET)
    void compressedFramesDecodeTheSameInAnySplitAndReencodeStably(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int flags = input[0] & 0xFF;
        Role local = (flags & 1) == 0 ? Role.SERVER : Role.CLIENT;
        boolean serverNoContext = (flags & 2) != 0;
        boolean clientNoContext = (flags & 4) != 0;
        int partialThreshold = (flags & 8) == 0 ? -1 : 0;
        byte[] wire = Arrays.copyOfRange(input, 2, input.length);
        FramePipeline.checkAll(local, () -> Negotiated.of(local, serverNoContext, clientNoContext),
                partialThreshold, input[1] & 0xFF, wire);
    }
}
