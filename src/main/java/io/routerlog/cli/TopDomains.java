package io.routerlog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code routerlog top domains}: the most queried domains, from {@code /api/v1/top/domains}. */
@Command(
        name = "domains",
        sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = "routerlog top domains [OPTION]...",
        descriptionHeading = "%n",
        description = {
            "The most queried domains, with how many clients asked for each.",
            "",
            "Asks a running node (--url) and prints a table, most queried first.",
            ""
        })
public final class TopDomains extends ClientCommand {
    static final String PATH = "/api/v1/top/domains";

    @Option(names = "--client", paramLabel = "ADDR", order = 1, description = "Only the queries of this client.")
    @Nullable
    String clientAddress;

    @Option(names = "--router", paramLabel = "NAME", order = 2, description = "Only what this router logged.")
    @Nullable
    String router;

    @Option(
            names = "--outcome",
            paramLabel = "OUTCOME",
            order = 3,
            description = "Only queries with this reply outcome (as in routerlog_dns_replies_total).")
    @Nullable
    String outcome;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            order = 4,
            description = "Show this many domains. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    int run(Api api, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
        Map<String, @Nullable String> params = new LinkedHashMap<>();
        params.put("limit", Integer.toString(limit(limit)));
        params.put("client", clientAddress);
        params.put("router", router);
        params.put("outcome", outcome);
        Api.Answer answer = api.get(PATH, params);
        if (client.json()) {
            out.println(answer.body().strip());
            return 0;
        }
        Table t = table().column("QUERIES", Table.Align.RIGHT, Table.Cut.NONE)
                .column("CLIENTS", Table.Align.RIGHT, Table.Cut.NONE)
                .column("DOMAIN", Table.Align.LEFT, Table.Cut.MIDDLE);
        for (JsonNode item : answer.items()) {
            t.row(text(item, "queries"), text(item, "clients"), text(item, "domain"));
        }
        print(out, t.render(client.width()));
        return 0;
    }
}
