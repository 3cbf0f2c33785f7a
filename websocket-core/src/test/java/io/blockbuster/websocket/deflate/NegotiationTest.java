package io.blockbuster.websocket.deflate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockbuster.websocket.protocol.ExtensionOffer;
import io.blockbuster.websocket.protocol.HandshakeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7692 sections 5 and 7.1: what a server answers, declines, and what a client accepts. */
class NegotiationTest {
    /** A server that asks for nothing itself: its answers reflect only the offer. */
    private static final PerMessageDeflate PLAIN_SERVER = PerMessageDeflate.builder()
            .serverNoContextTakeover(false).clientNoContextTakeover(false).build();

    /**
     * "name; a; b=1" as an offer: parameters in order, bare ones null. Not the protocol's header
     * parser (tested there): this builds exactly the map under test. A map holds a name once, so
     * duplicates here differ in case; exact ones are the header parser's to catch.
     */
    static ExtensionOffer offer(String element) {
        String[] parts = element.split(";");
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            if (params.containsKey(name)) {
                throw new IllegalArgumentException("a map cannot hold " + name + " twice: vary the case");
            }
            params.put(name, eq < 0 ? null : p.substring(eq + 1));
        }
        return new ExtensionOffer(parts[0].strip(), params);
    }

    static String render(ExtensionOffer o) {
        StringBuilder sb = new StringBuilder(o.name());
        o.parameters().forEach((k, v) -> sb.append("; ").append(k).append(v == null ? "" : "=" + v));
        return sb.toString();
    }

    static Stream<Arguments> acceptedByPlainServer() {
        String n = "permessage-deflate";
        return Stream.of(
                // offer, response, agreed (sNoCtx, cNoCtx, sBits, cBits)
                Arguments.of(n, n, new DeflateParameters(false, false, 15, 15)),
                Arguments.of(n + "; server_no_context_takeover", n + "; server_no_context_takeover",
                        new DeflateParameters(true, false, 15, 15)),
                Arguments.of(n + "; client_no_context_takeover", n + "; client_no_context_takeover",
                        new DeflateParameters(false, true, 15, 15)),
                Arguments.of(n + "; client_max_window_bits", n, new DeflateParameters(false, false, 15, 15)),
                Arguments.of(n + "; client_max_window_bits=9", n + "; client_max_window_bits=9",
                        new DeflateParameters(false, false, 15, 9)),
                Arguments.of(n + "; server_max_window_bits=15", n + "; server_max_window_bits=15",
                        new DeflateParameters(false, false, 15, 15)),
                // below 15 we compress only window-sized messages from a fresh Deflater, and say so
                Arguments.of(n + "; server_max_window_bits=10",
                        n + "; server_no_context_takeover; server_max_window_bits=10",
                        new DeflateParameters(true, false, 10, 15)),
                Arguments.of(n + "; server_max_window_bits=8",
                        n + "; server_no_context_takeover; server_max_window_bits=8",
                        new DeflateParameters(true, false, 8, 15)),
                Arguments.of(n + "; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12; client_max_window_bits=11",
                        n + "; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12; client_max_window_bits=11",
                        new DeflateParameters(true, true, 12, 11)),
                // names are matched without regard to case; values are quoted-string-unescaped by the parser
                Arguments.of(n + "; Server_No_Context_Takeover", n + "; server_no_context_takeover",
                        new DeflateParameters(true, false, 15, 15)),
                Arguments.of("PerMessage-Deflate", n, new DeflateParameters(false, false, 15, 15)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("acceptedByPlainServer")
    void serverAcceptsValidOffer(String offer, String response, DeflateParameters agreed) {
        try (PerMessageDeflateExtension ext = PLAIN_SERVER.acceptOffer(offer(offer))) {
            assertThat(ext).isNotNull();
            assertThat(render(ext.response())).isEqualTo(response);
            assertThat(ext.parameters()).isEqualTo(agreed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "permessage-deflate; foo",
        "permessage-deflate; foo=1",
        "permessage-deflate; server_no_context_takeover=1",
        "permessage-deflate; client_no_context_takeover=true",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=08",
        "permessage-deflate; server_max_window_bits=+9",
        "permessage-deflate; server_max_window_bits=-9",
        "permessage-deflate; server_max_window_bits=",
        "permessage-deflate; server_max_window_bits=abc",
        "permessage-deflate; server_max_window_bits=99999999999999999999",
        "permessage-deflate; client_max_window_bits=0",
        "permessage-deflate; client_max_window_bits=7",
        "permessage-deflate; client_max_window_bits=16",
        "permessage-deflate; client_max_window_bits=010",
        "permessage-deflate; server_no_context_takeover; SERVER_NO_CONTEXT_TAKEOVER",
        "permessage-deflate; client_max_window_bits; Client_Max_Window_Bits=10",
        "x-webkit-deflate-frame",
    })
    void serverDeclinesInvalidOffer(String offer) {
        assertThat(PLAIN_SERVER.acceptOffer(offer(offer))).isNull();
        assertThat(PerMessageDeflate.withDefaults().acceptOffer(offer(offer))).isNull();
    }

    @Test
    void serverFallsBackToTheFirstAcceptableOfferInClientOrder() {
        List<ExtensionOffer> offers = List.of(
                offer("permessage-deflate; server_max_window_bits=16"),
                offer("permessage-deflate; client_max_window_bits; Client_Max_Window_Bits"),
                offer("permessage-deflate; server_max_window_bits=12; client_max_window_bits"),
                offer("permessage-deflate"));
        List<String> answers = new ArrayList<>();
        PerMessageDeflateExtension chosen = null;
        for (ExtensionOffer o : offers) {
            PerMessageDeflateExtension e = PLAIN_SERVER.acceptOffer(o);
            answers.add(e == null ? null : render(e.response()));
            if (chosen == null) {
                chosen = e;
            } else if (e != null) {
                e.close();
            }
        }
        assertThat(answers).containsExactly(null, null,
                "permessage-deflate; server_no_context_takeover; server_max_window_bits=12", "permessage-deflate");
        assertThat(chosen.parameters().serverMaxWindowBits()).isEqualTo(12);
        chosen.close();
    }

    @Test
    void headerWithSeveralOffersNegotiatesTheFirstAcceptableThroughTheProtocolLayer() {
        List<ExtensionOffer> offers = ExtensionOffer.parse(List.of(
                "permessage-deflate; server_max_window_bits=16; client_max_window_bits, x-custom",
                "permessage-deflate; server_max_window_bits=\"10\"; client_max_window_bits",
                "permessage-deflate"));
        List<io.blockbuster.websocket.protocol.Extension> chosen =
                io.blockbuster.websocket.protocol.ServerHandshake.negotiate(offers, List.of(PLAIN_SERVER));
        assertThat(chosen).hasSize(1);
        PerMessageDeflateExtension ext = (PerMessageDeflateExtension) chosen.get(0);
        // the quoted value is unescaped by the header parser and accepted (RFC 7692 7.1)
        assertThat(ext.parameters()).isEqualTo(new DeflateParameters(true, false, 10, 15));
        assertThat(ext.response().toHeaderValue())
                .isEqualTo("permessage-deflate; server_no_context_takeover; server_max_window_bits=10");
        ext.close();
    }

    @Test
    void headerWhereEveryOfferIsInvalidNegotiatesNothing() {
        List<ExtensionOffer> offers = ExtensionOffer.parse(List.of(
                "permessage-deflate; client_max_window_bits=20, permessage-deflate; server_no_context_takeover=1"));
        assertThat(io.blockbuster.websocket.protocol.ServerHandshake.negotiate(offers, List.of(PLAIN_SERVER))).isEmpty();
    }

    @Test
    void defaultServerRequiresNoContextTakeoverBothWays() {
        PerMessageDeflateExtension ext = PerMessageDeflate.withDefaults().acceptOffer(
                offer("permessage-deflate; client_max_window_bits"));
        assertThat(render(ext.response()))
                .isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
        assertThat(ext.deflater().usesContextTakeover()).isFalse();
        assertThat(ext.inflater().usesContextTakeover()).isFalse();
        ext.close();
    }

    @Test
    void serverAsksForASmallerClientWindowOnlyWhenTheClientOfferedTheParameter() {
        PerMessageDeflate server = PerMessageDeflate.builder().serverNoContextTakeover(false)
                .clientNoContextTakeover(false).clientMaxWindowBits(10).build();
        // RFC 7692 7.1.2.2: absent from the offer -> MUST NOT appear in the response
        assertThat(render(server.acceptOffer(offer("permessage-deflate")).response()))
                .isEqualTo("permessage-deflate");
        assertThat(render(server.acceptOffer(offer("permessage-deflate; client_max_window_bits")).response()))
                .isEqualTo("permessage-deflate; client_max_window_bits=10");
        assertThat(render(server.acceptOffer(offer("permessage-deflate; client_max_window_bits=9")).response()))
                .isEqualTo("permessage-deflate; client_max_window_bits=9");
    }

    @Test
    void serverWithASmallWindowAnnouncesItEvenUnasked() {
        PerMessageDeflate server = PerMessageDeflate.builder().serverNoContextTakeover(false)
                .clientNoContextTakeover(false).serverMaxWindowBits(12).build();
        PerMessageDeflateExtension ext = server.acceptOffer(offer("permessage-deflate"));
        assertThat(render(ext.response()))
                .isEqualTo("permessage-deflate; server_no_context_takeover; server_max_window_bits=12");
        assertThat(server.acceptOffer(offer("permessage-deflate; server_max_window_bits=9")).parameters()
                .serverMaxWindowBits()).isEqualTo(9);
    }

    @Test
    void contextTakeoverFollowsTheAgreementPerDirection() {
        PerMessageDeflateExtension server = PLAIN_SERVER.acceptOffer(offer("permessage-deflate; client_no_context_takeover"));
        assertThat(server.deflater().usesContextTakeover()).isTrue();
        assertThat(server.inflater().usesContextTakeover()).isFalse();
        PerMessageDeflateExtension client = PLAIN_SERVER.acceptResponse(offer("permessage-deflate; client_no_context_takeover"));
        assertThat(client.deflater().usesContextTakeover()).isFalse();
        assertThat(client.inflater().usesContextTakeover()).isTrue();
    }

    @Test
    void clientOffersItsSettingsAndABareClientMaxWindowBits() {
        assertThat(PerMessageDeflate.withDefaults().offers()).extracting(NegotiationTest::render).containsExactly(
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits");
        assertThat(PLAIN_SERVER.offers()).extracting(NegotiationTest::render)
                .containsExactly("permessage-deflate; client_max_window_bits");
        PerMessageDeflate small = PerMessageDeflate.builder().serverMaxWindowBits(10).clientMaxWindowBits(11)
                .serverNoContextTakeover(false).clientNoContextTakeover(false).build();
        assertThat(small.offers()).extracting(NegotiationTest::render)
                .containsExactly("permessage-deflate; server_max_window_bits=10; client_max_window_bits=11");
    }

    static Stream<Arguments> responsesAClientAccepts() {
        String n = "permessage-deflate";
        return Stream.of(
                Arguments.of(n, new DeflateParameters(false, false, 15, 15)),
                // RFC 7692 7.1.1.1 / 7.1.1.2: the server may add these unasked
                Arguments.of(n + "; server_no_context_takeover", new DeflateParameters(true, false, 15, 15)),
                Arguments.of(n + "; client_no_context_takeover", new DeflateParameters(false, true, 15, 15)),
                // 7.1.2.1: may announce a window even unasked
                Arguments.of(n + "; server_max_window_bits=8", new DeflateParameters(false, false, 8, 15)),
                Arguments.of(n + "; client_max_window_bits=8", new DeflateParameters(false, false, 15, 8)),
                Arguments.of(n + "; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15; client_max_window_bits=15",
                        new DeflateParameters(true, true, 15, 15)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responsesAClientAccepts")
    void clientAcceptsValidResponse(String response, DeflateParameters agreed) {
        try (PerMessageDeflateExtension ext = PLAIN_SERVER.acceptResponse(offer(response))) {
            assertThat(ext.parameters()).isEqualTo(agreed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "permessage-deflate; client_max_window_bits",          // 7.1.2.2: a response gives a value
        "permessage-deflate; client_max_window_bits=16",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=09",
        "permessage-deflate; server_no_context_takeover=yes",
        "permessage-deflate; server_no_context_takeover; Server_No_Context_Takeover",
        "permessage-deflate; mystery",
        "x-webkit-deflate-frame",
    })
    void clientFailsTheHandshakeOnAnInvalidResponse(String response) {
        assertThatThrownBy(() -> PLAIN_SERVER.acceptResponse(offer(response))).isInstanceOf(HandshakeException.class);
    }

    @Test
    void clientFailsTheHandshakeWhenTheServerExceedsTheWindowsOffered() {
        PerMessageDeflate client = PerMessageDeflate.builder().serverMaxWindowBits(10).clientMaxWindowBits(11).build();
        assertThat(client.acceptResponse(offer("permessage-deflate; server_max_window_bits=9")).parameters()
                .serverMaxWindowBits()).isEqualTo(9); // smaller than offered is fine
        assertThatThrownBy(() -> client.acceptResponse(offer("permessage-deflate; server_max_window_bits=11")))
                .isInstanceOf(HandshakeException.class);
        assertThatThrownBy(() -> client.acceptResponse(offer("permessage-deflate; client_max_window_bits=12")))
                .isInstanceOf(HandshakeException.class);
    }
}
