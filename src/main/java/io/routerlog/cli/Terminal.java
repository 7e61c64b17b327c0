package io.routerlog.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the output can show: how wide it is, and whether it can show an ellipsis. */
final class Terminal {
    /** The width when nothing says otherwise (not a terminal, or one that does not tell). */
    static final int DEFAULT_WIDTH = 80;

    private Terminal() {}

    /**
     * The width to fit output to: {@code COLUMNS} when set; else the terminal's own width when standard output is
     * one; else {@value #DEFAULT_WIDTH}.
     */
    @SuppressWarnings("SystemConsoleNull") // on Java 17, which routerlog runs on, null means no terminal
    static int width(Map<String, String> env) {
        String columns = env.get("COLUMNS");
        if (columns != null) {
            try {
                int w = Integer.parseInt(columns.strip());
                if (w > 0) {
                    return w;
                }
            } catch (NumberFormatException e) {
                // not a width: as if unset
            }
        }
        if (System.console() == null) {
            return DEFAULT_WIDTH;
        }
        return sttyWidth();
    }

    /** {@code stty size} on the controlling terminal ("ROWS COLUMNS"), or the default when that fails. */
    private static int sttyWidth() {
        File tty = new File("/dev/tty");
        if (!tty.canRead()) {
            return DEFAULT_WIDTH;
        }
        try {
            Process p = new ProcessBuilder("stty", "size")
                    .redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!p.waitFor(2, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return DEFAULT_WIDTH;
            }
            String[] parts = out.split("\\s+");
            int w = parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
            return w > 0 ? w : DEFAULT_WIDTH;
        } catch (IOException | NumberFormatException e) {
            return DEFAULT_WIDTH;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULT_WIDTH;
        }
    }

    /** {@code …} when the output's charset can encode it, else {@code ...}. */
    static String ellipsis(Charset charset) {
        return charset.newEncoder().canEncode('\u2026') ? "\u2026" : "...";
    }
}
