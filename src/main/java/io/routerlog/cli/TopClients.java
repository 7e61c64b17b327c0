package io.routerlog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code routerlog top clients}: the clients that asked most, from {@code /api/v1/top/clients}. */
@Command(
        name = "clients",
        sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = "routerlog top clients [OPTION]...",
        descriptionHeading = "%n",
        description = {
            "The clients that asked most, with their MAC address and host name from DHCP when known.",
            "",
            "Asks a running node (--url) and prints a table, busiest client first.",
            ""
        })
public final class TopClients extends ClientCommand {
    static final String PATH = "/api/v1/top/clients";

    @Option(names = "--domain", paramLabel = "NAME", order = 1, description = "Only the queries for this domain.")
    @Nullable
    String domain;

    @Option(names = "--router", paramLabel = "NAME", order = 2, description = "Only what this router logged.")
    @Nullable
    String router;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            order = 4,
            description = "Show this many clients. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    int run(Api api, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
        Map<String, @Nullable String> params = new LinkedHashMap<>();
        params.put("limit", Integer.toString(limit(limit)));
        params.put("domain", domain);
        params.put("router", router);
        Api.Answer answer = api.get(PATH, params);
        if (client.json()) {
            out.println(answer.body().strip());
            return 0;
        }
        List<JsonNode> items = new ArrayList<>();
        answer.items().forEach(items::add);
        // MAC and host name only when some client has one: without DHCP lines they are empty throughout
        boolean mac = items.stream().anyMatch(i -> !text(i, "mac").isEmpty());
        boolean hostname = items.stream().anyMatch(i -> !text(i, "hostname").isEmpty());
        Table t = table().column("QUERIES", Table.Align.RIGHT, Table.Cut.NONE)
                .column("DOMAINS", Table.Align.RIGHT, Table.Cut.NONE)
                .column("ROUTER", Table.Align.LEFT, Table.Cut.END)
                .column("CLIENT", Table.Align.LEFT, Table.Cut.NONE);
        if (mac) {
            t.column("MAC", Table.Align.LEFT, Table.Cut.NONE);
        }
        if (hostname) {
            t.column("HOSTNAME", Table.Align.LEFT, Table.Cut.END);
        }
        for (JsonNode item : items) {
            List<String> row = new ArrayList<>(
                    List.of(text(item, "queries"), text(item, "domains"), text(item, "router"), text(item, "client")));
            if (mac) {
                row.add(text(item, "mac"));
            }
            if (hostname) {
                row.add(text(item, "hostname"));
            }
            t.row(row.toArray(String[]::new));
        }
        print(out, t.render(client.width()));
        return 0;
    }
}
