-- wrk script: posts one kind of webhook with preemptive Basic auth, each order with an id of its own (the node
-- stores a repeated order id once, so a fixed body would measure deduplication, not intake).
--   wrk -t2 -c32 -d30s -s bench/wrk/webhook.lua http://localhost:8080/webhooks/bandwidth -- orders
-- Kinds: orders, events, baseline (an order body posted to the bare endpoint /bench/baseline), portout-nopin (a
-- port-out for a subscriber with no PIN on file: rules, audit and publish without a bcrypt check).
-- Credentials: WEBHOOK_USERNAME / WEBHOOK_PASSWORD, as the node reads them (bench/node.sh: bandwidth / bench).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  kind = args[1] or "orders"
  local user = os.getenv("WEBHOOK_USERNAME") or "bandwidth"
  local pass = os.getenv("WEBHOOK_PASSWORD") or "bench"
  wrk.headers["Content-Type"] = "application/xml"
  wrk.headers["Authorization"] = "Basic " .. base64(user .. ":" .. pass)
  if kind == "baseline" then wrk.path = "/bench/baseline" end
end

function request()
  counter = counter + 1
  local body
  if kind == "portout-nopin" then
    -- one of bench/subscribers.sh's subscribers with no PIN on file, a PON of its own each time (the
    -- node answers a repeated request from its memory of the first)
    local n = counter % (tonumber(os.getenv("SUBSCRIBERS")) or 500) + 1
    body = string.format([[<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<PortOutValidationRequest>
  <PON>wrk-%d-%d-%d</PON>
  <Pin>000000</Pin>
  <AccountNumber>ACCT-N%04d</AccountNumber>
  <ZipCode>27606</ZipCode>
  <TelephoneNumbers>
    <TelephoneNumber>+1919557%04d</TelephoneNumber>
  </TelephoneNumbers>
</PortOutValidationRequest>
]], os.time(), tid, counter, n, n)
    return wrk.format("POST", "/webhooks/bandwidth/portout-validation", nil, body)
  elseif kind == "events" then
    body = string.format([[<?xml version="1.0"?>
<Notification>
  <EventType>%s</EventType>
  <CompletedTelephoneNumbers>
    <TelephoneNumber>+1984555%04d</TelephoneNumber>
  </CompletedTelephoneNumbers>
  <SubscriptionId>8f9e0d1c-2b3a-4c5d-9e6f-7a8b9c0d1e2f</SubscriptionId>
  <Message>bench %d-%d</Message>
</Notification>
]], counter % 3 == 0 and "MESSAGING_LOST" or "NUMBER_DISCONNECTED", counter % 10000, tid, counter)
  else
    body = string.format([[<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Notification>
  <SubscriptionId>0d2c1f86-5b3e-4a8e-9c41-7f0e2b1a9d33</SubscriptionId>
  <OrderType>portins</OrderType>
  <OrderId>wrk-%d-%d-%d</OrderId>
  <CustomerOrderId>bench-%d</CustomerOrderId>
  <Status>COMPLETE</Status>
  <LastModifiedDate>2026-11-27T07:00:00.000Z</LastModifiedDate>
  <CompletedTelephoneNumbers>
    <TelephoneNumber>9195550%03d</TelephoneNumber>
    <TelephoneNumber>9195551%03d</TelephoneNumber>
    <TelephoneNumber>9195552%03d</TelephoneNumber>
  </CompletedTelephoneNumbers>
</Notification>
]], os.time(), tid, counter, counter, counter % 1000, counter % 1000, counter % 1000)
  end
  return wrk.format("POST", nil, nil, body)
end

function base64(data)
  local b = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  return ((data:gsub(".", function(x)
    local r, byte = "", x:byte()
    for i = 8, 1, -1 do r = r .. (byte % 2 ^ i - byte % 2 ^ (i - 1) > 0 and "1" or "0") end
    return r
  end) .. "0000"):gsub("%d%d?%d?%d?%d?%d?", function(x)
    if #x < 6 then return "" end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return b:sub(c + 1, c + 1)
  end) .. ({ "", "==", "=" })[#data % 3 + 1])
end

function done(summary, latency, requests)
  local statuses = summary.errors.status
  io.write(string.format("%d requests, %.0f/s, non-2xx %d, socket errors %d, p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, summary.requests / (summary.duration / 1e6), statuses,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
