package io.routerlog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code routerlog suspects}: domains that look like DNS tunnels, from {@code /api/v1/suspects}. */
@Command(
        name = "suspects",
        sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = "routerlog suspects [OPTION]...",
        descriptionHeading = "%n",
        description = {
            "Domains whose queries look like a DNS tunnel or data leaving through DNS, with the clients that asked "
                    + "and why (see docs/DETECTION.md).",
            "",
            "Asks a running node (--url) and prints a table, highest score first; prints nothing but the header "
                    + "when there are none.",
            ""
        })
public final class Suspects extends ClientCommand {
    static final String PATH = "/api/v1/suspects";

    @Option(names = "--client", paramLabel = "ADDR", order = 1, description = "Only domains this client asked for.")
    @Nullable
    String clientAddress;

    @Option(
            names = "--min-score",
            paramLabel = "SCORE",
            order = 2,
            description = "Show domains from this score on, below the node's threshold too.")
    @Nullable
    Double minScore;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            order = 3,
            description = "Show this many domains. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    int run(Api api, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
        Map<String, @Nullable String> params = new LinkedHashMap<>();
        params.put("limit", Integer.toString(limit(limit)));
        params.put("client", clientAddress);
        params.put("min_score", minScore == null ? null : String.format(Locale.ROOT, "%s", minScore));
        Api.Answer answer = api.get(PATH, params);
        if (client.json()) {
            out.println(answer.body().strip());
            return 0;
        }
        Table t = table().column("SCORE", Table.Align.RIGHT, Table.Cut.NONE)
                .column("QUERIES", Table.Align.RIGHT, Table.Cut.NONE)
                .column("DOMAIN", Table.Align.LEFT, Table.Cut.MIDDLE)
                .column("CLIENTS", Table.Align.LEFT, Table.Cut.END)
                .column("REASONS", Table.Align.LEFT, Table.Cut.END);
        for (JsonNode item : answer.items()) {
            t.row(
                    String.format(Locale.ROOT, "%.1f", item.get("score").asDouble()),
                    text(item, "queries"),
                    text(item, "domain"),
                    String.join(" ", strings(item.get("clients"))),
                    String.join(", ", strings(item.get("reasons"))));
        }
        print(out, t.render(client.width()));
        return 0;
    }

    private static List<String> strings(@Nullable JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out;
    }
}
