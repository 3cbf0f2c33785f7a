package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8ValidatorTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "41", "c2a9", "e282ac", "f0908d88", "ed9fbf", "ee8080", "f48fbfbf", "efbfbf",
        "cebae1bdb9cf83cebcceb5", "7f", "dfbf", "e0a080", "f0908080"})
    void wellFormedSequencesAreValid(String hex) {
        assertThat(Utf8Validator.isValid(ByteBuffer.wrap(Hex.bytes(hex)))).isTrue();
        Utf8Validator v = new Utf8Validator();
        v.validate(ByteBuffer.wrap(Hex.bytes(hex)));
        v.finish();
    }

    /** Invalid sequences: overlongs, surrogates, above U+10FFFF, stray continuation, bad leads. */
    @ParameterizedTest
    @ValueSource(strings = {
        "c080", "c1bf", "e08080", "e09fbf", "f08080 80", "f08fbfbf", // overlongs
        "eda080", "edbfbf", "edafbf", // surrogates
        "f4908080", "f5808080", "f7bfbfbf", "f888808080", "fc8480808080", // > U+10FFFF, 5/6-byte
        "80", "bf", "c241", "e28241", "f0908d41", "fe", "ff"})
    void invalidSequencesFail(String hex) {
        byte[] bytes = Hex.bytes(hex);
        assertThat(Utf8Validator.isValid(ByteBuffer.wrap(bytes))).isFalse();
        assertThatThrownBy(() -> {
            Utf8Validator v = new Utf8Validator();
            v.validate(ByteBuffer.wrap(bytes));
            v.finish();
        }).isInstanceOfSatisfying(WebSocketProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1007));
    }

    @ParameterizedTest
    @ValueSource(strings = {"c2", "e282", "f0908d", "e2", "f0"})
    void truncatedSequenceFailsAtFinish(String hex) {
        Utf8Validator v = new Utf8Validator();
        v.validate(ByteBuffer.wrap(Hex.bytes("41" + hex)));
        assertThat(v.isComplete()).isFalse();
        assertThatThrownBy(v::finish).isInstanceOfSatisfying(WebSocketProtocolException.class,
                e -> assertThat(e.closeCode()).isEqualTo(1007));
    }

    @Test
    void failsAtTheFirstInvalidByteNotLater() {
        // The chunk with the bad byte throws even though the message is far from over.
        Utf8Validator v = new Utf8Validator();
        v.validate(ByteBuffer.wrap("hello ".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> v.validate(ByteBuffer.wrap(Hex.bytes("cebae1bdb9 eda080 414141"))))
                .isInstanceOf(WebSocketProtocolException.class);
    }

    @Test
    void stateIsKeptAcrossEverySplit() {
        byte[] text = "κόσμε €𐍈 ok".getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= text.length; cut++) {
            int c = cut;
            Utf8Validator v = new Utf8Validator();
            assertThatCode(() -> {
                v.validate(ByteBuffer.wrap(text, 0, c));
                v.validate(ByteBuffer.wrap(text, c, text.length - c));
                v.finish();
            }).as("cut at " + cut).doesNotThrowAnyException();
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomInput() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(8)];
            random.nextBytes(b);
            if (random.nextBoolean()) {
                for (int j = 0; j < b.length; j++) {
                    b[j] = (byte) (0x80 | b[j]);
                }
            }
            boolean jdk;
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
                jdk = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                jdk = false;
            }
            assertThat(Utf8Validator.isValid(ByteBuffer.wrap(b))).as(Hex.of(b)).isEqualTo(jdk);
        }
    }

    @Test
    void validateDoesNotMoveThePosition() {
        ByteBuffer buf = ByteBuffer.wrap(Hex.bytes("414243"));
        buf.position(1);
        new Utf8Validator().validate(buf);
        assertThat(buf.position()).isEqualTo(1);
    }

    @Test
    void resetForgetsAPartialSequence() {
        Utf8Validator v = new Utf8Validator();
        v.validate(ByteBuffer.wrap(Hex.bytes("e2")));
        v.reset();
        assertThatCode(() -> {
            v.validate(ByteBuffer.wrap(Hex.bytes("41")));
            v.finish();
        }).doesNotThrowAnyException();
    }
}
