package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.websocket.protocol.CloseState.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloseStateTest {
    @Test
    void startsOpenAllowingDataBothWays() {
        CloseState s = new CloseState();
        assertThat(s.phase()).isEqualTo(Phase.OPEN);
        assertThat(s.canSendData()).isTrue();
        assertThat(s.canReceiveData()).isTrue();
    }

    @Test
    void closeStartedByUsStopsSendingButStillReceives() {
        CloseState s = new CloseState();
        assertThat(s.closeSent()).isTrue();
        assertThat(s.phase()).isEqualTo(Phase.CLOSE_SENT);
        assertThat(s.canSendData()).isFalse();
        assertThat(s.canReceiveData()).isTrue();
        assertThat(s.closeSent()).as("second close is not sent").isFalse();
        assertThat(s.closeReceived()).as("peer's answer needs no echo").isFalse();
        assertThat(s.phase()).isEqualTo(Phase.CLOSED);
        assertThat(s.isStartedByPeer()).isFalse();
    }

    @Test
    void closeStartedByPeerMustBeEchoedAndDataAfterItIsIgnored() {
        CloseState s = new CloseState();
        assertThat(s.closeReceived()).isTrue();
        assertThat(s.phase()).isEqualTo(Phase.CLOSE_RECEIVED);
        assertThat(s.isStartedByPeer()).isTrue();
        assertThat(s.canReceiveData()).isFalse();
        assertThat(s.canSendData()).isFalse();
        assertThat(s.closeReceived()).as("a repeated close needs no second echo").isFalse();
        assertThat(s.closeSent()).as("the echo is sent").isTrue();
        assertThat(s.phase()).isEqualTo(Phase.CLOSED);
        assertThat(s.closeSent()).isFalse();
        assertThat(s.canSendData()).isFalse();
        assertThat(s.canReceiveData()).isFalse();
    }

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
