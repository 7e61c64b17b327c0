package io.routerlog.source;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Back-pressure for a source that reads as fast as it can (a packet file): after each message, wait while the
 * stage after it has no room, as a TCP syslog connection stops reading. A file read faster than a flush interval
 * then loses nothing; a stage that does not make room within {@value #MAX_WAIT_SECONDS} s lets reading go on.
 */
public final class WaitForRoom {
    static final long MAX_WAIT_SECONDS = 30;

    private WaitForRoom() {}

    /**
     * The action to run after each message.
     *
     * @param full         true while the next stage has no room
     * @param whenRelieved runs its argument once the next stage has made room
     */
    public static Runnable after(BooleanSupplier full, Consumer<Runnable> whenRelieved) {
        return () -> {
            if (full.getAsBoolean()) {
                CountDownLatch relieved = new CountDownLatch(1);
                whenRelieved.accept(relieved::countDown);
                try {
                    relieved.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
