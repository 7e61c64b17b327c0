package io.routerlog;

/**
 * A part of a node. {@link RouterLog} starts its parts in their order and closes those that started in the
 * reverse order, so a part may use the parts before it from its start to its close.
 */
interface Component {
    /** Starts this part; the parts before it have started. */
    void start() throws Exception;

    /** Stops this part; the parts after it have stopped. Only called once {@link #start} returned. */
    void close() throws Exception;

    /** What this part is, for the log line when its close fails. */
    String name();

    /** An action of a part's start or close. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** A part made of its two actions. */
    static Component of(String name, Action start, Action close) {
        return new Component() {
            @Override
            public void start() throws Exception {
                start.run();
            }

            @Override
            public void close() throws Exception {
                close.run();
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
