package io.blockbuster.websocket.deflate;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockbuster.websocket.protocol.ClientHandshake;
import io.blockbuster.websocket.protocol.HandshakeException;
import io.blockbuster.websocket.protocol.HttpHeaders;
import io.blockbuster.websocket.protocol.HttpResponse;
import io.blockbuster.websocket.protocol.ServerHandshake;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's opening handshake with permessage-deflate: what it offers, which answers fail it. */
class HandshakeWithDeflateTest {
    private static ClientHandshake handshake() {
        return new ClientHandshake(URI.create("ws://127.0.0.1:9/ws"), Map.of(), List.of(),
                List.of(PerMessageDeflate.withDefaults()), new Random(0));
    }

    private static HttpResponse answer(ClientHandshake h, String extensions) {
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Upgrade", "websocket").add("Connection", "Upgrade")
                .add("Sec-WebSocket-Accept", ServerHandshake.acceptKey(h.key()));
        if (extensions != null) {
            headers.add("Sec-WebSocket-Extensions", extensions);
        }
        return new HttpResponse(101, "Switching Protocols", headers.build());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "permessage-deflate; client_max_window_bits",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10",
        "permessage-deflate; unknown_parameter",
        "permessage-deflate, permessage-deflate",
    })
    void clientFailsTheHandshakeOnAnAnswerItCannotAccept(String extensions) {
        ClientHandshake h = handshake();
        assertThatThrownBy(() -> h.validate(answer(h, extensions))).isInstanceOf(HandshakeException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "permessage-deflate",
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        "permessage-deflate; client_max_window_bits=9; server_max_window_bits=8",
    })
    void clientAcceptsAValidAnswer(String extensions) {
        ClientHandshake h = handshake();
        String request = US_ASCII.decode(h.request()).toString();
        assertThat(request).containsIgnoringCase("Sec-WebSocket-Extensions: permessage-deflate; "
                + "server_no_context_takeover; client_no_context_takeover; client_max_window_bits\r\n");
        ClientHandshake.Result result = h.validate(answer(h, extensions));
        assertThat(result.extensions()).singleElement().isInstanceOf(PerMessageDeflateExtension.class);
        result.extensions().get(0).close();
    }
}
