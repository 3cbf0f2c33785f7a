package io.blockbuster.websocket.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.Role;

import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes FrameDecoder + MessageAssembler with no extension, in both roles. Input layout: byte 0
 * selects the role (bit 0: 0 server, 1 client) and partial delivery (bit 1, threshold from bits
 * 2-7 times 64); byte 1 seeds how the rest is split into reads; the rest is the wire. See
 * {@link FramePipeline#checkAll} for the invariants. Seeds: {@code FrameCodecFuzzTestInputs/}.
 */
class FrameCodecFuzzTest {
    private static final FramePipeline.Connection NONE = new FramePipeline.Connection() {
        @Override
        public List<Extension> local() {
            return List.of();
        }

        @Override
        public List<Extension> peer() {
            return List.of();
        }

        @Override
        public void close() {
        }
    };

    @FuzzTest(maxDuration = FuzzBudget.PER_TARGET)
    void framesDecodeTheSameInAnySplitAndReencodeExactly(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int flags = input[0] & 0xFF;
        Role local = (flags & 1) == 0 ? Role.SERVER : Role.CLIENT;
        int partialThreshold = (flags & 2) == 0 ? -1 : (flags >>> 2) * 64;
        byte[] wire = Arrays.copyOfRange(input, 2, input.length);
        FramePipeline.checkAll(local, () -> NONE, partialThreshold, input[1] & 0xFF, wire);
    }
}
