package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which close codes may travel, and the opcode table. (The closing handshake: {@link ProtocolSessionTest}.) */
class CloseCodesTest {
    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999})
    void validCodesOnTheWire(int code) {
        assertThat(CloseCodes.isValidOnWire(code)).isTrue();
        assertThat(CloseCodes.isValidToSend(code)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    void invalidCodesOnTheWire(int code) {
        assertThat(CloseCodes.isValidOnWire(code)).isFalse();
        assertThat(CloseCodes.isValidToSend(code)).isFalse();
    }

    @Test
    void opcodeLookupIsTotal() {
        for (int i = 0; i < 16; i++) {
            assertThat(Opcode.of(i).code()).isEqualTo(i);
            assertThat(Opcode.of(i).isControl()).isEqualTo(i >= 8);
        }
        assertThat(Opcode.of(3).isReserved()).isTrue();
        assertThat(Opcode.of(0xB).isReserved()).isTrue();
        assertThat(Opcode.PONG.isReserved()).isFalse();
    }
}
