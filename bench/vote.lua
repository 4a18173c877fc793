-- wrk script for the vote POST: each request votes one answer up, or takes the vote back,
-- as one of many logged-in bench users, in turn. Arguments after `--`: the vote path, the
-- CSRF token, and a file of session keys (one a line).
--
-- Each wrk thread takes its own share of the users and cycles through them: a user votes
-- up, and takes the vote back one full cycle later, long after the first request answered.
-- So no two requests of one user overlap, and each user casts only a few votes, far below
-- the daily limit.

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  path, csrf = args[1], args[2]
  local thread_count = tonumber(args[4])
  sessions = {}
  local line_number = 0
  for key in io.lines(args[3]) do
    if line_number % thread_count == thread_number then
      table.insert(sessions, key)
    end
    line_number = line_number + 1
  end
  sent = 0
end

function request()
  local count = #sessions
  local session = sessions[sent % count + 1]
  local value = (math.floor(sent / count) % 2 == 0) and "up" or "undo"
  sent = sent + 1
  return wrk.format("POST", path, {
    ["Cookie"] = "sessionid=" .. session .. "; csrftoken=" .. csrf,
    ["X-CSRFToken"] = csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
  }, "value=" .. value)
end
