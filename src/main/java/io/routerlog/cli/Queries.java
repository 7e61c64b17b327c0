package io.routerlog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.routerlog.config.Converters;
import io.routerlog.config.Units;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code routerlog queries}: the latest queries from {@code /api/v1/queries}, oldest first; with {@code --follow}
 * a live tail.
 *
 * <p>Following asks every {@code --interval} for what is newer than the newest entry seen (the API's
 * {@code newest} cursor, as {@code after=}), paging back through {@code next} when more came than one page
 * holds. When the node cannot be reached it says so once and keeps trying; once it answers again, and whenever the
 * API gives no cursor, it catches up by time instead: the latest entries, less those already printed. So a node
 * restart, after which old cursors may mean nothing, neither repeats nor stops the tail.
 */
@Command(
        name = "queries",
        sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = "routerlog queries [OPTION]...",
        descriptionHeading = "%n",
        description = {
            "The latest DNS queries, or with --follow a live tail of them.",
            "",
            "Asks a running node (--url) and prints time (local), router, client, query type and domain, oldest "
                    + "first. --follow keeps printing new queries as they come until Ctrl-C, and waits for the "
                    + "node when it restarts.",
            ""
        })
public final class Queries extends ClientCommand {
    static final String PATH = "/api/v1/queries";

    /** Most pages read back in one poll; more than that many pages of news is more than a tail can show. */
    static final int MAX_PAGES = 10;

    @Option(names = "--client", paramLabel = "ADDR", order = 1, description = "Only the queries of this client.")
    @Nullable
    String clientAddress;

    @Option(
            names = "--domain",
            paramLabel = "TEXT",
            order = 2,
            description = "Only queries for domains with this text in them.")
    @Nullable
    String domain;

    @Option(names = "--qtype", paramLabel = "TYPE", order = 3, description = "Only queries of this type (A, AAAA...).")
    @Nullable
    String qtype;

    @Option(names = "--router", paramLabel = "NAME", order = 4, description = "Only what this router logged.")
    @Nullable
    String router;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            order = 5,
            description = "Show the latest N queries (with --follow: to start with). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(
            names = {"-f", "--follow"},
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "false",
            order = 6,
            description = "Keep printing new queries as they come, until Ctrl-C (with --json: one object a line).")
    boolean follow;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "1s",
            order = 7,
            converter = Converters.DurationValue.class,
            description = "With --follow: ask for new queries this often. Default: ${DEFAULT-VALUE}.")
    Duration interval = Duration.ofSeconds(1);

    private final Times times = new Times(clock);
    private int @Nullable [] widths;

    /** The newest time printed, and the entries printed with exactly that time: what catching up leaves out. */
    private @Nullable Instant lastTime;

    private final Set<String> atLastTime = new HashSet<>();

    @Override
    int run(Api api, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
        limit(limit);
        if (interval.isNegative() || interval.isZero()) {
            throw new ParameterException(spec.commandLine(), "--interval must be more than 0: " + interval);
        }
        Api.Answer first = api.get(PATH, params(null, null));
        if (client.json() && !follow) {
            out.println(first.body().strip());
            return 0;
        }
        List<JsonNode> items = list(first);
        Collections.reverse(items);
        show(out, items);
        if (!follow) {
            return 0;
        }
        String cursor = first.text("newest");
        boolean lost = false;
        while (true) {
            Thread.sleep(interval.toMillis());
            try {
                List<JsonNode> news = new ArrayList<>();
                String newest = cursor == null ? catchUp(api, news) : since(api, cursor, news, err);
                if (lost) {
                    err.println("routerlog: " + api.base() + " answers again");
                    lost = false;
                }
                cursor = newest != null ? newest : cursor;
                show(out, news);
            } catch (ApiException e) {
                if (!e.retryable() && e.kind() != ApiException.Kind.REFUSED) {
                    throw e;
                }
                if (!e.retryable() && cursor == null) {
                    throw e; // refused without a cursor: the filters are wrong, trying again will not help
                }
                if (!lost) {
                    err.println("routerlog: " + e.getMessage() + "; trying again every " + Units.format(interval)
                            + " (Ctrl-C to stop)");
                    lost = true;
                }
                // whatever the cursor meant to the node before, catch up by time from now on until it gives one
                cursor = null;
            }
        }
    }

    /**
     * What is newer than {@code cursor}, oldest first, into {@code news}; pages back through {@code next} when the
     * news fill more than one page.
     *
     * @return the API's newest cursor, or null when it gave none
     */
    private @Nullable String since(Api api, String cursor, List<JsonNode> news, PrintWriter err)
            throws ApiException, InterruptedException {
        Api.Answer page = api.get(PATH, params(cursor, null));
        String newest = page.text("newest");
        List<JsonNode> newestFirst = new ArrayList<>(list(page));
        int pages = 1;
        String next = page.text("next");
        while (next != null && list(page).size() >= limit) {
            if (pages == MAX_PAGES) {
                err.println("routerlog: more than " + pages * limit + " new queries since the last look; showing "
                        + "the newest of them");
                break;
            }
            page = api.get(PATH, params(cursor, next));
            newestFirst.addAll(list(page));
            next = page.text("next");
            pages++;
        }
        Collections.reverse(newestFirst);
        news.addAll(newestFirst);
        return newest;
    }

    /**
     * Without a cursor: the latest entries, less those already printed (by their time), oldest first.
     *
     * @return the API's newest cursor, or null when it gave none
     */
    private @Nullable String catchUp(Api api, List<JsonNode> news) throws ApiException, InterruptedException {
        Api.Answer page = api.get(PATH, params(null, null));
        List<JsonNode> items = list(page);
        Collections.reverse(items);
        for (JsonNode item : items) {
            Instant t = instant(item);
            Instant last = lastTime;
            if (last == null || t == null || t.isAfter(last) || (t.equals(last) && !atLastTime.contains(key(item)))) {
                news.add(item);
            }
        }
        return page.text("newest");
    }

    private Map<String, @Nullable String> params(@Nullable String after, @Nullable String before) {
        Map<String, @Nullable String> params = new LinkedHashMap<>();
        params.put("limit", Integer.toString(limit));
        params.put("client", clientAddress);
        params.put("domain", domain);
        params.put("qtype", qtype);
        params.put("router", router);
        params.put("before", before);
        params.put("after", after);
        return params;
    }

    /** Prints entries that are in order oldest first, and remembers the newest. */
    private void show(PrintWriter out, List<JsonNode> items) {
        for (JsonNode item : items) {
            Instant t = instant(item);
            if (t != null) {
                if (lastTime == null || t.isAfter(lastTime)) {
                    lastTime = t;
                    atLastTime.clear();
                }
                if (t.equals(lastTime)) {
                    atLastTime.add(key(item));
                }
            }
        }
        if (client.json()) {
            for (JsonNode item : items) {
                out.println(Api.compact(item));
            }
            return;
        }
        boolean header = widths == null;
        if (items.isEmpty() && !header) {
            return;
        }
        Table t = table().column("TIME", Table.Align.LEFT, Table.Cut.NONE)
                .column("ROUTER", Table.Align.LEFT, Table.Cut.END)
                .column("CLIENT", Table.Align.LEFT, Table.Cut.NONE)
                .column("TYPE", Table.Align.LEFT, Table.Cut.NONE)
                .column("DOMAIN", Table.Align.LEFT, Table.Cut.MIDDLE);
        for (JsonNode item : items) {
            t.row(
                    times.format(text(item, "time")),
                    text(item, "router"),
                    text(item, "client"),
                    text(item, "qtype"),
                    text(item, "domain"));
        }
        int[] w = widths == null ? new int[5] : widths;
        widths = w;
        print(out, t.render(client.width(), w, header));
    }

    private static List<JsonNode> list(Api.Answer answer) {
        List<JsonNode> items = new ArrayList<>();
        answer.items().forEach(items::add);
        return items;
    }

    private static @Nullable Instant instant(JsonNode item) {
        try {
            return OffsetDateTime.parse(text(item, "time")).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** What tells two entries apart, without the position the API may add. */
    private static String key(JsonNode item) {
        if (item instanceof ObjectNode o) {
            ObjectNode copy = o.deepCopy();
            copy.remove("cursor");
            return Api.compact(copy);
        }
        return Api.compact(item);
    }
}
