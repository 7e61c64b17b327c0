// routerlog's web page: reads the node's own query API (/api/v1) and nothing else. Views are chosen by the URL's
// hash (#/devices/192.168.1.7?router=OpenWrt), so links, reloads and the back button work. Every value from the
// network goes into the page as text (never as HTML): names come from DNS queries anyone on the network can make.
"use strict";

(function () {
  const main = document.getElementById("main");
  const LOCALE = undefined; // the browser's
  const nf = new Intl.NumberFormat(LOCALE);
  const nf1 = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
  const pf = new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: 1 });
  const timeFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "medium" });
  const shortTime = new Intl.DateTimeFormat(LOCALE, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const relative = typeof Intl.RelativeTimeFormat === "function" ? new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" }) : null;

  // the outcome groups of the overview, from the metrics' outcome labels
  const OUTCOMES = [
    { key: "answered", label: "Answered", of: ["answered", "nodata"] },
    { key: "cached", label: "Cached", of: ["cached", "cached_stale"] },
    { key: "blocked", label: "Blocked", of: ["blocked"] },
    { key: "nxdomain", label: "NXDOMAIN", of: ["nxdomain"] },
    { key: "errors", label: "Errors", of: ["servfail", "refused", "error", "bogus", "truncated"] },
    { key: "local", label: "Local", of: ["local"] },
  ];

  // ---- small helpers ---------------------------------------------------------------------------------------------

  /** An element with attributes and children (strings become text nodes). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) append(el, c);
      else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }

  function num(n) { return n === null || n === undefined ? "–" : nf.format(n); }
  function plural(n, one, many) { return num(n) + "\u00a0" + (n === 1 ? one : many); }
  function queries(n) { return plural(n, "query", "queries"); }

  function bytes(n) {
    if (n === null || n === undefined) return "–";
    const units = ["B", "kB", "MB", "GB", "TB"];
    let i = 0;
    let v = n;
    while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
    return (i === 0 ? nf.format(v) : nf1.format(v)) + "\u00a0" + units[i];
  }

  function time(iso) {
    if (!iso) return "–";
    const d = new Date(iso);
    return h("time", { datetime: iso, title: timeFormat.format(d) }, ago(d));
  }

  function clockTime(iso) {
    if (!iso) return "–";
    const d = new Date(iso);
    const today = new Date().toDateString() === d.toDateString();
    return h("time", { datetime: iso, title: timeFormat.format(d) }, today ? shortTime.format(d) : timeFormat.format(d));
  }

  function ago(d) {
    const s = Math.round((d.getTime() - Date.now()) / 1000);
    if (!relative || Math.abs(s) > 7 * 86400) return timeFormat.format(d);
    if (Math.abs(s) < 60) return relative.format(s, "second");
    if (Math.abs(s) < 3600) return relative.format(Math.round(s / 60), "minute");
    if (Math.abs(s) < 86400) return relative.format(Math.round(s / 3600), "hour");
    return relative.format(Math.round(s / 86400), "day");
  }

  /** A hash link: #/path?params, with each part encoded. */
  function href(path, params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && v !== "") q.set(k, v);
    const qs = q.toString();
    return "#/" + path.map(encodeURIComponent).join("/") + (qs ? "?" + qs : "");
  }

  function deviceLink(client, router, label) {
    const name = label || client;
    return h("a", { href: href(["devices", client], { router }), class: "device", title: name === client ? null : client }, name);
  }

  // hostnames of the busiest devices, for lists that carry only addresses (the query log); asked at most once a minute
  let names = new Map();
  let namesAt = 0;

  async function deviceNames() {
    if (Date.now() - namesAt < 60000) return names;
    try {
      const answer = await api("top/clients", { limit: 1000 });
      names = new Map(answer.items.filter((c) => c.hostname).map((c) => [c.router + "\u0000" + c.client, c.hostname]));
      namesAt = Date.now();
    } catch (e) { /* addresses will do */ }
    return names;
  }

  function nameOf(client, router) { return names.get(router + "\u0000" + client) || client; }

  // a name longer than this is shown with its middle cut out (the end, its registrable domain, stays)
  const LONG_NAME = 56;

  function domainLink(domain) {
    const cut = domain.length > LONG_NAME;
    const shown = cut ? domain.slice(0, 20) + "\u2026" + domain.slice(domain.length - (LONG_NAME - 21)) : domain;
    return h("a", { href: href(["domains", domain]), class: "domain", title: cut ? domain : null }, shown);
  }

  function deviceName(c) { return c.hostname || c.client; }

  class HttpError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  /** GET /api/v1/PATH with the parameters given (empty ones left out). */
  async function api(path, params) {
    // the origin, not the document's URL: a page opened as http://user:pass@host/ must not put the login in the URL
    const url = new URL("/api/v1/" + path, location.origin);
    for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
    const r = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" });
    if (!r.ok) {
      let message = r.status + " " + r.statusText;
      try { message = (await r.json()).error || message; } catch (e) { /* not JSON */ }
      throw new HttpError(r.status, message);
    }
    return r.json();
  }

  /** An answer, or a fallback when the path answers 404 (a node that does not serve it yet). */
  async function optional(path, params, fallback) {
    try { return await api(path, params); } catch (e) {
      if (e instanceof HttpError && e.status === 404) return fallback;
      throw e;
    }
  }

  function panel(title, ...body) {
    return h("section", { class: "panel" }, h("h2", null, title), ...body);
  }

  function empty(...text) { return h("p", { class: "empty" }, ...text); }

  function failed(e) { return h("p", { class: "error", role: "alert" }, "Could not load this: " + e.message); }

  /** A table; a column is {title, num, cell(item), narrow (hidden on a phone)}. */
  function table(columns, items, caption) {
    return h("div", { class: "scroll" }, h("table", null,
      caption ? h("caption", { class: "muted" }, caption) : null,
      h("thead", null, h("tr", null, columns.map((c) => h("th", { scope: "col", class: cls(c) }, c.title)))),
      h("tbody", null, items.map((it) => h("tr", null, columns.map((c) => h("td", { class: cls(c) }, c.cell(it))))))));
  }

  function cls(c) { return [c.num ? "num" : "", c.name ? "name" : "", c.narrow ? "hide-narrow" : ""].join(" ").trim() || null; }

  /** A count with a bar behind it, as a share of {@code max}. */
  function barCell(n, max, text) {
    const bar = h("div", { class: "bar" });
    bar.style.width = (max > 0 ? Math.max(1, Math.round(100 * n / max)) : 0) + "%";
    return h("div", { class: "barcell" }, h("div", { class: "track", "aria-hidden": "true" }, bar),
      h("span", null, text === undefined ? num(n) : text));
  }

  function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }

  // ---- charts ------------------------------------------------------------------------------------------------------

  const charts = new Set();

  /** A chart of queries per minute from an activity answer, into {@code box}. */
  function activityChart(box, activity, label) {
    const start = Date.parse(activity.start) / 1000;
    const step = activity.stepSeconds;
    const xs = activity.queries.map((_, i) => start + i * step);
    const total = activity.queries.reduce((a, b) => a + b, 0);
    if (total === 0) {
      box.replaceChildren(empty("No queries in the last " + plural(activity.queries.length, "minute", "minutes") + "."));
      return;
    }
    box.replaceChildren();
    const width = Math.max(260, box.clientWidth || 600);
    const opts = {
      width,
      height: width < 500 ? 180 : 240,
      cursor: { drag: { x: false, y: false } },
      legend: { show: true },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(5, max * 1.1)] } },
      axes: [
        { stroke: css("--muted"), grid: { stroke: css("--line"), width: 1 }, ticks: { stroke: css("--line") } },
        {
          stroke: css("--muted"), grid: { stroke: css("--line"), width: 1 }, ticks: { stroke: css("--line") },
          size: 56, label: "queries/min", labelSize: 18,
          values: (u, vals) => vals.map((v) => nf1.format(v)),
        },
      ],
      series: [
        { label: "Time", value: (u, v) => (v === null ? "–" : timeFormat.format(new Date(v * 1000))) },
        {
          label, stroke: css("--accent"), fill: css("--accent-soft"), width: 2, points: { show: false },
          value: (u, v) => (v === null ? "–" : plural(v, "query", "queries") + "/min"),
          paths: uPlot.paths && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
        },
      ],
    };
    const chart = new uPlot(opts, [xs, activity.queries], box);
    chart.box = box;
    charts.add(chart);
  }

  function resizeCharts() {
    for (const c of charts) {
      if (!document.body.contains(c.root)) { charts.delete(c); continue; }
      const w = Math.max(260, c.box.clientWidth);
      c.setSize({ width: w, height: w < 500 ? 180 : 240 });
    }
  }
  let resizeTimer = 0;
  window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(resizeCharts, 150); });

  // ---- routing -----------------------------------------------------------------------------------------------------

  let generation = 0; // a view whose generation is not current anymore stops rendering and polling
  let timers = [];

  function route() {
    generation++;
    timers.forEach(clearInterval);
    timers = [];
    charts.clear();
    const hash = location.hash.replace(/^#\/?/, "");
    const [path, qs] = hash.split("?");
    const parts = path.split("/").filter((p) => p !== "").map(decodeURIComponent);
    const params = Object.fromEntries(new URLSearchParams(qs || ""));
    const views = { "": overview, devices: parts.length > 1 ? device : devices, domains: parts.length > 1 ? domain : domains,
      queries: queryLog, tunnels, traffic };
    const view = views[parts[0] || ""] || notFound;
    const section = parts[0] || "overview";
    document.querySelectorAll("nav a").forEach((a) => {
      if (a.dataset.section === section) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    main.replaceChildren(h("p", { class: "muted", "aria-live": "polite" }, "Loading…"));
    const g = generation;
    view(parts.slice(1), params, g).catch((e) => {
      if (g === generation) main.replaceChildren(h("h1", null, "routerlog"), failed(e));
    });
  }

  function current(g) { return g === generation; }

  function show(g, title, ...content) {
    if (!current(g)) return false;
    document.title = title + " – routerlog";
    main.replaceChildren(h("h1", null, title));
    append(main, content);
    return true;
  }

  async function notFound(parts, params, g) {
    show(g, "Not found", empty("There is no such page. ", h("a", { href: "#/" }, "Back to the overview")));
  }

  // ---- overview ----------------------------------------------------------------------------------------------------

  function setupHelp() {
    const host = location.hostname || "ROUTERLOG_HOST";
    return h("section", { class: "help" },
      h("h2", null, "No queries yet: point the router's log_ip here"),
      h("p", null, "On an OpenWrt router, send the system log to this host and let dnsmasq log every query:"),
      h("pre", null, "uci set system.@system[0].log_ip='" + host + "'\n" +
        "uci set system.@system[0].log_port='5514'\n" +
        "uci set system.@system[0].log_proto='tcp'\n" +
        "uci commit system; /etc/init.d/log restart\n" +
        "uci set dhcp.@dnsmasq[0].logqueries='1'\n" +
        "uci commit dhcp; /etc/init.d/dnsmasq restart"),
      h("p", null, "Use the port routerlog listens on (--syslog-port, 5514 unless set otherwise). See \u201cOpenWrt setup\u201d " +
        "and \u201cTroubleshooting\u201d in routerlog's README; queries show here within seconds."));
  }

  function outcomeSplit(outcomes) {
    const groups = OUTCOMES.map((o) => ({ ...o, n: o.of.reduce((a, k) => a + (outcomes[k] || 0), 0) }))
      .filter((o) => o.n > 0 || o.key !== "local");
    const total = groups.reduce((a, o) => a + o.n, 0);
    if (total === 0) {
      return empty("No replies counted yet. routerlog counts outcomes from dnsmasq's reply lines (log-queries=extra, " +
        "which OpenWrt's logqueries option writes).");
    }
    const bar = h("div", { class: "split", role: "img", "aria-label": groups.map((o) => o.label + " " + pf.format(o.n / total)).join(", ") });
    for (const o of groups) {
      if (o.n === 0) continue;
      const d = h("div", { class: "o-" + o.key, title: o.label + ": " + num(o.n) });
      d.style.width = (100 * o.n / total) + "%";
      bar.append(d);
    }
    return [bar, h("ul", { class: "legend" }, groups.map((o) =>
      h("li", { "data-outcome": o.key }, h("span", { class: "swatch o-" + o.key }), h("span", null, o.label),
        h("strong", { class: "count" }, num(o.n)), h("span", { class: "muted" }, pf.format(o.n / total)))))];
  }

  function topDomainsTable(items, what) {
    if (items.length === 0) return empty(what);
    const max = items[0].queries;
    return table([
      { title: "Domain", name: true, cell: (d) => domainLink(d.domain) },
      { title: "Queries", num: true, cell: (d) => barCell(d.queries, max) },
      { title: "Devices", num: true, narrow: true, cell: (d) => num(d.clients) },
    ], items);
  }

  function topClientsTable(items) {
    if (items.length === 0) return empty("No devices yet.");
    const max = items[0].queries;
    return table([
      { title: "Device", name: true, cell: (c) => deviceLink(c.client, c.router, deviceName(c)) },
      { title: "Router", narrow: true, cell: (c) => c.router },
      { title: "Queries", num: true, cell: (c) => barCell(c.queries, max) },
      { title: "Domains", num: true, narrow: true, cell: (c) => num(c.domains) },
    ], items);
  }

  async function overview(parts, params, g) {
    // the summary and both top lists come from one pass over the stored counts
    const [top, activity, blocked, nx, tunnelsAnswer, suspects, cluster] = await Promise.all([
      api("overview", { limit: 10 }),
      api("activity", { minutes: 180 }),
      api("top/domains", { limit: 10, outcome: "blocked" }),
      api("top/domains", { limit: 10, outcome: "nxdomain" }),
      api("dnstt/sessions"),
      api("suspects"),
      api("cluster"),
    ]);
    const summary = top.summary;
    const domains = { items: top.domains };
    const clients = { items: top.clients };
    const rate = summary.queryRate && summary.queryRate.perSecond !== null ? summary.queryRate.perSecond : null;
    const cards = h("div", { class: "cards" },
      card("queries", num(summary.queries), "queries stored"),
      card("rate", rate === null ? "–" : nf1.format(rate * 60), "queries/min, last minute"),
      card("clients", num(summary.clients), summary.clients === 1 ? "device" : "devices"),
      card("blocked", num(summary.outcomes.blocked || 0), "blocked replies"),
      card("members", num(summary.members), summary.members === 1 ? "node" : "nodes in the cluster"));
    const chartBox = h("div", { class: "chart", id: "activity-chart" });
    // a suspect comes first, across the page; without one the panel says so in its place
    const flagged = suspects.items.length > 0;
    const suspectsPanel = h("section", { class: flagged ? "panel wide flagged" : "panel", id: "suspects" },
      h("h2", null, "Tunnel suspects"), suspectsTable(suspects.items));
    const grid = h("div", { class: "grid" },
      flagged ? suspectsPanel : null,
      h("section", { class: "panel wide" }, h("h2", null, "Queries per minute ", h("small", null, "last 3 hours")), chartBox),
      panel("Outcomes", outcomeSplit(summary.outcomes)),
      panel("Top domains", topDomainsTable(domains.items, "No queries yet.")),
      panel("Top devices", topClientsTable(clients.items)),
      panel("Top blocked", topDomainsTable(blocked.items, "Nothing blocked. Blocked replies come from dnsmasq's block " +
        "lists (address=/name/0.0.0.0, adblock).")),
      panel("Top NXDOMAIN", topDomainsTable(nx.items, "No name that does not exist was asked for.")),
      flagged ? null : suspectsPanel,
      panel("DNSTT tunnels", tunnelsSummary(tunnelsAnswer.items)),
      panel("Cluster", clusterInfo(cluster)));
    if (!show(g, "Overview", summary.queries === 0 ? setupHelp() : null, cards, grid)) return;
    document.title = "routerlog";
    activityChart(chartBox, activity, "All devices");
    // how long the whole overview took to show, for whoever measures it (the browser tests do)
    if (performance.mark) performance.mark("routerlog-overview");
  }

  function card(id, value, label) {
    return h("div", { class: "card", id: "card-" + id }, h("div", { class: "value" }, value), h("div", { class: "label" }, label));
  }

  function suspectsTable(items) {
    if (!items || items.length === 0) {
      return empty("No tunnel suspects: no domain looks like it carries data in its names.");
    }
    return table([
      { title: "Domain", name: true, cell: (s) => domainLink(s.domain) },
      { title: "Devices", cell: (s) => (s.clients || []).map((c, i) => [i ? ", " : "", deviceLink(c)]) },
      { title: "Score", num: true, cell: (s) => nf1.format(s.score) },
      { title: "Why", cell: (s) => h("div", { class: "tags" }, (s.reasons || []).map((r) => h("span", { class: "tag" }, r))) },
      { title: "Queries", num: true, narrow: true, cell: (s) => num(s.queries) },
      { title: "Data", num: true, narrow: true, cell: (s) => bytes(s.bytes) },
      { title: "Last seen", narrow: true, cell: (s) => time(s.last_seen || s.lastSeen) },
    ], items);
  }

  function tunnelsSummary(items) {
    if (items.length === 0) {
      return empty("No DNSTT domains are watched. Start routerlog with --dnstt-domain t.example.com to follow a tunnel's sessions.");
    }
    const active = items.reduce((a, t) => a + t.active, 0);
    return [h("p", null, plural(active, "active session", "active sessions"), " in ", plural(new Set(items.map((t) => t.domain)).size, "tunnel", "tunnels"),
      ". ", h("a", { href: "#/tunnels" }, "All tunnels")), table([
      { title: "Domain", name: true, cell: (t) => t.domain },
      { title: "Active", num: true, cell: (t) => num(t.active) },
      { title: "Queries", num: true, cell: (t) => num(t.queries) },
      { title: "In", num: true, narrow: true, cell: (t) => bytes(t.bytesIn) },
    ], items.slice(0, 5))];
  }

  function clusterInfo(c) {
    const drops = Object.entries(c.drops || {});
    return [
      table([
        { title: "Member", cell: (m) => [m.address, m.local ? h("span", { class: "muted" }, " (this node)") : null] },
        { title: "Role", cell: (m) => (m.ingest ? "ingest" : "receives syslog") },
        { title: "Health", cell: () => [h("span", { class: "live" }), "up"] },
      ], c.members),
      h("p", { class: "muted" }, "This node last wrote its counts ", c.lastFlush ? time(c.lastFlush) : "never", c.flushFailures ?
        "; " + plural(c.flushFailures, "write failed", "writes failed") : "", "."),
      drops.length === 0 ? h("p", { class: "muted" }, "This node dropped no messages.") :
        [h("h2", null, "Dropped messages ", h("small", null, "this node, since it started")), table([
          { title: "Reason", cell: (d) => d[0].replace(/_/g, " ") },
          { title: "Messages", num: true, cell: (d) => num(d[1]) },
        ], drops.sort((a, b) => b[1] - a[1]))],
    ];
  }

  // ---- devices -----------------------------------------------------------------------------------------------------

  const DEVICE_LIMIT = 1000;

  async function devices(parts, params, g) {
    const answer = await api("top/clients", { limit: DEVICE_LIMIT });
    const all = answer.items;
    const search = h("input", { type: "search", id: "device-search", placeholder: "name, address, MAC or router", value: params.q || "",
      "aria-label": "Search devices" });
    const box = h("section", { class: "panel" });
    const render = () => {
      const q = search.value.trim().toLowerCase();
      const items = q === "" ? all : all.filter((c) =>
        [c.client, c.hostname, c.mac, c.router].some((v) => v && v.toLowerCase().includes(q)));
      const max = items.length ? items[0].queries : 0;
      box.replaceChildren(
        h("p", { class: "muted" }, all.length === 0 ? "" : plural(items.length, "device", "devices") +
          (q ? " match" : "") + (all.length === DEVICE_LIMIT ? " (of the " + num(DEVICE_LIMIT) + " busiest)" : "") + "."),
        all.length === 0 ? empty("No devices yet: once the router sends its query log, every device that asks a name shows here.") :
          table([
            { title: "Device", name: true, cell: (c) => deviceLink(c.client, c.router, deviceName(c)) },
            { title: "Address", name: true, cell: (c) => c.client },
            { title: "MAC", narrow: true, cell: (c) => c.mac || "–" },
            { title: "Router", narrow: true, cell: (c) => c.router },
            { title: "Queries", num: true, cell: (c) => barCell(c.queries, max) },
            { title: "Domains", num: true, narrow: true, cell: (c) => num(c.domains) },
            { title: "Last seen", cell: (c) => time(c.lastSeen) },
          ], items));
    };
    search.addEventListener("input", () => {
      render();
      history.replaceState(null, "", href(["devices"], { q: search.value.trim() }));
    });
    render();
    if (show(g, "Devices", h("form", { class: "filters", role: "search", onsubmit: (e) => e.preventDefault() },
      h("label", null, "Search", search)), box) && params.q) search.focus();
  }

  async function device(parts, params, g) {
    const client = parts[0];
    const router = params.router || "";
    let detail;
    try {
      detail = await api("clients/" + encodeURIComponent(client), { router, limit: 50 });
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) {
        show(g, client, empty("No queries from this device are stored (any more). Counts are kept for routerlog's --retention " +
          "after a device's last query. ", h("a", { href: "#/devices" }, "All devices")));
        return;
      }
      throw e;
    }
    const [activity, recent] = await Promise.all([
      api("activity", { minutes: 180, client, router: detail.router }),
      api("queries", { client, router: detail.router, limit: 25 }),
    ]);
    const name = detail.hostname || client;
    const chartBox = h("div", { class: "chart", id: "device-chart" });
    const facts = h("dl", { class: "facts" },
      h("dt", null, "Address"), h("dd", null, client),
      h("dt", null, "Hostname"), h("dd", null, detail.hostname || "– (no DHCP lease seen)"),
      h("dt", null, "MAC"), h("dd", null, detail.mac || "–"),
      h("dt", null, "Router"), h("dd", null, detail.router,
        detail.routers.length > 1 ? [" (also on ", detail.routers.filter((r) => r !== detail.router).map((r, i) =>
          [i ? ", " : "", h("a", { href: href(["devices", client], { router: r }) }, r)]), ")"] : null),
      h("dt", null, "Queries"), h("dd", { id: "device-queries" }, num(detail.queries)),
      h("dt", null, "Domains"), h("dd", null, num(detail.domainCount)),
      h("dt", null, "First seen"), h("dd", null, clockTime(detail.firstSeen)),
      h("dt", null, "Last seen"), h("dd", null, time(detail.lastSeen)));
    const max = detail.domains.length ? detail.domains[0].queries : 0;
    const qtypes = Object.entries(detail.qtypes);
    const outcomes = Object.entries(detail.outcomes);
    const grid = h("div", { class: "grid" },
      panel("Device", facts),
      panel(["Queries per minute ", h("small", null, "last 3 hours")], chartBox),
      panel(["Domains ", h("small", null, detail.domainCount > detail.domains.length ? "the " + num(detail.domains.length) + " most asked of " + num(detail.domainCount) : "")],
        detail.domains.length === 0 ? empty("None.") : table([
          { title: "Domain", name: true, cell: (d) => domainLink(d.domain) },
          { title: "Queries", num: true, cell: (d) => barCell(d.queries, max) },
        ], detail.domains)),
      panel("Query types", qtypes.length === 0 ? empty("None.") : table([
        { title: "Type", cell: (e) => h("a", { href: href(["queries"], { client, router: detail.router, qtype: e[0] }) }, e[0]) },
        { title: "Queries", num: true, cell: (e) => barCell(e[1], qtypes[0][1]) },
      ], qtypes)),
      panel("Outcomes", outcomes.length === 0 ? empty("No reply named this device. dnsmasq names the client in reply lines " +
        "only with log-queries=extra (OpenWrt's logqueries option).") : table([
        { title: "Outcome", cell: (e) => e[0] },
        { title: "Replies", num: true, cell: (e) => barCell(e[1], outcomes[0][1]) },
      ], outcomes)),
      h("section", { class: "panel wide" }, h("h2", null, "Recent queries ",
        h("small", null, h("a", { href: href(["queries"], { client, router: detail.router }) }, "all in the query log"))),
        queryTable(recent.items, "No queries of this device in the query log.", ["device", "router"])));
    if (!show(g, name, grid)) return;
    activityChart(chartBox, activity, name);
  }

  // ---- domains -----------------------------------------------------------------------------------------------------

  async function domains(parts, params, g) {
    const top = await api("top/domains", { limit: 100 });
    const input = h("input", { type: "search", id: "domain-search", placeholder: "example.com", "aria-label": "Domain" });
    const form = h("form", { class: "filters", role: "search", onsubmit: (e) => {
      e.preventDefault();
      const d = input.value.trim().toLowerCase().replace(/\.$/, "");
      if (d) location.hash = href(["domains", d]);
    } }, h("label", null, "Look up a domain", input), h("button", { type: "submit" }, "Show"));
    show(g, "Domains", form, panel("The 100 most asked domains", topDomainsTable(top.items, "No queries yet.")));
  }

  async function domain(parts, params, g) {
    const name = parts[0];
    const [clients, recent, blocked] = await Promise.all([
      api("top/clients", { domain: name, limit: 100 }),
      api("queries", { domain: name, limit: 25 }),
      api("top/domains", { outcome: "blocked", limit: 1000 }),
      deviceNames(),
    ]);
    const total = clients.items.reduce((a, c) => a + c.queries, 0);
    const isBlocked = blocked.items.find((d) => d.domain === name);
    const max = clients.items.length ? clients.items[0].queries : 0;
    show(g, name,
      h("div", { class: "cards" },
        card("domain-queries", num(total), "queries"),
        card("domain-devices", num(clients.items.length), clients.items.length === 1 ? "device" : "devices"),
        isBlocked ? card("domain-blocked", num(isBlocked.queries), "blocked replies") : null),
      h("div", { class: "grid" },
        panel("Devices asking for it", clients.items.length === 0 ? empty("No stored query for this name. Names are stored " +
          "in lower case without the final dot; DNSTT names are folded into their tunnel domain.") : table([
          { title: "Device", name: true, cell: (c) => deviceLink(c.client, c.router, deviceName(c)) },
          { title: "Router", narrow: true, cell: (c) => c.router },
          { title: "Queries", num: true, cell: (c) => barCell(c.queries, max) },
          { title: "Last seen", narrow: true, cell: (c) => time(c.lastSeen) },
        ], clients.items)),
        panel(["Recent queries ", h("small", null, h("a", { href: href(["queries"], { domain: name }) }, "all in the query log"))],
          queryTable(recent.items, "No query for this name in the query log.", ["domain"]))));
  }

  // ---- query log ---------------------------------------------------------------------------------------------------

  // the query log's columns; a device's or a domain's page leaves out the one that is the same in every row
  const QUERY_COLUMNS = [
    { key: "time", title: "Time", num: true, cell: (q) => clockTime(q.time) },
    { key: "device", title: "Device", name: true, cell: (q) => deviceLink(q.client, q.router, nameOf(q.client, q.router)) },
    { key: "domain", title: "Domain", name: true, cell: (q) => domainLink(q.domain) },
    { key: "qtype", title: "Type", cell: (q) => q.qtype },
    { key: "router", title: "Router", narrow: true, cell: (q) => q.router },
  ];

  function queryColumns(without) { return QUERY_COLUMNS.filter((c) => !(without || []).includes(c.key)); }

  function queryRow(q, columns) {
    return h("tr", null, (columns || QUERY_COLUMNS).map((c) => h("td", { class: cls(c) }, c.cell(q))));
  }

  function queryHead(columns) {
    return h("thead", null, h("tr", null, (columns || QUERY_COLUMNS).map((c) => h("th", { scope: "col", class: cls(c) }, c.title))));
  }

  function queryTable(items, none, without) {
    if (items.length === 0) return empty(none);
    const columns = queryColumns(without);
    return h("div", { class: "scroll" }, h("table", null, queryHead(columns), h("tbody", null, items.map((q) => queryRow(q, columns)))));
  }

  const LOG_PAGE = 100;
  const LOG_SHOWN = 1000;

  async function queryLog(parts, params, g) {
    const filter = { client: params.client || "", domain: params.domain || "", qtype: params.qtype || "", router: params.router || "" };
    const [first] = await Promise.all([api("queries", { ...filter, limit: LOG_PAGE }), deviceNames()]);
    const field = (name, label, placeholder) => h("label", null, label,
      h("input", { type: "text", name, value: filter[name], placeholder, autocomplete: "off", id: "filter-" + name }));
    const live = h("input", { type: "checkbox", id: "live", checked: params.live !== "0" });
    const form = h("form", { class: "filters", role: "search", onsubmit: (e) => {
      e.preventDefault();
      const f = new FormData(form);
      location.hash = href(["queries"], { client: f.get("client").trim(), domain: f.get("domain").trim(),
        qtype: f.get("qtype").trim().toUpperCase(), router: f.get("router").trim(), live: live.checked ? "" : "0" });
    } },
      field("client", "Device address", "192.168.1.7"),
      field("domain", "Domain contains", "example"),
      field("qtype", "Type", "AAAA"),
      field("router", "Router", "OpenWrt"),
      h("button", { type: "submit" }, "Filter"),
      h("button", { type: "button", class: "secondary", onclick: () => { location.hash = "#/queries"; } }, "Clear"),
      h("label", { class: "inline" }, live, "Live"));
    const tbody = h("tbody", { id: "log-rows" }, first.items.map((q) => queryRow(q)));
    const status = h("span", { class: "status", "aria-live": "polite" });
    let next = first.next;
    let newest = first.newest;
    const older = h("button", { type: "button", class: "secondary", id: "older", onclick: async () => {
      if (!next) return;
      older.disabled = true;
      try {
        const page = await api("queries", { ...filter, limit: LOG_PAGE, before: next });
        if (!current(g)) return;
        page.items.forEach((q) => tbody.append(queryRow(q)));
        next = page.next;
      } catch (e) { status.textContent = e.message; }
      older.disabled = !next;
      older.textContent = next ? "Older queries" : "No older queries";
    } }, next ? "Older queries" : "No older queries");
    older.disabled = !next;
    const tableBox = first.items.length === 0 && !newest ?
      empty(Object.values(filter).some((v) => v) ? "No query in the log matches. The domain filter matches a part of the name; " +
        "the device is its exact address." : "The query log is empty: no queries yet, or the node runs with --query-log-size 0.") :
      h("div", { class: "scroll" }, h("table", { id: "log" }, queryHead(), tbody));
    const poll = async () => {
      if (!live.checked || !newest || document.hidden) return;
      try {
        const page = await api("queries", { ...filter, limit: LOG_PAGE, after: newest });
        if (!current(g)) return;
        newest = page.newest || newest;
        for (let i = page.items.length - 1; i >= 0; i--) tbody.prepend(queryRow(page.items[i]));
        while (tbody.children.length > LOG_SHOWN) { tbody.lastChild.remove(); next = null; older.disabled = true; }
        status.textContent = page.items.length ? plural(page.items.length, "new query", "new queries") : "";
      } catch (e) { status.textContent = e.message; }
    };
    if (!show(g, "Query log", form, h("section", { class: "panel" },
      h("h2", null, "Newest first ", h("small", null, "updates every 3 seconds while Live is on"), status), tableBox, h("p", null, older)))) return;
    timers.push(setInterval(poll, 3000));
    if (first.items.length === 0 && !newest) {
      // an empty log has no cursor: look again from the start until the first query arrives
      timers.push(setInterval(async () => {
        if (!live.checked) return;
        const again = await api("queries", { ...filter, limit: 1 }).catch(() => null);
        if (again && again.items.length && current(g)) route();
      }, 3000));
    }
  }

  // ---- tunnels and traffic -----------------------------------------------------------------------------------------

  async function tunnels(parts, params, g) {
    const [answer, recent, suspects] = await Promise.all([
      api("dnstt/sessions"),
      optional("dnstt/sessions/recent", { limit: 100 }, { items: [] }),
      api("suspects"),
    ]);
    const items = answer.items;
    const sessions = recent.items;
    show(g, "Tunnels",
      h("div", { class: "grid" },
        h("section", { class: "panel wide" }, h("h2", null, "DNSTT sessions ", h("small", null, "per tunnel domain, resolver country and AS")),
          items.length === 0 ? empty("No DNSTT domains are watched. Start routerlog with --dnstt-domain DOMAIN (repeatable) " +
            "for each tunnel you run; add --geoip-country-db and --geoip-asn-db to see where resolvers are.") : table([
            { title: "Domain", name: true, cell: (t) => t.domain },
            { title: "Country", cell: (t) => t.country || "–" },
            { title: "AS", cell: (t) => (t.asn === null ? "–" : "AS" + t.asn) },
            { title: "Active", num: true, cell: (t) => num(t.active) },
            { title: "Peak", num: true, narrow: true, cell: (t) => num(t.peak) },
            { title: "Sessions", num: true, cell: (t) => num(t.sessions) },
            { title: "Queries", num: true, cell: (t) => num(t.queries) },
            { title: "Bytes in", num: true, cell: (t) => bytes(t.bytesIn) },
            { title: "Bytes out", num: true, narrow: true, cell: (t) => bytes(t.bytesOut) },
            { title: "Invalid", num: true, narrow: true, cell: (t) => num(t.invalid) },
          ], items)),
        h("section", { class: "panel wide" }, h("h2", null, "Sessions ", h("small", null, "the 100 seen last")),
          sessions.length === 0 ? empty(items.length === 0 ? "No tunnel is watched." : "No session yet: a DNSTT client's " +
            "queries through the router start one.") : table([
            { title: "Domain", name: true, cell: (t) => t.domain },
            { title: "Session", cell: (t) => h("code", null, t.session) },
            { title: "Resolver", cell: (t) => [t.country, t.asn === null ? null : "AS" + t.asn].filter((v) => v).join(", ") || "–" },
            { title: "State", cell: (t) => (t.active ? [h("span", { class: "live" }), "active"] : "idle") },
            { title: "Queries", num: true, cell: (t) => num(t.queries) },
            { title: "Bytes in", num: true, cell: (t) => bytes(t.bytesIn) },
            { title: "First seen", narrow: true, cell: (t) => clockTime(t.firstSeen) },
            { title: "Last seen", cell: (t) => time(t.lastSeen) },
          ], sessions)),
        h("section", { class: "panel wide" }, h("h2", null, "Tunnel suspects"), suspectsTable(suspects.items))));
  }

  async function traffic(parts, params, g) {
    const [firewall, http] = await Promise.all([
      optional("top/firewall", { limit: 20 }, null),
      optional("top/http", { limit: 20 }, null),
    ]);
    const fw = firewall === null ? empty("This node does not serve firewall counts.") : firewall.items.length === 0 ?
      empty("No firewall log lines yet. Add a LOG target to the firewall rules you want to watch (OpenWrt: option log '1' " +
        "on a rule or zone); the kernel lines then come with the system log.") : table([
        { title: "Source", name: true, cell: (f) => f.src },
        { title: "Destination", name: true, cell: (f) => f.dst },
        { title: "Protocol", cell: (f) => f.proto },
        { title: "Port", num: true, cell: (f) => f.dport || "–" },
        { title: "Rule", narrow: true, cell: (f) => f.prefix },
        { title: "Packets", num: true, cell: (f) => barCell(f.packets, firewall.items[0].packets) },
      ], firewall.items);
    const hp = http === null ? empty("This node does not serve HTTP counts.") : http.items.length === 0 ?
      empty("No HAProxy log lines yet. Point HAProxy's log directive at routerlog's syslog port.") : table([
        { title: "Client", name: true, cell: (r) => r.client },
        { title: "Frontend", cell: (r) => r.frontend },
        { title: "Backend", narrow: true, cell: (r) => r.backend },
        { title: "Status", num: true, cell: (r) => r.status },
        { title: "Requests", num: true, cell: (r) => barCell(r.requests, http.items[0].requests) },
      ], http.items);
    show(g, "Traffic", h("div", { class: "grid" },
      h("section", { class: "panel wide" }, h("h2", null, "Firewall top talkers ", h("small", null, "packets logged by LOG rules")), fw),
      h("section", { class: "panel wide" }, h("h2", null, "HAProxy top talkers ", h("small", null, "requests")), hp)));
  }

  // ---- start -------------------------------------------------------------------------------------------------------

  document.getElementById("tz").textContent = Intl.DateTimeFormat().resolvedOptions().timeZone || "local";
  window.addEventListener("hashchange", () => { route(); main.focus({ preventScroll: true }); });
  const scheme = window.matchMedia("(prefers-color-scheme: dark)");
  if (scheme.addEventListener) scheme.addEventListener("change", route); // charts take their colours when drawn
  route();
})();
