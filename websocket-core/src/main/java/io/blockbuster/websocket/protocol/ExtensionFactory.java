package io.blockbuster.websocket.protocol;

import java.util.List;

/** Creates {@link Extension}s during the opening handshake, on either side. */
public interface ExtensionFactory {
    /** Returns the extension name this factory handles. */
    String name();

    /**
     * Server side: accepts one client offer.
     *
     * @param offer an offer whose name equals {@link #name()}
     * @return the negotiated extension, or null to decline this offer
     */
    Extension acceptOffer(ExtensionOffer offer);

    /** Client side: returns the offers to put in the request, in preference order. */
    List<ExtensionOffer> offers();

    /**
     * Client side: validates the server's answer and creates the extension.
     *
     * @param response the server's response for this extension
     * @return the negotiated extension
     * @throws HandshakeException if the response is unacceptable
     */
    Extension acceptResponse(ExtensionOffer response);
}
