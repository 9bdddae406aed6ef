import http.client, time, json
def run(port, n):
    c = http.client.HTTPConnection("127.0.0.1", port)
    body = json.dumps({"embedding":[0.1,0.9,0.2],"top_k":3})
    t = time.perf_counter()
    for i in range(n):
        c.request("POST", "/v1/users/bench/memories/search", body, {"Content-Type":"application/json"})
        r = c.getresponse(); r.read()
        c.request("GET", "/v1/users/bench/stats")
        r = c.getresponse(); r.read()
    return time.perf_counter() - t
for port in (5391, 5392):
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request("POST", "/v1/users/bench/memories", json.dumps({"text":"Alice lives in Paris","embedding":[0.1,0.9,0.2]}), {"Content-Type":"application/json"}); c.getresponse().read()
    run(port, 300)
res = {5391: [], 5392: []}
for r in range(11):
    for port in ((5391, 5392) if r % 2 == 0 else (5392, 5391)):
        res[port].append(run(port, 1500))
for p in res: print(p, ["%.3f" % x for x in res[p]], "median %.3f" % sorted(res[p])[5])
a = sorted(res[5391])[5]; b = sorted(res[5392])[5]
print("with wrapper / without: %.3f; per request with: %.1f us, without: %.1f us" % (a / b, a / 3000 * 1e6, b / 3000 * 1e6))
