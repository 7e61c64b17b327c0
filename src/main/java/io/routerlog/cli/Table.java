package io.routerlog.cli;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An aligned text table that fits a width: columns two spaces apart, numbers right-aligned, and when the rows are
 * too wide the columns that may be cut (domains, host names) give up characters, the widest first, down to a
 * minimum; a cut value shows an ellipsis where the text was taken out. Trailing blanks are not printed.
 */
public final class Table {
    /** Where a column's values sit. */
    public enum Align {
        LEFT,
        RIGHT
    }

    /** How a column's values are shortened when the table is too wide. */
    public enum Cut {
        /** Never (addresses, numbers, times). */
        NONE,
        /** Keep the start ({@code living-room-tv…}). */
        END,
        /** Keep start and end: a domain keeps its registrable part ({@code cdn-eu…github.com}). */
        MIDDLE
    }

    private static final String GAP = "  ";
    private static final int MIN_CUT_WIDTH = 8;

    private record Column(String header, Align align, Cut cut) {}

    private final List<Column> columns = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();
    private final String ellipsis;

    /** @param ellipsis what marks a cut: {@code "…"}, or {@code "..."} where the output cannot show it */
    public Table(String ellipsis) {
        this.ellipsis = ellipsis;
    }

    public Table column(String header, Align align, Cut cut) {
        if (!rows.isEmpty()) {
            throw new IllegalStateException("columns come before rows");
        }
        columns.add(new Column(header, align, cut));
        return this;
    }

    /** Adds a row; {@code cells} has one value per column. */
    public Table row(String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns.size() + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = printable(cells[i]);
        }
        rows.add(row);
        return this;
    }

    /** The number of rows added. */
    public int size() {
        return rows.size();
    }

    /** The header line and one line per row, at most {@code width} columns wide where cutting allows it. */
    public List<String> render(int width) {
        return render(width, null, true);
    }

    /**
     * The lines of the rows (after the header line if {@code header}), for output that comes in parts: each column
     * is at least as wide as {@code floor} says (when cutting leaves room), and {@code floor} is set to the widths
     * used, so that the parts of a stream line up.
     */
    public List<String> render(int width, int @Nullable [] floor, boolean header) {
        int n = columns.size();
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = length(columns.get(i).header());
            if (floor != null && i < floor.length) {
                w[i] = Math.max(w[i], floor[i]);
            }
            for (String[] row : rows) {
                w[i] = Math.max(w[i], length(row[i]));
            }
        }
        int excess = total(w) - width;
        while (excess > 0) {
            int widest = -1;
            for (int i = 0; i < n; i++) {
                if (columns.get(i).cut() != Cut.NONE && w[i] > minimum(i) && (widest < 0 || w[i] > w[widest])) {
                    widest = i;
                }
            }
            if (widest < 0) {
                break; // nothing left to cut: the lines wrap
            }
            w[widest]--;
            excess--;
        }
        if (floor != null) {
            System.arraycopy(w, 0, floor, 0, Math.min(n, floor.length));
        }
        List<String> lines = new ArrayList<>(rows.size() + 1);
        if (header) {
            String[] names = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = columns.get(i).header();
            }
            lines.add(line(names, w));
        }
        for (String[] row : rows) {
            lines.add(line(row, w));
        }
        return lines;
    }

    private int minimum(int column) {
        return Math.max(MIN_CUT_WIDTH, length(columns.get(column).header()));
    }

    private static int total(int[] w) {
        int sum = GAP.length() * Math.max(0, w.length - 1);
        for (int x : w) {
            sum += x;
        }
        return sum;
    }

    private String line(String[] cells, int[] w) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            Column c = columns.get(i);
            String v = fit(cells[i], w[i], c.cut());
            String pad = " ".repeat(w[i] - length(v));
            if (i > 0) {
                b.append(GAP);
            }
            b.append(c.align() == Align.RIGHT ? pad + v : v + pad);
        }
        return b.toString().stripTrailing();
    }

    /** {@code s} shortened to {@code width} code points as {@code cut} says (unchanged when it fits). */
    String fit(String s, int width, Cut cut) {
        int len = length(s);
        if (len <= width || cut == Cut.NONE) {
            return s;
        }
        int keep = Math.max(0, width - length(ellipsis));
        if (cut == Cut.END) {
            return head(s, keep) + ellipsis;
        }
        int head = keep / 2;
        int tail = keep - head;
        return head(s, head) + ellipsis + s.substring(s.offsetByCodePoints(0, len - tail));
    }

    private static String head(String s, int codePoints) {
        return s.substring(0, s.offsetByCodePoints(0, codePoints));
    }

    /** Control characters (which would move the cursor or ring the bell) as {@code ?}. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
