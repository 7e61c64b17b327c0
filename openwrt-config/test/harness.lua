-- Runs routerlog.lua as prometheus-node-exporter-lua runs a collector, off the router, and prints what it exports.
--
--   lua5.1 harness.lua [--url URL] [--timeout SECONDS] [--max-bytes N] [--collector FILE]...
--
-- --url, --timeout and --max-bytes stand for the collector's ROUTERLOG_URL, ROUTERLOG_TIMEOUT and
-- ROUTERLOG_MAX_BYTES environment variables (which also work as they are). --collector may be given several
-- times; without it, the routerlog.lua beside this directory is run.
--
-- Like the exporter, it defines the globals collectors use (output, print_metric, metric, plus socket,
-- space_split and get_contents), loads the collector as module "prometheus-collectors.routerlog" (the exporter
-- requires each file of /usr/lib/lua/prometheus-collectors/), and calls each scrape() inside pcall, in the order
-- given. The exporter's
-- metric(name, type, labels, value) prints "# TYPE name type" each time it is called, prints the sample
-- "name{labels} value" when a value is given, and returns function(labels, value) printing further samples;
-- label values are printed as given, without escaping. One difference: labels are printed with their names
-- sorted (the exporter uses pairs() order), so the output is stable.
--
-- Exit status: 0 when every scrape() returned, 1 when one raised an error (printed on stderr; the exporter would
-- report node_scrape_collector_success 0 for it and go on with the others, as this harness does) or a collector
-- could not be loaded, 2 for bad arguments.

local overrides = {}
local collectors = {}
local i = 1
while i <= #arg do
  local a, v = arg[i], arg[i + 1]
  if a == "--url" and v then
    overrides.ROUTERLOG_URL = v
  elseif a == "--timeout" and v then
    overrides.ROUTERLOG_TIMEOUT = v
  elseif a == "--max-bytes" and v then
    overrides.ROUTERLOG_MAX_BYTES = v
  elseif a == "--collector" and v then
    collectors[#collectors + 1] = v
  else
    io.stderr:write("usage: lua5.1 harness.lua [--url URL] [--timeout SECONDS] [--max-bytes N] [--collector FILE]\n")
    os.exit(2)
  end
  i = i + 2
end
if #collectors == 0 then
  local dir = arg[0]:match("^(.*)/[^/]*$") or "."
  collectors[1] = dir .. "/../routerlog.lua"
end

local getenv = os.getenv
os.getenv = function(name)
  if overrides[name] ~= nil then
    return overrides[name]
  end
  return getenv(name)
end

-- ---- the exporter's globals -------------------------------------------------------------------------------------

socket = require("socket")

function space_split(s)
  local elements = {}
  for element in s:gmatch("%S+") do
    elements[#elements + 1] = element
  end
  return elements
end

function get_contents(filename)
  local f = io.open(filename, "rb")
  local contents = ""
  if f then
    contents = f:read("*a")
    f:close()
  end
  return contents
end

output = function(str)
  io.stdout:write(str, "\n")
end

function print_metric(name, labels, value)
  local label_string = ""
  if labels then
    local names = {}
    for label in pairs(labels) do
      names[#names + 1] = label
    end
    table.sort(names)
    local parts = {}
    for _, label in ipairs(names) do
      parts[#parts + 1] = label .. '="' .. labels[label] .. '"'
    end
    label_string = "{" .. table.concat(parts, ",") .. "}"
  end
  output(string.format("%s%s %s", name, label_string, value))
end

function metric(name, mtype, labels, value)
  output("# TYPE " .. name .. " " .. mtype)
  local outputter = function(labels, value)
    print_metric(name, labels, value)
  end
  if value then
    outputter(labels, value)
  end
  return outputter
end

-- ---- load and scrape --------------------------------------------------------------------------------------------

local status = 0
for _, file in ipairs(collectors) do
  local name = "prometheus-collectors." .. (file:match("([^/]+)%.lua$") or file)
  package.preload[name] = function()
    return dofile(file)
  end
  local loaded, mod = pcall(require, name)
  if not loaded then
    io.stderr:write("harness: loading ", file, " failed: ", tostring(mod), "\n")
    status = 1
  elseif type(mod) ~= "table" or type(mod.scrape) ~= "function" then
    io.stderr:write("harness: ", file, " does not return { scrape = function }\n")
    status = 1
  else
    local ok, err = pcall(mod.scrape)
    if not ok then
      io.stderr:write("harness: scrape() of ", file, " raised an error: ", tostring(err), "\n")
      status = 1
    end
  end
end
io.stdout:flush()
os.exit(status)
