/**
 * The writes run as Lua scripts: Redis runs a script whole or not at all, so a reader never sees half
 * a sync, and a client that dies mid-send leaves nothing behind (the command never arrived whole).
 * Each script first checks `_meta.revision` against the revision the plan was made from.
 *
 * KEYS: 1 _flags, 2 _meta, 3 _overrides, 4 _audit, then the simple per-flag keys.
 */
const checkRevision = `
local live = tonumber(redis.call('HGET', KEYS[2], 'revision') or '0')
if live ~= tonumber(ARGV[1]) then return {0, live} end
local revision = live + 1
`;

// The change message arrives as JSON without its revision ("{...}"); the revision is spliced in front.
const finish = `
redis.call('XADD', KEYS[4], 'MAXLEN', '~', '10000', '*', 'entry', audit)
redis.call('PUBLISH', channel, '{"revision":' .. revision .. ',' .. string.sub(change, 2))
return {1, revision}
`;

/**
 * ARGV: 1 expected revision, 2 channel, 3 audit JSON, 4 change JSON (without revision),
 * 5 commit, 6 syncedAt, 7 checksum, 8 format, 9 upsert count, 10 removal count,
 * 11 simple-set count, 12 simple-remove count, then upserts (key, json)…, removals…, simple sets
 * (KEYS index, json)…, simple removes (KEYS index)….
 */
export const SYNC_SCRIPT = `${checkRevision}
local channel, audit, change = ARGV[2], ARGV[3], ARGV[4]
local upserts, removals, sets, deletes = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12])
local i = 13
-- unpack() takes at most a few thousand values at once (the Lua C stack): write in slices of 2,000.
local last = i + 2 * upserts - 1
while i <= last do
  local stop = math.min(i + 1999, last)
  redis.call('HSET', KEYS[1], unpack(ARGV, i, stop))
  i = stop + 1
end
last = i + removals - 1
while i <= last do
  local stop = math.min(i + 1999, last)
  redis.call('HDEL', KEYS[1], unpack(ARGV, i, stop))
  i = stop + 1
end
for n = 1, sets do
  redis.call('SET', KEYS[tonumber(ARGV[i])], ARGV[i + 1]); i = i + 2
end
for n = 1, deletes do
  redis.call('DEL', KEYS[tonumber(ARGV[i])]); i = i + 1
end
redis.call('HSET', KEYS[2], 'revision', revision, 'commit', ARGV[5], 'syncedAt', ARGV[6], 'checksum', ARGV[7], 'format', ARGV[8])
${finish}`;

/** ARGV: 1 expected revision, 2 channel, 3 audit JSON, 4 change JSON, 5 flag, 6 override JSON or "". */
export const OVERRIDE_SCRIPT = `${checkRevision}
local channel, audit, change = ARGV[2], ARGV[3], ARGV[4]
if ARGV[6] == '' then redis.call('HDEL', KEYS[3], ARGV[5]) else redis.call('HSET', KEYS[3], ARGV[5], ARGV[6]) end
redis.call('HSET', KEYS[2], 'revision', revision)
${finish}`;
