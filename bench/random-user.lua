-- wrk script: GET /recommend/{random known user}?k=20. Users are the dataset's ids 0..NUSERS-1
-- (MMRec ids are 0-based indices); NUSERS comes from the environment, QUERY (optional, e.g.
-- "&category=c1,c2") is appended to every request. Each wrk thread seeds its own generator.
local counter = 0
local threads = {}

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
   table.insert(threads, thread)
end

function init(args)
   math.randomseed(os.time() * 1000 + id)
   nusers = tonumber(os.getenv("NUSERS"))
   k = os.getenv("K") or "20"
   query = os.getenv("QUERY") or ""
end

function request()
   return wrk.format("GET", "/recommend/" .. math.random(0, nusers - 1) .. "?k=" .. k .. query)
end

function response(status, headers, body)
   if status ~= 200 then
      errors_seen = (errors_seen or 0) + 1
   end
end
