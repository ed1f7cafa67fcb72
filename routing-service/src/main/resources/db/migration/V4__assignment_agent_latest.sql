-- The dispatcher asks, for every online agent of a team, when the agent last got a conversation
-- (LEAST_LOADED breaks ties by it). Without this index that was a scan of every assignment the
-- tenant ever had, per agent, per assignment: it grew with the history. Now it is one index probe.
CREATE INDEX assignment_agent_latest ON assignment (tenant_id, agent_id, assigned_at);
