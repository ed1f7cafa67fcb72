-- The inbox's default tab (mine) and the unread counts filter conversations by routing's
-- assignee. Without an index, finding an agent's conversations read every routing_view row of
-- every tenant (a sequential scan that grows with the platform, not with the agent's share), or
-- walked the tenant's conversations newest first until 50 of them matched; see docs/benchmarks.md
-- "Console: the inbox's first page with 10,000 conversations".
CREATE INDEX routing_view_by_assignee ON routing_view (tenant_id, assignee);
