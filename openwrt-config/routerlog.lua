-- routerlog collector for prometheus-node-exporter-lua.
--
-- Install as /usr/lib/lua/prometheus-collectors/routerlog.lua (needs luasocket), then
-- /etc/init.d/prometheus-node-exporter-lua restart. On every scrape it fetches routerlog's /clients.tsv and
-- re-exports it, so a Prometheus that only scrapes the router still gets the per-client, per-domain counts:
--
--   routerlog_dns_queries_total{router,client,domain,qtype}  counter: DNS queries per router, client, domain
--                                                      and query type
--   routerlog_dhcp_lease_info{router,client,mac,hostname}  gauge, always 1: the DHCP identity of a client that
--                                                      has counted queries (mac or hostname may be empty)
--   routerlog_collector_up                             gauge: 1 when this scrape fetched and read routerlog's
--                                                      table, 0 when it did not (alert on it)
--   routerlog_collector_error_info{reason}             gauge, always 1, only while up is 0: why (see below)
--
-- Where routerlog is, first match wins:
--   1. the environment: ROUTERLOG_URL, ROUTERLOG_TIMEOUT (seconds), ROUTERLOG_MAX_BYTES
--   2. UCI, /etc/config/prometheus-node-exporter-lua:
--        uci set prometheus-node-exporter-lua.routerlog=routerlog
--        uci set prometheus-node-exporter-lua.routerlog.url='http://192.168.1.10:9514/clients.tsv'
--      (with several routers sending to one routerlog, add ?router=NAME, this router's log_hostname, to re-export
--      only its own clients)
--        uci set prometheus-node-exporter-lua.routerlog.timeout='2'
--        uci commit prometheus-node-exporter-lua
--   3. the values below.
-- Without a URL the collector prints nothing.
--
-- When routerlog cannot be reached, is too slow, or answers anything but a complete, well-formed table, the
-- collector prints routerlog_collector_up 0 and the reason, none of the table (one bad label value would make
-- Prometheus drop the whole scrape), and raises no error, so the other collectors' metrics are still served.
-- Reasons: unreachable (refused, no route, name not found, connection lost), timeout, too_large, http_<status>
-- (http_404: wrong path, http_401: routerlog wants a password), malformed (not routerlog's table, or cut short),
-- bad_url (not http://HOST...), collector_error (a fault in this file).

local URL = nil                    -- e.g. "http://192.168.1.10:9514/clients.tsv"
local TIMEOUT = 2                  -- seconds: connecting, each read, and the whole transfer
local MAX_BYTES = 8 * 1024 * 1024  -- a longer answer is dropped (routerlog keeps at most --max-pairs lines)

local UCI_SECTION = "prometheus-node-exporter-lua.routerlog"

-- ---- configuration ----------------------------------------------------------------------------------------------

local function uci_get(option)
  local ok, value = pcall(function()
    local p = io.popen("uci -q get " .. UCI_SECTION .. "." .. option .. " 2>/dev/null")
    if not p then
      return nil
    end
    local v = p:read("*l")
    p:close()
    return v
  end)
  if ok and value and value ~= "" then
    return value
  end
  return nil
end

local function setting(env, option, default)
  local v = os.getenv(env)
  if v and v ~= "" then
    return v
  end
  if option then
    v = uci_get(option)
    if v then
      return v
    end
  end
  return default
end

local function positive(v, default)
  v = tonumber(v)
  if v and v > 0 then
    return v
  end
  return default
end

-- ---- fetching ---------------------------------------------------------------------------------------------------

-- The body of a 200 answer, or nil and the reason (see the top of the file).
local function fetch(url, timeout, max_bytes)
  if not url:match("^http://[^/]") then
    return nil, "bad_url"
  end
  local socket = require("socket")
  local http = require("socket.http")
  local chunks, size = {}, 0
  local deadline = socket.gettime() + timeout
  local function sink(chunk)
    if chunk then
      size = size + #chunk
      if size > max_bytes then
        return nil, "answer too large"
      end
      if socket.gettime() > deadline then
        return nil, "answer too slow"
      end
      chunks[#chunks + 1] = chunk
    end
    return 1
  end
  -- socket.http applies its module-wide TIMEOUT to every socket it opens: set it for this request only
  local saved = http.TIMEOUT
  http.TIMEOUT = timeout
  local ok, result, code = pcall(http.request, {
    url = url,
    sink = sink,
    redirect = false,
    headers = { ["accept"] = "text/tab-separated-values" },
  })
  http.TIMEOUT = saved
  if not ok then
    return nil, "collector_error"
  end
  if result ~= 1 then
    -- socket.http returns nil and the error: luasocket's ("timeout", "connection refused", "closed", ...) or the
    -- sink's
    if code == "answer too large" then
      return nil, "too_large"
    elseif code == "timeout" or code == "answer too slow" then
      return nil, "timeout"
    end
    return nil, "unreachable"
  end
  if code ~= 200 then
    return nil, "http_" .. tostring(code)
  end
  return table.concat(chunks)
end

-- ---- parsing ----------------------------------------------------------------------------------------------------

-- %XX escapes (routerlog writes %, tab, CR and LF inside a field as %25, %09, %0D, %0A); nil for a stray %
local function unescape(field)
  if not field:find("%", 1, true) then
    return field
  end
  if field:gsub("%%%x%x", ""):find("%", 1, true) then
    return nil
  end
  return (field:gsub("%%(%x%x)", function(hex)
    return string.char(tonumber(hex, 16))
  end))
end

-- Prometheus rejects a whole scrape over one label value that is not UTF-8
local function valid_utf8(s)
  if not s:find("[\128-\255]") then
    return true
  end
  local i, n = 1, #s
  while i <= n do
    local c = s:byte(i)
    local len, lo, hi = 1, 0x80, 0xBF
    if c < 0x80 then
      len = 0
    elseif c >= 0xC2 and c <= 0xDF then
      len = 1
    elseif c >= 0xE0 and c <= 0xEF then
      len = 2
      if c == 0xE0 then lo = 0xA0 elseif c == 0xED then hi = 0x9F end
    elseif c >= 0xF0 and c <= 0xF4 then
      len = 3
      if c == 0xF0 then lo = 0x90 elseif c == 0xF4 then hi = 0x8F end
    else
      return false
    end
    for k = 1, len do
      local b = s:byte(i + k)
      if not b or b < lo or b > hi then
        return false
      end
      lo, hi = 0x80, 0xBF
    end
    i = i + len + 1
  end
  return true
end

local LINE = "^([^\t]*)\t([^\t]*)\t([^\t]*)\t(%d+)\t([^\t]*)\t([^\t]*)\t([^\t]*)$"
-- routerlog before the router column
local LINE_WITHOUT_ROUTER = "^([^\t]*)\t([^\t]*)\t([^\t]*)\t(%d+)\t([^\t]*)\t([^\t]*)$"

-- The table as { pairs = {...}, leases = {...} }, or nil when any line is not what routerlog writes.
local function parse(body)
  if body ~= "" and body:sub(-1) ~= "\n" then
    return nil -- cut short
  end
  if body:find("\r", 1, true) then
    return nil
  end
  local series, by_key = {}, {}
  local leases, leased = {}, {}
  for line in body:gmatch("([^\n]*)\n") do
    local f = { line:match(LINE) }
    if #f == 0 then
      f = { line:match(LINE_WITHOUT_ROUTER) }
    end
    local n = #f
    if (n ~= 7 and n ~= 6) or #f[4] > 15 then
      return nil
    end
    for k = 1, n do
      f[k] = unescape(f[k])
      if not f[k] or not valid_utf8(f[k]) then
        return nil
      end
    end
    local client, domain, qtype, count, mac, hostname, router =
      f[1], f[2], f[3], tonumber(f[4]), f[5], f[6], f[7]
    if client == "" or qtype == "" then
      return nil
    end
    local who = router and (#router .. ":" .. router .. client) or client
    local key = #who .. ":" .. who .. #domain .. ":" .. domain .. qtype
    local s = by_key[key]
    if s then
      s.count = s.count + count
    else
      s = { router = router, client = client, domain = domain, qtype = qtype, count = count }
      by_key[key] = s
      series[#series + 1] = s
    end
    if (mac ~= "" or hostname ~= "") and not leased[who] then
      leased[who] = true
      leases[#leases + 1] = { router = router, client = client, mac = mac, hostname = hostname }
    end
  end
  return { pairs = series, leases = leases }
end

-- ---- output -----------------------------------------------------------------------------------------------------

-- The exporter prints label values as they are: escape backslash, double quote and newline here.
local ESCAPES = { ["\\"] = "\\\\", ['"'] = '\\"', ["\n"] = "\\n" }

local function esc(s)
  return (s:gsub('[\\"\n]', ESCAPES))
end

-- A function(labels, value) printing samples of one metric. The exporter's metric(name, type) prints the
-- "# TYPE" line on every call and returns such a function, so it is called once per metric name.
local function series_printer(name, mtype, help)
  if type(output) == "function" then
    output("# HELP " .. name .. " " .. help)
  end
  local printer = metric(name, mtype)
  if type(printer) == "function" then
    return printer
  end
  return function(labels, value)
    metric(name, mtype, labels, value)
  end
end

local function emit(t)
  local up = series_printer("routerlog_collector_up", "gauge",
    "1 when this scrape fetched and read routerlog's client table, 0 when not (see routerlog_collector_error_info)")
  if t.error then
    up(nil, 0)
    local info = series_printer("routerlog_collector_error_info", "gauge",
      "Why this scrape could not read routerlog's client table; always 1, only while routerlog_collector_up is 0")
    info({ reason = t.error }, 1)
    return
  end
  up(nil, 1)
  if #t.pairs > 0 then
    local queries = series_printer("routerlog_dns_queries_total", "counter",
      "DNS queries per router, client address, domain and query type, from routerlog")
    for _, s in ipairs(t.pairs) do
      queries({ router = s.router and esc(s.router), client = esc(s.client), domain = esc(s.domain),
        qtype = esc(s.qtype) }, string.format("%.0f", s.count))
    end
  end
  if #t.leases > 0 then
    local lease = series_printer("routerlog_dhcp_lease_info", "gauge",
      "MAC address and DHCP hostname of a client address, from routerlog; always 1")
    for _, l in ipairs(t.leases) do
      lease({ router = l.router and esc(l.router), client = esc(l.client), mac = esc(l.mac),
        hostname = esc(l.hostname) }, 1)
    end
  end
end

local function collect()
  local url = setting("ROUTERLOG_URL", "url", URL)
  if not url or type(metric) ~= "function" then
    return nil
  end
  local timeout = positive(setting("ROUTERLOG_TIMEOUT", "timeout", TIMEOUT), 2)
  local max_bytes = positive(setting("ROUTERLOG_MAX_BYTES", nil, MAX_BYTES), 8 * 1024 * 1024)
  local body, why = fetch(url, timeout, max_bytes)
  if not body then
    return { error = why }
  end
  return parse(body) or { error = "malformed" }
end

local function scrape()
  local ok, t = pcall(collect)
  if not ok then
    t = type(metric) == "function" and { error = "collector_error" } or nil
  end
  if t then
    pcall(emit, t)
  end
end

return { scrape = scrape }
