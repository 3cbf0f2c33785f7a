package io.blockbuster.examples.dashboard;

/** The node did not answer, answered with an error, or answered something we cannot read. */
final class NodeUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NodeUnavailableException(String message) {
        super(message);
    }

    NodeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
