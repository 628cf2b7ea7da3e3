/**
 * The Redis task store's changes, one Lua script each, so each is atomic on the server for every
 * process sharing it. Keys of one bento share the prefix `bentoc:{<bento>}:` (ARGV[1]):
 * `task:<id>` (a hash; `input` and `result` are JSON strings Lua never decodes), `queue:<api>` (a
 * sorted set of ids by place), `leases` (a sorted set of running ids by lease end), `seq`, and the
 * channel `events` ("pending", "cancel:<id>").
 */

/** Ends a task: its final state, no lease, and the key expires after the task's retention. */
const END = `
local function ended(p, id, status, now_iso, now_ms)
  local key = p .. 'task:' .. id
  local expires = tonumber(now_ms) + tonumber(redis.call('HGET', key, 'retention_ms'))
  redis.call('HSET', key, 'status', status, 'finished_at', now_iso, 'expires_at', expires)
  redis.call('HDEL', key, 'owner', 'lease_until')
  redis.call('ZREM', p .. 'leases', id)
  redis.call('PEXPIREAT', key, expires)
end
`;

/** ARGV: prefix, id, api, created_at, input, max_attempts, retention_ms, notify ("1"). Returns the place. */
export const ADD = `
local p, id, api = ARGV[1], ARGV[2], ARGV[3]
local seq = redis.call('INCR', p .. 'seq')
redis.call('HSET', p .. 'task:' .. id, 'task_id', id, 'api', api, 'status', 'pending', 'created_at', ARGV[4],
  'input', ARGV[5], 'seq', seq, 'attempts', 0, 'max_attempts', ARGV[6], 'retention_ms', ARGV[7])
redis.call('ZADD', p .. 'queue:' .. api, seq, id)
if ARGV[8] == '1' then redis.call('PUBLISH', p .. 'events', 'pending') end
return seq
`;

/**
 * Claims up to `max` queued tasks, oldest first, of the APIs in ARGV[first_api..]: running from
 * now, leased to `owner`. Returns their hashes (flat).
 */
const CLAIM_NEXT = `
local function claim_next(p, owner, now_iso, lease_until, max, first_api)
  local claimed = {}
  while #claimed < max do
    local first, first_key, first_seq
    for i = first_api, #ARGV do
      local key = p .. 'queue:' .. ARGV[i]
      local head = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
      if head[1] and (first_seq == nil or tonumber(head[2]) < first_seq) then
        first, first_key, first_seq = head[1], key, tonumber(head[2])
      end
    end
    if not first then break end
    redis.call('ZREM', first_key, first)
    local key = p .. 'task:' .. first
    if redis.call('HGET', key, 'status') == 'pending' then
      redis.call('HSET', key, 'status', 'running', 'executed_at', now_iso, 'owner', owner, 'lease_until', lease_until)
      redis.call('HINCRBY', key, 'attempts', 1)
      redis.call('ZADD', p .. 'leases', lease_until, first)
      table.insert(claimed, redis.call('HGETALL', key))
    end
  end
  return claimed
end
`;

/** ARGV: prefix, owner, now (ISO), lease_until, max, api… Returns the claimed tasks' hashes. */
export const CLAIM = `${CLAIM_NEXT}
return claim_next(ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), 6)
`;

/** ARGV: prefix, owner, lease_until, id… Returns the ids that are no longer the owner's running tasks. */
export const RENEW = `
local p, owner, lease_until = ARGV[1], ARGV[2], ARGV[3]
local lost = {}
for i = 4, #ARGV do
  local key = p .. 'task:' .. ARGV[i]
  local task = redis.call('HMGET', key, 'status', 'owner')
  if task[1] == 'running' and task[2] == owner then
    redis.call('HSET', key, 'lease_until', lease_until)
    redis.call('ZADD', p .. 'leases', 'XX', lease_until, ARGV[i])
  else
    table.insert(lost, ARGV[i])
  end
end
return lost
`;

/**
 * ARGV: prefix, id, owner, status, field ("result" or "error"), value, now (ISO), now (ms),
 * lease_until, max, api… Records the outcome when the task is still the owner's running task,
 * then claims up to `max` next tasks. Returns { 1 or 0, the claimed tasks' hashes }.
 */
export const FINISH = `${END}${CLAIM_NEXT}
local p, id, owner = ARGV[1], ARGV[2], ARGV[3]
local key = p .. 'task:' .. id
local task = redis.call('HMGET', key, 'status', 'owner')
local recorded = 0
if task[1] == 'running' and task[2] == owner then
  redis.call('HSET', key, ARGV[5], ARGV[6])
  ended(p, id, ARGV[4], ARGV[7], ARGV[8])
  recorded = 1
end
return { recorded, claim_next(p, owner, ARGV[7], ARGV[9], tonumber(ARGV[10]), 11) }
`;

/** ARGV: prefix, id, now (ISO), now (ms). Returns the task's hash after (flat; empty when there is no such task). */
export const CANCEL = `${END}
local p, id = ARGV[1], ARGV[2]
local key = p .. 'task:' .. id
local task = redis.call('HMGET', key, 'status', 'api')
if task[1] == 'pending' or task[1] == 'running' then
  if task[1] == 'pending' then redis.call('ZREM', p .. 'queue:' .. task[2], id) end
  ended(p, id, 'cancelled', ARGV[3], ARGV[4])
  redis.call('PUBLISH', p .. 'events', 'cancel:' .. id)
end
return redis.call('HGETALL', key)
`;

/** ARGV: prefix, now (ISO), now (ms), error, limit. Returns the ids it queued again or failed. */
export const RECLAIM = `${END}
local p, now_iso, now_ms = ARGV[1], ARGV[2], ARGV[3]
local changed, queued = {}, false
for _, id in ipairs(redis.call('ZRANGEBYSCORE', p .. 'leases', '-inf', now_ms, 'LIMIT', 0, tonumber(ARGV[5]))) do
  local key = p .. 'task:' .. id
  local task = redis.call('HMGET', key, 'status', 'attempts', 'max_attempts', 'api', 'seq')
  if task[1] == 'running' then
    if tonumber(task[2]) < tonumber(task[3]) then
      redis.call('HSET', key, 'status', 'pending')
      redis.call('HDEL', key, 'owner', 'lease_until')
      redis.call('ZREM', p .. 'leases', id)
      redis.call('ZADD', p .. 'queue:' .. task[4], task[5], id)
      queued = true
    else
      redis.call('HSET', key, 'error', ARGV[4])
      ended(p, id, 'failure', now_iso, now_ms)
    end
    table.insert(changed, id)
  else
    redis.call('ZREM', p .. 'leases', id)
  end
end
if queued then redis.call('PUBLISH', p .. 'events', 'pending') end
return changed
`;
