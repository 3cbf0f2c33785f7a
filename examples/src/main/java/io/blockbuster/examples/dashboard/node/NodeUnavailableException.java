package io.blockbuster.examples.dashboard.node;

/** The node did not answer, answered with an error, or answered something we cannot read. */
public final class NodeUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NodeUnavailableException(String message) {
        super(message);
    }

    public NodeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
